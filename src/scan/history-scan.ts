// Scanning history: the added lines of each change (and commit messages) through the detector,
// with lines mapped back to the new file. Used in this thread for one reader, and when the history
// is split across several readers, one per share of the commits: share 0 in this thread, the others
// in worker threads (worker.ts).

import { ChunkScanner, scanSegments, type Detector } from '../detect/index.js';
import { gitOrigin, pathMatcher, patchSource, shareSource, type AddedSource } from '../sources/history.js';
import {
  COMMIT_MESSAGE_PATH,
  splitRank,
  type AddedLines,
  type CommitMeta,
  type LineMapper,
  type SkipReason,
} from '../sources/git/index.js';
import type { BlobHandler } from '../sources/added.js';
import type { ReadRange } from '../sources/read-range.js';
import type { Candidate, Origin, Warning } from '../types.js';
import { scanContainer } from './blob-scan.js';

export interface PatchSink {
  /** Findings of one blob or message; `order` = minus the commit's rank in history (larger = newer). */
  record(origin: Origin, candidates: readonly Candidate[], order: number): void;
  /** A commit was read (for counting; its message is scanned here when `messages` is set). */
  commit?(meta: CommitMeta, message: Buffer, order: number): void;
  /** Scan commit messages too (recorded at COMMIT_MESSAGE_PATH). */
  readonly messages?: boolean;
  /** A change not scanned; `subject` names the blob (commit and path) for its warning. */
  skipped(path: string, why: SkipReason, subject?: string): void;
  /** Problems inside a blob that was opened (an archive's corrupt member, a limit reached). */
  warn(w: Warning): void;
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
  const read = patchSource(source);
  let current: { file: AddedLines; scanner: ChunkScanner | undefined; origin: Origin } | undefined;
  let commits = 0;
  let order = 0;
  let batch: Buffer[] = [];
  let pending: Pending[] = [];
  let batchBytes = 0;
  let flushes = 0;
  const flush = () => {
    flushes++; // nothing kept from here on: the reader may reuse what it lent (BlobHandler.releases)
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
  const handler: BlobHandler = {
    commit: (meta, message) => {
      order = -(sink.rank?.(commits) ?? commits);
      commits++;
      sink.commit?.(meta, message, order);
      if (sink.messages) queue(message, { origin: gitOrigin(meta, COMMIT_MESSAGE_PATH), lineMap: undefined, order });
    },
    skipped: (path, why, meta) => sink.skipped(path, why, meta && `${meta.commit.slice(0, 12)}:${path}`),
    excluded: (path) => sink.excluded(path),
    // The reader reuses the memory of the parts and line maps the batch holds: scan them now.
    release: flush,
    releases: () => flushes,
    // An archive or compressed file, every version whole, through the same reader as `scan`'s files.
    container: async (path, meta, content, kind) => {
      if (sink.excluded(path)) return;
      flush(); // keep records in reading order
      const origin = gitOrigin(meta, path);
      const r = await scanContainer(detector, origin, once(content), kind);
      sink.counted(r.bytes, 1);
      if (r.candidates.length) sink.record(origin, r.candidates, order);
      for (const m of r.members ?? []) if (m.candidates.length) sink.record(m.origin, m.candidates, order);
      for (const w of r.warnings ?? []) sink.warn(w);
    },
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
  };
  await read(handler);
  flush();
}

async function* once(buf: Buffer): AsyncGenerator<Buffer> {
  yield buf;
}

/** What a history worker sends back, a batch at a time. */
export interface HistoryBatch {
  records: Array<{ origin: Origin; candidates: readonly Candidate[]; order: number }>;
  skipped: Array<{ path: string; why: SkipReason; subject?: string }>;
  warnings: Warning[];
  commits: number;
  files: number;
  bytes: number;
}

export interface HistoryShare {
  readonly root: string;
  /**
   * In history order: "diff" reads ranges of the whole list (a ReadRange at a time, see
   * historyInThreads), "patches" this share's commits (see shareOf).
   */
  readonly commits: readonly string[];
  /** This share's number, the number of shares and the block size (see shareOf). */
  readonly p: number;
  readonly jobs: number;
  readonly block: number;
  readonly exclude: readonly string[];
  readonly excludeRegexes: readonly string[];
  /** How the share is read: readAddedLines or `git log -p` (both newest first). */
  readonly strategy: 'diff' | 'patches';
}

/** Records per batch at most; a batch also goes out every few hundred commits, for progress. */
const BATCH_RECORDS = 256;
const BATCH_COMMITS = 500;

/**
 * One share of a split history, read by its own git processes and scanned here (in a worker
 * thread, or for share 0 in the calling thread); `signal` stops it when another share failed.
 * `range`: the commits of `share.commits` to read ("diff"), whose end another share may cut.
 */
export async function scanHistoryShare(
  detector: Detector,
  share: HistoryShare,
  send: (batch: HistoryBatch) => void,
  signal?: AbortSignal,
  range?: ReadRange,
): Promise<void> {
  const excluded = pathMatcher(share.exclude, share.excludeRegexes);
  const fresh = (): HistoryBatch => ({ records: [], skipped: [], warnings: [], commits: 0, files: 0, bytes: 0 });
  let batch = fresh();
  const flush = (force: boolean) => {
    if (!force && batch.records.length < BATCH_RECORDS && batch.commits < BATCH_COMMITS) return;
    send(batch);
    batch = fresh();
  };
  await scanPatches(shareSource(share.root, share.commits, share.strategy, range), detector, {
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
    skipped: (path, why, subject) => batch.skipped.push({ path, why, subject }),
    warn: (w) => batch.warnings.push(w),
    excluded,
    counted: (bytes, files) => {
      batch.bytes += bytes;
      batch.files += files;
    },
    rank: (j) => (range ? range.start + j : splitRank(share.p, j, share.jobs, share.block)),
  });
  flush(true);
}
