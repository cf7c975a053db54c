// History as added lines, without `git log -p`. Git's patch generation reads two blobs per changed
// file and diffs them in one process: on a 20,000-commit history that is 11.5 s of CPU for 90 MB
// of patches. Here git only lists what changed (`git log --raw`, no content: ~1 s) and hands over
// each blob once (`git cat-file --batch`, ~4 s); a blob is used twice, as the new version where it
// was written and as the old side where it was replaced, and the second use comes from a cache
// instead of from git. The added lines are found by trimming the common prefix and suffix (memcmp)
// and comparing the changed middle line by line.
//
// The result is what `git log -p -U0 --cc --no-renames` gives as added lines, read through the same
// PatchHandler, with one difference in kind: a line counts as added when the new version has more
// copies of it than the old one had in the changed region, so a line that only moved is not added
// (git's minimal diff may show it as removed and added). Merges add the lines that are added
// against every parent (what a dense combined diff shows with "+" in every column). Blobs over
// MAX_INLINE are diffed by `git diff` and streamed, so memory stays bounded.

import { looksBinary, utf16Decode, utf16Of } from './binary.js';
import { sniffContainer, type ContainerKind } from './archive.js';
import {
  COMMIT_FORMAT,
  CatFile,
  CommitRecord,
  PART_LIMIT,
  addedBetweenBlobs,
  forEachLine,
  gitStream,
  splitOn,
  unquotePath,
  type AddedLines,
  type CatResult,
  type CommitMeta,
  type LineMapper,
  type PatchHandler,
} from './git/index.js';

/**
 * A PatchHandler that also takes the blobs that are not lines of text: an archive or compressed
 * file is handed over whole (every version of it), to be opened as `scan` opens files.
 */
export interface BlobHandler extends PatchHandler {
  container?(path: string, commit: CommitMeta, content: Buffer, kind: ContainerKind): Promise<void>;
}

/** What a whole blob is, sniffed as `scan` sniffs a file: a container to open, text (UTF-16 decoded), or binary. */
export type WholeBlob =
  | { readonly kind: 'container'; readonly container: ContainerKind }
  | { readonly kind: 'text'; readonly text: Buffer }
  | { readonly kind: 'binary' };

export function sniffWholeBlob(content: Buffer, path: string): WholeBlob {
  const container = sniffContainer(content.subarray(0, CONTAINER_SNIFF), path, false);
  if (container && container !== 'json') return { kind: 'container', container };
  const text = asText(content);
  return looksBinary(text) ? { kind: 'binary' } : { kind: 'text', text };
}

/** UTF-16 content as UTF-8; anything else as it is. */
function asText(content: Buffer): Buffer {
  const utf16 = utf16Of(content);
  return utf16 ? utf16Decode(content, utf16) : content;
}

/** Staged blobs read whole (git's diff called them binary) at most this large; larger ones are named. */
export const MAX_STAGED_BLOB = 64 * 1024 * 1024;

