// Memory the history reader's blobs live in: a few slabs allocated once per reader and reused, so
// that reading a blob allocates nothing. A Buffer per blob (963 MB of them on the bench history,
// ~700 MB per thread on uptime-kuma) was external memory V8 counts, and every ~64 MB of it set
// off a mark-compact of JS heaps of 15 MB (bench/profile.md, round 4).
//
// Blobs are copied into the current slab one after another. When it is full, the next slab in
// turn is reused: the blobs in it that the cache still holds are moved to its front, the others'
// room is written over. A view of a slab is only handed out while its slab cannot be reused:
// pinned for the change being compared (`using`), or lent to the scan until the scan lets go
// (`lend`, up to the handler's release, e.g. the batch's flush). When every slab is pinned the
// holder of lent views is asked to let go; when that is not enough (a merge of many parents), or
// the blob is larger than a slab, the blob gets a Buffer of its own, as before.

/**
 * Who keeps lent views (the scan's batch): `releases` counts the times it dropped all of them (on
 * its own or asked to); `release` asks it to now, false when it cannot.
 */
export interface Borrower {
  releases(): number;
  release(): boolean;
}

const NOBODY: Borrower = { releases: () => 0, release: () => false };

/** A blob's bytes, and whether the cache still holds it (then a reused slab moves it, else drops it). */
export class Stored {
  held = false;
  /** The blob's id, once the cache holds it. */
  sha = '';
  constructor(public bytes: Buffer) {}
}

export class BlobRing {
  private readonly slabs: Buffer[] = [];
  /** Each slab's blobs, in the order of their offsets. */
  private readonly placed: Stored[][] = [];
  /** Per slab: the change (`using`) and the borrower's release count (`lend`) when last pinned. */
  private readonly usedIn: number[] = [];
  private readonly lentIn: number[] = [];
  private change = 1;
  private current = -1;
  private fill = 0;

  /**
   * `slabs` of `slabBytes` each, allocated on first need. `keep` says whether a held blob in a
   * reused slab is moved (else the holder drops it).
   */
  constructor(
    private readonly slabCount: number,
    private readonly slabBytes: number,
    private borrower: Borrower = NOBODY,
    private keep: (s: Stored) => boolean = () => true,
  ) {}

  /** The ring for a new reader (a spare one kept per thread): nothing held, nothing pinned. */
  reset(borrower: Borrower, keep: (s: Stored) => boolean): void {
    this.keep = keep;
    this.borrower = borrower;
    this.lentIn.fill(-1);
    for (let i = 0; i < this.placed.length; i++) {
      for (const s of this.placed[i]!) s.bytes = EMPTY_DROPPED;
      this.placed[i] = [];
    }
    this.change++;
    this.current = -1;
    this.fill = 0;
  }

  /** Room for a blob of `size` bytes (`bytes`, to be filled by the caller), not held yet. */
  place(size: number): Stored {
    if (size > this.slabBytes) return new Stored(Buffer.allocUnsafe(size));
    if (this.current === -1 || this.fill + size > this.slabBytes) {
      if (!this.advance(size)) return new Stored(Buffer.allocUnsafe(size));
    }
    const slab = this.slabs[this.current]!;
    const stored = new Stored(slab.subarray(this.fill, this.fill + size));
    this.placed[this.current]!.push(stored);
    this.fill += size;
    return stored;
  }

  /** A new change is compared: the slabs the last one used may be reused (unless lent). */
  nextChange(): void {
    this.change++;
  }

  /** `bytes` are read by the change being compared: their slab is not reused until the next change. */
  using(bytes: Buffer): void {
    const i = this.slabOf(bytes);
    if (i !== -1) this.usedIn[i] = this.change;
  }

  /** `bytes` (or views of them) are kept after the change: their slab is not reused until let go. */
  lend(bytes: Buffer): void {
    const i = this.slabOf(bytes);
    if (i !== -1) this.lentIn[i] = this.borrower.releases();
  }

  private slabOf(bytes: Buffer): number {
    for (let i = 0; i < this.slabs.length; i++) if (this.slabs[i]!.buffer === bytes.buffer) return i;
    return -1;
  }

  private pinned(i: number): boolean {
    return this.usedIn[i] === this.change || this.lentIn[i] === this.borrower.releases();
  }

  /** Moves on to a slab with room for `size` (a new one, or the next unpinned one, cleared). */
  private advance(size: number): boolean {
    if (this.slabs.length < this.slabCount) {
      this.slabs.push(Buffer.allocUnsafeSlow(this.slabBytes));
      this.placed.push([]);
      this.usedIn.push(0);
      this.lentIn.push(-1);
      this.use(this.slabs.length - 1, 0);
      return true;
    }
    if (this.reuse(size)) return true;
    // Every slab pinned or full of held blobs: the lent views let go, then once more.
    if (!this.lentIn.includes(this.borrower.releases()) || !this.borrower.release()) return false;
    return this.reuse(size);
  }

  /** The next unpinned slab, after the current one, with room for `size` once cleared. */
  private reuse(size: number): boolean {
    for (let k = 1; k <= this.slabCount; k++) {
      const i = (this.current + k) % this.slabCount;
      if (this.pinned(i)) continue;
      const fill = this.compact(i);
      if (this.slabBytes - fill >= size) {
        this.use(i, fill);
        return true;
      }
    }
    return false;
  }

  private use(i: number, fill: number): void {
    this.current = i;
    this.fill = fill;
  }

  /** Moves the held blobs of slab `i` to its front and forgets the rest; returns the bytes kept. */
  private compact(i: number): number {
    const slab = this.slabs[i]!;
    const kept: Stored[] = [];
    let fill = 0;
    for (const s of this.placed[i]!) {
      if (!s.held || !this.keep(s)) {
        s.bytes = EMPTY_DROPPED;
        continue;
      }
      const from = s.bytes.byteOffset - slab.byteOffset;
      if (from !== fill) slab.copyWithin(fill, from, from + s.bytes.length);
      s.bytes = slab.subarray(fill, fill + s.bytes.length);
      fill += s.bytes.length;
      kept.push(s);
    }
    this.placed[i] = kept;
    return fill;
  }
}

/** What a dropped blob's bytes become once its room is reused: reading it finds nothing, not other bytes. */
const EMPTY_DROPPED = Buffer.alloc(0);
