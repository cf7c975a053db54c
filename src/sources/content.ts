// Reads one file (or a stream) and runs the detector over it: whole when small, in chunks when
// large, so memory stays bounded whatever the size.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CHUNK_OVERLAP, ChunkScanner, type Detector } from '../detect/index.js';
import type { Candidate } from '../types.js';
import type { FileJob, JobResult } from './jobs.js';
import { errorMessage } from '../errors.js';
import {
  DEFAULT_ARCHIVE_LIMITS,
  scanContainerFile,
  sniffContainer,
  type ArchiveLimits,
  type ContainerKind,
} from './archive.js';
import { BINARY_PROBE, looksBinary } from './binary.js';
import { countBytes } from './progress.js';

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
        // A candidate that already stands for more (one range of a split file) counts them too.
        n.extra += 1 + (c.extra ?? 0);
      }
    }
  }
  result(): Candidate[] {
    for (const n of this.counts.values()) {
      if (!n.extra) continue;
      const last = this.list[n.last]!;
      this.list[n.last] = { ...last, extra: (last.extra ?? 0) + n.extra };
    }
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
    const scanner = new ChunkScanner(detector, { path });
    const sink = new CandidateSink();
    let bytes = n;
    countBytes(n);
    if (n < first.length) {
      sink.add(scanner.push(head, true));
      return { candidates: sink.result(), bytes };
    }
    // Large (or growing) file: stream the rest in chunks, reading into two buffers in turn (the
    // next chunk is read before the current one is scanned, to know whether it is the last).
    const buffers = [first, streamBuffer()];
    let which = 0;
    let chunk = head;
    for (;;) {
      const next = buffers[1 - which]!;
      n = readFull(fd, next, bytes);
      if (n === 0) {
        sink.add(scanner.push(chunk, true));
        break;
      }
      sink.add(scanner.push(chunk, false));
      which = 1 - which;
      chunk = next.subarray(0, n);
      bytes += n;
      countBytes(n);
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

let stream = Buffer.alloc(0);
/** The second read buffer of a streamed file (see scanFile), one per thread. */
function streamBuffer(): Buffer {
  if (stream.length < CHUNK_SIZE) stream = Buffer.allocUnsafe(CHUNK_SIZE);
  return stream.subarray(0, CHUNK_SIZE);
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
export function scanBytes(detector: Detector, data: Buffer, path?: string): ContentResult {
  if (data.length === 0) return { candidates: [], bytes: 0 };
  if (looksBinary(data.subarray(0, BINARY_PROBE))) return { candidates: [], bytes: 0, skipped: 'binary' };
  const sink = new CandidateSink();
  sink.add(new ChunkScanner(detector, { path }).push(data, true));
  return { candidates: sink.result(), bytes: data.length };
}

/** Plain-text files at least this large are scanned as several ranges in parallel (scan.ts). */
export const RANGE_BYTES = 32 * 1024 * 1024;

const NEWLINE = 10;

function countNewlines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(NEWLINE, from); i !== -1 && i < to; i = buf.indexOf(NEWLINE, i + 1)) n++;
  return n;
}

/** First line start at or after `pos` (a byte after a newline), or the file size. */
function lineStartFrom(fd: number, pos: number, size: number): number {
  if (pos <= 0) return 0;
  const buf = readBuffer(64 * 1024);
  for (let at = pos - 1; at < size; at += buf.length) {
    const n = readFull(fd, buf, at);
    const nl = buf.subarray(0, n).indexOf(NEWLINE);
    if (nl !== -1) return Math.min(size, at + nl + 1);
    if (n < buf.length) break;
  }
  return size;
}

/**
 * Scan the lines that start in one range of a file (see FileJob.range). The scan starts up to
 * CHUNK_OVERLAP earlier and runs on as far past the end, so a secret, a composite's parts or an
 * allow pragma across a boundary are seen exactly as in a whole-file scan; only candidates on the
 * range's own lines are kept, numbered from the range's first line.
 */
export function scanFileRange(
  detector: Detector,
  path: string,
  range: NonNullable<FileJob['range']>,
): ContentResult & { lines: number } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const begin = lineStartFrom(fd, range.start, size);
    const last = range.index === range.count - 1;
    const stop = last ? size : lineStartFrom(fd, range.end, size);
    const from = lineStartFrom(fd, Math.max(0, begin - CHUNK_OVERLAP), size);
    const to = last ? size : Math.min(size, stop + CHUNK_OVERLAP);
    const scanner = new ChunkScanner(detector, { path });
    const sink = new CandidateSink();
    let before = 0; // lines in [from, begin)
    let inside = 0; // lines in [begin, stop)
    let lastByte = NEWLINE;
    const chunk = streamBuffer();
    for (let at = from; at < to; ) {
      const n = readFull(fd, chunk.subarray(0, Math.min(CHUNK_SIZE, to - at)), at);
      if (n === 0) break;
      countBytes(n);
      const part = chunk.subarray(0, n);
      before += countNewlines(part, Math.max(0, from - at), Math.min(n, begin - at));
      inside += countNewlines(part, Math.max(0, begin - at), Math.min(n, stop - at));
      if (stop - 1 >= at && stop - 1 < at + n) lastByte = part[stop - 1 - at]!;
      at += n;
      // `before` is complete after the first chunk (the lead-in is at most CHUNK_OVERLAP).
      sink.add(scanner.push(part, at >= to).filter((c) => c.line > before));
    }
    if (stop > begin && lastByte !== NEWLINE) inside++; // the file's last line, without "\n"
    const candidates = sink
      .result()
      .filter((c) => last || c.line <= before + inside)
      .map((c) => ({ ...c, line: c.line - before }));
    return { candidates, bytes: stop - begin, lines: inside };
  } finally {
    closeSync(fd);
  }
}

/** Scan one file job; I/O errors become the result's `error` (a warning), never a throw. */
export async function runFileJob(
  d: Detector,
  job: FileJob,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<JobResult> {
  try {
    if (job.range) {
      const r = scanFileRange(d, job.path, job.range);
      return { origin: job.origin, candidates: r.candidates, bytes: r.bytes, lines: r.lines, range: job.range };
    }
    const r = scanFile(d, job.path);
    if (r.container) return await scanContainerFile(d, job, r.container, limits);
    return { origin: job.origin, candidates: r.candidates, bytes: r.bytes, skipped: r.skipped };
  } catch (err) {
    return { origin: job.origin, candidates: [], bytes: 0, error: errorMessage(err), range: job.range };
  }
}
