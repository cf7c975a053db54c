// git cat-file --batch, pipelined: requests are written ahead, responses read in order on demand
// (the diff history reader, and catBlobs).

import { Lines, gitReadInto, type GitReading } from './process.js';

export interface CatResult {
  readonly id: string;
  /** The blob's size; `content` holds its first `keep` bytes. */
  readonly size: number;
  readonly content: Buffer;
  readonly missing: boolean;
}

/** The command CatFile runs (the pre-commit hook starts it early: sources/staged-start.ts). */
export const CAT_BATCH = ['cat-file', '--batch'] as const;

/** Most git's stdout gives in one read (a pipe's buffer): the size of each read region. */
const READ = 64 * 1024;
/**
 * The read buffer's usual size. It grows only while a longer response is read and goes back to
 * this once that is consumed: one buffer of keep + 3 reads (8.4 MiB) per cat-file raised peak RSS.
 */
const SLAB = 1024 * 1024;

export class CatFile {
  private readonly input = new Lines();
  private readonly git: GitReading;
  private pending: string[] = [];
  /**
   * git's output is read into one reused buffer and each blob copied out at its exact size: with a
   * Buffer per read, every read was a fresh allocation and a blob spanning reads was copied again
   * (963 + 545 MB on the bench history instead of 963), which set off most full collections.
   * Unread bytes [at, filled) move to the front when the end is near (region), into `base` when
   * they fit there, into a larger buffer when they do not; a region handed to git is never empty.
   */
  private readonly base = Buffer.allocUnsafe(SLAB);
  private slab = this.base;
  private at = 0;
  private filled = 0;
  /** Bytes from `at` that next() waits for: a buffer grown for them is grown once, to fit. */
  private wanted = 0;
  /**
   * A long blob's room, read into directly (`directAt` bytes of it so far): not copied from the
   * read buffer, which would otherwise grow to hold it (uptime-kuma's lockfiles: 1-2 MB each).
   */
  private direct: Buffer | undefined;
  private directAt = 0;
  /** Whether the region last handed to git was the direct one (a read lands where it was asked). */
  private intoDirect = false;
  private ended = false;
  private wake: (() => void) | undefined;

  /**
   * `keep`: bytes of each blob kept; the rest is read past. `room(size)`: where a blob's bytes are
   * copied (the history reader's slabs, sources/blob-ring.ts); by default a Buffer of its own.
   */
  constructor(
    root: string,
    private readonly keep: number,
    private readonly room: (size: number) => Buffer = (size) => Buffer.allocUnsafe(size),
  ) {
    this.git = gitReadInto(root, CAT_BATCH, this.input, {
      region: () => this.region(),
      read: (bytes) => {
        if (this.intoDirect) this.directAt += bytes;
        else this.filled += bytes;
        if (this.direct) {
          this.fillDirect();
          if (this.directAt < this.direct.length) return true;
          this.direct = undefined;
          this.woken();
        }
        // A long blob waited for wakes its reader once, when it is all read, not at every read.
        if (this.filled - this.at >= this.wanted) this.woken();
        // Read on while a response is waited for (region grows the buffer to fit it), else ahead
        // while two reads fit once the unread bytes are moved to the front.
        const unread = this.filled - this.at;
        return unread < this.wanted || this.slab.length - unread >= 2 * READ;
      },
      end: () => {
        this.ended = true;
        this.woken();
      },
    });
  }

  request(sha: string): void {
    this.pending.push(sha);
    if (this.pending.length >= 64) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.input.push(this.pending.join('\n') + '\n');
    this.pending = [];
  }

  /**
   * The next response, without waiting, when it lies wholly in what was already read (most do);
   * undefined otherwise, and nothing is consumed. Saves next()'s chain of awaits (~5% of a history
   * scan's allocation).
   */
  tryNext(): CatResult | undefined {
    this.flush();
    const nl = this.lineEnd();
    if (nl === -1) return undefined;
    const head = parseCatHeader(this.slab.toString('latin1', this.at, nl));
    if (head.missing) {
      this.at = nl + 1;
      return head;
    }
    const end = nl + 1 + head.size;
    if (head.size > this.keep || end >= this.filled) return undefined;
    this.at = end + 1; // and the "\n" after the content
    return { id: head.id, size: head.size, content: this.copy(nl + 1, end), missing: false };
  }

