import type { Candidate, Origin } from '../types.js';

/** A file to read and scan, and the origin its findings will carry. */
export interface FileJob {
  readonly path: string;
  readonly origin: Origin;
}

export interface JobResult {
  readonly origin: Origin;
  readonly candidates: Candidate[];
  readonly bytes: number;
  readonly skipped?: 'binary' | 'not-a-file';
  /** Why the file could not be read (a warning; the scan goes on). */
  readonly error?: string;
}
