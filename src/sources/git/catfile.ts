// git cat-file --batch, pipelined: requests are written ahead, responses read in order on demand
// (the diff history reader, and catBlobs).

import { Lines, gitStream } from './process.js';

export interface CatResult {
  readonly id: string;
  /** The blob's size; `content` holds its first `keep` bytes. */
  readonly size: number;
  readonly content: Buffer;
  readonly missing: boolean;
}

/** The command CatFile runs (the pre-commit hook starts it early: sources/staged-start.ts). */
export const CAT_BATCH = ['cat-file', '--batch'] as const;

export class CatFile {
  private readonly input = new Lines();
  private readonly out: AsyncIterator<Buffer>;
  private pending: string[] = [];
  private chunk: Buffer = Buffer.alloc(0);
  private at = 0;

  /** `keep`: bytes of each blob kept; the rest is read past. */
  constructor(
    root: string,
    private readonly keep: number,
  ) {
    this.out = gitStream(root, CAT_BATCH, this.input)[Symbol.asyncIterator]();
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
   * The next response, without waiting, when it lies wholly in the chunk already read (most do);
   * undefined otherwise, and nothing is consumed. Saves next()'s chain of awaits (~5% of a history
   * scan's allocation).
   */
  tryNext(): CatResult | undefined {
    this.flush();
    const chunk = this.chunk;
    const nl = chunk.indexOf(10, this.at);
    if (nl === -1) return undefined;
    const head = parseCatHeader(chunk.toString('latin1', this.at, nl));
    if (head.missing) {
      this.at = nl + 1;
      return head;
    }
    const end = nl + 1 + head.size;
    if (head.size > this.keep || end >= chunk.length) return undefined;
    this.at = end + 1; // and the "\n" after the content
    return { id: head.id, size: head.size, content: chunk.subarray(nl + 1, end), missing: false };
  }

  async next(): Promise<CatResult> {
    const ready = this.tryNext();
    if (ready) return ready;
    const head = parseCatHeader((await this.readLine()).toString('latin1'));
    if (head.missing) return head;
    const content = await this.read(Math.min(head.size, this.keep));
    await this.skip(head.size - content.length + 1); // the rest, and the "\n" after the content
    return { id: head.id, size: head.size, content, missing: false };
  }

  private async more(): Promise<void> {
    const r = await this.out.next();
    if (r.done) throw new Error('git cat-file ended early');
    this.chunk = r.value;
    this.at = 0;
  }

  private async readLine(): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (;;) {
      if (this.at >= this.chunk.length) await this.more();
      const nl = this.chunk.indexOf(10, this.at);
      if (nl !== -1) {
        parts.push(this.chunk.subarray(this.at, nl));
        this.at = nl + 1;
        return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      }
      parts.push(this.chunk.subarray(this.at));
      this.at = this.chunk.length;
    }
  }

  private async read(size: number): Promise<Buffer> {
    if (this.chunk.length - this.at >= size) {
      const view = this.chunk.subarray(this.at, this.at + size);
      this.at += size;
      return view;
    }
    const out = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      if (this.at >= this.chunk.length) await this.more();
      const take = Math.min(size - got, this.chunk.length - this.at);
      this.chunk.copy(out, got, this.at, this.at + take);
      got += take;
      this.at += take;
    }
    return out;
  }

  private async skip(size: number): Promise<void> {
    while (size > 0) {
      if (this.at >= this.chunk.length) await this.more();
      const take = Math.min(size, this.chunk.length - this.at);
      size -= take;
      this.at += take;
    }
  }

  /** Ends git's input and reads to the end, so a failing git is reported. */
  async close(): Promise<void> {
    this.flush();
    this.input.end();
    for (;;) if ((await this.out.next()).done) break;
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
