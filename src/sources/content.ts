// Reads one file as a blob: whole when small, in chunks when large, so memory stays bounded
// whatever the size. Sniffs what it holds first: an archive or compressed file goes to archive.ts,
// UTF-16 is decoded to UTF-8, binary content is reported, not read. Runs no rules (src/scan/ does).

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Blob, Origin } from '../types.js';
import type { FileJob } from './jobs.js';
import { sniffContainer, zipAtEnd, type ContainerKind } from './archive.js';
import { looksBinary, utf16Of, utf16ToUtf8 } from './binary.js';
import { countBytes } from './progress.js';

export { looksBinary } from './binary.js';

/** Files up to this size are read in one go; larger ones stream. */
export const WHOLE_FILE_LIMIT = 16 * 1024 * 1024;
export const CHUNK_SIZE = 4 * 1024 * 1024;
/** Bytes a range scan reads before its first line and after its last (the detector's chunk overlap). */
export const RANGE_OVERLAP = 64 * 1024;

/** What a file holds: a text blob to scan, a container for archive.ts, or nothing to scan. */
export type FileContent =
  | { readonly kind: 'text'; readonly blob: Blob }
  | { readonly kind: 'container'; readonly container: ContainerKind }
  | { readonly kind: 'empty' }
  | { readonly kind: 'skipped'; readonly skipped: 'binary' | 'not-a-file' };

/**
 * Open a file on disk as a blob. A small file's bytes sit in a buffer reused by the next read (scan
 * them first); a large one's chunks are read as they are asked for. Throws on I/O errors (the
 * caller turns them into warnings).
 */
export function readFileBlob(path: string, origin: Origin): FileContent {
  const fd = openSync(path, 'r');
  let open = true;
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { kind: 'skipped', skipped: 'not-a-file' };
    // One byte more than the file holds: a short read then proves the end was reached, without a
    // second read into a fresh chunk buffer (a 4 MiB allocation per file made GC a sixth of a scan).
    const first = readBuffer(st.size < WHOLE_FILE_LIMIT ? st.size + 1 : CHUNK_SIZE);
    const n = readFull(fd, first, 0);
    if (n === 0) return { kind: 'empty' };
    const head = first.subarray(0, n);
    const whole = n < first.length;
    const container =
      sniffContainer(head, path, whole) ?? (!whole && zipAtEnd(fd, st.size) !== undefined ? 'zip' : undefined);
    if (container) return { kind: 'container', container };
    const utf16 = utf16Of(head);
    if (!utf16 && looksBinary(head)) return { kind: 'skipped', skipped: 'binary' };
    countBytes(n);
    if (n < first.length && !utf16) return { kind: 'text', blob: { origin, path, bytes: head } };
    open = false; // the chunks close it
    const chunks = fileChunks(fd, first, head);
    return { kind: 'text', blob: { origin, path, chunks: utf16 ? utf16ToUtf8(chunks, utf16) : chunks } };
  } finally {
    if (open) closeSync(fd);
  }
}

/**
 * The rest of a large (or growing) file after its first chunk, read into two buffers in turn: a
 * chunk stays intact while the next one is read (the scan loop looks one chunk ahead to know the last).
 */
function* fileChunks(fd: number, first: Buffer, head: Buffer): Generator<Buffer> {
  try {
    const buffers = [first, streamBuffer()];
    let which = 0;
    let bytes = head.length;
    yield head;
    if (head.length < first.length) return;
    for (;;) {
      which = 1 - which;
      const n = readFull(fd, buffers[which]!, bytes);
      if (n === 0) return;
      bytes += n;
      countBytes(n);
      yield buffers[which]!.subarray(0, n);
    }
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

/** One range of a file (FileJob.range) as chunks, with the line counts the scan needs. */
export interface FileRange {
  /** Bytes from up to RANGE_OVERLAP before the range's first line to as far after its last. */
  readonly chunks: Iterable<Buffer>;
  /** Lines before the range's first line in what is read: complete once the first chunk is read. */
  readonly before: number;
  /** Lines in the range: complete once every chunk is read. */
  readonly inside: number;
  /** The range's own bytes. */
  readonly bytes: number;
  /** Whether this is the file's last range (its candidates are not cut at the end). */
  readonly last: boolean;
}

/**
 * The lines that start in one range of a file (see FileJob.range). Reading starts up to
 * RANGE_OVERLAP earlier and runs on as far past the end, so a secret, a composite's parts or an
 * allow pragma across a boundary are seen exactly as in a whole-file scan; the scan keeps only the
 * candidates on the range's own lines.
 */
export function readFileRange(path: string, range: NonNullable<FileJob['range']>): FileRange {
  const fd = openSync(path, 'r');
  let size: number;
  let begin: number;
  let stop: number;
  let from: number;
  let to: number;
  const last = range.index === range.count - 1;
  try {
    size = fstatSync(fd).size;
    begin = lineStartFrom(fd, range.start, size);
    stop = last ? size : lineStartFrom(fd, range.end, size);
    from = lineStartFrom(fd, Math.max(0, begin - RANGE_OVERLAP), size);
    to = last ? size : Math.min(size, stop + RANGE_OVERLAP);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  const counts = { before: 0, inside: 0, lastByte: NEWLINE };
  function* chunks(): Generator<Buffer> {
    try {
      const buffers = [readBuffer(CHUNK_SIZE), streamBuffer()];
      let which = 0;
      for (let at = from; at < to; ) {
        const buf = buffers[which]!;
        which = 1 - which;
        const n = readFull(fd, buf.subarray(0, Math.min(CHUNK_SIZE, to - at)), at);
        if (n === 0) break;
        countBytes(n);
        const part = buf.subarray(0, n);
        counts.before += countNewlines(part, Math.max(0, from - at), Math.min(n, begin - at));
        counts.inside += countNewlines(part, Math.max(0, begin - at), Math.min(n, stop - at));
        if (stop - 1 >= at && stop - 1 < at + n) counts.lastByte = part[stop - 1 - at]!;
        at += n;
        yield part;
      }
    } finally {
      closeSync(fd);
    }
  }
  return {
    chunks: chunks(),
    get before() {
      return counts.before;
    },
    // The file's last line, without "\n", counts too.
    get inside() {
      return counts.inside + (stop > begin && counts.lastByte !== NEWLINE ? 1 : 0);
    },
    bytes: stop - begin,
    last,
  };
}
