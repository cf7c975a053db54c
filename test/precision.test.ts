// Precision on real code: keyed values only where they are assigned as the credential, fake
// fixtures recorded but not reported as leaks, one finding per secret, commented-out keys found.

import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defaultRulesDir, loadRulesFromDir } from '../src/detect/rules.js';
import { Detector, scanBuffer } from '../src/detect/index.js';
import { fixtureReason, randomLooking, weakPassword } from '../src/detect/fixture.js';
import { cleanupTempDirs, runCli, tempDir, token } from './helpers.js';
import { GitRepo } from './git-repo.js';
import { evaluateRealCode } from '../src/eval/real-code.js';

const rules = loadRulesFromDir(defaultRulesDir());
const detector = new Detector(rules);
const found = (text: string) => scanBuffer(detector, text).map((c) => `${c.ruleId}=${c.secret}`);

function tree(files: Record<string, string>): string {
  const dir = tempDir('lr-precision-');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

interface JsonFinding {
  rule: string;
  fixture?: boolean;
  fixtureReason?: string;
  alsoMatched?: string[];
  locations: Array<{ path: string; line: number }>;
  blast: { tier: string; reasons: string[] };
}

async function scanJson(
  dir: string,
  ...flags: string[]
): Promise<{ code: number | null; findings: JsonFinding[]; stats: { fixtures?: number } }> {
  const r = await runCli(['scan', dir, '--offline', '--format', 'json', ...flags]);
  const doc = JSON.parse(r.stdout) as { findings: JsonFinding[]; stats: { fixtures?: number } };
  return { code: r.code, findings: doc.findings, stats: doc.stats };
}

afterAll(cleanupTempDirs);

describe('the context model of keyed rules', () => {
  it('reads no call, option, label, reference, format, validation rule or next line as a password', () => {
    const code = [
      "become_pass = self.get_option('become_pass', playcontext=self._play_context)",
      "parser.add_argument('-K', '--ask-become-pass', dest='become_ask_pass', action='store_true')",
      "'password' => 'required|confirmed',",
      'vcenter_password: @VMWARE_PASSWORD@',
      "passwordLabel: 'Password:'",
      'clientSecret: "urn:k8s:secret:app:client"',
      "home = '/Users/%s' % name; password_dir = 'credentials/'",
      'case "${MVNW_PASSWORD:+has-password}" in',
      '$username = Get-AnsibleParam -obj $params -name "name"',
      'AuthPlugin::CachingSha2Password => "caching_sha2_password",',
      '  password:\n  socket: /tmp/mysql.sock',
      'const KEYS = new Set(["injectNpmUser", "injectNpmPassword", "injectNpm2FaToken", "zipData"]);',
      'if(e.username===this.options.username&&e.password===this.options.password)return',
      '    parse-passwd: "npm:^1.0.0"',
      'exports.loadAWSCredentials = loadAWSCredentials;',
      '  calculateToken: calculateSha2Token,',
      '  onresumptiontoken: opts.onresumptiontoken',
      '  username: URLPatternComponentResult;\n  password: URLPatternComponentResult;',
      'const ERR = /identified by "(\\d)+" constrains/; db2_password = "(\\d)+"',
    ];
    for (const line of code) expect(found(line), line).toEqual([]);
  });

  it('ends an unquoted value at & and keeps & inside a value that is not a query string', () => {
    const secret = token('{{an:12}}7');
    expect(found(`GET /reset?new_password=${secret}&token=abc`)).toEqual([`generic-password=${secret}`]);
    const withAmp = token('V&#{{an:14}}9');
    expect(found(`password: ${withAmp}`)).toEqual([`generic-password=${withAmp}`]);
  });

  it('keeps & inside an unquoted value unless a query parameter follows', () => {
    const value = token('2+&ma{{an:12}}*iT');
    expect(found(`  - POSTGRES_PASSWORD=${value}`)).toEqual([`generic-password=${value}`]);
  });

  it('still finds a base64 value ending in = and a weak password in a real config', () => {
    const padded = token('{{b64:43}}=');
    expect(found(`SESSION_SECRET=${padded}`)).toEqual([`generic-secret-assignment=${padded}`]);
    expect(found('password = Summer1900=')).toEqual(['generic-password=Summer1900=']);
    const mixed = token('{{lower:5}}80L{{lower:4}}');
    expect(found(`mysql -h db.corp-prod.com -u root -p${mixed} app`)).toEqual([`cli-password=${mixed}`]);
  });
});

describe('fixtures', () => {
  const generic = { id: 'generic-password', provider: 'generic', type: 'password' };

  it('judge the value: made up, made of words, sequential; generated values are not weak', () => {
    expect(weakPassword('p@ssw0rd')).toBe('a made-up value');
    expect(weakPassword('S0meVeryHardPassword')).toBe('a made-up value');
    expect(weakPassword('Admin12345')).toBe('a made-up value');
    expect(weakPassword('Scenic-Improving-Payphone')).toBe('made of words');
    expect(weakPassword('987654321')).toBe('repeated or sequential characters');
    expect(weakPassword('Tiger1336-')).toBeUndefined();
    for (const t of ['{{an:20}}', '{{hex:64}}', '{{b64:40}}']) expect(randomLooking(token(t))).toBe(true);
  });

  it('judge the place and the host: tests, docs, local hosts; never a credential store or a provider token', () => {
    expect(fixtureReason(generic, 'hunter42', { path: 'app/tests/test_login.py' })).toMatch(/test fixture/);
    expect(fixtureReason(generic, token('{{an:24}}'), { path: 'app/tests/test_login.py' })).toBeUndefined();
    expect(
      fixtureReason({ id: 'postgres-uri-password', provider: 'database', type: 'password' }, 'pass1234', {
        path: 'src/db.py',
        excerpt: 'postgres://app:…(8 chars)@localhost/app',
      }),
    ).toMatch(/local set-up/);
    expect(
      fixtureReason({ id: 'postgres-uri-password', provider: 'database', type: 'password' }, 'Tiger1336-', {
        path: 'src/db.py',
        excerpt: 'postgres://app:…(10 chars)@db.corp.example-bank.com/app',
      }),
    ).toBeUndefined();
    expect(
      fixtureReason({ id: 'pgpass-password', provider: 'credential-file', type: 'password' }, 'password', {
        path: 'home/u/.pgpass',
      }),
    ).toBeUndefined();
    expect(
      fixtureReason({ id: 'github-classic-pat', provider: 'github', type: 'pat' }, token(), {
        path: 'tests/fixtures/token.txt',
      }),
    ).toBeUndefined();
    expect(
      fixtureReason({ id: 'private-key-pem', provider: 'private-key', type: 'pem' }, '-----BEGIN', {
        path: 'tests/key.pem',
      }),
    ).toBeUndefined();
  });

  it('take a password hash shown in a comment as documentation, a stored one as a leak', () => {
    const hashRule = { id: 'password-hash-sha512crypt', provider: 'password-hash', type: 'hash' };
    const hash = `$6$${token('{{an:16}}')}$${token('{{b64url:86}}')}`;
    expect(
      fixtureReason(hashRule, hash, { path: 'plugins/filter/hash.yml', excerpt: '    # result => "$6…(106 chars)"' }),
    ).toMatch(/comment/);
    expect(
      fixtureReason(hashRule, hash, { path: 'deploy/users.yml', excerpt: '  password: "$6…(106 chars)"' }),
    ).toBeUndefined();
  });

  it(
    'are left out of the text report and the exit code, counted in ' +
      'the summary, and shown with --include-fixtures',
    async () => {
      const dir = tree({
        'tests/test_db.py':
          'DSN = "postgres://app:password123@localhost:5432/app_test"\nclient.login(username="bob", ' +
          'password="hunter42")\n',
        'docs/setup.md': 'Connect with `mysql://root:p@ssw0rd@127.0.0.1/dev`.\n',
      });
      const text = await runCli(['scan', dir, '--offline']);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/^0 findings in .*; 3 test fixtures not shown: --include-fixtures$/m);
      const shown = await scanJson(dir, '--include-fixtures');
      expect(shown.code).toBe(0);
      expect(shown.findings.length).toBe(3);
      for (const f of shown.findings) {
        expect(f.fixture).toBe(true);
        expect(f.fixtureReason).toMatch(/test fixture|local set-up|made-up/);
        expect(f.blast.tier).toBe('info');
        expect(f.blast.reasons[0]).toMatch(/^test fixture, not a leak/);
      }
      const hidden = await scanJson(dir);
      expect(hidden.findings).toEqual([]);
      expect(hidden.stats.fixtures).toBe(3);
    },
  );

  it('never hide a private key in a test path, a credential store, or a weak password for a real host', async () => {
    const dir = tree({
      'tests/certs/server.key': token('{{pem:RSA PRIVATE KEY}}') + '\n',
      'home/dev/.pgpass': 'localhost:5432:app:app:password\n',
      'src/settings.py': 'DATABASE_URL = "postgres://app:Password1@db.corp.example-bank.com:5432/app"\n',
    });
    const { code, findings } = await scanJson(dir);
    expect(code).toBe(1);
    const byRule = new Map(findings.map((f) => [f.rule, f]));
    expect([...byRule.keys()].sort()).toEqual(['pgpass-password', 'postgres-uri-password', 'private-key-pem']);
    for (const f of findings) expect(f.fixture).toBeUndefined();
    expect(byRule.get('postgres-uri-password')!.blast.reasons.join('\n')).toMatch(/weak password/);
  });
});

