// Worker thread: builds its own detector from the rules and scans the files it is sent.

import { parentPort, workerData } from 'node:worker_threads';
import { Detector, type Allowlist } from '../detect/index.js';
import { runFileJob } from './blob-scan.js';
import type { Rule } from '../detect/rules.js';
import type { FileJob, JobResult } from './worker-protocol.js';
import type { ArchiveLimits } from '../sources/archive.js';
import type { HistoryShare } from './history-scan.js';
import { UsageError, errorMessage } from '../errors.js';
import { countBytesInto } from '../sources/progress.js';

const { rules, allow, limits, progress } = workerData as {
  rules: Rule[];
  allow: Allowlist;
  limits?: ArchiveLimits;
  /** This worker's slot for bytes read (src/sources/progress.ts). */
  progress?: Float64Array;
};
const detector = new Detector(rules, allow);
if (progress) countBytesInto(progress);

// Archive jobs are asynchronous: batches run one after another so memory stays that of one job.
let queue: Promise<void> = Promise.resolve();
parentPort!.on('message', (msg: { id: number; jobs: FileJob[]; history?: HistoryShare }) => {
  if (msg.history) {
    const share = msg.history;
    queue = queue.then(async () => {
      try {
        const { scanHistoryShare } = await import('./history-scan.js');
        await scanHistoryShare(detector, share, (batch) => parentPort!.postMessage({ batch }));
        parentPort!.postMessage({ done: true });
      } catch (err) {
        parentPort!.postMessage({ done: true, error: errorMessage(err), usage: err instanceof UsageError });
      }
    });
    return;
  }
  queue = queue.then(async () => {
    const results: JobResult[] = [];
    for (const job of msg.jobs) results.push(await runFileJob(detector, job, limits));
    parentPort!.postMessage({ id: msg.id, results });
  });
});
