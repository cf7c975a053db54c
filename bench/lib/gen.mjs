// Benchmark input generators. Each writes into a fresh directory and returns a manifest; run.mjs
// caches the result under bench/work/ and reuses it while the manifest matches.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawn, execFileSync } from 'node:child_process';
import { Rng, NOUNS, VERBS, camel, sentence } from './rand.mjs';
import { KINDS, jsFile, pyFile, codeLines } from './code.mjs';

const MiB = 1024 * 1024;

let expandTemplate;
async function secret(template, seed) {
  expandTemplate ??= (await import('../../dist/detect/template.js')).expandTemplate;
  return expandTemplate(template, seed);
}

function pickKind(r) {
  const total = KINDS.reduce((s, k) => s + k[2], 0);
  let x = r.next() * total;
  for (const k of KINDS) if ((x -= k[2]) < 0) return k;
  return KINDS[0];
}

/** Insert `line` in the middle of `text` at a line boundary (or into a minified line at a statement boundary). */
function plant(text, line, r) {
  let at = text.indexOf('\n', Math.floor(text.length * (0.2 + 0.6 * r.next())));
  if (at < 0) at = text.length;
  return text.slice(0, at + 1) + line + '\n' + text.slice(at + 1);
}

// ---------------------------------------------------------------------------------------------
// (1) source tree

export async function genSource(dir, scale) {
  const r = new Rng('leakradius-bench-source');
  const target = Math.max(4 * MiB, Math.round(200 * MiB * scale)) + MiB; // "at least 200 MB"
  const planted = [
    ['js', `const GITHUB_TOKEN = "${await secret('{{github:ghp_}}', 'bench-src-1')}";`],
    [
      'py',
      `aws_access_key_id = "${await secret('{{aws:AKIA}}', 'bench-src-2')}"\naws_secret_access_key = "${await secret('{{b64:40}}', 'bench-src-3')}"`,
    ],
    ['yaml', `      gitlab_token: "${await secret('glpat-{{an:20}}', 'bench-src-4')}"`],
    ['ts', `export const npmToken = "${await secret('{{github:npm_}}', 'bench-src-5')}";`],
    ['py', `PRIVATE_KEY = """${await secret('{{pem:RSA PRIVATE KEY}}', 'bench-src-6')}"""`],
    ['py', `SLACK_BOT_TOKEN = "${await secret('xoxb-{{digits:12}}-{{digits:13}}-{{an:24}}', 'bench-src-7')}"`],
    ['min.js', `var t0={auth:"${await secret('{{github:ghp_}}', 'bench-src-8')}"};`],
    ['md', `export GITLAB_TOKEN=${await secret('glpat-{{an:20}}', 'bench-src-9')}`],
  ];
  // Where the planted secrets go: the first file of each kind after a seeded number of files.
  const expectedFiles = target / 22000;
  const pending = planted.map(([ext, line], i) => ({
    ext,
    line,
    after: Math.round(((i + 1) / (planted.length + 2)) * expectedFiles),
  }));
  const pkgs = Array.from(
    { length: 60 },
    (_, i) => `${NOUNS[(i * 7) % NOUNS.length]}-${VERBS[(i * 5) % VERBS.length]}-${i}`,
  );
  const subdirs = ['src', 'src/lib', 'src/api', 'src/models', 'test', 'scripts', 'docs', 'config', 'dist'];
  let total = 0;
  let files = 0;
  const created = new Set();
  const write = (rel, text) => {
    const full = path.join(dir, rel);
    const d = path.dirname(full);
    if (!created.has(d)) {
      fs.mkdirSync(d, { recursive: true });
      created.add(d);
    }
    fs.writeFileSync(full, text);
    total += Buffer.byteLength(text);
    files++;
  };
  // One big JSON fixture over 16 MiB (the streaming path), with a secret near its end.
  {
    const big = Math.max(MiB, Math.round(20 * MiB * scale));
    let text = (await import('./code.mjs')).jsonFile(r, big);
    const cut = text.lastIndexOf('\n    "node_modules/');
    const line = `    "node_modules/private-registry": { "token": "${await secret('glpat-{{an:20}}', 'bench-src-10')}" },`;
    text = text.slice(0, cut + 1) + line + text.slice(cut + 1);
    write('packages/fixtures/test/data/large-lockfile.json', text);
  }
  while (total < target || pending.length) {
    const [ext, gen, , lo, hi] = pickKind(r);
    // log-uniform size between lo and hi
    const size = Math.round(lo * Math.pow(hi / lo, r.next()));
    let text = gen(r, size);
    const p = pending.find((x) => x.ext === ext && files >= x.after);
    if (p) {
      text = plant(text, p.line, r);
      pending.splice(pending.indexOf(p), 1);
    }
    const pkg = r.pick(pkgs);
    const sub =
      ext === 'min.js' ? 'dist' : ext === 'md' ? 'docs' : ext === 'yaml' ? 'config' : r.pick(subdirs.slice(0, 6));
    write(`packages/${pkg}/${sub}/${camel(r.pick(VERBS), r.pick(NOUNS))}-${files}.${ext}`, text);
  }
  if (pending.length) throw new Error(`could not plant ${pending.length} secrets`);
  return { files, bytes: total, planted: planted.length + 1 };
}

