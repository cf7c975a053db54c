import type { Candidate, Origin, Warning } from '../types.js';

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
  /** Blobs found inside this one (archive members, decoded layers), each with its own origin. */
  readonly members?: ReadonlyArray<{ readonly origin: Origin; readonly candidates: Candidate[] }>;
  /** Problems with parts of this blob (a corrupt archive member, a limit reached). */
  readonly warnings?: readonly Warning[];
}
