// Code-like text: JS/TS/Python/JSON/YAML/Markdown/minified bundles, with the words "token",
// "password" and "key" in ordinary, non-secret places (which is what makes real scanners work).

import { Rng, NOUNS, VERBS, camel, snake, pascal, sentence } from './rand.mjs';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function ident(r) {
  return r.chance(0.5) ? camel(r.pick(VERBS), r.pick(NOUNS)) : camel(r.pick(NOUNS), pascal(r.pick(NOUNS)));
}

function jsStatement(r, ind) {
  const a = r.pick(NOUNS);
  const b = ident(r);
  switch (r.int(16)) {
    case 0:
      return `${ind}const ${a} = await ${b}(${r.pick(NOUNS)}Id, { timeout: ${r.range(100, 30000)} });`;
    case 1:
      return `${ind}if (!${a}) throw new Error('${a} not found: ' + ${r.pick(NOUNS)}.id);`;
    case 2:
      return `${ind}const token = await getAccessToken(req.headers.authorization);`;
    case 3:
      return `${ind}const password = form.get('password'); // validated by ${b}`;
    case 4:
      return `${ind}const apiKey = process.env.${snake(r.pick(NOUNS)).toUpperCase()}_API_KEY ?? config.apiKey;`;
    case 5:
      return `${ind}logger.debug({ ${a}, key: \`${a}:\${id}\` }, '${sentence(r, 3, 7).slice(0, -1)}');`;
    case 6:
      return `${ind}for (const [key, value] of Object.entries(${a})) ${b}(key, value);`;
    case 7:
      return `${ind}return ${b}(${a}).then((res) => res.${r.pick(NOUNS)}).catch(handleError);`;
    case 8:
      return `${ind}this.${a}Cache.set(cacheKey(${a}), { value: ${a}, expiresAt: Date.now() + ${r.range(1, 3600)} * 1000 });`;
    case 9:
      return `${ind}const tokens = tokenizer.encode(${a}.text).slice(0, MAX_TOKENS);`;
    case 10:
      return `${ind}// ${sentence(r)}`;
    case 11:
      return `${ind}const ${a}Hash = createHash('sha256').update(${a}.password + salt).digest('hex');`;
    case 12:
      return `${ind}await db.query('SELECT * FROM ${snake(a)}s WHERE id = $1 AND tenant_key = $2', [id, tenantKey]);`;
    case 13:
      return `${ind}emitter.emit('${a}:${r.pick(VERBS)}', { ${a}, at: new Date().toISOString() });`;
    case 14:
      return `${ind}const url = \`\${baseUrl}/api/v${r.range(1, 3)}/${a}s/\${encodeURIComponent(id)}?page=\${page}&limit=${r.range(10, 100)}\`;`;
    default:
      return `${ind}${a}.${r.pick(NOUNS)}Count += ${r.range(1, 9)};`;
  }
}

export function jsFile(r, target, ts = false) {
  const out = [];
  let size = 0;
  const push = (s) => {
    out.push(s);
    size += s.length + 1;
  };
  push(`// ${sentence(r)}`);
  for (let i = 0, n = r.range(2, 8); i < n; i++) {
    push(
      `import { ${ident(r)}, ${ident(r)} } from '${r.chance(0.5) ? '../' : '@acme/'}${r.pick(NOUNS)}${r.chance(0.3) ? '/' + r.pick(NOUNS) : ''}${ts ? '' : '.js'}';`,
    );
  }
  push('');
  while (size < target) {
    if (r.chance(0.2)) {
      const cls = pascal(r.pick(NOUNS)) + pascal(r.pick(['service', 'store', 'client', 'manager', 'controller']));
      push(`export class ${cls} {`);
      if (ts) push(`  private readonly ${r.pick(NOUNS)}Key: string;`);
      push(`  constructor(${ts ? 'private readonly options: ' + cls + 'Options' : 'options'}) {`);
      push(`    this.options = { retries: ${r.range(0, 5)}, ...options };`);
      push('  }');
      for (let m = 0, n = r.range(1, 4); m < n; m++) {
        push(
          `  async ${ident(r)}(${r.pick(NOUNS)}${ts ? ': ' + pascal(r.pick(NOUNS)) : ''}, opts = {})${ts ? ': Promise<void>' : ''} {`,
        );
        for (let s = 0, k = r.range(2, 9); s < k; s++) push(jsStatement(r, '    '));
        push('  }');
      }
      push('}');
    } else {
      const args = [r.pick(NOUNS), r.pick(NOUNS)].map((a) => (ts ? `${a}: ${pascal(r.pick(NOUNS))}` : a));
      push(
        `export ${r.chance(0.5) ? 'async ' : ''}function ${ident(r)}(${args.join(', ')})${ts ? ': unknown' : ''} {`,
      );
      for (let s = 0, k = r.range(2, 12); s < k; s++) push(jsStatement(r, '  '));
      push('}');
    }
    push('');
  }
  return out.join('\n');
}

