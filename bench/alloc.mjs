// Where a scan allocates on the JS heap: V8's sampling heap profiler, counting objects the GC has
// already freed too, over one in-process scan. The top allocation sites (three frames each) are
// printed, biggest first.
//
//   node bench/alloc.mjs history <repo>    leakradius git <repo>, read in this thread (--threads 1)
//   node bench/alloc.mjs source <dir>      every file of <dir> through runFileJob, in this thread
//
// Needs dist/ (npm run build). Used for issue 8: a history scan allocated 1,015 MB on the JS heap,
// 782 MB after the changes its note describes.

import { Session } from 'node:inspector/promises';
import fg from 'fast-glob';
import { scanGit } from '../dist/scan/scan-git.js';
import { defaultRulesDir, loadRulesFromDir } from '../dist/detect/rules.js';
import { Detector } from '../dist/detect/index.js';
import { runFileJob } from '../dist/scan/blob-scan.js';

const [mode, target] = process.argv.slice(2);
if (!['history', 'source'].includes(mode) || !target) {
  console.error('usage: node bench/alloc.mjs history <repo> | source <dir>');
  process.exit(2);
}
let run;
if (mode === 'history')
  run = async () => (await scanGit({ repo: target, threads: 1, lookup: false }).result).findings.length;
else {
  const detector = new Detector(loadRulesFromDir(defaultRulesDir()));
  const files = fg.sync('**/*', { cwd: target, absolute: true, dot: true });
  run = async () => {
    let n = 0;
    for (const f of files)
      n += (await runFileJob(detector, { path: f, origin: { kind: 'file', path: f } })).candidates.length;
    return n;
  };
}
const session = new Session();
session.connect();
await session.post('HeapProfiler.enable');
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 65536,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
const started = performance.now();
const found = await run();
const ms = performance.now() - started;
const { profile } = await session.post('HeapProfiler.stopSampling');
const bySite = new Map();
let total = 0;
const visit = (node, stack) => {
  const frame = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber + 1}`;
  const here = [frame, ...stack].slice(0, 3);
  if (node.selfSize) {
    const key = here.join(' < ');
    bySite.set(key, (bySite.get(key) ?? 0) + node.selfSize);
    total += node.selfSize;
  }
  for (const child of node.children) visit(child, here);
};
visit(profile.head, []);
console.log(
  `${mode} ${target}: ${(total / 1e6).toFixed(0)} MB allocated (sampled), ${found} ${mode === 'history' ? 'findings' : 'candidates'}, ${(ms / 1000).toFixed(1)} s with the profiler`,
);
for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 25))
  console.log(`${(bytes / 1e6).toFixed(1).padStart(8)} MB  ${site}`);