// ---------------------------------------------------------------------------------------------
// (2) log directory

const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
const STATUS = [200, 200, 200, 200, 201, 204, 301, 304, 400, 401, 403, 404, 500, 502];
const UAS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'curl/8.5.0',
  'python-requests/2.32.3',
  'Go-http-client/2.0',
  'kube-probe/1.30',
  'okhttp/4.12.0',
];
const LEVELS = ['info', 'info', 'info', 'info', 'debug', 'debug', 'warn', 'error'];

class LogLines {
  constructor(seed, kind) {
    this.r = new Rng(seed);
    this.kind = kind;
    this.t = Date.UTC(2026, 9, 1) + this.r.int(86400000);
  }
  path() {
    const r = this.r;
    const q = r.int(5) === 0 ? `?page=${r.range(1, 50)}&sort=${r.pick(['asc', 'desc'])}&key=${r.pick(NOUNS)}` : '';
    return `/api/v${r.range(1, 3)}/${r.pick(NOUNS)}s/${r.range(1, 999999)}${r.chance(0.3) ? '/' + r.pick(NOUNS) + 's' : ''}${q}`;
  }
  line() {
    const r = this.r;
    this.t += r.int(40);
    const d = new Date(this.t);
    if (this.kind === 'access') {
      const ip = `${r.range(10, 223)}.${r.int(256)}.${r.int(256)}.${r.range(1, 254)}`;
      const ts = d
        .toUTCString()
        .slice(5, 25)
        .replace(/ /g, '/')
        .replace(/\/(\d\d:)/, ':$1');
      return `${ip} - ${r.chance(0.2) ? r.pick(NOUNS) + r.int(999) : '-'} [${ts} +0000] "${r.pick(METHODS)} ${this.path()} HTTP/1.1" ${r.pick(STATUS)} ${r.range(0, 90000)} "${r.chance(0.5) ? 'https://app.acme.dev/' + r.pick(NOUNS) : '-'}" "${r.pick(UAS)}" ${(r.next() * 2).toFixed(3)}`;
    }
    if (this.kind === 'json') {
      return `{"ts":"${d.toISOString()}","level":"${r.pick(LEVELS)}","service":"${r.pick(NOUNS)}-api","msg":"${sentence(r, 3, 8).slice(0, -1)}","method":"${r.pick(METHODS)}","path":"${this.path()}","status":${r.pick(STATUS)},"duration_ms":${(r.next() * 300).toFixed(2)},"trace_id":"${r.hex(32)}","user_id":${r.int(1e6)},"token_type":"bearer","cache_key":"${r.pick(NOUNS)}:${r.int(1e5)}"}`;
    }
    return `${d.toISOString()} ${r.pick(LEVELS).toUpperCase().padEnd(5)} [worker-${r.int(16)}] ${r.pick(NOUNS)}-service: ${r.pick(VERBS)} ${r.pick(NOUNS)} ${r.int(1e6)} in ${r.int(900)}ms (queue=${r.pick(NOUNS)}s, retry=${r.int(4)}, key=${r.pick(NOUNS)}:${r.int(1e5)})`;
  }
}