/** The staged version of `path` (`git cat-file blob :path`), or undefined past MAX_STAGED_BLOB. */
export async function readStagedBlob(root: string, path: string): Promise<Buffer | undefined> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of gitStream(root, ['cat-file', 'blob', `:${path}`])) {
    size += chunk.length;
    if (size > MAX_STAGED_BLOB) return undefined;
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

/** Blobs up to this size are compared here; a change involving a larger one goes to `git diff`. */
const MAX_INLINE = 8 * 1024 * 1024;
/** Blob requests written ahead of the file being compared (responses are read in order). */
const WINDOW = 256;
/**
 * Bytes of recently read blobs kept for their second use (BlobCache). 16 MiB saved 68 MB of peak
 * RSS on uptime-kuma (two shares) but cost the bench history 3-4 CPU s more of ~14 (blobs read
 * twice).
 */
const CACHE_BYTES = 64 * 1024 * 1024;

/** Bytes that tell an archive or compressed blob (tar's magic sits at 257). */
const CONTAINER_SNIFF = 512;
const NL = 10;
const NEWLINE = Buffer.from('\n');
const EMPTY = Buffer.alloc(0);

/**
 * Reads the added lines of these commits, in the order given. Any order reads each blob once while
 * the cache holds it between its two uses; newest first (rev-list's order) costs git ~10% less
 * CPU in cat-file than oldest first, since packs store the newest version of a file whole and the
 * older ones as deltas against it.
 */
export async function readAddedLines(root: string, commits: readonly string[], handler: BlobHandler): Promise<void> {
  if (commits.length === 0) return; // `git log --stdin` with no commit would read HEAD
  const stdin = (async function* () {
    for (let i = 0; i < commits.length; i += 4096) yield commits.slice(i, i + 4096).join('\n') + '\n';
  })();
  const raw = gitStream(
    root,
    // No rename detection: a renamed or copied file is new at its path, where allows by path are judged
    // afresh (a fixture moved into prod.env is new there, every line of it).
    ['log', '--raw', '--no-abbrev', '--no-renames', '-c', '--root', COMMIT_FORMAT, '--no-walk=unsorted', '--stdin'],
    stdin,
  );
  const reader = new AddedReader(root, handler);
  try {
    await reader.run(raw);
  } finally {
    await reader.close();
  }
}

/** One changed file of a commit: the blob of each parent and the new blob. */
interface Change {
  readonly commit: CommitMeta;
  readonly path: string;
  readonly blob: Side;
  readonly parents: Array<Side | undefined>;
}

/**
 * A blob a change compares: requested from git for this change (responses come in request order),
 * or expected in the cache when the change is compared (there already, or requested by an earlier
 * change). Undefined for a parent that does not have the file.
 */
type Side = { kind: 'asked'; sha: string } | { kind: 'cached'; sha: string };

type Item = { kind: 'commit'; meta: CommitMeta; message: Buffer } | { kind: 'change'; change: Change };

class AddedReader {
  private readonly cat: CatFile;
  private again: CatFile | undefined;
  private readonly cache = new BlobCache(CACHE_BYTES);
  /** Blobs requested and not yet read: they will be in the cache when a later change needs them. */
  private readonly coming = new Set<string>();
  private readonly queue: Item[] = [];
  private head = 0;
  private commit: CommitMeta | undefined;

  constructor(
    private readonly root: string,
    private readonly handler: BlobHandler,
  ) {
    this.cat = new CatFile(root, MAX_INLINE);
  }

  async run(raw: AsyncIterable<Buffer>): Promise<void> {
    const record = new CommitRecord();
    const drain = async (keep: number) => {
      while (this.queue.length - this.head > keep) await this.process(this.queue[this.head++]!);
      this.compact();
    };
    await forEachLine(
      raw,
      (line) => this.line(line, record),
      () => drain(WINDOW),
    );
    await drain(0);
  }

  async close(): Promise<void> {
    await Promise.all([this.cat.close(), this.again?.close()]);
  }

  private compact(): void {
    if (this.head > 4096) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  /** One line of `git log --raw`: part of a commit record, or ":<modes> <blobs> <status>\t<paths>". */
  private line(line: Buffer, record: CommitRecord): void {
    if (record.open || line[0] === 0) {
      const done = record.take(line);
      if (done) {
        this.commit = done.meta;
        this.queue.push({ kind: 'commit', meta: done.meta, message: done.message });
      }
      return;
    }
    if (line[0] !== 0x3a || !this.commit) return;
    let n = 0;
    while (line[n] === 0x3a) n++;
    const tab = line.indexOf(9);
    if (tab === -1) return;
    const fields = line.toString('latin1', n, tab).split(' ');
    if (fields.length < 2 * n + 3) return;
    const modes = fields.slice(0, n + 1);
    const blobs = fields.slice(n + 1, 2 * n + 2);
    const blob = blobs[n]!;
    if (isNull(blob)) return; // deleted
    const paths = splitOn(9, line.subarray(tab + 1));
    const path = unquotePath(paths[paths.length - 1]!);
    if (this.handler.excluded?.(path)) return; // its blobs are never fetched
    if (modes[n] === '160000') {
      this.handler.skipped?.(path, 'submodule', this.commit);
      return;
    }
    if (blobs.slice(0, n).includes(blob)) return; // unchanged against a parent (a mode change)
    const parents: Array<Side | undefined> = [];
    for (let i = 0; i < n; i++) {
      const sha = blobs[i]!;
      parents.push(isNull(sha) || modes[i] === '160000' ? undefined : this.side(sha));
    }
    this.queue.push({ kind: 'change', change: { commit: this.commit, path, blob: this.side(blob), parents } });
  }

  /**
   * Each blob is read from git once whichever order the commits come in. Oldest first, a change's
   * old side is the new blob of an earlier change; newest first, its new blob was the old side of
   * an earlier change. Both are cached when read.
   */
  private side(sha: string): Side {
    if (this.cache.has(sha) || this.coming.has(sha)) return { kind: 'cached', sha };
    this.cat.request(sha);
    this.coming.add(sha);
    return { kind: 'asked', sha };
  }

  /** A side's blob for one use (AS_NEW, AS_BASE): null when over MAX_INLINE, undefined when git does not have it. */
  private async blobOf(side: Side, as: number): Promise<Buffer | null | undefined> {
    if (side.kind === 'cached') return this.cache.use(side.sha, as) ?? (await this.fetch(side.sha));
    const got = this.cat.tryNext() ?? (await this.cat.next());
    this.coming.delete(side.sha); // asked once: side() asks only for a blob not already coming
    if (got.missing) return undefined;
    const content = inline(got);
    if (content) this.cache.set(side.sha, content, as);
    return content;
  }

  private async process(item: Item): Promise<void> {
    if (item.kind === 'commit') {
      this.handler.commit?.(item.meta, item.message);
      return;
    }
    const { change } = item;
    // Responses come in request order: the parents this change asked for, then its new blob.
    // A parent's blob git does not have is compared as empty (every line added), as before.
    const bases: Array<Buffer | null | undefined> = [];
    for (const p of change.parents) bases.push(p ? ((await this.blobOf(p, AS_BASE)) ?? EMPTY) : undefined);
    const content = await this.blobOf(change.blob, AS_NEW);
    if (content === undefined) {
      this.handler.skipped?.(change.path, 'missing', change.commit);
      return;
    }
    if (content === null || bases.some((b) => b === null)) {
      await this.viaGitDiff(change);
      return;
    }
    // The same sniffing as for files: archives and compressed files are opened, UTF-16 is decoded.
    const blob = sniffWholeBlob(content, change.path);
    if (blob.kind === 'container' && this.handler.container) {
      await this.handler.container(change.path, change.commit, content, blob.container);
      return;
    }
    if (blob.kind !== 'text') {
      this.handler.skipped?.(change.path, 'binary', change.commit);
      return;
    }
    // Each side is judged on its own: a binary old side was never scanned, so all of the text is new.
    const old = bases.map((b) => (b ? asText(b) : undefined)).map((b) => (b && looksBinary(b) ? EMPTY : b));
    emitAdded(this.handler, change, blob.text, addedAgainstAll(old, blob.text));
  }

  /** A blob that fell out of the cache before its turn (a cache smaller than the window): ask git again. */
  private async fetch(sha: string): Promise<Buffer | null | undefined> {
    this.again ??= new CatFile(this.root, MAX_INLINE);
    this.again.request(sha);
    const got = await this.again.next();
    return got.missing ? undefined : inline(got);
  }

  /** A change with a blob over MAX_INLINE: `git diff` between the blobs, streamed (first parent only). */
  private viaGitDiff(change: Change): Promise<void> {
    return addedBetweenBlobs(this.root, change.parents[0]?.sha, change.blob.sha, change, this.handler);
  }
}

/** A blob compared here, or null when it is over MAX_INLINE (`git diff` takes that change). */
function inline(got: CatResult): Buffer | null {
  return got.size > MAX_INLINE ? null : got.content;
}

function isNull(sha: string): boolean {
  return /^0+$/.test(sha);
}

// ---------------------------------------------------------------------------------------------
// Added lines

/**
 * Added lines of `next` against every base (undefined = the file is new there), as flat pairs
 * [start, end) of byte offsets, end before the "\n". A merge adds a line only if it is added
 * against each parent.
 */
export function addedAgainstAll(bases: ReadonlyArray<Buffer | undefined>, next: Buffer): Spans {
  if (bases.length === 0) return addedLines(undefined, next);
  let out = addedLines(bases[0], next);
  for (let i = 1; i < bases.length && out.length; i++) {
    const other = addedLines(bases[i], next);
    const keep = new Set<number>();
    for (let k = 0; k < other.length; k += 2) keep.add(other[k]!);
    const both: number[] = [];
    for (let k = 0; k < out.length; k += 2) if (keep.has(out[k]!)) both.push(out[k]!, out[k + 1]!);
    out = Int32Array.from(both);
  }
  return out;
}

/**
 * Lines as flat pairs [start, end) of byte offsets, end before the "\n". Typed: a lockfile
 * regenerated in one commit adds tens of thousands of lines, and arrays of numbers grown by push
 * were a tenth of a history scan's allocation.
 */
export type Spans = Int32Array;
const NO_SPANS: Spans = new Int32Array(0);

const STEP = 4096;

/**
 * The largest length L ≤ max for which same(0, L) holds, where same(at, len) compares `len` bytes
 * from offset `at`: memcmp by blocks, then by halves.
 */
function commonLength(max: number, same: (at: number, len: number) => boolean): number {
  let p = 0;
  while (p + STEP <= max && same(p, STEP)) p += STEP;
  let len = Math.min(STEP, max - p);
  while (len > 0) {
    const half = Math.max(1, len >> 1);
    if (same(p, half)) {
      p += half;
      len -= half;
    } else if (half === 1) break;
    else len = half;
  }
  return p;
}

/** Length of the common prefix of a and b, at most n. */
function commonPrefix(a: Buffer, b: Buffer, n: number): number {
  return commonLength(n, (at, len) => a.compare(b, at, at + len, at, at + len) === 0);
}

/** Length of the common suffix of a and b, at most max. */
function commonSuffix(a: Buffer, b: Buffer, max: number): number {
  const ea = a.length;
  const eb = b.length;
  return commonLength(max, (at, len) => a.compare(b, eb - at - len, eb - at, ea - at - len, ea - at) === 0);
}

/**
 * Lines of `next` that `prev` does not have, as flat pairs [start, end). The common prefix and
 * suffix (whole lines) are skipped by memcmp; in the middle, a line of `next` is added unless
 * `prev`'s middle still has an unused copy of it.
 */
export function addedLines(prev: Buffer | undefined, next: Buffer): Spans {
  if (next.length === 0) return NO_SPANS;
  if (!prev || prev.length === 0) return linesOf(next, 0, next.length);
  if (prev.equals(next)) return NO_SPANS;
  const n = Math.min(prev.length, next.length);
  // Common prefix, in whole lines.
  const p = commonPrefix(prev, next, n);
  const start = p === 0 ? 0 : next.lastIndexOf(NL, p - 1) + 1;
  // Common suffix, in whole lines, not reaching into the prefix.
  const max = n - start;
  const s = commonSuffix(prev, next, max);
  let endNext = next.length - s;
  let endPrev = prev.length - s;
  const atLineStart = (buf: Buffer, at: number) => at === start || buf[at - 1] === NL;
  if (s > 0 && !(atLineStart(next, endNext) && atLineStart(prev, endPrev))) {
    const k = next.indexOf(NL, endNext);
    const cut = k === -1 ? next.length : k + 1;
    endPrev += cut - endNext;
    endNext = cut;
  }
  if (endNext <= start) return NO_SPANS;
  if (endPrev <= start) return linesOf(next, start, endNext);
  return notIn(prev, hashedLines(OLD, prev, start, endPrev), next, hashedLines(HASHED, next, start, endNext));
}

/** A reusable list of numbers, grown as needed (the middles compared are not kept). */
interface Pairs {
  data: Int32Array;
  n: number;
}
const OLD: Pairs = { data: new Int32Array(1536), n: 0 };
const NEW: Pairs = { data: new Int32Array(1024), n: 0 };
const HASHED: Pairs = { data: new Int32Array(1536), n: 0 };

function grown(list: Pairs): Int32Array {
  const data = new Int32Array(list.data.length * 2);
  data.set(list.data);
  return (list.data = data);
}

const FNV_BASIS = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/**
 * Lines of buf[from, to) as flat triples [start, end, lineHash], end before the "\n", in one pass
 * over the bytes. Looking for each "\n" with indexOf and then hashing the line took two passes and
 * a native call per line: on a lockfile edited near both ends (a middle of ~40,000 short lines per
 * side) that was most of the comparison.
 */
function hashedLines(list: Pairs, buf: Buffer, from: number, to: number): Pairs {
  let data = list.data;
  let n = 0;
  let a = from;
  let h = FNV_BASIS;
  for (let i = from; i < to; i++) {
    const c = buf[i]!;
    if (c !== NL) {
      h = Math.imul(h ^ c, FNV_PRIME);
      continue;
    }
    if (n + 3 > data.length) data = grown(list);
    data[n] = a;
    data[n + 1] = i;
    data[n + 2] = Math.imul(h ^ (i - a), FNV_PRIME);
    n += 3;
    a = i + 1;
    h = FNV_BASIS;
  }
  if (a < to) {
    if (n + 3 > data.length) data = grown(list);
    data[n] = a;
    data[n + 1] = to;
    data[n + 2] = Math.imul(h ^ (to - a), FNV_PRIME);
    n += 3;
  }
  list.n = n;
  return list;
}

/** Lines of buf[from, to) as flat pairs [start, end), end before the "\n", into a reusable list. */
function linesInto(list: Pairs, buf: Buffer, from: number, to: number): Pairs {
  list.n = 0;
  for (let a = from; a < to; ) {
    let b = buf.indexOf(NL, a);
    if (b === -1 || b >= to) b = to;
    const end = b === to && b > a && buf[b - 1] === NL ? b - 1 : b;
    if (list.n + 2 > list.data.length) grown(list);
    list.data[list.n++] = a;
    list.data[list.n++] = end;
    a = b + 1;
  }
  return list;
}

/** Every line of buf[from, to) added (a new file, or an old side that is all prefix and suffix). */
function linesOf(buf: Buffer, from: number, to: number): Spans {
  const list = linesInto(NEW, buf, from, to);
  return list.data.slice(0, list.n);
}

// An open-addressing table of the old side's distinct lines, reused from call to call: per slot
// the index in `old` of the line (-1: empty), its hash, and the copies not yet matched. A string
// per line as a Map key was a sixth of all the allocation in a history scan.
let slotLine = new Int32Array(0);
let slotHash = new Int32Array(0);
let slotLeft = new Int32Array(0);

/**
 * The lines of `next` (triples `fresh`, see hashedLines) that the lines of `prev` (triples `old`)
 * do not account for: a line is added when `next` has more copies of it than `prev`. Lines are
 * hashed (FNV-1a) and equal hashes are confirmed byte by byte.
 */
function notIn(prev: Buffer, oldLines: Pairs, next: Buffer, freshLines: Pairs): Spans {
  const old = oldLines.data;
  const fresh = freshLines.data;
  let size = 16;
  while (size * 3 < oldLines.n * 2) size <<= 1; // at least twice the lines: three numbers per line
  if (slotLine.length < size) {
    slotLine = new Int32Array(size);
    slotHash = new Int32Array(size);
    slotLeft = new Int32Array(size);
  }
  slotLine.fill(-1, 0, size);
  const mask = size - 1;
  for (let k = 0; k < oldLines.n; k += 3) {
    const a = old[k]!;
    const b = old[k + 1]!;
    const h = old[k + 2]!;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const j = slotLine[i]!;
      if (j === -1) {
        slotLine[i] = k;
        slotHash[i] = h;
        slotLeft[i] = 1;
        break;
      }
      if (slotHash[i] === h && sameBytes(prev, old[j]!, old[j + 1]!, prev, a, b)) {
        slotLeft[i]!++;
        break;
      }
    }
  }
  let out = NEW.data; // the lines of `next` are in HASHED: NEW is free to collect into
  let n = 0;
  for (let k = 0; k < freshLines.n; k += 3) {
    const a = fresh[k]!;
    const b = fresh[k + 1]!;
    const h = fresh[k + 2]!;
    let kept = false;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const j = slotLine[i]!;
      if (j === -1) break;
      if (slotHash[i] === h && sameBytes(prev, old[j]!, old[j + 1]!, next, a, b)) {
        if (slotLeft[i]! > 0) {
          slotLeft[i]!--;
          kept = true;
        }
        break;
      }
    }
    if (kept) continue;
    if (n + 2 > out.length) out = grown(NEW);
    out[n++] = a;
    out[n++] = b;
  }
  return out.slice(0, n);
}

