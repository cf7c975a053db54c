// Hard negatives: what real trees are full of and what must not be reported.

import { WORDS, type FileBuilder, type Gen } from './gen.js';

// ---------------------------------------------------------------------------------------------
// Hard negatives: what real trees are full of and what must not be reported.

export function hardNegatives(g: Gen, f: (path: string) => FileBuilder, i: number): void {
  const p = f(`examples/${i}/.env.example`);
  for (const v of [
    'changeme',
    '${DB_PASSWORD}',
    '<your-password>',
    'your_api_key_here',
    'xxxxxxxxxxxxxxxx',
    '********',
    'REPLACE_ME',
    'example',
    'TODO',
    '""',
    "''",
    'password',
    'secret',
  ])
    p.add(`${g.pick(['DB_PASSWORD', 'API_KEY', 'SECRET_KEY', 'AUTH_TOKEN', 'CLIENT_SECRET'])}=${v}`);
  const t = f(`charts/app${i}/templates/deployment.yaml`);
  t.add(
    `        env:\n          - name: DB_PASSWORD\n            valueFrom:\n              secretKeyRef:\n             ` +
      `   name: {{ .Release.Name }}-db\n                key: password`,
  );
  t.add(
    `          - name: API_TOKEN\n            value: "{{ .Values.apiToken }}"\n          - name: SESSION_SECRET\n   ` +
      `         value: {{ required "sessionSecret" .Values.sessionSecret | quote }}`,
  );
  const gh = f(`.github/workflows/test-${i}.yml`);
  gh.add(
    `      - run: npm publish\n        env:\n          NODE_AUTH_TOKEN: \${{ secrets.NPM_TOKEN }}\n          ` +
      `password: \${{ secrets.REGISTRY_PASSWORD }}\n          api_key: \${{ vars.API_KEY }}`,
  );
  const refs = f(`src/settings_${i}.py`);
  refs.add(
    `import os\nDB_PASSWORD = os.environ["DB_PASSWORD"]\nSECRET_KEY = os.environ.get("SECRET_KEY")\napi_key = ` +
      `os.getenv("API_KEY", "")\npassword = getpass.getpass()\ntoken = get_token(session)`,
  );
  refs.add(
    `password = vault:secret/data/prod/db#password\ndb_password = "ssm:/prod/db/password"\nsecret = ` +
      `"{{resolve:secretsmanager:prod/app:SecretString:key}}"\nclient_secret = ` +
      `"@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/app)"`,
  );
  const js = f(`web/src/auth/login${i}.ts`);
  js.add(
    `export async function login(username: string, password: string): Promise<Session> {\n  const token = await ` +
      `api.post('/login', { username, password });\n  const apiKey = process.env.API_KEY;\n  if (password !== ` +
      `confirmPassword) throw new Error('mismatch');\n  const { accessToken, refreshToken } = token.data;\n  ` +
      `return { token: accessToken, secret: this.secret };\n}`,
  );
  js.add(
    `interface Creds { password: string; token?: string; apiKey: string | undefined }\nconst passwordField = ` +
      `document.querySelector('input[type="password"]');\nconst lastToken = tokens[tokens.length - 1];`,
  );
  const i18n = f(`web/src/i18n/en-${i}.json`);
  i18n.add(
    `{\n  "password": "Password",\n  "forgotPassword": "Forgot your password?",\n  "token": "Access token",\n  ` +
      `"secretQuestion": "Your secret question",\n  "passwordHint": "At least 12 characters",\n  "apiKeyLabel": ` +
      `"API key"\n}`,
  );
  const lock = f(`pkgs/${i}/package-lock.json`);
  lock.add(`{\n  "name": "app",\n  "lockfileVersion": 3,\n  "packages": {`);
  for (let k = 0; k < 6; k++)
    lock.add(
      `    "node_modules/${g.pick(WORDS)}-${k}": {\n      "version": "1.${k}.0",\n      "resolved": ` +
        `"https://registry.npmjs.org/${g.pick(WORDS)}/-/x-1.${k}.0.tgz",\n      "integrity": ` +
        `"sha512-${g.s('b64', 86)}==",\n      "license": "MIT"\n    },`,
    );
  lock.add(
    `    "node_modules/token-types": {\n      "version": "6.0.0",\n      "integrity": ` +
      `"sha512-${g.s('b64', 86)}=="\n    }\n  }\n}`,
  );
  const yarn = f(`pkgs/${i}/yarn.lock`);
  yarn.add(
    `"secret-handshake@^1.1.0":\n  version "1.1.20"\n  resolved ` +
      `"https://registry.yarnpkg.com/secret-handshake/-/secret-handshake-1.1.20.tgz#${g.s('hex', 40)}"\n  integrity ` +
      `sha512-${g.s('b64', 86)}==`,
  );
  const gosum = f(`svc${i}/go.sum`);
  for (let k = 0; k < 4; k++)
    gosum.add(
      `github.com/${g.pick(WORDS)}/token v1.${k}.0 h1:${g.s('b64', 43)}=\ngithub.com/${g.pick(WORDS)}/token ` +
        `v1.${k}.0/go.mod h1:${g.s('b64', 43)}=`,
    );
  const html = f(`site${i}/index.html`);
  html.add(
    `<link rel="stylesheet" href="https://cdn.internal/app.css" integrity="sha384-${g.s('b64', 64)}" ` +
      `crossorigin="anonymous">\n<img alt="logo" src="data:image/png;base64,${g.s('b64', 600)}=">\n<input ` +
      `type="password" name="password" placeholder="Password" autocomplete="current-password">`,
  );
  const css = f(`site${i}/fonts.css`);
  css.add(
    `@font-face { font-family: "Inter"; src: url(data:font/woff2;base64,${g.s('b64', 2000)}) format("woff2"); }`,
  );
  const logs = f(`logs/app-${i}.log`);
  for (let k = 0; k < 8; k++)
    logs.add(
      `2025-03-12T10:${10 + k}:0${k}Z INFO request_id=${g.uuid()} trace=${g.s('hex', 32)} ` +
        `user_id=${g.int(1000, 99999)} path=/api/v1/orders status=200 duration_ms=${g.int(3, 900)}`,
    );
  logs.add(
    `2025-03-12T10:20:00Z INFO deployed commit ${g.s('hex', 40)} image ` +
      `sha256:${g.s('hex', 64)}\n2025-03-12T10:20:01Z INFO token refreshed for client_id=${g.uuid()} ` +
      `expires_in=3600\n2025-03-12T10:20:02Z WARN password reset requested for user_id=${g.int(1000, 99999)}`,
  );
  const pub = f(`keys${i}/deploy.pub`);
  pub.add(
    `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${g.s('b64', 43)} deploy@ci\nssh-rsa ` +
      `AAAAB3NzaC1yc2EAAAADAQABAAABAQ${g.s('b64', 300)} ops@bastion`,
  );
  const pubpem = f(`keys${i}/jwt-public.pem`);
  pubpem.add(g.pem('PUBLIC KEY'));
  const cfg = f(`config${i}/keys.yml`);
  cfg.add(
    `jwt:\n  public_key: "${g.s('b64', 64)}"\n  publishableKey: ${g.s('an', 32)}1\n  algorithm: RS256\n  key_id: ` +
      `${g.uuid()}\nrequest:\n  idempotency_key: "${g.s('an', 24)}1"\n  cache_key: "${g.s('an', 20)}2"\n  ` +
      `checksum_sha256: ${g.s('hex', 64)}`,
  );
  const docs = f(`docs/aws-${i}.md`);
  // AWS's own published documentation keys, literal on purpose: a scanner must recognise and skip them.
  docs.add(
    `Configure the CLI:\n\n    aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n    aws_secret_access_key = ` +
      `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n`,
  );
  const jwtDoc = ['{"alg":"HS256","typ":"JWT"}', '{"sub":"1234567890","name":"John Doe","iat":1516239022}']
    .map((s) => Buffer.from(s).toString('base64url'))
    .join('.');
  docs.add(`A token looks like this: \`${jwtDoc}.${g.s('b64url', 43)}\``);
  docs.add(`Connect with \`postgres://user:password@localhost:5432/db\` or \`https://user:pass@example.com/\`.`);
  const low = f(`test/fixtures/users-${i}.yml`);
  low.add(
    `users:\n  - name: alice\n    password: aaaaaaaa\n  - name: bob\n    password: 12345678\n    token: abcabcabcabc`,
  );
  const min = f(`dist/vendor-${i}.min.js`);
  let code = '';
  for (let k = 0; k < 40; k++)
    code +=
      `function ${g.s('lower', 2)}(e,t){var n=e.token||t.secret,r=e.password;return ` +
      `n&&r?{token:n,secret:r,id:"${g.uuid()}",hash:"${g.s('hex', 40)}"}:null}`;
  min.add(code);
  const ids = f(`data/records-${i}.json`);
  ids.add(
    `[\n${Array.from(
      { length: 6 },
      () =>
        `  {"id": "${g.uuid()}", "sha": "${g.s('hex', 40)}", ` +
        `"etag": "W/\\"${g.s('hex', 32)}\\"", "tokenCount": ${g.int(10, 9000)}}`,
    ).join(',\n')}\n]`,
  );
}
