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

import { addedAgainstAll, type Spans } from './line-diff.js';
import { ReadRange } from './read-range.js';
import { looksBinary, utf16Decode, utf16Of } from './binary.js';
import { sniffContainer, type ContainerKind } from './archive.js';
import { BlobRing, Stored } from './blob-ring.js';
import {
  COMMIT_FORMAT,
  CatFile,
  CommitRecord,
  PART_LIMIT,
  addedBetweenBlobs,
  forEachLine,
  gitStream,
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
  /**
   * The Buffers given to `added` and `container` (and the lines maps) are views of memory the
   * reader reuses: they may be kept until this is called (the scan's batch), never read after.
   * Without it the reader copies what it hands over.
   */
  release?(): void;
  /** How many times it dropped every view it kept: each release, and each time on its own. */
  releases?(): number;
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
 * Bytes of recently read blobs kept for their second use (BlobCache), per reader (a split history
 * runs two). 32 MiB since blobs first read as new versions are dropped first: sequelize's peak RSS
 * fell under 400 MB with fewer blobs read twice than 64 MiB gave before (bench/profile.md).
 */
const CACHE_BYTES = 32 * 1024 * 1024;
/**
 * The slabs blobs are read into (BlobRing), per reader: the cache's budget and room to spare, so
 * that a reused slab holds few blobs still cached (those are moved) and the scan's batch rarely
 * has to let go of its views early. A blob over a slab gets memory of its own.
 */
const SLAB_BYTES = 4 * 1024 * 1024;
const SLABS = 12;
/** A reader's ring, kept for the next reader of this thread (a steal) when it closes. */
let spareRing: BlobRing | undefined;

/** Bytes that tell an archive or compressed blob (tar's magic sits at 257). */
const CONTAINER_SNIFF = 512;
const NL = 10;
/** blobNow's answer when the blob must be waited for. */
const LATER = Symbol('later');
const NEWLINE = Buffer.from('\n');
const EMPTY = Buffer.alloc(0);

/**
 * Reads the added lines of these commits, in the order given. Any order reads each blob once while
 * the cache holds it between its two uses; newest first (rev-list's order) costs git ~10% less
 * CPU in cat-file than oldest first, since packs store the newest version of a file whole and the
 * older ones as deltas against it.
 */
export async function readAddedLines(
  root: string,
  commits: readonly string[],
  handler: BlobHandler,
  range: ReadRange = new ReadRange(0, commits.length),
): Promise<void> {
  if (range.end <= range.start) return; // `git log --stdin` with no commit would read HEAD
  const stdin = (async function* () {
    for (let i = range.start; i < range.end; i += 4096)
      yield commits.slice(i, Math.min(i + 4096, range.end)).join('\n') + '\n';
  })();
  const raw = gitStream(
    root,
    // No rename detection: a renamed or copied file is new at its path, where allows by path are judged
    // afresh (a fixture moved into prod.env is new there, every line of it).
    ['log', '--raw', '--no-abbrev', '--no-renames', '-c', '--root', COMMIT_FORMAT, '--no-walk=unsorted', '--stdin'],
    stdin,
  );
  const reader = new AddedReader(root, handler, range);
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
  private readonly ring: BlobRing;
  /** Where CatFile copied the last blob (to tell the cache which Stored a response is). */
  private placed: Stored | undefined;
  private again: CatFile | undefined;
  private readonly cache = new BlobCache(CACHE_BYTES);
  /** Blobs requested and not yet read: they will be in the cache when a later change needs them. */
  private readonly coming = new Set<string>();
  private readonly queue: Item[] = [];
  private head = 0;
  private commit: CommitMeta | undefined;

  /** Set once the range's end is reached: the rest of `git log`'s output is not read. */
  private stopped = false;

  constructor(
    private readonly root: string,
    private readonly handler: BlobHandler,
    private readonly range: ReadRange,
  ) {
    this.ring = spareRing ?? new BlobRing(SLABS, SLAB_BYTES);
    spareRing = undefined;
    this.ring.reset(
      {
        releases: () => handler.releases?.() ?? 0,
        release: () => {
          handler.release?.();
          return handler.release !== undefined;
        },
      },
      (s) => this.cache.keeps(s),
    );
    this.cat = new CatFile(root, MAX_INLINE, (size) => this.room(size));
  }

  private room(size: number): Buffer {
    this.placed = this.ring.place(size);
    return this.placed.bytes;
  }

  /** The Stored a response's content was copied into. */
  private storedOf(content: Buffer): Stored {
    return this.placed?.bytes === content ? this.placed : new Stored(content);
  }

  async run(raw: AsyncIterable<Buffer>): Promise<void> {
    const record = new CommitRecord();
    const drain = async (keep: number) => {
      while (this.queue.length - this.head > keep) {
        const waiting = this.process(this.queue[this.head++]!);
        if (waiting) await waiting;
      }
      this.compact();
    };
    const self = this;
    // Ending the loop early ends `git log` (gitStream kills it).
    const untilStopped = (async function* () {
      for await (const chunk of raw) {
        yield chunk;
        if (self.stopped) return;
      }
    })();
    await forEachLine(
      untilStopped,
      (line) => this.line(line, record),
      () => drain(WINDOW),
    );
    await drain(0);
    // Nothing handed over may be read once the ring serves another reader. (After a failure the
    // scan ends without reading what it kept: nothing is scanned while the error goes up.)
    this.handler.release?.();
  }

  async close(): Promise<void> {
    try {
      await Promise.all([this.cat.close(), this.again?.close()]);
    } finally {
      spareRing = this.ring;
    }
  }

  private compact(): void {
    if (this.head > 4096) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  /** One line of `git log --raw`: part of a commit record, or ":<modes> <blobs> <status>\t<paths>". */
  private line(line: Buffer, record: CommitRecord): void {
    if (this.stopped) return;
    if (record.open || line[0] === 0) {
      const done = record.take(line);
      if (done && !this.range.list()) {
        this.stopped = true;
        return;
      }
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
    // Modes of the n parents and the new file, then their blobs: fields[0..n] and fields[n+1..2n+1].
    const fields = line.toString('latin1', n, tab).split(' ');
    if (fields.length < 2 * n + 3) return;
    const blob = fields[2 * n + 1]!;
    if (isNull(blob)) return; // deleted
    const path = unquotePath(line.subarray(line.lastIndexOf(9) + 1));
    if (this.handler.excluded?.(path)) return; // its blobs are never fetched
    if (fields[n] === '160000') {
      this.handler.skipped?.(path, 'submodule', this.commit);
      return;
    }
    for (let i = 0; i < n; i++) if (fields[n + 1 + i] === blob) return; // unchanged against a parent (a mode change)
    const parents: Array<Side | undefined> = [];
    for (let i = 0; i < n; i++) {
      const sha = fields[n + 1 + i]!;
      parents.push(isNull(sha) || fields[i] === '160000' ? undefined : this.side(sha));
    }
    this.queue.push({ kind: 'change', change: { commit: this.commit, path, blob: this.side(blob), parents } });
  }

  /**
   * Each blob is read from git once whichever order the commits come in. Oldest first, a change's
   * old side is the new blob of an earlier change; newest first, its new blob was the old side of
   * an earlier change. Both are cached when read.
   */
  private side(sha: string): Side {
    if (this.cache.has(sha) || this.coming.has(sha)) {
      this.cache.want(sha);
      return { kind: 'cached', sha };
    }
    this.cat.request(sha);
    this.coming.add(sha);
    return { kind: 'asked', sha };
  }

  /** A side's blob for one use (AS_NEW, AS_BASE): null when over MAX_INLINE, undefined when git does not have it. */
  private async blobOf(side: Side, as: number): Promise<Buffer | null | undefined> {
    const now = this.blobNow(side, as);
    if (now !== LATER) return now;
    if (side.kind === 'cached') return await this.fetch(side.sha);
    return this.taken(side, as, await this.cat.next());
  }

  /** blobOf without waiting: LATER (nothing consumed) when the blob is neither cached nor read in full yet. */
  private blobNow(side: Side, as: number): Buffer | null | undefined | typeof LATER {
    if (side.kind === 'cached') return this.using(this.cache.use(side.sha, as)) ?? LATER;
    const got = this.cat.tryNext();
    return got ? this.taken(side, as, got) : LATER;
  }

  /** The response to an asked side, cached for its other use. */
  private taken(side: Side, as: number, got: CatResult): Buffer | null | undefined {
    this.coming.delete(side.sha); // asked once: side() asks only for a blob not already coming
    if (got.missing) return undefined;
    const content = inline(got);
    if (content) this.cache.set(side.sha, this.storedOf(content), as);
    return this.using(content);
  }

  /** A blob this change compares: its slab is not reused before the next change. */
  private using<T extends Buffer | null | undefined>(content: T): T {
    if (content) this.ring.using(content);
    return content;
  }

  /**
   * Compares one item's blobs, without a promise or an await when they are all at hand (most
   * are: a cached blob, or a response wholly in cat-file's last chunk); returns a promise only
   * when something must be waited for.
   */
  private process(item: Item): Promise<void> | undefined {
    if (item.kind === 'commit') {
      if (!this.range.next()) {
        // The range was cut before this commit: the rest of the queue is another reader's.
        this.stopped = true;
        this.head = this.queue.length;
        return;
      }
      this.handler.commit?.(item.meta, item.message);
      return undefined;
    }
    const { change } = item;
    this.ring.nextChange();
    // Responses come in request order: the parents this change asked for, then its new blob.
    // A parent's blob git does not have is compared as empty (every line added), as before.
    const bases: Array<Buffer | null | undefined> = [];
    for (const p of change.parents) {
      const base = p ? this.blobNow(p, AS_BASE) : undefined;
      if (base === LATER) return this.processLater(change, bases);
      bases.push(p ? (base ?? EMPTY) : undefined);
    }
    const content = this.blobNow(change.blob, AS_NEW);
    if (content === LATER) return this.processLater(change, bases);
    return this.compare(change, bases, content);
  }

  /** process() from the first blob that was not at hand, `bases` holding the ones before it. */
  private async processLater(change: Change, bases: Array<Buffer | null | undefined>): Promise<void> {
    for (let i = bases.length; i < change.parents.length; i++) {
      const p = change.parents[i];
      bases.push(p ? ((await this.blobOf(p, AS_BASE)) ?? EMPTY) : undefined);
    }
    await this.compare(change, bases, await this.blobOf(change.blob, AS_NEW));
  }

  private compare(
    change: Change,
    bases: ReadonlyArray<Buffer | null | undefined>,
    content: Buffer | null | undefined,
  ): Promise<void> | undefined {
    if (content === undefined) {
      this.handler.skipped?.(change.path, 'missing', change.commit);
      return undefined;
    }
    if (content === null || bases.some((b) => b === null)) return this.viaGitDiff(change);
    // The same sniffing as for files: archives and compressed files are opened, UTF-16 is decoded.
    const blob = sniffWholeBlob(content, change.path);
    if (blob.kind === 'container' && this.handler.container)
      return this.handler.container(change.path, change.commit, this.handOver(content), blob.container);
    if (blob.kind !== 'text') {
      this.handler.skipped?.(change.path, 'binary', change.commit);
      return undefined;
    }
    // Each side is judged on its own: a binary old side was never scanned, so all of the text is new.
    const old = bases.map((b) => (b ? asText(b) : undefined)).map((b) => (b && looksBinary(b) ? EMPTY : b));
    const added = addedAgainstAll(old, blob.text);
    if (added.length) emitAdded(this.handler, change, this.handOver(blob.text), added);
    return undefined;
  }

  /** Bytes the handler may keep: lent (their slab kept) until it releases them, else a copy. */
  private handOver(content: Buffer): Buffer {
    if (!this.handler.release || !this.handler.releases) return Buffer.from(content);
    this.ring.lend(content);
    return content;
  }

  /** A blob that fell out of the cache before its turn (a cache smaller than the window): ask git again. */
  private async fetch(sha: string): Promise<Buffer | null | undefined> {
    this.again ??= new CatFile(this.root, MAX_INLINE, (size) => this.room(size));
    this.again.request(sha);
    const got = await this.again.next();
    const content = got.missing ? undefined : inline(got);
    this.cache.refetched(sha, content && this.storedOf(content));
    return this.using(content);
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
 * dropped first, then the least recently used). A blob that a change already queued will take from
 * here (`want`) goes last: dropping it meant reading it from git again a moment later (uptime-kuma:
 * 3,257 blobs, 213 MB, most of them lockfile versions that newer blobs pushed out). A spent blob
 * asked for again (a branch, a revert) is read from git again if it is gone.
 */
class BlobCache {
  private readonly live = new Map<string, { stored: Stored; uses: number }>();
  private readonly spent = new Map<string, Stored>();
  /** Uses still to come from changes already queued, per blob (held or on its way from git). */
  private readonly wanted = new Map<string, number>();
  private bytes = 0;
  constructor(private readonly budget: number) {}

  has(sha: string): boolean {
    return this.live.has(sha) || this.spent.has(sha);
  }

  /** A queued change will take this blob from here (use, or refetched when it was dropped after all). */
  want(sha: string): void {
    this.wanted.set(sha, (this.wanted.get(sha) ?? 0) + 1);
  }

  /** The blob for one use (AS_NEW or AS_BASE), if held; a wanted use is taken when it is held. */
  use(sha: string, as: number): Buffer | undefined {
    const e = this.live.get(sha);
    const stored = e === undefined ? this.spent.get(sha) : e.stored;
    if (stored === undefined) return undefined;
    this.unwant(sha);
    if (e === undefined) return stored.bytes;
    this.live.delete(sha);
    e.uses |= as;
    if (e.uses === (AS_NEW | AS_BASE)) this.spent.set(sha, e.stored);
    else this.live.set(sha, e);
    return stored.bytes;
  }

  /** A wanted blob that was dropped after all, read from git again: its use taken, kept for the next. */
  refetched(sha: string, stored: Stored | null | undefined): void {
    this.unwant(sha);
    if (stored && this.wanted.has(sha)) this.set(sha, stored, AS_NEW | AS_BASE);
  }

  private unwant(sha: string): void {
    const n = this.wanted.get(sha);
    if (n === undefined) return;
    if (n > 1) this.wanted.set(sha, n - 1);
    else this.wanted.delete(sha);
  }

  /** Holds a blob just read from git for one use. */
  set(sha: string, stored: Stored, as: number): void {
    const cost = stored.bytes.length;
    if (cost > this.budget / 4 || this.has(sha)) return;
    // Newest first, a blob first read as a new version had its old-side use in a newer commit
    // already: only a branch or a revert asks again (vue: 2% of them), so it goes first like a spent one.
    if (as & AS_NEW) this.spent.set(sha, stored);
    else this.live.set(sha, { stored, uses: as });
    stored.held = true;
    stored.sha = sha;
    this.bytes += cost;
    this.shrink(this.budget, true);
    // Wanted blobs alone over the budget: the oldest go anyway (read again when their turn comes).
    this.shrink(this.budget, false);
  }

  /**
   * Whether a held blob whose slab is reused is worth moving: one that a queued change wants; the
   * others are dropped there, a slab's worth at a time in the order they were read.
   */
  keeps(stored: Stored): boolean {
    if (this.wanted.has(stored.sha)) return true;
    if (this.live.delete(stored.sha) || this.spent.delete(stored.sha)) this.bytes -= stored.bytes.length;
    stored.held = false;
    return false;
  }

  /**
   * Drops blobs, spent ones first then the least recently used, until `to` bytes are held; with
   * `spareWanted`, none that a queued change wants. A dropped blob's room in its slab is reused.
   */
  private shrink(to: number, spareWanted: boolean): void {
    for (const map of [this.spent, this.live] as Array<Map<string, Stored | { stored: Stored }>>) {
      for (const [k, v] of map) {
        if (this.bytes <= to) return;
        if (spareWanted && this.wanted.has(k)) continue;
        map.delete(k);
        const stored = v instanceof Stored ? v : v.stored;
        stored.held = false;
        this.bytes -= stored.bytes.length;
      }
    }
  }
}
