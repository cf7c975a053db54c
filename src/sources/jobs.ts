import type { Candidate, Origin, Warning } from '../types.js';

/** A file to read and scan, and the origin its findings will carry. */
export interface FileJob {
  readonly path: string;
  readonly origin: Origin;
  /**
   * Part of a large plain-text file, so one file can keep every worker busy: lines that START in
   * [start, end) (both moved forward to a line start). Results come back with lines counted from
   * the range's first line, and `lines` says how many lines the range holds.
   */
  readonly range?: { readonly start: number; readonly end: number; readonly index: number; readonly count: number };
}

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
