// Reads one file (or a stream) and runs the detector over it: whole when small, in chunks when
// large, so memory stays bounded whatever the size.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ChunkScanner, type Detector } from '../detect/detector.js';
import type { Candidate } from '../types.js';
import type { FileJob, JobResult } from './jobs.js';
import { errorMessage } from '../errors.js';
import { DEFAULT_ARCHIVE_LIMITS, scanContainerFile, sniffContainer, type ArchiveLimits, type ContainerKind } from './archive.js';
import { BINARY_PROBE, looksBinary } from './binary.js';

export { looksBinary } from './binary.js';

/** Files up to this size are read in one go; larger ones stream. */
export const WHOLE_FILE_LIMIT = 16 * 1024 * 1024;
export const CHUNK_SIZE = 4 * 1024 * 1024;
/** Occurrences of one secret listed per blob; the rest are counted. */
const MAX_PER_SECRET = 100;

export interface ContentResult {
  candidates: Candidate[];
  bytes: number;
  skipped?: 'binary' | 'not-a-file';
  /** An archive, compressed file, source map or image config: runFileJob hands it to archive.ts. */
  container?: ContainerKind;
}

/** Collapses repeats of the same secret in one blob, so a log with a token on every line stays small. */
export class CandidateSink {
  readonly list: Candidate[] = [];
  private readonly counts = new Map<string, { kept: number; extra: number; last: number }>();
  add(batch: readonly Candidate[]): void {
    for (const c of batch) {
      const key = `${c.ruleId}\0${c.secret}`;
      const n = this.counts.get(key);
      if (!n) {
        this.counts.set(key, { kept: 1, extra: 0, last: this.list.length });
        this.list.push(c);
      } else if (n.kept < MAX_PER_SECRET) {
        n.kept++;
        n.last = this.list.length;
        this.list.push(c);
      } else {
        n.extra++;
      }
    }
  }
  result(): Candidate[] {
    for (const n of this.counts.values()) if (n.extra) this.list[n.last] = { ...this.list[n.last]!, extra: n.extra };
    return this.list;
  }
}

/** Scan a file on disk. Throws on I/O errors (the caller turns them into warnings). */
export function scanFile(detector: Detector, path: string): ContentResult {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { candidates: [], bytes: 0, skipped: 'not-a-file' };
    // One byte more than the file holds: a short read then proves the end was reached, without a
    // second read into a fresh chunk buffer (a 4 MiB allocation per file made GC a sixth of a scan).
    const first = readBuffer(st.size < WHOLE_FILE_LIMIT ? st.size + 1 : CHUNK_SIZE);
    let n = readFull(fd, first, 0);
    if (n === 0) return { candidates: [], bytes: 0 };
    const head = first.subarray(0, n);
    const container = sniffContainer(head, path, n < first.length);
    if (container) return { candidates: [], bytes: 0, container };
    if (looksBinary(head)) return { candidates: [], bytes: 0, skipped: 'binary' };
    const scanner = new ChunkScanner(detector);
    const sink = new CandidateSink();
    let bytes = n;
    if (n < first.length) {
      sink.add(scanner.push(head, true));
      return { candidates: sink.result(), bytes };
    }
    // Large (or growing) file: stream the rest in chunks.
    let chunk = head;
    for (;;) {
      const next = Buffer.allocUnsafe(CHUNK_SIZE);
      n = readFull(fd, next, bytes);
      if (n === 0) {
        sink.add(scanner.push(chunk, true));
        break;
      }
      sink.add(scanner.push(chunk, false));
      chunk = next.subarray(0, n);
      bytes += n;
    }
    return { candidates: sink.result(), bytes };
  } finally {
    closeSync(fd);
  }
}

// One read buffer per thread, reused for every file: a fresh external buffer per file made the
// garbage collector a third of the profile. Nothing keeps a reference to it past scanFile().
let shared = Buffer.alloc(0);
function readBuffer(size: number): Buffer {
  if (shared.length < size) shared = Buffer.allocUnsafe(Math.max(size, 1 << 20));
  return shared.subarray(0, size);
}

function readFull(fd: number, buf: Buffer, position: number): number {
  let off = 0;
  while (off < buf.length) {
    const n = readSync(fd, buf, off, buf.length - off, position + off);
    if (n === 0) break;
    off += n;
  }
  return off;
}

/** Scan an in-memory blob (git blob, archive member, test input). */
export function scanBytes(detector: Detector, data: Buffer): ContentResult {
  if (data.length === 0) return { candidates: [], bytes: 0 };
  if (looksBinary(data.subarray(0, BINARY_PROBE))) return { candidates: [], bytes: 0, skipped: 'binary' };
  const sink = new CandidateSink();
  sink.add(new ChunkScanner(detector).push(data, true));
  return { candidates: sink.result(), bytes: data.length };
}

/** Scan one file job; I/O errors become the result's `error` (a warning), never a throw. */
export async function runFileJob(d: Detector, job: FileJob, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<JobResult> {
  try {
    const r = scanFile(d, job.path);
    if (r.container) return await scanContainerFile(d, job, r.container, limits);
    return { origin: job.origin, candidates: r.candidates, bytes: r.bytes, skipped: r.skipped };
  } catch (err) {
    return { origin: job.origin, candidates: [], bytes: 0, error: errorMessage(err) };
  }
}
