// The worker threads a large scan runs on: each builds its own detector (worker.ts) and scans the
// file jobs it is sent. Small scans run their jobs in this thread.

import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import { workerScript } from '../package/own-files.js';
import type { Detector } from '../detect/index.js';
import type { ArchiveLimits } from '../sources/archive.js';
import type { FileJob } from '../sources/jobs.js';
import { runFileJob } from './blob-scan.js';
import type { Engine } from './engine.js';
import type { JobResult } from './worker-protocol.js';

/**
 * A worker's young generation is capped at 8 MB (V8's default lets it grow to ~48 MB per isolate):
 * everything a scan allocates dies young, and with two workers the default added ~120 MB of peak
 * RSS on a log directory (360 MB → 237 MB) for no measurable speed.
 */
export const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8 } as const;

export { workerScript } from '../package/own-files.js';

/** Below this many files, scanning in this thread beats starting workers. */
const INLINE_FILE_LIMIT = 48;
const BATCH = 16;

/** Runs file jobs inline for small scans, across worker threads for large ones. */
export async function runJobs(
  source: AsyncIterable<FileJob>,
  detector: Detector,
  engine: Engine,
  threads: number,
  onResult: (r: JobResult) => void,
  limits: ArchiveLimits,
  counters: Float64Array<ArrayBufferLike>,
): Promise<void> {
  const it = source[Symbol.asyncIterator]();
  const head: FileJob[] = [];
  let done = false;
  while (head.length < INLINE_FILE_LIMIT) {
    const n = await it.next();
    if (n.done) {
      done = true;
      break;
    }
    head.push(n.value);
  }
  // Small scans run here; larger ones use workers even at --threads 1, so the walk (async, on
  // this thread) overlaps with the scanning instead of alternating with it (2x slower). A large
  // file split into ranges always goes to the workers.
  if (done && !head.some((j) => j.range)) {
    for (const job of head) onResult(await runFileJob(detector, job, limits));
    return;
  }
  const pool = new WorkerPool(threads, engine, limits, counters);
  try {
    const rest: AsyncIterable<FileJob> = {
      [Symbol.asyncIterator]: () => ({ next: () => it.next() }),
    };
    await pool.run(head, rest, onResult);
  } finally {
    await pool.close();
  }
}

class WorkerPool {
  private readonly workers: Worker[] = [];
  constructor(size: number, engine: Engine, limits: ArchiveLimits, counters: Float64Array<ArrayBufferLike>) {
    const script = workerScript();
    // Loaded here: node:worker_threads costs ~7 ms CPU at start, and small scans and the pre-commit hook use none.
    const threads = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
    for (let i = 0; i < size; i++) {
      const progress = counters.subarray(i + 1, i + 2);
      const workerData = { rules: engine.rules, allow: engine.allow, limits, progress };
      this.workers.push(new threads.Worker(script, { workerData, resourceLimits: WORKER_LIMITS }));
    }
  }

  async run(head: FileJob[], rest: AsyncIterable<FileJob>, onResult: (r: JobResult) => void): Promise<void> {
    const inflight = new Map<Worker, number>();
    let nextId = 0;
    let pending = 0;
    let failure: Error | undefined;
    let slot: (() => void) | undefined;
    const freed = () => {
      const s = slot;
      slot = undefined;
      s?.();
    };
    for (const w of this.workers) {
      inflight.set(w, 0);
      w.on('message', (msg: { results: JobResult[] }) => {
        inflight.set(w, inflight.get(w)! - 1);
        pending--;
        for (const r of msg.results) onResult(r);
        freed();
      });
      w.on('error', (err) => {
        failure = err;
        freed();
      });
    }
    const send = async (batch: FileJob[]) => {
      for (;;) {
        if (failure) throw failure;
        // Two batches in flight per worker keep it busy without queueing the whole walk.
        const w = this.workers.find((x) => inflight.get(x)! < 2);
        if (w) {
          inflight.set(w, inflight.get(w)! + 1);
          pending++;
          w.postMessage({ id: nextId++, jobs: batch });
          return;
        }
        await new Promise<void>((r) => (slot = r));
      }
    };
    let batch: FileJob[] = [];
    const add = async (job: FileJob) => {
      if (job.range) return send([job]); // a range is a batch's worth of work on its own
      batch.push(job);
      if (batch.length === BATCH) {
        await send(batch);
        batch = [];
      }
    };
    for (const job of head) await add(job);
    for await (const job of rest) await add(job);
    if (batch.length) await send(batch);
    while (pending > 0) {
      if (failure) throw failure;
      await new Promise<void>((r) => (slot = r));
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
