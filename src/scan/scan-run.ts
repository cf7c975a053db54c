// A running scan, as the library hands it out: findings as they are first found, then the result.

import type { Finding, ScanResult } from '../types.js';

/** A running scan: iterate for findings as they are first found; await `result` for everything. */
export class ScanRun implements AsyncIterable<Finding> {
  readonly result: Promise<ScanResult>;
  private readonly queue: Finding[] = [];
  private wake: (() => void) | undefined;
  private ended = false;

  constructor(run: (emit: (f: Finding) => void) => Promise<ScanResult>) {
    this.result = run((f) => {
      this.queue.push(f);
      this.wake?.();
    }).finally(() => {
      this.ended = true;
      this.wake?.();
    });
    this.result.catch(() => undefined); // surfaced through iteration or by awaiting result
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Finding> {
    for (;;) {
      if (this.queue.length) {
        yield this.queue.shift()!;
        continue;
      }
      if (this.ended) {
        await this.result; // rethrows a failed scan
        return;
      }
      await new Promise<void>((r) => (this.wake = r));
      this.wake = undefined;
    }
  }
}
