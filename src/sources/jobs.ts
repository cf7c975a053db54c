import type { Origin } from '../types.js';

/** A file to read (a source's unit of work), and the origin its blobs will carry. */
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