/** Write `bytes` of log lines to `file` (gzip when it ends in .gz); `plantLine` goes in the middle. */
function writeLog(file, kind, bytes, seed, plantLine) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const g = new LogLines(seed, kind);
  const gz = file.endsWith('.gz');
  const fd = fs.openSync(file, 'w');
  const zChunks = [];
  let written = 0;
  let planted = !plantLine;
  let batch = [];
  let batchBytes = 0;
  const flush = () => {
    const buf = Buffer.from(batch.join('\n') + '\n');
    batch = [];
    batchBytes = 0;
    if (gz) zChunks.push(zlib.gzipSync(buf, { level: 6 }));
    else fs.writeSync(fd, buf);
  };
  while (written < bytes) {
    let l = g.line();
    if (!planted && written > bytes / 2) {
      l = plantLine;
      planted = true;
    }
    batch.push(l);
    written += l.length + 1;
    batchBytes += l.length + 1;
    if (batchBytes > 4 * MiB) flush();
  }
  if (batch.length) flush();
  // Concatenated gzip members are a valid .gz file (what gzip/zcat and logrotate produce too).
  for (const c of zChunks) fs.writeSync(fd, c);
  fs.closeSync(fd);
  return { uncompressed: written, onDisk: fs.statSync(file).size };
}

export async function genLogs(dir, scale) {
  const target = Math.round(1024 * MiB * scale);
  const big = [
    ['nginx/access.log', 'access', 220],
    ['app/app.json.log', 'json', 210],
    ['api/api.log', 'app', 205],
  ];
  const services = [
    ['nginx', 'access', 'access.log'],
    ['app', 'json', 'app.json.log'],
    ['api', 'app', 'api.log'],
    ['worker', 'app', 'worker.log'],
    ['billing', 'json', 'billing.json.log'],
  ];
  const plants = {
    'nginx/access.log': `10.1.2.3 - - [01/Oct/2026:10:00:00 +0000] "GET /api/v4/projects?private_token=${await secret('glpat-{{an:20}}', 'bench-log-1')} HTTP/1.1" 200 512 "-" "curl/8.5.0" 0.010`,
    'app/app.json.log': `{"ts":"2026-10-01T10:00:00.000Z","level":"debug","msg":"aws client","aws_access_key_id":"${await secret('{{aws:AKIA}}', 'bench-log-2')}","aws_secret_access_key":"${await secret('{{b64:40}}', 'bench-log-3')}"}`,
    'api/api.log.7.gz': `2026-10-01T10:00:00.000Z DEBUG [worker-1] github-client: using token ${await secret('{{github:ghp_}}', 'bench-log-4')}`,
    'worker/worker.log.1': `2026-10-01T10:00:00.000Z DEBUG [worker-2] npm: //registry.npmjs.org/:_authToken=${await secret('{{github:npm_}}', 'bench-log-5')}`,
  };
  let onDisk = 0;
  let uncompressed = 0;
  let files = 0;
  const add = (rel, kind, bytes, seed) => {
    const res = writeLog(path.join(dir, rel), kind, bytes, seed, plants[rel]);
    onDisk += res.onDisk;
    uncompressed += res.uncompressed;
    files++;
  };
  for (const [rel, kind, mb] of big) add(rel, kind, Math.round(mb * MiB * scale), rel);
  for (let i = 1; i <= 6; i++)
    for (const [svc, kind, base] of services)
      add(`${svc}/${base}.${i}`, kind, Math.round(10 * MiB * scale), `${svc}${i}`);
  // Rotated, compressed generations (.7.gz, .8.gz, ...) until the directory holds `target` bytes on disk.
  for (let i = 7; onDisk < target; i++) {
    for (const [svc, kind, base] of services) {
      if (onDisk >= target) break;
      add(`${svc}/${base}.${i}.gz`, kind, Math.round(10 * MiB * scale), `${svc}gz${i}`);
    }
  }
  return { files, bytes: onDisk, uncompressedBytes: uncompressed, planted: 5 };
}

// ---------------------------------------------------------------------------------------------
// git helpers: always with an explicit --git-dir, so nothing ever touches an enclosing repository.

export function git(dir, args, opts = {}) {
  return execFileSync(
    'git',
    [
      '--git-dir',
      path.join(dir, '.git'),
      '--work-tree',
      dir,
      '-c',
      'user.name=bench',
      '-c',
      'user.email=bench@example.com',
      ...args,
    ],
    {
      cwd: dir,
      maxBuffer: 1 << 30,
      stdio: ['pipe', 'pipe', 'pipe'],
      ...opts,
    },
  );
}

