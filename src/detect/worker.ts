// Worker thread: builds its own detector from the rules and scans the files it is sent.

import { parentPort, workerData } from 'node:worker_threads';
import { Detector, type Allowlist } from './detector.js';
import { runFileJob } from '../sources/content.js';
import type { Rule } from './rules.js';
import type { FileJob, JobResult } from '../sources/jobs.js';
import type { ArchiveLimits } from '../sources/archive.js';

const { rules, allow, limits } = workerData as { rules: Rule[]; allow: Allowlist; limits?: ArchiveLimits };
const detector = new Detector(rules, allow);

// Archive jobs are asynchronous: batches run one after another so memory stays that of one job.
let queue: Promise<void> = Promise.resolve();
parentPort!.on('message', (msg: { id: number; jobs: FileJob[] }) => {
  queue = queue.then(async () => {
    const results: JobResult[] = [];
    for (const job of msg.jobs) results.push(await runFileJob(detector, job, limits));
    parentPort!.postMessage({ id: msg.id, results });
  });
});

