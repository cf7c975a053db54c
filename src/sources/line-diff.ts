// Which lines of a new version of a file are added against its old version(s): the common prefix and
// suffix cut first, a large changed middle cut further at common runs found around anchors, then the
// lines left over matched through a hash table of the old side's lines. Git blobs are compared here
// instead of asking git for a diff (a process per change).

/** "\n" */
const NL = 10;

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
 * `prev`'s middle still has an unused copy of it. The copies of a line reported as added lie outside
 * the common runs of the middle (among those, the later ones).
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
  cutAtCommonRuns(prev, start, endPrev, next, start, endNext);
  OLD.n = 0;
  HASHED.n = 0;
  for (let k = 0; k < PREV_PARTS.n; k += 2) hashedLines(OLD, prev, PREV_PARTS.data[k]!, PREV_PARTS.data[k + 1]!);
  for (let k = 0; k < NEXT_PARTS.n; k += 2) hashedLines(HASHED, next, NEXT_PARTS.data[k]!, NEXT_PARTS.data[k + 1]!);
  return HASHED.n === 0 ? NO_SPANS : notIn(prev, OLD, next, HASHED);
}

/** Middles smaller than this (either side, bytes) are hashed whole: an anchor costs more than it saves. */
const ANCHORED_FROM = 4 * 1024;
/** Bytes from a line start looked for in the old side: long enough to be distinctive in a lockfile. */
const ANCHOR_BYTES = 256;
/** A common run shorter than this does not cut a part: a short match may be a repeat in the wrong place. */
const MIN_RUN = 1024;
/** Where in a part (fraction of the new side) anchors are tried, in order. */
const ANCHOR_AT = [0.5, 0.25, 0.75];

/** The parts of both middles left over after the common runs, as flat pairs [start, end) in order. */
const PREV_PARTS: Pairs = { data: new Int32Array(64), n: 0 };
const NEXT_PARTS: Pairs = { data: new Int32Array(64), n: 0 };
/** Parts still to cut, four numbers each: prev start and end, next start and end. */
const TO_CUT: Pairs = { data: new Int32Array(64), n: 0 };

/**
 * Cuts prev[ps, pe) and next[ns, ne) (both whole lines) at common runs of whole lines into the parts
 * left over (PREV_PARTS, NEXT_PARTS): a run contributes the same lines to both sides, so the copies a
 * line has in excess on the new side are the same over the parts as over the whole middles. A version
 * bump near each end of a lockfile leaves a middle of ~1.5 MB that is one common run.
 */
function cutAtCommonRuns(prev: Buffer, ps: number, pe: number, next: Buffer, ns: number, ne: number): void {
  PREV_PARTS.n = 0;
  NEXT_PARTS.n = 0;
  push(TO_CUT, ps, pe, ns, ne);
  while (TO_CUT.n > 0) {
    const at = (TO_CUT.n -= 4);
    const a = TO_CUT.data[at]!;
    const b = TO_CUT.data[at + 1]!;
    const c = TO_CUT.data[at + 2]!;
    const e = TO_CUT.data[at + 3]!;
    if (b - a < ANCHORED_FROM || e - c < ANCHORED_FROM || !commonRun(prev, a, b, next, c, e)) {
      if (b > a) push(PREV_PARTS, a, b);
      if (e > c) push(NEXT_PARTS, c, e);
      continue;
    }
    // Right of the run first on the stack: the left part is taken next, so parts stay in order.
    push(TO_CUT, RUN.prev + RUN.length, b, RUN.next + RUN.length, e);
    push(TO_CUT, a, RUN.prev, c, RUN.next);
  }
}

function push(list: Pairs, ...values: number[]): void {
  if (list.n + values.length > list.data.length) grown(list);
  for (const v of values) list.data[list.n++] = v;
}

/** The common run commonRun found: where it starts on each side, and its length. */
const RUN = { prev: 0, next: 0, length: 0 };

/**
 * Finds a common run of whole lines, at least MIN_RUN long, between prev[ps, pe) and next[ns, ne)
 * into RUN: ANCHOR_BYTES from a line start of `next` looked for in `prev` (the first occurrence from a
 * little before the same proportional position), then the match grown both ways by memcmp. False if no anchor tried
 * gives one. Each try is a native search over the part of `prev`, so cutting stays O(n log n).
 */
