// Time of the history reader's line comparison (`addedAgainstAll`, src/sources/line-diff.ts) over
// every change of one path in a real repository: each (old blob, new blob) pair that
// `git log --all --raw` lists for the path, compared in this process. Times are CPU time of the
// process (the machine is shared), best of --reps runs per pair.
//
//   node bench/line-diff.mjs <repo> <path> [--reps 3] [--against <old dist/sources/line-diff.js>]
//
// With --against, the same pairs go through an older build too (a copy of dist/ from before a
// change), timed side by side, and the added lines of both are compared: as a multiset of line
// contents (must be equal) and as positions (which copy of a repeated line is reported may differ).
// Needs dist/ (npm run build).

import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { addedAgainstAll } from '../dist/sources/line-diff.js';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i === -1) return fallback;
  const [value] = args.splice(i, 2).slice(1);
  return value;
};
const reps = Number(option('--reps', '3'));
const against = option('--against', undefined);
const [repo, path] = args;
if (!repo || !path) {
  console.error('usage: node bench/line-diff.mjs <repo> <path> [--reps 3] [--against <line-diff.js>]');
  process.exit(2);
}
const older = against ? (await import(pathToFileURL(against).href)).addedAgainstAll : undefined;

const git = (argv, input) =>
  execFileSync('git', ['-C', repo, ...argv], { input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'ignore'] });

// Changes of the path that have both sides: ":<mode> <mode> <old> <new> M\t<path>".
const pairs = [];
for (const line of git(['log', '--all', '--raw', '--no-abbrev', '--no-renames', '--format=', '--', path])
  .toString()
  .split('\n')) {
  const m = /^:\d+ \d+ ([0-9a-f]{40}) ([0-9a-f]{40}) M\t/.exec(line);
  if (m) pairs.push([m[1], m[2]]);
}

/** Blobs of a batch of pairs, by one `git cat-file --batch` (the history's blobs do not all fit in memory). */
function blobs(shas) {
  const out = git(['cat-file', '--batch'], [...shas].join('\n') + '\n');
  const got = new Map();
  for (let at = 0; at < out.length; ) {
    const eol = out.indexOf(10, at);
    const [sha, , size] = out.toString('latin1', at, eol).split(' ');
    got.set(sha, out.subarray(eol + 1, eol + 1 + Number(size)));
    at = eol + 1 + Number(size) + 1;
  }
  return got;
}

function best(fn) {
  let ms = Infinity;
  let result;
  for (let r = 0; r < reps; r++) {
    const t = process.cpuUsage();
    result = fn();
    const used = process.cpuUsage(t);
    ms = Math.min(ms, (used.user + used.system) / 1000);
  }
  return [ms, result];
}

/** Added lines as sorted contents, and as positions. */
const contents = (buf, spans) => {
  const lines = [];
  for (let k = 0; k < spans.length; k += 2) lines.push(buf.toString('latin1', spans[k], spans[k + 1]));
  return lines.sort().join('\n');
};

const times = [];
const olderTimes = [];
let bytes = 0;
let addedCount = 0;
let movedCopies = 0;
let different = 0;
const BATCH = 40;
for (let i = 0; i < pairs.length; i += BATCH) {
  const batch = pairs.slice(i, i + BATCH);
  const got = blobs(new Set(batch.flat()));
  for (const [a, b] of batch) {
    const prev = got.get(a);
    const next = got.get(b);
    bytes += next.length;
    const [ms, spans] = best(() => addedAgainstAll([prev], next));
    times.push(ms);
    addedCount += spans.length / 2;
    if (!older) continue;
    const [oldMs, oldSpans] = best(() => older([prev], next));
    olderTimes.push(oldMs);
    if (contents(next, spans) !== contents(next, oldSpans)) different++;
    else if (spans.join() !== oldSpans.join()) movedCopies++;
  }
}

function summary(label, list) {
  const sorted = [...list].sort((x, y) => x - y);
  const total = list.reduce((s, x) => s + x, 0);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return (
    `${label}: total ${total.toFixed(0)} ms, median ${at(0.5).toFixed(2)} ms, ` +
    `p90 ${at(0.9).toFixed(2)} ms, worst ${at(1).toFixed(1)} ms`
  );
}

console.log(
  `${repo} ${path}: ${pairs.length} changes, ${(bytes / 1e6).toFixed(0)} MB new side, ${addedCount} lines added`,
);
console.log(summary('this build', times));
if (older) {
  console.log(summary('--against ', olderTimes));
  console.log(`added lines: ${different} changes differ as multisets, ${movedCopies} report another copy of a line`);
}