function gitInit(dir) {
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  if (!fs.existsSync(path.join(dir, '.git'))) throw new Error(`git init failed in ${dir}`);
}

/** Bytes of `git log -p -U0 --full-history --all` (what gitleaks reads): the history job's size. */
export function historyPatchBytes(dir) {
  return new Promise((resolve, reject) => {
    const p = spawn('git', ['--git-dir', path.join(dir, '.git'), 'log', '-p', '-U0', '--full-history', '--all'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let n = 0;
    p.stdout.on('data', (b) => (n += b.length));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(n) : reject(new Error(`git log exited ${code}`))));
  });
}

// ---------------------------------------------------------------------------------------------
// (3) long history via git fast-import

export async function genHistory(dir, scale) {
  const r = new Rng('leakradius-bench-history');
  const commits = Math.max(200, Math.round(20000 * scale));
  const nFiles = Math.max(100, Math.round(400 * Math.min(1, scale * 4)));
  gitInit(dir);
  const fi = spawn('git', ['--git-dir', path.join(dir, '.git'), 'fast-import', '--quiet', '--done'], {
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  const done = new Promise((res, rej) => {
    fi.on('error', rej);
    fi.on('close', (c) => (c === 0 ? res() : rej(new Error(`fast-import exited ${c}`))));
  });
  const out = fi.stdin;
  const send = async (s) => {
    if (!out.write(s)) await new Promise((res) => out.once('drain', res));
  };
  const data = (s) => `data ${Buffer.byteLength(s)}\n${s}\n`;

  const files = new Map(); // path -> lines
  const newPath = (i) => {
    const lang = r.chance(0.35) ? 'py' : r.chance(0.5) ? 'ts' : 'js';
    return `services/${NOUNS[i % NOUNS.length]}/${lang === 'py' ? 'app' : 'src'}/${camel(r.pick(VERBS), r.pick(NOUNS))}-${i}.${lang}`;
  };
  const langOf = (p) => (p.endsWith('.py') ? 'py' : 'js');
  for (let i = 0; i < nFiles; i++) {
    const p = newPath(i);
    const size = r.range(1500, 8000);
    files.set(p, (langOf(p) === 'py' ? pyFile(r, size) : jsFile(r, size, p.endsWith('.ts'))).split('\n'));
  }
  // Planted: [commit index where added, commit index where removed (or -1: still at HEAD), line, in message?]
  const plantedSecrets = [
    [
      Math.round(commits * 0.1),
      Math.round(commits * 0.1) + 40,
      `const token = "${await secret('{{github:ghp_}}', 'bench-hist-1')}";`,
    ],
    [
      Math.round(commits * 0.3),
      Math.round(commits * 0.3) + 3,
      `AWS_ACCESS_KEY_ID = "${await secret('{{aws:AKIA}}', 'bench-hist-2')}"`,
    ],
    [Math.round(commits * 0.5), -1, `gitlab_token = "${await secret('glpat-{{an:20}}', 'bench-hist-3')}"`],
    [
      Math.round(commits * 0.7),
      Math.round(commits * 0.7) + 500,
      `  npmToken: "${await secret('{{github:npm_}}', 'bench-hist-4')}",`,
    ],
  ];
  const messageSecret = [
    Math.round(commits * 0.9),
    `ci: rotate deploy key (old one was ${await secret('{{github:ghp_}}', 'bench-hist-5')})`,
  ];
  const live = new Map(); // secret line -> path

  const authors = Array.from(
    { length: 24 },
    (_, i) => `${NOUNS[(i * 3) % NOUNS.length]} ${VERBS[i % VERBS.length]} <dev${i}@acme.dev>`,
  );
  let t = 1_600_000_000;
  let mark = 0;
  for (let c = 0; c < commits; c++) {
    t += r.range(60, 7200);
    const ops = [];
    const paths = [...files.keys()];
    const touched = new Set();
    for (let k = 0, n = r.range(1, 4); k < n; k++) touched.add(r.pick(paths));
    if (c > 0 && r.chance(0.01)) {
      const p = newPath(nFiles + c);
      files.set(p, codeLines(r, r.range(20, 80), langOf(p)));
      touched.add(p);
    }
    if (c > 0 && r.chance(0.003) && files.size > 50) {
      const p = r.pick(paths);
      if (![...live.values()].includes(p)) {
        files.delete(p);
        touched.delete(p);
        ops.push(`D ${p}\n`);
      }
    }
    for (const [add, remove, line] of plantedSecrets) {
      if (c === add) {
        const p = r.pick([...files.keys()]);
        const lines = files.get(p);
        lines.splice(r.int(lines.length), 0, line);
        live.set(line, p);
        touched.add(p);
      }
      if (c === remove) {
        const p = live.get(line);
        const lines = files.get(p);
        lines.splice(lines.indexOf(line), 1);
        live.delete(line);
        touched.add(p);
      }
    }
    for (const p of touched) {
      const lines = files.get(p);
      if (!lines) continue;
      if (c > 0) {
        const at = r.int(lines.length);
        const del = lines.length > 300 ? r.range(8, 30) : r.int(4);
        // never delete a live planted secret line by accident
        const cut = lines.slice(at, at + del).some((l) => live.has(l)) ? 0 : del;
        lines.splice(at, cut, ...codeLines(r, r.range(2, 20), langOf(p)));
      }
      ops.push(`M 100644 inline ${p}\n${data(lines.join('\n') + '\n')}`);
    }
    const author = r.pick(authors);
    const msg =
      c === messageSecret[0]
        ? messageSecret[1]
        : `${r.pick(['feat', 'fix', 'chore', 'refactor', 'test', 'docs'])}(${r.pick(NOUNS)}): ${sentence(r, 3, 9).toLowerCase()}`;
    await send(
      `commit refs/heads/main\nmark :${++mark}\nauthor ${author} ${t} +0000\ncommitter ${author} ${t} +0000\n${data(msg)}${ops.join('')}\n`,
    );
    if (c === Math.round(commits * 0.5)) await send(`reset refs/tags/v1.0.0\nfrom :${mark}\n\n`);
  }
  await send('done\n');
  out.end();
  await done;
  git(dir, ['repack', '-a', '-d', '-q', '--window=10', '--depth=50']);
  git(dir, ['checkout', '-q', '-f', 'main']);
  const patchBytes = await historyPatchBytes(dir);
  return {
    commits,
    files: files.size,
    bytes: patchBytes,
    bytesBasis: 'git log -p -U0 --full-history --all',
    planted: plantedSecrets.length + 1,
  };
}

// ---------------------------------------------------------------------------------------------
// (4) pre-commit: a 10,000-file repository with a small staged change

export async function genPrecommit(dir, scale) {
  const r = new Rng('leakradius-bench-precommit');
  const n = Math.max(1000, Math.round(10000 * Math.min(1, scale * 10)));
  gitInit(dir);
  const rels = [];
  for (let i = 0; i < n; i++) {
    const ext = r.pick(['js', 'ts', 'py', 'md']);
    const rel = `src/${NOUNS[i % NOUNS.length]}/${VERBS[(i >> 3) % VERBS.length]}/${camel(r.pick(VERBS), r.pick(NOUNS))}-${i}.${ext}`;
    const size = r.range(300, 4000);
    const text = ext === 'py' ? pyFile(r, size) : ext === 'md' ? sentence(r) + '\n' : jsFile(r, size, ext === 'ts');
    fs.mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
    rels.push(rel);
  }
  const env = { ...process.env, GIT_AUTHOR_DATE: '1700000000 +0000', GIT_COMMITTER_DATE: '1700000000 +0000' };
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'initial import'], { env });
  // The staged change: two edited files and one new file with a secret.
  const edited = [rels[17], rels[4242 % n]];
  for (const rel of edited)
    fs.appendFileSync(path.join(dir, rel), codeLines(r, 6, rel.endsWith('.py') ? 'py' : 'js').join('\n') + '\n');
  const added = 'src/config/deploy.js';
  fs.mkdirSync(path.join(dir, 'src/config'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, added),
    `export const deploy = {\n  region: 'eu-west-1',\n  token: "${await secret('{{github:ghp_}}', 'bench-pre-1')}",\n};\n`,
  );
  git(dir, ['add', '--', ...edited, added]);
  const staged = git(dir, ['diff', '--cached', '--numstat']).toString().trim().split('\n').length;
  return {
    files: n + 1,
    stagedFiles: staged,
    bytes: edited.concat(added).reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0),
    planted: 1,
  };
}