/** FNV-1a over a line, then its length: hashedLines' hash (exported for a test that needs two lines with one hash). */
export function lineHash(buf: Buffer, a: number, b: number): number {
  let h = FNV_BASIS;
  for (let i = a; i < b; i++) h = Math.imul(h ^ buf[i]!, FNV_PRIME);
  return Math.imul(h ^ (b - a), FNV_PRIME);
}

/** Lines up to this long are compared here; a native compare costs more than the loop below that. */
const SHORT_LINE = 64;

function sameBytes(x: Buffer, xa: number, xb: number, y: Buffer, ya: number, yb: number): boolean {
  const len = xb - xa;
  if (len !== yb - ya) return false;
  if (len > SHORT_LINE) return x.compare(y, ya, yb, xa, xb) === 0;
  for (let i = 0; i < len; i++) if (x[xa + i] !== y[ya + i]) return false;
  return true;
}

/**
 * Line numbers of added lines, counted only when asked: the scanner asks for the few lines with
 * findings, and counting the newlines before every change cost more than finding them.
 */
class OffsetLineMap implements LineMapper {
  private at = 0;
  private line = 1;
  constructor(
    private readonly content: Buffer,
    private readonly added: Spans,
  ) {}

  fileLine(blobLine: number): number {
    const to = this.added[2 * (Math.min(this.added.length / 2, Math.max(1, blobLine)) - 1)]!;
    if (to < this.at) {
      this.at = 0;
      this.line = 1;
    }
    for (let i = this.content.indexOf(NL, this.at); i !== -1 && i < to; i = this.content.indexOf(NL, i + 1))
      this.line++;
    this.at = to;
    return this.line;
  }
}

