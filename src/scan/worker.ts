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
import { ReadRange } from '../sources/read-range.js';

const { rules, allow, limits, progress, history } = workerData as {
  rules: Rule[];
  allow: Allowlist;
  limits?: ArchiveLimits;
  /** This worker's slot for bytes read (src/sources/progress.ts). */
  progress?: Float64Array;
  /** A split history's worker: its reader loads while the detector is built and the commits are listed. */
  history?: boolean;
};
const historyScan = history ? import('./history-scan.js') : undefined;
const detector = new Detector(rules, allow);
if (progress) countBytesInto(progress);

// Archive jobs are asynchronous: batches run one after another so memory stays that of one job.
let queue: Promise<void> = Promise.resolve();
/** A split history: the share (sent once), and the range of its commits being read, which the caller may cut. */
let share: HistoryShare | undefined;
let reading: ReadRange | undefined;
/** File jobs; or a split history's share, a range of it to read, or a request for half of its rest. */
interface WorkerMessage {
  readonly id: number;
  readonly jobs: FileJob[];
  readonly history?: HistoryShare;
  readonly range?: { readonly start: number; readonly end: number };
  /** Give the second half of the rest of the range away, if at least this many commits. */
  readonly half?: number;
}

parentPort!.on('message', (msg: WorkerMessage) => {
  if (msg.half !== undefined) {
    // Answered at once, between two awaits of the reader: -1 when no range is being read.
    parentPort!.postMessage({ cutAt: reading ? reading.half(msg.half) : -1 });
    return;
  }
  if (msg.history || msg.range) {
    share = msg.history ?? share!;
    const range = msg.range && new ReadRange(msg.range.start, msg.range.end);
    reading = range;
    const current = share;
    queue = queue.then(async () => {
      try {
        const { scanHistoryShare } = await (historyScan ?? import('./history-scan.js'));
        await scanHistoryShare(detector, current, (batch) => parentPort!.postMessage({ batch }), undefined, range);
        parentPort!.postMessage({ done: true });
      } catch (err) {
        parentPort!.postMessage({ done: true, error: errorMessage(err), usage: err instanceof UsageError });
      } finally {
        if (reading === range) reading = undefined;
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
