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

/** Most git's stdout gives in one read (a pipe's buffer): the size of each read region. */
const READ = 64 * 1024;

export class CatFile {
  private readonly input = new Lines();
  private readonly git: GitReading;
  private pending: string[] = [];
  /**
   * git's output is read into this one buffer and each blob copied out at its exact size: with a
   * Buffer per read, a blob spanning reads was copied again (963 + 545 MB allocated on the bench
   * history instead of 963). Unread bytes [at, filled) move to the front when the end is near;
   * reading pauses while fewer than two reads fit, so a region is never empty, and a response
   * waited for (at most keep + a header) always fits.
   */
  private readonly slab: Buffer;
  private at = 0;
  private filled = 0;
  private ended = false;
  private wake: (() => void) | undefined;

  /** `keep`: bytes of each blob kept; the rest is read past. */
  constructor(
    root: string,
    private readonly keep: number,
  ) {
    this.slab = Buffer.allocUnsafe(keep + 3 * READ + 256);
    this.git = gitReadInto(root, ['cat-file', '--batch'], this.input, {
      region: () => this.region(),
      read: (bytes) => {
        this.filled += bytes;
        this.woken();
        // Read ahead while two reads fit once the unread bytes are moved to the front.
        return this.slab.length - (this.filled - this.at) >= 2 * READ;
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
    while (this.filled - this.at < keep) await this.more();
    const content = this.copy(this.at, this.at + keep);
    this.at += keep;
    await this.skip(head.size - keep + 1); // the rest, and the "\n" after the content
    return { id: head.id, size: head.size, content, missing: false };
  }

  /** The end of the header line at `at`, or -1 when it is not read in full yet. */
  private lineEnd(): number {
    return this.slab.subarray(0, this.filled).indexOf(10, this.at);
  }

  /** A blob of its own: the slab is overwritten, and callers (the blob cache) keep blobs. */
  private copy(start: number, end: number): Buffer {
    const out = Buffer.allocUnsafe(end - start);
    this.slab.copy(out, 0, start, end);
    return out;
  }

  /** Where git's next read lands, after moving the unread bytes to the front when the end is near. */
  private region(): Buffer {
    if (this.slab.length - this.filled < READ) {
      this.slab.copy(this.slab, 0, this.at, this.filled);
      this.filled -= this.at;
      this.at = 0;
    }
    return this.slab.subarray(this.filled, this.filled + READ);
  }

  private woken(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Waits for more of git's output. */
  private async more(): Promise<void> {
    if (!this.ended) await this.readOnce();
    if (this.ended && this.at >= this.filled) {
      await this.git.exited; // git's own error, if it failed
      throw new Error('git cat-file ended early');
    }
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
