// The chunk scanner: a byte stream scanned chunk by chunk with an overlap, raw matches turned into
// candidates (filters, line and column, excerpts, composites). Pure: no I/O.

import { isAscii } from 'node:buffer';
import type { Candidate } from '../types.js';
import { validate } from './checksum.js';
import { combineParts } from './composite.js';
import { addDecodedMatches } from './decode.js';
import type { Detector, RawMatch } from './detector.js';
import { excerpt, onLine } from './excerpts.js';
import { lineAllows, lineAllowsNext, namesNoSecret, rejectInContext } from './filters.js';
import { credentialStoreKind } from './fixture.js';

const NEWLINE = 10;

/** Code points in buf[a, b). */
function codePoints(buf: Buffer, a: number, b: number): number {
  if (b <= a) return 0;
  const part = buf.subarray(a, b);
  if (isAscii(part)) return part.length;
  let n = 0;
  for (let i = 0; i < part.length; i++) if ((part[i]! & 0xc0) !== 0x80) n++;
  return n;
}

/**
 * The carried tail and the next chunk, joined in one buffer reused by every scanner in this thread
 * (push is synchronous, and nothing keeps a view into it: the next carry is a copy, secrets and
 * excerpts are strings). A fresh 4 MiB buffer per chunk made dead external memory pile up to
 * ~100 MB per worker before the garbage collector ran.
 */
let joined = Buffer.alloc(0);
function joinCarried(carry: Buffer, parts: readonly Buffer[]): Buffer {
  let size = carry.length;
  for (const p of parts) size += p.length;
  if (joined.length < size || joined.length > 4 * size + (8 << 20))
    joined = Buffer.allocUnsafe(Math.max(size, 1 << 20));
  let at = carry.copy(joined, 0);
  for (const p of parts) at += p.copy(joined, at);
  return joined.subarray(0, size);
}

/** Bytes carried from one chunk to the next, so a secret across a boundary is found once. */
export const CHUNK_OVERLAP = 64 * 1024;

export interface ChunkScannerOptions {
  /** Bytes kept from one chunk for the next (the longest secret that may span a boundary). */
  readonly overlap?: number;
  /**
   * Report matches up to the last complete line of every chunk instead of holding back the
   * overlap: for streams read as they grow (stdin from `kubectl logs -f`).
   */
  readonly eager?: boolean;
  /**
   * Form composites (default true). false reports every match on its own, part-only rules
   * included: rule verification checks each rule's examples that way.
   */
  readonly compose?: boolean;
  /** Path of the file scanned ("/"-separated): wakes the rules with a matching `path`. */
  readonly path?: string;
  /** Run every path rule whatever the path: rule verification checks their examples that way. */
  readonly anyPath?: boolean;
}

/**
 * Scans a byte stream chunk by chunk with an overlap, tracking line and column, and returns
 * candidates with positions. Feed the whole content as one final chunk when it fits in memory.
 */
export class ChunkScanner {
  private carry: Buffer = Buffer.alloc(0);
  private base = 0; // absolute offset of carry[0]
  private line = 1; // line number at carry[0]
  private column = 0; // code points between the start of that line and carry[0]
  private prevLineAllows = false; // the line before carry[0]'s line holds an allow-next-line marker
  /** Matches already reported that start inside the carried tail: "rule:offset". */
  private reported = new Set<string>();
  private readonly overlap: number;
  private readonly eager: boolean;
  private readonly compose: boolean;
  private readonly pathRules: readonly number[];
  private readonly path: string | undefined;
  /** The file is a credential store: weak values are leaks there, not placeholders (known at its first match). */
  private store: boolean | undefined;

  constructor(
    private readonly detector: Detector,
    options: ChunkScannerOptions = {},
  ) {
    this.overlap = options.overlap ?? CHUNK_OVERLAP;
    this.eager = options.eager ?? false;
    this.compose = options.compose ?? true;
    this.pathRules = detector.rulesForPath(options.path, options.anyPath);
    this.path = options.path;
  }

  private inStore(): boolean {
    return (this.store ??= this.path !== undefined && credentialStoreKind(this.path) !== undefined);
  }

  push(chunk: Buffer, final = false): Candidate[] {
    return this.pushParts([chunk], final);
  }

  /** push() of several pieces in a row (decompressor output), joined once with the carried tail. */
  pushParts(parts: readonly Buffer[], final = false): Candidate[] {
    const buf = !this.carry.length && parts.length === 1 ? parts[0]! : joinCarried(this.carry, parts);
    const carryStart = final ? buf.length : Math.max(0, buf.length - this.overlap);
    let commit = carryStart;
    if (final) commit = buf.length;
    else if (this.eager) commit = Math.max(carryStart, buf.lastIndexOf(NEWLINE) + 1);
    const matches = commit > 0 ? this.detector.findMatches(buf, commit, undefined, this.pathRules) : [];
    if (commit > 0) addDecodedMatches(this.detector, buf, commit, matches);
    return this.candidates(buf, matches, carryStart, final);
  }

