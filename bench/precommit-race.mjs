#!/usr/bin/env node
// The pre-commit case, leakradius builds against gitleaks in one alternating loop: wall medians from
// the same minutes of a shared machine, so their ratio means something when absolute times do not.
//
//   node bench/precommit-race.mjs DIR [RUNS] [LEAKRADIUS_ROOT...]
//
// DIR: a repository with a staged change (a copy of bench/work/precommit-s1: the bench's inputs are
// read-only). Each root (default: this checkout) runs `node ROOT/bin/leakradius.js git --staged -o OUT
// --format json --offline` with its own LEAKRADIUS_CACHE_DIR, as bench/run.mjs does; gitleaks runs
// `protect --staged --source DIR` (bench/.cache/gitleaks, installed by `npm run bench`, or $GITLEAKS).

import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [dirArg, runsArg, ...roots] = process.argv.slice(2);
if (!dirArg) {
  process.stderr.write('usage: node bench/precommit-race.mjs DIR [RUNS] [LEAKRADIUS_ROOT...]\n');
  process.exit(2);
}
const dir = resolve(dirArg);
const runs = Number(runsArg ?? 20);
const gitleaks = process.env.GITLEAKS ?? join(ROOT, 'bench', '.cache', 'gitleaks', 'usr', 'bin', 'gitleaks');
const scratch = mkdtempSync(join(tmpdir(), 'lr-race-'));
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS; // as bench/run.mjs: Node would parse it at every start

/** Wall ms of one run; findings (exit 1) are the expected outcome. */
function timed(cmd, args, extraEnv = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: dir, env: { ...env, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error) throw new Error(`cannot run ${cmd}: ${r.error.message} (set GITLEAKS to its path)`);
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const tools = new Map();
(roots.length ? roots : [ROOT]).forEach((root, i) => {
  const cache = join(scratch, `cache-${i}`);
  const out = join(scratch, `out-${i}.json`);
  const bin = join(resolve(root), 'bin', 'leakradius.js');
  const args = [bin, 'git', '--staged', '-o', out, '--format', 'json', '--offline'];
  tools.set(`leakradius ${basename(resolve(root))}`, () =>
    timed(process.execPath, args, { LEAKRADIUS_CACHE_DIR: cache }),
  );
});
tools.set('gitleaks', () => timed(gitleaks, ['protect', '--staged', '--source', dir]));

for (const run of tools.values()) run(); // warm: caches written, files in the page cache
const times = new Map([...tools.keys()].map((k) => [k, []]));
for (let i = 0; i < runs; i++) for (const [name, run] of tools) times.get(name).push(run());
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const peer = median(times.get('gitleaks'));
for (const [name, xs] of times)
  console.log(
    `${name.padEnd(28)} median ${median(xs).toFixed(1).padStart(6)} ms  min ${Math.min(...xs)
      .toFixed(1)
      .padStart(6)} ms` + `  ×${(median(xs) / peer).toFixed(2)} gitleaks`,
  );
