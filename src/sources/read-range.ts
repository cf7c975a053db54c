// A range of a split history's commit list that one reader reads, and where another thread can
// take over the rest of it (work stealing between the shares of `leakradius git`).

/**
 * The commits [start, end) of a list that one reader reads, newest first. Another thread that ran
 * out of work can take the tail: `half` brings the end back to the middle of what is left, and the
 * reader stops there. Its blob requests past the new end are dropped with the reader.
 */
export class ReadRange {
  /** Commits whose records git has listed, and commits the reader has finished (up to their changes). */
  private listed = 0;
  private read = 0;
  constructor(
    readonly start: number,
    private last: number,
  ) {}

  get end(): number {
    return this.last;
  }

  /**
   * Gives the second half of the commits not yet read away when they are at least `min`: the new
   * end (the taker reads from there to the old end), or the end as it was.
   */
  half(min: number): number {
    const left = this.last - (this.start + this.read);
    if (left >= min) this.last -= Math.floor(left / 2);
    return this.last;
  }

  /** A commit's record was listed: false when it lies past the end (stop listing). */
  list(): boolean {
    if (this.start + this.listed >= this.last) return false;
    this.listed++;
    return true;
  }

  /** The reader starts on a listed commit: false when it lies past the end (stop reading). */
  next(): boolean {
    if (this.start + this.read >= this.last) return false;
    this.read++;
    return true;
  }
}
