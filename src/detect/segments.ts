// Many small buffers (the added lines of each file in a commit) scanned in one detector pass.

import type { Candidate } from '../types.js';
import { ChunkScanner, scanBuffer } from './chunks.js';
import { encodedSpans } from './decode.js';
import type { Detector, RawMatch } from './detector.js';
import { lastAtMost } from './sorted.js';

const NEWLINE = 10;

/** Segments of a joined buffer (scanSegments): [starts[i], ends[i]) each, and those to rescan alone. */
export interface Segments {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  readonly dirty: Set<number>;
}

/** Index of the segment holding byte `pos`. */
export function segmentAt(segs: Segments, pos: number): number {
  return lastAtMost(segs.starts, pos);
}

/** Marks every segment that bytes [from, to) touch, to be scanned alone. */
export function markDirty(segs: Segments, from: number, to: number): void {
  const last = segmentAt(segs, to - 1);
  for (let i = segmentAt(segs, from); i <= last; i++) segs.dirty.add(i);
}

/** Segments joined by "\n" for scanSegments, reused (like `joined`). */
let batchBuf = Buffer.alloc(0);

/**
 * Candidates of many small buffers (the added lines of each file in a commit, commit messages):
 * exactly what scanBuffer gives for each, found in one detector pass over all of them joined by
 * "\n". A few hundred bytes per call made per-call costs (the gate's set pass, one RE2 call per
 * woken rule, the decoders' passes) dominate a history scan. In the joined buffer each segment
 * keeps its own windows (findMatches' segment mode), so its matches are those it has alone; a
 * segment is scanned alone instead where a search across windows dropped a match (it may have
 * hidden one) or where it holds an encoded run (decoded runs are searched together).
 */
export function scanSegments(detector: Detector, segments: readonly Buffer[]): Candidate[][] {
  const out: Candidate[][] = segments.map(() => []);
  if (segments.length === 0) return out;
  let size = segments.length - 1;
  for (const s of segments) size += s.length;
  if (batchBuf.length < size || batchBuf.length > 4 * size + (8 << 20))
    batchBuf = Buffer.allocUnsafe(Math.max(size, 1 << 20));
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  segments.forEach((s, i) => {
    if (i > 0) batchBuf[at++] = NEWLINE;
    starts.push(at);
    at += s.copy(batchBuf, at);
    ends.push(at);
  });
  const buf = batchBuf.subarray(0, size);
  const segs: Segments = { starts, ends, dirty: new Set() };
  const matches = detector.findMatches(buf, size, segs);
  const runs: number[] = [];
  encodedSpans(detector, buf, size, runs);
  for (let k = 0; k < runs.length; k += 2) markDirty(segs, runs[k]!, runs[k + 1]!);
  // Matches are sorted by start, so each segment's are consecutive. A segment where the secret
  // filters accept none has no candidate (candidates() would drop each match): it gets no scanner.
  for (let k = 0; k < matches.length; ) {
    const i = segmentAt(segs, matches[k]!.start);
    const next = i + 1 < starts.length ? starts[i + 1]! : Number.POSITIVE_INFINITY;
    let j = k;
    while (j < matches.length && matches[j]!.start < next) j++;
    if (!segs.dirty.has(i) && someAccepted(detector, matches, k, j))
      out[i] = new ChunkScanner(detector).matched(segments[i]!, rebased(matches, k, j, starts[i]!));
    k = j;
  }
  for (const i of segs.dirty) out[i] = scanBuffer(detector, segments[i]!);
  return out;
}

/** Whether the secret filters (Detector.accepts, outside a credential store) take any of matches[k, j). */
function someAccepted(detector: Detector, matches: readonly RawMatch[], k: number, j: number): boolean {
  for (let n = k; n < j; n++) if (detector.accepts(detector.rules[matches[n]!.rule]!, matches[n]!.secret)) return true;
  return false;
}

/** matches[k, j) with offsets relative to their segment's start. */
function rebased(matches: readonly RawMatch[], k: number, j: number, base: number): RawMatch[] {
  const out: RawMatch[] = [];
  for (let n = k; n < j; n++) {
    const m = matches[n]!;
    out.push({
      rule: m.rule,
      start: m.start - base,
      end: m.end - base,
      matchStart: m.matchStart - base,
      matchEnd: m.matchEnd - base,
      secret: m.secret,
      decoded: m.decoded,
    });
  }
  return out;
}