  /** Candidates of a whole buffer whose raw matches were found in a joined buffer (scanSegments). */
  matched(buf: Buffer, matches: readonly RawMatch[]): Candidate[] {
    return this.candidates(buf, matches, buf.length, true);
  }

  /** Raw matches → candidates (filters, positions, excerpts, composites), and the carry for the next push. */
  private candidates(buf: Buffer, matches: readonly RawMatch[], carryStart: number, final: boolean): Candidate[] {
    let out: Candidate[] = [];
    const spans: RawMatch[] = []; // spans[i] is the match behind out[i], for combineParts
    const reported = new Set<string>();
    // Walk newlines up to each match; take a snapshot of the position state at carryStart.
    let pos = 0;
    let line = this.line;
    let lineStart = -1; // index of the current line's first byte, -1 = before buf
    let prevLineStart = -2;
    let snapshot: { line: number; column: number; prevLineAllows: boolean } | undefined;
    const advance = (to: number) => {
      let nl = buf.indexOf(NEWLINE, pos);
      while (nl !== -1 && nl < to) {
        line++;
        prevLineStart = lineStart;
        lineStart = nl + 1;
        nl = buf.indexOf(NEWLINE, lineStart);
      }
      pos = Math.max(pos, to);
    };
    const takeSnapshot = () => {
      advance(carryStart);
      snapshot =
        lineStart === -1
          ? { line, column: this.column + codePoints(buf, 0, carryStart), prevLineAllows: this.prevLineAllows }
          : {
              line,
              column: codePoints(buf, lineStart, carryStart),
              prevLineAllows: prevLineStart >= -1 && this.lineAllowsAt(buf, prevLineStart, lineStart),
            };
    };
    for (const m of matches) {
      if (!final && !snapshot && m.start >= carryStart) takeSnapshot();
      const key = `${m.rule}:${this.base + m.start}`;
      if (this.reported.has(key)) continue;
      if (!final && m.start >= carryStart) reported.add(key);
      advance(m.start);
      const rule = this.detector.rules[m.rule]!;
      const store = this.inStore();
      if (!this.detector.accepts(rule, m.secret, store)) continue;
      const ls = lineStart === -1 ? 0 : lineStart;
      const lineEndIdx = buf.indexOf(NEWLINE, m.start);
      const le = lineEndIdx === -1 ? buf.length : lineEndIdx;
      const lineText = buf.toString('latin1', Math.max(ls, m.start - 4096), Math.min(le, m.end + 4096));
      const pragma = lineAllows(lineText);
      if (pragma && !this.detector.reportPragmas) continue;
      // In a credential store a weak value is still a leak; an identifier or a public half is not a secret anywhere.
      if (!m.decoded && rule.placeholders) {
        const key = buf.toString('latin1', m.matchStart, m.start);
        if (store ? namesNoSecret(key, m.secret) : rejectInContext(rule, m.secret, key, lineText)) continue;
      }
      const allowedByPrevious =
        lineStart === -1 ? this.prevLineAllows : this.lineAllowsAt(buf, prevLineStart, lineStart);
      if (allowedByPrevious && !this.detector.reportPragmas) continue;
      const column =
        (lineStart === -1 ? this.column + codePoints(buf, 0, m.start) : codePoints(buf, lineStart, m.start)) + 1;
      out.push({
        ruleId: rule.id,
        secret: m.secret,
        line,
        column,
        excerpt: excerpt(buf, ls, le, m, onLine(matches, ls, le)),
        decoded: m.decoded,
        checksum: rule.validate ? (validate(rule.validate, m.secret) ? 'valid' : 'invalid') : undefined,
        ...(pragma || allowedByPrevious ? { allowed: pragma ? 'line' : 'next-line' } : {}),
      });
      spans.push(m);
    }
    if (this.compose && (this.detector.composites.length || this.detector.partOnly.size))
      out = combineParts(this.detector, out, spans);
    if (final) {
      this.carry = Buffer.alloc(0);
      this.reported.clear();
      return out;
    }
    if (!snapshot) takeSnapshot();
    this.line = snapshot!.line;
    this.column = snapshot!.column;
    this.prevLineAllows = snapshot!.prevLineAllows;
    this.base += carryStart;
    this.carry = Buffer.from(buf.subarray(carryStart));
    this.reported = reported;
    return out;
  }

  /** Whether the line at [start, end) — the line before the current one — allows the next line. */
  private lineAllowsAt(buf: Buffer, start: number, end: number): boolean {
    if (start < -1) return false;
    const s = Math.max(start, 0);
    if (end - s > 8192) return false;
    return lineAllowsNext(buf.toString('latin1', s, end));
  }
}

/** Scan a whole in-memory text or buffer: for rule examples, stdin lines, tests. */
export function scanBuffer(
  detector: Detector,
  input: Buffer | string,
  options: Pick<ChunkScannerOptions, 'compose' | 'path' | 'anyPath'> = {},
): Candidate[] {
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  return new ChunkScanner(detector, options).push(buf, true);
}
