// What the scan layer sends to its workers and gets back: file jobs (src/sources/jobs.ts) in,
// candidates per blob out. The same shape comes back from a job run in this thread.

import type { Candidate, Origin, Warning } from '../types.js';
import type { FileJob } from '../sources/jobs.js';

export type { FileJob } from '../sources/jobs.js';

export interface JobResult {
  readonly origin: Origin;
  readonly candidates: Candidate[];
  readonly bytes: number;
  readonly skipped?: 'binary' | 'not-a-file';
  /** Why the file could not be read (a warning; the scan goes on). */
  readonly error?: string;
  /** Blobs found inside this one (archive members, decoded layers), each with its own origin. */
  readonly members?: ReadonlyArray<{ readonly origin: Origin; readonly candidates: Candidate[] }>;
  /** Range jobs: which range, and the lines in it (the next range's line numbers start after them). */
  readonly range?: FileJob['range'];
  readonly lines?: number;
  /** Problems with parts of this blob (a corrupt archive member, a limit reached). */
  readonly warnings?: readonly Warning[];
}