function pyStatement(r, ind) {
  const a = snake(r.pick(NOUNS));
  switch (r.int(12)) {
    case 0:
      return `${ind}${a} = self.${snake(ident(r))}(${a}_id, timeout=${r.range(1, 60)})`;
    case 1:
      return `${ind}if not ${a}:\n${ind}    raise ValueError(f"${a} not found: {${a}_id}")`;
    case 2:
      return `${ind}password = request.form.get("password")  # checked against password_hash`;
    case 3:
      return `${ind}api_key = os.environ.get("${a.toUpperCase()}_API_KEY", settings.DEFAULT_KEY)`;
    case 4:
      return `${ind}token = auth_header.split(" ", 1)[1] if auth_header else None`;
    case 5:
      return `${ind}log.info("%s ${r.pick(VERBS)} %d items", ${a}, len(items))`;
    case 6:
      return `${ind}for key, value in sorted(${a}.items()):\n${ind}    result[key] = normalize(value)`;
    case 7:
      return `${ind}# ${sentence(r)}`;
    case 8:
      return `${ind}return {"${a}": ${a}, "count": ${r.range(0, 999)}, "key": cache_key(${a})}`;
    case 9:
      return `${ind}rows = db.execute("SELECT id, ${a} FROM ${a}s WHERE owner = %s", (owner,)).fetchall()`;
    case 10:
      return `${ind}${a}_hash = hashlib.sha256((${a} + salt).encode()).hexdigest()`;
    default:
      return `${ind}self.${a}_count += ${r.range(1, 9)}`;
  }
}

export function pyFile(r, target) {
  const out = [
    `"""${sentence(r)}"""`,
    'import os',
    'import hashlib',
    'import logging',
    '',
    'log = logging.getLogger(__name__)',
    '',
  ];
  let size = 100;
  const push = (s) => {
    out.push(s);
    size += s.length + 1;
  };
  while (size < target) {
    if (r.chance(0.3)) {
      push(`class ${pascal(r.pick(NOUNS))}${pascal(r.pick(['service', 'repository', 'client', 'view']))}:`);
      push(`    """${sentence(r)}"""`);
      for (let m = 0, n = r.range(1, 4); m < n; m++) {
        push('');
        push(`    def ${snake(ident(r))}(self, ${snake(r.pick(NOUNS))}_id, **kwargs):`);
        for (let s = 0, k = r.range(2, 8); s < k; s++) push(pyStatement(r, '        '));
      }
    } else {
      push(`def ${snake(ident(r))}(${snake(r.pick(NOUNS))}, ${snake(r.pick(NOUNS))}=None):`);
      for (let s = 0, k = r.range(2, 10); s < k; s++) push(pyStatement(r, '    '));
    }
    push('');
  }
  return out.join('\n');
}

export function jsonFile(r, target) {
  // package-lock-like: lots of sha512 integrity strings and URLs, plus config objects.
  const out = ['{', '  "name": "@acme/' + r.pick(NOUNS) + '",', '  "lockfileVersion": 3,', '  "packages": {'];
  let size = 80;
  let first = true;
  while (size < target) {
    const name = `${r.pick(NOUNS)}-${r.pick(NOUNS)}`;
    const ver = `${r.range(0, 12)}.${r.range(0, 30)}.${r.range(0, 20)}`;
    const s = `${first ? '' : ',\n'}    "node_modules/${name}": {\n      "version": "${ver}",\n      "resolved": "https://registry.npmjs.org/${name}/-/${name}-${ver}.tgz",\n      "integrity": "sha512-${r.chars(B64, 86)}==",\n      "dependencies": { "${r.pick(NOUNS)}-key": "^${ver}", "${r.pick(NOUNS)}": "~${ver}" },\n      "tokenizer": ${r.chance(0.5)}, "keywords": ["${r.pick(NOUNS)}", "password-reset", "token"]\n    }`;
    out.push(s);
    size += s.length;
    first = false;
  }
  return out.join('') + '\n  }\n}\n';
}