/** Hands added lines to the handler as parsePatches does: joined by "\n", in parts of ~PART_LIMIT. */
export function emitAdded(
  handler: PatchHandler,
  change: { path: string; commit: CommitMeta | undefined },
  content: Buffer,
  added: Spans,
): void {
  if (added.length === 0) return;
  const file: AddedLines = { path: change.path, commit: change.commit, lineMap: new OffsetLineMap(content, added) };
  let pieces: Buffer[] = [];
  let size = 0;
  for (let k = 0; k < added.length; ) {
    // A run of consecutive lines is one slice of the blob.
    const runStart = added[k]!;
    let runEnd = added[k + 1]!;
    k += 2;
    while (k < added.length && added[k]! === runEnd + 1) {
      runEnd = added[k + 1]!;
      k += 2;
    }
    // Every run but the file's first follows a "\n"; a part after the first starts with it, so
    // line numbers in the scanner's stream stay right.
    if (runStart !== added[0]) {
      pieces.push(NEWLINE);
      size++;
    }
    pieces.push(content.subarray(runStart, runEnd));
    size += runEnd - runStart;
    if (size >= PART_LIMIT && k < added.length) {
      handler.added(file, join(pieces, size), false);
      pieces = [];
      size = 0;
    }
  }
  handler.added(file, join(pieces, size), true);
}

