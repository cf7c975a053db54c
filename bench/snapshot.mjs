#!/usr/bin/env node
// What a build finds on the bench inputs, as sorted lines, so two builds can be compared for identical results:
//
//   node bench/snapshot.mjs > before.txt     (inputs in bench/work, or BENCH_WORK=DIR; `npm run bench` makes them)
//   ... change the code, npm run build ...
//   node bench/snapshot.mjs > after.txt && diff before.txt after.txt
//
// One line per (job, rule, location): the rule, the tier and where (path, line, column, commit), never the
// secret or its fingerprint (fingerprints are keyed per repository and may change with the baseline key).
// Jobs: the source tree, the log directory, the history with each reader (`--strategy diff|patches|blobs`)
// and the staged change of the pre-commit repository. A job whose input is missing prints one `# skipped` line.

import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORK = process.env.BENCH_WORK ?? path.join(ROOT, 'bench', 'work');
const BIN = path.join(ROOT, 'bin', 'leakradius.js');
const SCALE = process.env.BENCH_SCALE ?? '1';
const common = ['--format', 'json', '--offline', '--include-fixtures', '--threads', '2'];

const jobs = [
  ['source', `source-s${SCALE}`, (dir) => ['scan', dir]],
  ['logs', `logs-s${SCALE}`, (dir) => ['scan', dir]],
  ...['diff', 'patches', 'blobs'].map((s) => [
    `history-${s}`,
    `history-s${SCALE}`,
    (dir) => ['git', dir, '--strategy', s],
  ]),
  ['staged', `precommit-s${SCALE}`, () => ['git', '--staged']],
];

for (const [name, input, args] of jobs) {
  const dir = path.join(WORK, input);
  if (!fs.existsSync(dir)) {
    console.log(`# skipped ${name}: ${dir} is missing (npm run bench generates it)`);
    continue;
  }
  const res = spawnSync(process.execPath, [BIN, ...args(dir), ...common], {
    cwd: name === 'staged' ? dir : ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (res.status !== 0 && res.status !== 1) {
    console.log(`# ${name}: exit ${res.status}: ${res.stderr.trim().split('\n').pop()}`);
    continue;
  }
  const lines = [];
  for (const f of JSON.parse(res.stdout).findings) {
    for (const l of f.locations) {
      const where = [l.path ?? l.kind, l.line, l.column, l.commit ?? ''].join(':');
      lines.push(`${name} ${f.rule} ${f.blast?.tier ?? '-'} ${where}`);
    }
  }
  for (const line of lines.sort()) console.log(line);
  console.log(`# ${name}: ${lines.length} locations`);
}