function commonRun(prev: Buffer, ps: number, pe: number, next: Buffer, ns: number, ne: number): boolean {
  const within = prev.subarray(ps, pe);
  for (const at of ANCHOR_AT) {
    const mid = ns + Math.floor((ne - ns) * at);
    const a0 = Math.max(ns, next.lastIndexOf(NL, mid - 1) + 1);
    const a1 = Math.min(ne, a0 + ANCHOR_BYTES);
    if (a1 - a0 < ANCHOR_BYTES >> 2) continue;
    const anchor = next.subarray(a0, a1);
    // Forward searches only (a backward one is a slow loop in Node): from a little before the
    // proportional position (by the parts' difference in size), then before that.
    const slack = 4096 + Math.abs(pe - ps - (ne - ns));
    const from = Math.max(0, Math.floor(((a0 - ns) / (ne - ns)) * (pe - ps)) - slack);
    let found = within.indexOf(anchor, from);
    if (found === -1 && from > 0) found = within.subarray(0, from + anchor.length - 1).indexOf(anchor);
    if (found === -1) continue;
    const b0 = ps + found;
    // Grow the match both ways, then shrink it to whole lines on both sides.
    const back = commonLength(Math.min(a0 - ns, b0 - ps), (x, len) => sameBackward(prev, b0, next, a0, x, len));
    const b1 = b0 + (a1 - a0);
    const ahead = commonLength(Math.min(ne - a1, pe - b1), (x, len) => sameForward(prev, b1, next, a1, x, len));
    let startNext = a0 - back;
    let startPrev = b0 - back;
    let endNext = a1 + ahead;
    const atLineStart =
      (startNext === ns || next[startNext - 1] === NL) && (startPrev === ps || prev[startPrev - 1] === NL);
    if (!atLineStart) {
      const k = next.indexOf(NL, startNext);
      if (k === -1 || k >= endNext) continue;
      startPrev += k + 1 - startNext;
      startNext = k + 1;
    }
    // A run that ends at both parts' ends ends a line on both sides; elsewhere it must end after a "\n".
    const atBothEnds = endNext === ne && startPrev + (endNext - startNext) === pe;
    if (!atBothEnds && next[endNext - 1] !== NL) {
      const k = next.lastIndexOf(NL, endNext - 1);
      if (k < startNext) continue;
      endNext = k + 1;
    }
    if (endNext - startNext < MIN_RUN) continue;
    RUN.prev = startPrev;
    RUN.next = startNext;
    RUN.length = endNext - startNext;
    return true;
  }
  return false;
}

/** Whether the `len` bytes ending `x` bytes before prevAt and nextAt are the same. */
function sameBackward(prev: Buffer, prevAt: number, next: Buffer, nextAt: number, x: number, len: number): boolean {
  return next.compare(prev, prevAt - x - len, prevAt - x, nextAt - x - len, nextAt - x) === 0;
}

/** Whether the `len` bytes starting `x` bytes after prevAt and nextAt are the same. */
function sameForward(prev: Buffer, prevAt: number, next: Buffer, nextAt: number, x: number, len: number): boolean {
  return next.compare(prev, prevAt + x, prevAt + x + len, nextAt + x, nextAt + x + len) === 0;
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

/** Four "\n" bytes: a word XORed with this has a zero byte where the word had a "\n". */
const NL_WORD = 0x0a0a0a0a;

/**
 * Lines of buf[from, to) appended to `list` as flat triples [start, end, lineHash], end before the
 * "\n", in one pass over the bytes, four at a time (1.3 instead of 2.3 ns per byte on a lockfile): a
 * word with no "\n" in it is hashed whole, a word with one byte by byte up to the "\n", and the next
 * line's words start after it.
 */
function hashedLines(list: Pairs, buf: Buffer, from: number, to: number): void {
  const words = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let data = list.data;
  let n = list.n;
  let a = from;
  let h = FNV_BASIS;
  let i = from;
  for (;;) {
    if (i + 4 <= to) {
      const w = words.getUint32(i, true);
      const x = w ^ NL_WORD;
      // Non-zero exactly when x has a zero byte, i.e. w holds a "\n".
      if (((x - 0x01010101) & ~x & 0x80808080) === 0) {
        h = Math.imul(h ^ w, FNV_PRIME);
        i += 4;
        continue;
      }
    } else if (i >= to) break;
    const c = buf[i]!;
    if (c !== NL) {
      h = Math.imul(h ^ c, FNV_PRIME);
      i++;
      continue;
    }
    if (n + 3 > data.length) data = grown(list);
    data[n] = a;
    data[n + 1] = i;
    data[n + 2] = Math.imul(h ^ (i - a), FNV_PRIME);
    n += 3;
    a = ++i;
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

/**
 * hashedLines' hash of buf[a, b): FNV-1a over the line's 4-byte words from its start, then over its
 * last bytes, then its length (exported for a test that needs two lines with one hash).
 */
export function lineHash(buf: Buffer, a: number, b: number): number {
  const words = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let h = FNV_BASIS;
  let i = a;
  for (; i + 4 <= b; i += 4) h = Math.imul(h ^ words.getUint32(i, true), FNV_PRIME);
  for (; i < b; i++) h = Math.imul(h ^ buf[i]!, FNV_PRIME);
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