describe('credential stores', () => {
  it('are found whatever their values, with the file kind as the reason', async () => {
    const dir = tree({
      'home/dev/.pgpass': 'localhost:5432:app:app:secret\n',
      'home/dev/.git-credentials': `https://jane@corp-mail.com:${token('{{an:14}}')}@gitlab.com\n`,
      'home/dev/.mozilla/firefox/p/logins.json':
        `{"logins":[{"hostname":"https://shop.example-store.com",` +
        `"encryptedPassword":"${token('{{b64:64}}')}"}]}\n`,
      'site/sftp-config.json': '{\n  "host": "localhost",\n  "user": "deploy",\n  "password": "Sunny2023"\n}\n',
    });
    const { findings } = await scanJson(dir);
    const kinds = findings
      .map((f) => `${f.rule} ${f.blast.reasons.find((r) => r.startsWith('in a committed')) ?? '-'}`)
      .sort();
    expect(kinds).toEqual([
      'browser-login-store in a committed browser login store (logins.json): a leak whatever its value',
      'pgpass-password in a committed PostgreSQL password file (.pgpass): a leak whatever its value',
      'url-basic-auth in a committed git credential store (.git-credentials): a leak whatever its value',
      'username-password-pair in a committed editor SFTP/FTP upload config: a leak whatever its value',
    ]);
    for (const f of findings) expect(f.fixture).toBeUndefined();
  });
});

