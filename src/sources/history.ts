// Reading history: the added lines of a patch stream through the detector, with lines mapped to the
// new file. Used in this thread for one reader, and when the history is split across several
// readers, one per share of the commits: share 0 in this thread, the others in worker threads.

import { readAddedLines } from './added.js';
import { ChunkScanner, scanSegments, type Detector } from '../detect/index.js';
import type { Candidate, Origin } from '../types.js';
import {
  COMMIT_MESSAGE_PATH,
  logPatchesShare,
  parsePatches,
  splitRank,
  type AddedLines,
  type CommitMeta,
  type LineMapper,
  type PatchHandler,
  type SkipReason,
} from './git/index.js';

export interface PatchSink {
  /** Findings of one blob or message; `order` = minus the commit's rank in history (larger = newer). */
  record(origin: Origin, candidates: readonly Candidate[], order: number): void;
  /** A commit was read (for counting; its message is scanned here when `messages` is set). */
  commit?(meta: CommitMeta, message: Buffer, order: number): void;
  /** Scan commit messages too (recorded at COMMIT_MESSAGE_PATH). */
  readonly messages?: boolean;
  skipped(path: string, why: SkipReason): void;
  excluded(path: string): boolean;
  /** Bytes of added lines scanned, and files finished. */
  counted(bytes: number, files: number): void;
  /** Rank in the whole history (0 = newest) of this stream's j-th commit; default j. */
  rank?(j: number): number;
}

/** Small files and messages are scanned together (scanSegments) once this many bytes wait... */
const BATCH_BYTES = 1 << 20;
/** ...or this many segments; a file's added lines over SEGMENT_MAX are scanned on their own. */
const BATCH_SEGMENTS = 4096;
const SEGMENT_MAX = 256 * 1024;

interface Pending {
  readonly origin: Origin;
  readonly lineMap: LineMapper | undefined;
  readonly order: number;
}

/** Reads added lines into a handler: a parsed patch stream (parsePatches) or readAddedLines. */
export type AddedSource = (handler: PatchHandler) => Promise<void>;

/** Candidates with their lines mapped from the joined added lines back to the new file. */
function inFile(cands: readonly Candidate[], lineMap: LineMapper): Candidate[] {
  return cands.map((c) => ({ ...c, line: lineMap.fileLine(c.line) }));
}

/**
 * Feeds added lines (a patch stream, or any AddedSource) through the detector, remapping lines to
 * the new file. Most changes add a few hundred bytes: those (and commit messages) wait in a batch
 * that scanSegments scans in one pass, with results the same as one scan per file.
 */
export async function scanPatches(
  source: AsyncIterable<Buffer> | AddedSource,
  detector: Detector,
  sink: PatchSink,
): Promise<void> {
  const read: AddedSource = typeof source === 'function' ? source : (h) => parsePatches(source, h);
  let current: { file: AddedLines; scanner: ChunkScanner | undefined; origin: Origin } | undefined;
  let commits = 0;
  let order = 0;
  let batch: Buffer[] = [];
  let pending: Pending[] = [];
  let batchBytes = 0;
  const flush = () => {
    if (batch.length === 0) return;
    const found = scanSegments(detector, batch);
    found.forEach((cands, i) => {
      if (cands.length === 0) return;
      const { origin, lineMap, order: o } = pending[i]!;
      sink.record(origin, lineMap ? inFile(cands, lineMap) : cands, o);
    });
    batch = [];
    pending = [];
    batchBytes = 0;
  };
  const queue = (buf: Buffer, p: Pending) => {
    batch.push(buf);
    pending.push(p);
    batchBytes += buf.length;
    if (batchBytes >= BATCH_BYTES || batch.length >= BATCH_SEGMENTS) flush();
  };
  await read({
    commit: (meta, message) => {
      order = -(sink.rank?.(commits) ?? commits);
      commits++;
      sink.commit?.(meta, message, order);
      if (sink.messages) queue(message, { origin: gitOrigin(meta, COMMIT_MESSAGE_PATH), lineMap: undefined, order });
    },
    skipped: (path, why) => sink.skipped(path, why),
    excluded: (path) => sink.excluded(path),
    added(file, part, final) {
      if (current?.file !== file) {
        const origin: Origin = file.commit ? gitOrigin(file.commit, file.path) : { kind: 'file', path: file.path };
        if (sink.excluded(file.path)) current = { file, scanner: undefined, origin };
        else if (final && part.length <= SEGMENT_MAX && !detector.readsPath(file.path)) {
          // The whole file in one small part: into the batch (which knows no paths).
          sink.counted(part.length, 1);
          queue(part, { origin, lineMap: file.lineMap, order });
          return;
        } else {
          flush(); // keep records in reading order
          current = { file, scanner: new ChunkScanner(detector, { path: file.path }), origin };
        }
      }
      const { scanner, origin } = current;
      if (!scanner) {
        if (final) current = undefined;
        return;
      }
      const found = scanner.push(part, final);
      sink.counted(part.length, final ? 1 : 0);
      if (final) current = undefined;
      if (found.length) sink.record(origin, inFile(found, file.lineMap), order);
    },
  });
  flush();
}

