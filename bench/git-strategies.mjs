#!/usr/bin/env node
// Git history: the two reading strategies side by side, and the staged (pre-commit) scan.
//
//   node bench/git-strategies.mjs            20,000-commit history (bench/lib/gen.mjs, git fast-import)
//   BENCH_SCALE=0.1 node bench/git-strategies.mjs   a tenth of it
//   BENCH_RUNS=3 (default)   runs per strategy; BENCH_STAGED_RUNS=15 runs of `git --staged`
//
// Prints, per strategy, the median wall time, commits/s and MB/s (MB = bytes of
// `git log -p -U0 --full-history --all`, the same basis for both), and the median wall time of
// `leakradius git --staged` for a small change in a 10,000-file repository. Rules are a snapshot of
// rules/ taken at start, so both strategies run with the same rules while rules/ is being edited.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as gen from './lib/gen.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORK = path.join(ROOT, 'bench', 'work');
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const STAGED_RUNS = Number(process.env.BENCH_STAGED_RUNS ?? 15);
const BIN = path.join(ROOT, 'bin', 'leakradius.js');
const log = (...a) => console.error('[git-bench]', ...a);

async function input(name, generate) {
  // Same layout and manifest as bench/run.mjs, so either script reuses what the other generated.
  const key = `${name}-s${SCALE}`;
  const dir = path.join(WORK, key);
  const manifest = path.join(WORK, `${key}.json`);
  if (fs.existsSync(manifest) && fs.existsSync(dir)) return { dir, ...JSON.parse(fs.readFileSync(manifest, 'utf8')) };
  log(`generating ${key} (git fast-import) ...`);
  fs.rmSync(dir, { recursive: true, force: true });
  const t0 = Date.now();
  const meta = await generate(dir, SCALE);
  const m = { version: 1, scale: SCALE, generatedSeconds: (Date.now() - t0) / 1000, ...meta };
  fs.mkdirSync(WORK, { recursive: true });
  fs.writeFileSync(manifest, JSON.stringify(m, null, 2) + '\n');
  return { dir, ...m };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Wall time, and CPU time (user + sys of leakradius and its git children, from GNU time): CPU is the steadier number on a shared machine. */
function run(args, cwd) {
  const timeFile = path.join(os.tmpdir(), `lr-git-bench-time-${process.pid}`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, process.execPath, BIN, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0 && r.status !== 1)
    throw new Error(`leakradius ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const [user, sys] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  fs.rmSync(timeFile, { force: true });
  return { secs, cpu: user + sys, stdout: r.stdout };
}

const rules = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-bench-rules-'));
for (const f of fs.readdirSync(path.join(ROOT, 'rules')))
  if (f.endsWith('.yml')) fs.copyFileSync(path.join(ROOT, 'rules', f), path.join(rules, f));

const rulesCount = fs.readdirSync(rules).length + ' rule files';
const history = await input('history', gen.genHistory);
const objects = spawnSync('git', ['count-objects', '-v'], { cwd: history.dir, encoding: 'utf8' }).stdout;
log(
  `history: ${history.commits} commits, ${(history.bytes / 1e6).toFixed(1)} MB of git log -p -U0; ${objects.replace(/\n/g, ' ')}`,
);
const rows = [];
for (const strategy of ['diff', 'blobs']) {
  const times = [];
  const cpus = [];
  let findings = 0;
  for (let i = 0; i < RUNS; i++) {
    const r = run(['git', history.dir, '--strategy', strategy, '--rules', rules, '--format', 'json'], history.dir);
    times.push(r.secs);
    cpus.push(r.cpu);
    const doc = JSON.parse(r.stdout);
    findings = doc.findings.length;
    log(
      `${strategy} run ${i + 1}: ${r.secs.toFixed(2)} s wall, ${r.cpu.toFixed(2)} s CPU, ${findings} findings, ${doc.stats.files} blobs/file-diffs, ${(doc.stats.bytes / 1e6).toFixed(1)} MB scanned`,
    );
  }
  const t = median(times);
  rows.push({
    strategy,
    seconds: t,
    cpu: median(cpus),
    commitsPerSec: history.commits / t,
    mbPerSec: history.bytes / 1e6 / t,
    findings,
  });
}

const pre = await input('precommit', gen.genPrecommit);
run(['git', '--staged', '--rules', rules], pre.dir); // warm-up
const staged = [];
const stagedCpu = [];
for (let i = 0; i < STAGED_RUNS; i++) {
  const r = run(['git', '--staged', '--rules', rules], pre.dir);
  staged.push(r.secs);
  stagedCpu.push(r.cpu);
}

console.log(
  `git history, ${history.commits} commits, ${(history.bytes / 1e6).toFixed(1)} MB (git log -p -U0 --full-history --all), median of ${RUNS}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}`,
);
console.log(
  '| strategy | wall s | CPU s | commits/s (wall) | MB/s (wall) | commits/s (CPU) | MB/s (CPU) | findings |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows)
  console.log(
    `| ${r.strategy} | ${r.seconds.toFixed(2)} | ${r.cpu.toFixed(2)} | ${Math.round(r.commitsPerSec)} | ${r.mbPerSec.toFixed(1)} | ${Math.round(history.commits / r.cpu)} | ${(history.bytes / 1e6 / r.cpu).toFixed(1)} | ${r.findings} |`,
  );
console.log(
  `staged scan, ${pre.files}-file repository, ${pre.stagedFiles} staged files: median ${(median(staged) * 1000).toFixed(0)} ms wall over ${STAGED_RUNS} runs (min ${(Math.min(...staged) * 1000).toFixed(0)} ms), median CPU ${(median(stagedCpu) * 1000).toFixed(0)} ms; ${rulesCount}`,
);
fs.rmSync(rules, { recursive: true, force: true });