describe('one finding per secret', () => {
  it('reports the most specific rule once and lists the others', async () => {
    const key = token('{{hex:64}}');
    const dir = tree({ 'config/initializers/app.rb': `config.secret_key = "${key}"\n` });
    const { findings } = await scanJson(dir);
    expect(findings.map((f) => f.rule)).toEqual(['generic-secret-assignment']);
    expect(findings[0]!.alsoMatched).toEqual(['generic-key-assignment']);
  });

  it('reports a base64 key in a Kubernetes Secret once, as the key it decodes to', async () => {
    const pem = token('{{pem:RSA PRIVATE KEY}}', 'k8s');
    const dir = tree({
      'k8s/tls.yaml':
        `apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\ndata:\n  tls.key: ` +
        `${Buffer.from(pem + '\n').toString('base64')}\n`,
    });
    const { findings } = await scanJson(dir);
    // The base64 form is also a private-key-pem-base64 match (which shadows the generic key rule there).
    expect(findings.map((f) => [f.rule, f.alsoMatched])).toEqual([['private-key-pem', ['private-key-pem-base64']]]);
  });
});

describe('composite findings', () => {
  it('span their parts: the line of each part in JSON, endLine in SARIF', async () => {
    const dir = tree({
      'deploy/app.env':
        `DB_HOST=db.internal\nDB_USER=appuser\n# the reporting replica\n` + `DB_PASSWORD=${token('{{an:14}}7')}\n`,
    });
    const { findings } = await scanJson(dir);
    expect(findings.map((f) => f.rule)).toEqual(['username-password-pair']);
    expect(findings[0]!.locations[0]).toMatchObject({ line: 2, endLine: 4, parts: [2, 4] });
    const sarif = JSON.parse((await runCli(['scan', dir, '--offline', '--format', 'sarif'])).stdout) as {
      runs: Array<{
        results: Array<{
          locations: Array<{ physicalLocation: { region: { startLine: number; endLine?: number } } }>;
        }>;
      }>;
    };
    expect(sarif.runs[0]!.results[0]!.locations[0]!.physicalLocation.region).toMatchObject({
      startLine: 2,
      endLine: 4,
    });
  });
});

describe('commented-out private keys', () => {
  it('are found behind #, ;, --, *, // and | prefixes', () => {
    const pem = token('{{pem:RSA PRIVATE KEY}}');
    for (const prefix of ['# ', '#    ', '; ', '-- ', ' * ', '// ', '      |']) {
      const text = pem
        .split('\n')
        .map((l) => prefix + l)
        .join('\n');
      expect(
        scanBuffer(detector, text).map((c) => c.ruleId),
        JSON.stringify(prefix),
      ).toEqual(['private-key-pem']);
    }
  });

  it('and random keys in test configs are found; UUIDs under *_key names are not', () => {
    const appKey = token('{{an:32}}');
    expect(found(`    'app.key' => '${appKey}',`)).toEqual([`generic-secret-assignment=${appKey}`]);
    const primary = token('{{an:31}}7');
    expect(found(`  primary_key: ${primary}`)).toEqual([`generic-key-assignment=${primary}`]);
    expect(found(`idempotency_key: "${token('{{hex:8}}-{{hex:4}}-4{{hex:3}}-a{{hex:3}}-{{hex:12}}')}"`)).toEqual([]);
  });

  it('need a body a real key could have', () => {
    expect(
      found('-----BEGIN RSA PRIVATE KEY-----\n' + token('{{b64:42}}') + '==\n-----END RSA PRIVATE KEY-----\n'),
    ).toEqual([]);
  });
});