/**
 * Exclude patterns as `scan` reads them (see sources/fs.ts toIgnorePatterns): a pattern without "/"
 * matches a name at any depth, one with "/" is anchored at the repository root; `*`, `**`, `?`.
 */
export function pathMatcher(patterns: readonly string[]): (path: string) => boolean {
  const res = patterns
    .map((raw) => raw.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, ''))
    .filter(Boolean)
    .map((p) => {
      const body = p
        .replace(/^\//, '')
        .split(/(\*\*\/?|\*|\?)/)
        .map((part) =>
          part === '**/'
            ? '(?:.*/)?'
            : part === '**'
              ? '.*'
              : part === '*'
                ? '[^/]*'
                : part === '?'
                  ? '[^/]'
                  : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
        )
        .join('');
      return new RegExp(p.includes('/') ? `^${body}(?:/|$)` : `(?:^|/)${body}(?:/|$)`);
    });
  return (path) => res.some((re) => re.test(path));
}

export function gitOrigin(meta: CommitMeta, path: string): Origin {
  return { kind: 'git', commit: meta.commit, author: meta.author, email: meta.email, date: meta.date, path };
}

/** What a history worker sends back, a batch at a time. */
export interface HistoryBatch {
  records: Array<{ origin: Origin; candidates: readonly Candidate[]; order: number }>;
  skipped: Array<{ path: string; why: SkipReason }>;
  commits: number;
  files: number;
  bytes: number;
  binary: number;
}

export interface HistoryShare {
  readonly root: string;
  /** This worker's commits (see shareOf), in history order. */
  readonly commits: readonly string[];
  /** This share's number, the number of shares and the block size (see shareOf). */
  readonly p: number;
  readonly jobs: number;
  readonly block: number;
  readonly exclude: readonly string[];
  /** How the share is read: readAddedLines or `git log -p` (both newest first). */
  readonly strategy: 'diff' | 'patches';
}

/** Records per batch at most; a batch also goes out every few hundred commits, for progress. */
const BATCH_RECORDS = 256;
const BATCH_COMMITS = 500;

/**
 * One share of a split history, read by its own git processes and scanned here (in a worker
 * thread, or for share 0 in the calling thread); `signal` stops it when another share failed.
 */
export async function scanHistoryShare(
  detector: Detector,
  share: HistoryShare,
  send: (batch: HistoryBatch) => void,
  signal?: AbortSignal,
): Promise<void> {
  const excluded = pathMatcher(share.exclude);
  const fresh = (): HistoryBatch => ({ records: [], skipped: [], commits: 0, files: 0, bytes: 0, binary: 0 });
  let batch = fresh();
  const flush = (force: boolean) => {
    if (!force && batch.records.length < BATCH_RECORDS && batch.commits < BATCH_COMMITS) return;
    send(batch);
    batch = fresh();
  };
  const diff = share.strategy === 'diff';
  const source = diff
    ? (h: PatchHandler) => readAddedLines(share.root, share.commits, h)
    : logPatchesShare(share.root, share.commits);
  await scanPatches(source, detector, {
    record: (origin, candidates, order) => {
      batch.records.push({ origin, candidates, order });
      flush(false);
    },
    commit: (_meta, message) => {
      signal?.throwIfAborted(); // another share failed: stop reading (and end this share's git)
      batch.commits++;
      batch.bytes += message.length;
      flush(false);
    },
    messages: true,
    skipped: (path, why) => {
      if (why === 'binary') batch.binary++;
      else batch.skipped.push({ path, why });
    },
    excluded,
    counted: (bytes, files) => {
      batch.bytes += bytes;
      batch.files += files;
    },
    rank: (j) => splitRank(share.p, j, share.jobs, share.block),
  });
  flush(true);
}