function join(pieces: Buffer[], size: number): Buffer {
  return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, size);
}

/** How a change uses a blob: as its new version, or as a parent's (the old side). */
const AS_NEW = 1;
const AS_BASE = 2;

/**
 * Recently read blobs by id, within a byte budget. A blob is nearly always used twice: as the new
 * version in the commit that wrote it and as the old side in the commit that replaced it. Once it
 * has been both it is spent: it stays only while nothing else needs the room (spent blobs are
 * dropped first, then the least recently used). A spent blob asked for again (a branch, a revert)
 * is read from git again if it is gone.
 */
class BlobCache {
  private readonly live = new Map<string, { content: Buffer; uses: number }>();
  private readonly spent = new Map<string, Buffer>();
  private bytes = 0;
  constructor(private readonly budget: number) {}

  has(sha: string): boolean {
    return this.live.has(sha) || this.spent.has(sha);
  }

  /** The blob for one use (AS_NEW or AS_BASE), if held. */
  use(sha: string, as: number): Buffer | undefined {
    const e = this.live.get(sha);
    if (e === undefined) return this.spent.get(sha);
    this.live.delete(sha);
    e.uses |= as;
    if (e.uses === (AS_NEW | AS_BASE)) this.spent.set(sha, e.content);
    else this.live.set(sha, e);
    return e.content;
  }

  /** Holds a blob just read from git for one use. */
  set(sha: string, content: Buffer, as: number): void {
    // A blob is usually a view into a read chunk of git's output, which it keeps alive: it is
    // charged the whole chunk (copying every blob out cost more in allocation than it saved).
    const cost = charge(content);
    if (cost > this.budget / 4 || this.has(sha)) return;
    this.live.set(sha, { content, uses: as });
    this.bytes += cost;
    for (const [k, v] of this.spent) {
      if (this.bytes <= this.budget) return;
      this.spent.delete(k);
      this.bytes -= charge(v);
    }
    for (const [k, v] of this.live) {
      if (this.bytes <= this.budget) return;
      this.live.delete(k);
      this.bytes -= charge(v.content);
    }
  }
}

function charge(b: Buffer): number {
  return Math.max(b.length, b.buffer.byteLength);
}