export function yamlFile(r, target) {
  const out = [];
  let size = 0;
  while (size < target) {
    const app = `${r.pick(NOUNS)}-${r.pick(NOUNS)}`;
    const doc = [
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      `  name: ${app}`,
      `  labels: { app: ${app}, tier: ${r.pick(['web', 'api', 'worker'])} }`,
      'spec:',
      `  replicas: ${r.range(1, 12)}`,
      '  template:',
      '    spec:',
      '      containers:',
      `        - name: ${app}`,
      `          image: registry.acme.internal/${app}:${r.hex(12)}`,
      '          env:',
      '            - name: DB_PASSWORD',
      '              valueFrom: { secretKeyRef: { name: db-credentials, key: password } }',
      '            - name: API_TOKEN',
      `              valueFrom: { secretKeyRef: { name: ${app}-token, key: token } }`,
      `            - name: CACHE_TTL_SECONDS`,
      `              value: "${r.range(10, 9000)}"`,
      `          resources: { limits: { cpu: ${r.range(100, 4000)}m, memory: ${r.range(64, 4096)}Mi } }`,
      `# ${sentence(r)}`,
    ].join('\n');
    out.push(doc);
    size += doc.length + 1;
  }
  return out.join('\n') + '\n';
}

export function mdFile(r, target) {
  const out = [`# ${pascal(r.pick(NOUNS))} ${r.pick(NOUNS)}`, ''];
  let size = 20;
  while (size < target) {
    let s;
    const k = r.int(6);
    if (k === 0) s = `## ${pascal(r.pick(VERBS))} the ${r.pick(NOUNS)}`;
    else if (k === 1)
      s =
        '```sh\nexport API_TOKEN=<your token here>\ncurl -H "Authorization: Bearer $API_TOKEN" https://api.acme.dev/v1/' +
        r.pick(NOUNS) +
        's\n```';
    else if (k === 2)
      s = `- \`${ident(r)}\`: ${sentence(r, 4, 12)} Set \`password\` and \`key\` in the vault, never in the repository.`;
    else s = Array.from({ length: r.range(2, 6) }, () => sentence(r)).join(' ');
    out.push(s, '');
    size += s.length + 2;
  }
  return out.join('\n');
}

/** A minified bundle: few, very long lines. */
export function minFile(r, target) {
  const parts = [
    '!function(e,t){"object"==typeof exports?module.exports=t():e.acme=t()}(this,function(){"use strict";',
  ];
  let size = parts[0].length;
  let line = 0;
  while (size < target) {
    const a = r.pick(NOUNS),
      v = String.fromCharCode(97 + r.int(26)),
      w = String.fromCharCode(97 + r.int(26));
    let s;
    switch (r.int(6)) {
      case 0:
        s = `function ${v}${r.int(99)}(${v},${w}){return ${v}.${a}?${w}(${v}.${a}):void 0}`;
        break;
      case 1:
        s = `var ${v}${r.int(99)}={${a}Key:"${a}",token:null,password:"",timeout:${r.range(1, 9e4)}};`;
        break;
      case 2:
        s = `${v}.prototype.${camel(r.pick(VERBS), a)}=function(${w}){this._${a}=${w};return this};`;
        break;
      case 3:
        s = `if(!${v}.${a})throw new TypeError("${sentence(r, 2, 5)}");`;
        break;
      case 4:
        s = `${v}=${w}.map(function(e){return e.key+":"+e.${a}}).join(",");`;
        break;
      default:
        s = `case ${r.range(0, 999)}:return"${r.hex(8)}"===${v}.id;`;
    }
    parts.push(s);
    size += s.length;
    // Real bundles have a handful of newlines; break lines every ~200-800 KB.
    if (size / 400000 > line + 1) {
      parts.push('\n');
      line++;
    }
  }
  parts.push('});\n');
  return parts.join('');
}

export const KINDS = [
  // [extension, generator, weight, min bytes, max bytes]
  ['js', (r, n) => jsFile(r, n), 28, 800, 40000],
  ['ts', (r, n) => jsFile(r, n, true), 24, 800, 40000],
  ['py', pyFile, 18, 800, 30000],
  ['json', jsonFile, 8, 500, 60000],
  ['yaml', yamlFile, 8, 500, 12000],
  ['md', mdFile, 10, 300, 15000],
  ['min.js', minFile, 1, 50000, 1000000],
];

/** A few fresh lines of code for history edits. */
export function codeLines(r, n, lang) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(lang === 'py' ? pyStatement(r, '    ') : jsStatement(r, '  '));
  return out;
}

export { Rng };
