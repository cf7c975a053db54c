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
  const bySegment = new Map<number, RawMatch[]>();
  for (const m of matches) {
    const i = segmentAt(segs, m.start);
    if (segs.dirty.has(i)) continue;
    const base = starts[i]!;
    let list = bySegment.get(i);
    if (!list) bySegment.set(i, (list = []));
    list.push({
      rule: m.rule,
      start: m.start - base,
      end: m.end - base,
      matchStart: m.matchStart - base,
      matchEnd: m.matchEnd - base,
      secret: m.secret,
      decoded: m.decoded,
    });
  }
  for (const [i, list] of bySegment) out[i] = new ChunkScanner(detector).matched(segments[i]!, list);
  for (const i of segs.dirty) out[i] = scanBuffer(detector, segments[i]!);
  return out;
}
