#!/usr/bin/env node
// Generates the log inputs for issue 4's measurements into a directory outside the repository:
//   <out>/logdir/  ~1 GB on disk: access, JSON and app logs, rotated .1 files and .N.gz generations
//   <out>/big.log  one 2 GB log file (peak-RSS check: must stay under 300 MB)
// Lines are fixed-seed and varied (query strings with %XX, JSON with escaped strings, base64
// headers), with planted secrets made by the project's seeded generator, one inside a .gz and some
// encoded. Usage: node bench/make-logs.mjs <out> [--dir-mb 1024] [--big-mb 2048]
// Then (see README "Archives, logs and limits"):
//   /usr/bin/time -v node bin/leakradius.js scan <out>/logdir --offline --format json -o /dev/null
//   /usr/bin/time -v node bin/leakradius.js scan <out>/big.log --offline --format json -o /dev/null

import { createWriteStream, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { expandTemplate, SeededRandom } from '../dist/detect/template.js';

const args = process.argv.slice(2);
const out = args[0];
if (!out) {
  console.error('usage: node bench/make-logs.mjs <out-dir> [--dir-mb 1024] [--big-mb 2048]');
  process.exit(2);
}
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i === -1 ? def : Number(args[i + 1]);
};
const MB = 1024 * 1024;
const dirMb = opt('--dir-mb', 1024);
const bigMb = opt('--big-mb', 2048);

const rng = new SeededRandom('make-logs');
const token = (seed) => expandTemplate('{{github:ghp_}}', seed);
const b64 = (s) => Buffer.from(s).toString('base64');
const paths = ['/api/items', '/api/users', '/login', '/static/app.js', '/healthz', '/api/search', '/oauth/callback'];
const agents = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36',
  'curl/8.5.0',
  'kube-probe/1.29',
  'Go-http-client/1.1',
];

function accessLine(n) {
  const p = paths[rng.int(paths.length)];
  const q =
    rng.int(4) === 0
      ? `?next=${encodeURIComponent(`https://app.example.com${p}?page=${n % 50}&sort=desc`)}`
      : `?page=${n % 50}`;
  return `10.${rng.int(255)}.${rng.int(255)}.${rng.int(255)} - - [28/Nov/2026:06:${String(n % 60).padStart(2, '0')}:00 +0000] "GET ${p}${q} HTTP/1.1" ${[200, 200, 200, 302, 404][rng.int(5)]} ${rng.int(90000)} "-" "${agents[rng.int(agents.length)]}"`;
}
function jsonLine(n) {
  const inner = JSON.stringify({
    user: `u${rng.int(100000)}`,
    path: paths[rng.int(paths.length)],
    took_ms: rng.int(900),
  });
  return JSON.stringify({
    ts: `2026-11-28T06:00:${String(n % 60).padStart(2, '0')}.${String(n % 1000).padStart(3, '0')}Z`,
    level: ['info', 'debug', 'warn'][rng.int(3)],
    msg: `request done ${inner}`,
    trace: rng.pick('0123456789abcdef', 32),
  });
}
function appLine(n) {
  const kinds = [
    () => `INFO  [worker-${rng.int(16)}] processed batch ${n} in ${rng.int(5000)}ms`,
    () => `DEBUG [http] > Authorization: Bearer [REDACTED]`,
    () => `WARN  [db] slow query took ${rng.int(9000)}ms: SELECT * FROM orders WHERE id = ${rng.int(1e6)}`,
    () =>
      `DEBUG [cache] key=session:${rng.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 24)} hit=${rng.int(2) === 1}`,
  ];
  return `2026-11-28T06:00:${String(n % 60).padStart(2, '0')}Z ${kinds[rng.int(kinds.length)]()}`;
}

/** Writes about `mb` MB of lines (uncompressed) to `path`, gzipped when it ends in .gz; plants lines at given line numbers. */
async function writeLog(path, mb, line, plant = new Map()) {
  const file = createWriteStream(path);
  const gz = path.endsWith('.gz') ? createGzip({ level: 6 }) : undefined;
  if (gz) gz.pipe(file);
  const sink = gz ?? file;
  let bytes = 0;
  let n = 0;
  const block = [];
  while (bytes < mb * MB) {
    n++;
    const text = plant.get(n) ?? line(n);
    block.push(text);
    bytes += text.length + 1;
    if (block.length === 20000) {
      if (!sink.write(block.join('\n') + '\n')) await once(sink, 'drain');
      block.length = 0;
    }
  }
  sink.end(block.length ? block.join('\n') + '\n' : '');
  await once(file, 'close');
  return bytes;
}

const logdir = join(out, 'logdir');
mkdirSync(logdir, { recursive: true });
const planted = {
  plain: token('bench-plain'),
  percent: token('bench-percent'),
  basic: token('bench-basic'),
  json: token('bench-json'),
  gz: token('bench-gz'),
  big: token('bench-big'),
};
const unit = dirMb / 1024;
const files = [
  [
    'access.log',
    250,
    accessLine,
    new Map([
      [
        1_234_567,
        `10.1.2.3 - - [28/Nov/2026:06:00:00 +0000] "GET /oauth/callback?next=${encodeURIComponent(`https://api.example.com/?access_token=${planted.percent}`)} HTTP/1.1" 302 0 "-" "curl/8.5.0"`,
      ],
    ]),
  ],
  ['access.log.1', 150, accessLine, new Map()],
  [
    'app.json.log',
    250,
    jsonLine,
    new Map([
      [777_777, JSON.stringify({ level: 'debug', msg: JSON.stringify({ env: { GITHUB_TOKEN: planted.json } }) })],
    ]),
  ],
  [
    'app.log',
    180,
    appLine,
    new Map([
      [555_555, `2026-11-28T06:00:00Z DEBUG [git] > Authorization: Basic ${b64(`x-access-token:${planted.basic}`)}`],
      [99, `2026-11-28T06:00:00Z ERROR clone failed: https://x:${planted.plain}@github.com/acme/app.git`],
    ]),
  ],
  ['app.log.1.gz', 400, appLine, new Map([[3_000_000, `2026-11-28T06:00:00Z ERROR retry with token ${planted.gz}`]])],
  ['app.log.2.gz', 400, appLine, new Map()],
  ['access.log.2.gz', 400, accessLine, new Map()],
];
let onDisk = 0;
for (const [name, mb, line, plant] of files) {
  const bytes = await writeLog(join(logdir, name), mb * unit, line, plant);
  const { size } = await import('node:fs').then((fs) => fs.statSync(join(logdir, name)));
  onDisk += size;
  console.log(`${name}: ${(bytes / MB).toFixed(0)} MB of lines, ${(size / MB).toFixed(0)} MB on disk`);
}
console.log(`logdir: ${(onDisk / MB).toFixed(0)} MB on disk`);
if (bigMb > 0) {
  const bytes = await writeLog(
    join(out, 'big.log'),
    bigMb,
    (n) => (n % 3 === 0 ? jsonLine(n) : n % 3 === 1 ? accessLine(n) : appLine(n)),
    new Map([[12_000_000, `2026-11-28T06:00:00Z ERROR token ${planted.big}`]]),
  );
  console.log(`big.log: ${(bytes / MB).toFixed(0)} MB`);
}
console.log(
  `planted: ${Object.keys(planted).length} GitHub tokens (plain, percent-encoded, Basic auth, JSON-escaped, in a .gz, in big.log)`,
);