  async next(): Promise<CatResult> {
    const ready = this.tryNext();
    if (ready) return ready;
    let nl = this.lineEnd();
    for (; nl === -1; nl = this.lineEnd()) await this.more();
    const head = parseCatHeader(this.slab.toString('latin1', this.at, nl));
    this.at = nl + 1;
    if (head.missing) return head;
    const keep = Math.min(head.size, this.keep);
    if (keep - (this.filled - this.at) >= READ) return this.readDirect(head, keep);
    // The whole blob and the "\n" after it (or the part kept), so that skip() has nothing to wait for.
    this.wanted = keep < head.size ? keep : keep + 1;
    while (this.filled - this.at < this.wanted) await this.more();
    this.wanted = 0;
    const content = this.copy(this.at, this.at + keep);
    this.at += keep;
    await this.skip(head.size - keep + 1); // the rest, and the "\n" after the content
    return { id: head.id, size: head.size, content, missing: false };
  }

  /** A blob of which a read or more is still to come: what is here copied, the rest read into its room. */
  private async readDirect(head: { id: string; size: number }, keep: number): Promise<CatResult> {
    const content = this.room(keep);
    this.direct = content;
    this.directAt = 0;
    this.fillDirect();
    while (this.direct) await this.more();
    await this.skip(head.size - keep + 1); // the rest, and the "\n" after the content
    return { id: head.id, size: head.size, content, missing: false };
  }

  /** Unread bytes of the read buffer (read before the direct region was handed out) into the direct room. */
  private fillDirect(): void {
    const direct = this.direct!;
    const take = Math.min(this.filled - this.at, direct.length - this.directAt);
    this.slab.copy(direct, this.directAt, this.at, this.at + take);
    this.at += take;
    this.directAt += take;
  }

  /** The end of the header line at `at`, or -1 when it is not read in full yet. */
  private lineEnd(): number {
    return this.slab.subarray(0, this.filled).indexOf(10, this.at);
  }

  /** The blob out of the read buffer (which is overwritten), into the room given for it. */
  private copy(start: number, end: number): Buffer {
    const out = this.room(end - start);
    this.slab.copy(out, 0, start, end);
    return out;
  }

  /** Where git's next read lands: READ bytes after the unread ones, moved first when the end is near. */
  private region(): Buffer {
    this.intoDirect = this.direct !== undefined;
    if (this.direct) return this.direct.subarray(this.directAt, Math.min(this.directAt + READ, this.direct.length));
    // Two reads of room after the unread bytes (or the response waited for): the region is never
    // empty, and reading goes on.
    const need = Math.max(this.filled - this.at, this.wanted) + 2 * READ;
    if (this.slab.length - this.filled < READ || (this.slab !== this.base && need <= this.base.length))
      this.moveUnread(need);
    return this.slab.subarray(this.filled, this.filled + READ);
  }

  /** The unread bytes to the front of `base` when `need` fits there, else of this or a larger buffer. */
  private moveUnread(need: number): void {
    let to = this.slab;
    if (need <= this.base.length) to = this.base;
    else if (need > this.slab.length) to = Buffer.allocUnsafe(need);
    this.slab.copy(to, 0, this.at, this.filled);
    this.filled -= this.at;
    this.at = 0;
    this.slab = to;
  }

  private woken(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Waits for more of git's output (all of `wanted`, when set); called only when what was read is not enough. */
  private async more(): Promise<void> {
    if (this.ended) {
      await this.git.exited; // git's own error, if it failed
      throw new Error('git cat-file ended early');
    }
    await this.readOnce();
  }

  private readOnce(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = resolve;
      this.git.resume();
    });
  }

  private async skip(size: number): Promise<void> {
    for (;;) {
      const take = Math.min(size, this.filled - this.at);
      size -= take;
      this.at += take;
      if (size === 0) return;
      await this.more();
    }
  }

  /** Ends git's input and reads to the end, so a failing git is reported. */
  async close(): Promise<void> {
    this.flush();
    this.input.end();
    while (!this.ended) {
      this.at = this.filled;
      await this.readOnce();
    }
    await this.git.exited;
  }
}

/** "<id> blob <size>", or "<id> missing": a missing object, or the id and size of the content that follows. */
function parseCatHeader(header: string): CatResult | { id: string; size: number; missing: false } {
  const parts = header.split(' ');
  const id = parts[0] ?? '';
  if (parts.length < 3 || parts[1] === 'missing') return { id, size: 0, content: Buffer.alloc(0), missing: true };
  const size = Number(parts[2]);
  if (!Number.isSafeInteger(size) || size < 0)
    throw new Error(`git cat-file: unexpected header "${header.slice(0, 80)}"`);
  return { id, size, missing: false };
}