describe('inline source maps', () => {
  const sources = (secret: string) =>
    [
      'export function login(user, password) {',
      '  const token = createToken(user, password);',
      `  const API_KEY = "${secret}";`,
      '  return fetch(url, { headers: { Authorization: `Bearer ${token}` } });',
      '}',
    ].join('\n') + '\n';
  /** Build output with its map inline: a `names` array full of credential words, as minifiers write. */
  const bundle = (src: string) => {
    const map = {
      version: 3,
      sources: ['../src/login.js'],
      sourcesContent: [src],
      names: ['login', 'password', 'currentUser1', 'token', 'sessionToken2x', 'apiKey', 'accessTokenV2x9'],
      mappings: 'AAAA,SAASA',
    };
    const encoded = Buffer.from(JSON.stringify(map)).toString('base64');
    return (
      `function l(a,b){return f(u,c(a,b))}\n//# ` +
      `sourceMappingURL=data:application/json;charset=utf-8;base64,${encoded}\n`
    );
  };

  it('are scanned as the sources they hold, never their names', async () => {
    const secret = token('{{an:32}}');
    const plain = await scanJson(tree({ 'src/login.js': sources(secret) }));
    const built = await scanJson(tree({ 'dist/login.min.js': bundle(sources(secret)) }));
    expect(plain.findings.map((f) => f.rule)).toEqual(['generic-secret-assignment']);
    expect(built.findings.map((f) => f.rule)).toEqual(['generic-secret-assignment']);
    const clean = await scanJson(
      tree({
        'dist/login.min.js': bundle(
          sources('process.env.API_KEY').replace('"process.env.API_KEY"', 'process.env.API_KEY'),
        ),
      }),
    );
    expect(clean.findings).toEqual([]);
  });

  it('in git history give no more findings than their sources', async () => {
    const repo = GitRepo.init();
    const secret = token('{{an:32}}', 'history');
    repo.commit('add login', { 'src/login.js': sources(secret) });
    repo.commit('build', { 'dist/login.min.js': bundle(sources(secret)) });
    repo.commit('rebuild', { 'dist/login.min.js': bundle(sources(secret).replace('createToken', 'makeToken')) });
    const r = await runCli(['git', repo.dir, '--offline', '--format', 'json'], { env: repo.env });
    const findings = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    expect(findings.map((f) => f.rule)).toEqual(['generic-secret-assignment']);
  });
});

describe('the real-code eval', () => {
  it(
    'judges shown findings by their labels, lists unlabelled ' + 'ones, and skips repositories that are not there',
    async () => {
      const dir = tempDir('lr-realcode-');
      const key = token('{{an:32}}');
      const repo = tree({
        'config/app.php': `<?php\nreturn ['app.key' => '${key}'];\n`,
        'src/db.py': `DSN = "postgres://app:${token('{{an:16}}')}@db.corp-prod.com/app"\n`,
      });
      const { renameSync } = await import('node:fs');
      renameSync(repo, join(dir, 'acme+app'));
      const labels = join(dir, 'labels.json');
      writeFileSync(
        labels,
        JSON.stringify({
          repos: [
            { name: 'acme/app', commit: 'a'.repeat(40), ecosystem: 'PHP' },
            { name: 'acme/gone', commit: 'b'.repeat(40), ecosystem: 'Go' },
          ],
          before: {
            'acme/app': {
              bytes: 100,
              byConfidence: { low: { 'credential-shaped': 1, 'fake-fixture': 2, 'not-a-secret': 3 } },
            },
          },
          labels: [
            {
              repo: 'acme/app',
              tool: 'leakradius',
              rule: 'generic-secret-assignment',
              path: 'config/app.php',
              line: 2,
              class: 'credential-shaped',
              cause: 'random key',
            },
          ],
        }),
      );
      const { text, results } = await evaluateRealCode(labels, dir);
      expect(results.map((r) => r.repo)).toEqual(['acme/app']);
      expect(results[0]!.leakradius.counts).toEqual({ 'credential-shaped': 1, 'fake-fixture': 0, 'not-a-secret': 0 });
      expect(results[0]!.leakradius.unlabelled).toEqual([
        expect.stringMatching(/^src\/db\.py:1 {2}postgres-uri-password/),
      ]);
      expect(text).toMatch(/strict precision: +leakradius 100\.0% \(before 16\.7%\)/);
      expect(text).toMatch(
        /skipped: acme\/gone: not present at .*acme\+gone \(git clone https:\/\/github\.com\/acme\/gone /,
      );
      expect(text).not.toContain(key);
    },
  );
});
