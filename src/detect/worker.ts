// Worker thread: builds its own detector from the rules and scans the files it is sent.

import { parentPort, workerData } from 'node:worker_threads';
import { Detector, type Allowlist } from './detector.js';
import { runFileJob } from '../sources/content.js';
import type { Rule } from './rules.js';
import type { FileJob, JobResult } from '../sources/jobs.js';

const { rules, allow } = workerData as { rules: Rule[]; allow: Allowlist };
const detector = new Detector(rules, allow);

parentPort!.on('message', (msg: { id: number; jobs: FileJob[] }) => {
  const results: JobResult[] = msg.jobs.map((job) => runFileJob(detector, job));
  parentPort!.postMessage({ id: msg.id, results });
});

