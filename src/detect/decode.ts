// The decoder pass: secrets hidden by an encoding are found by decoding each encoded run, scanning
// the decoded bytes with the same detector, and mapping every match back onto the encoded bytes.
// The match then spans the ENCODED secret, so line, column and excerpt masking all work on what is
// really in the file, and no encoded secret can show in an excerpt. Pure: no I/O.

import RE2 from 're2';
import type { Detector, RawMatch } from './detector.js';
import { lastAtMost } from './sorted.js';
import { isPlaceholder, rejectInContext } from './filters.js';
import { sourceMapSources } from '../text/sourcemap.js';

export type Decoding = 'percent' | 'json' | 'base64';

/** Decoded text can hold another encoding (a base64 .dockerconfigjson holding base64 auths). */
const MAX_NESTING = 3;
/** Encoded runs longer than this are not decoded (a run is a URL, a JSON string, a base64 value). */
const MAX_RUN = 1024 * 1024;
/** base64 runs shorter than this cannot hold a credential worth reporting. */
const MIN_BASE64 = 16;

interface EncodedRun {
  readonly kind: Decoding;
  readonly start: number;
  readonly end: number;
  readonly decoded: Buffer;
  /** Offset in the run's source of decoded byte i (i = decoded.length: the run's end). */
  readonly map: (i: number, isEnd: boolean) => number;
  /** An inline source map: `decoded` is the sources it embeds, scanned like plain files. */
  readonly sources?: boolean;
}

/**
 * Matches that only decoding reveals, in `buf` (whose latin1 text is `text`), with the secret
 * starting before `limit`. `plain` are the matches found without decoding; they are not repeated.
 */
export function findDecodedMatches(
  detector: Detector,
  buf: Buffer,
  limit: number,
  plain: readonly RawMatch[],
  depth = 0,
): RawMatch[] {
  const runs = encodedRuns(detector, buf, limit);
  if (runs.length === 0) return [];
  // All decoded runs are scanned as one buffer, a newline between runs: one detector call per
  // chunk, not one per run (a JSON log has an escaped string on every line).
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let size = 0;
  for (const run of runs) {
    offsets.push(size);
    parts.push(run.decoded, NEWLINE);
    size += run.decoded.length + 1;
  }
  const joined = Buffer.concat(parts, size);
  const inner = detector.findMatches(joined, joined.length);
  const nested = depth + 1 < MAX_NESTING ? findDecodedMatches(detector, joined, joined.length, inner, depth + 1) : [];
  const out: RawMatch[] = [];
  const seen = new Set<string>();
  for (const m of plain) seen.add(`${m.rule}:${m.start}:${m.secret}`);
  for (const m of [...inner, ...nested]) {
    const k = lastAtMost(offsets, m.start); // the run whose decoded bytes hold the match
    const run = runs[k]!;
    const base = offsets[k]!;
    if (m.end > base + run.decoded.length) continue; // spans two runs: not a real match
    if (run.sources && rejectedInSource(detector, joined, m)) continue;
    const start = run.map(m.start - base, false);
    if (start >= limit) continue;
    const key = `${m.rule}:${start}:${m.secret}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const end = run.map(m.end - base, true);
    // The same rule already matched these bytes as written (a SAS `sig=…%3D` and its decoded
    // `sig=…=`): one secret, one finding, reported as it appears.
    if (plain.some((p) => p.rule === m.rule && p.start < end && start < p.end)) continue;
    out.push({
      rule: m.rule,
      start,
      end,
      matchStart: run.map(Math.max(0, m.matchStart - base), false),
      matchEnd: run.map(Math.min(run.decoded.length, m.matchEnd - base), true),
      secret: m.secret,
      decoded: [run.kind, ...(m.decoded ?? [])],
    });
  }
  return out;
}

const NEWLINE = Buffer.from('\n');

/** The context filters of a plain file, for a match in a source an inline source map embeds. */
function rejectedInSource(detector: Detector, text: Buffer, m: RawMatch): boolean {
  const rule = detector.rules[m.rule]!;
  if (!rule.placeholders) return false;
  const ls = text.lastIndexOf(0x0a, m.start - 1) + 1;
  const nl = text.indexOf(0x0a, m.end);
  const line = text.toString(
    'latin1',
    Math.max(ls, m.start - 4096),
    nl === -1 ? text.length : Math.min(nl, m.end + 4096),
  );
  return rejectInContext(rule, m.secret, text.toString('latin1', m.matchStart, m.start), line);
}

/** `//# sourceMappingURL=data:application/json;charset=utf-8;base64,` just before a base64 run. */
const INLINE_SOURCE_MAP = /sourceMappingURL=data:application\/json[^,\s]{0,64},$/;

/**
 * An inline source map's sources, joined, mapped to the whole run; empty when it embeds none: its
 * `names` and `mappings` are identifiers and offsets, never assignments.
 */
function inlineSourceMap(decoded: Buffer, start: number, end: number): EncodedRun {
  let sources: string[] = [];
  try {
    sources = (sourceMapSources(JSON.parse(decoded.toString('utf8'))) ?? []).map((s) => s.text);
  } catch {
    // not JSON: nothing to scan
  }
  const text = Buffer.from(sources.join('\n'), 'utf8');
  return { kind: 'base64', start, end, decoded: text, map: (_i, isEnd) => (isEnd ? end : start), sources: true };
}

/** Adds the matches only decoding reveals to `matches` (the plain ones), keeping them ordered by start. */
export function addDecodedMatches(detector: Detector, buf: Buffer, limit: number, matches: RawMatch[]): void {
  // A plain match that is a masked value in encoded form (%2A%2A…, KioqKioq) is no finding.
  for (let i = matches.length - 1; i >= 0; i--) {
    const m = matches[i]!;
    if (detector.rules[m.rule]!.placeholders && maskedWhenDecoded(m.secret)) matches.splice(i, 1);
  }
  const decoded = findDecodedMatches(detector, buf, limit, matches);
  if (decoded.length === 0) return;
  matches.push(...decoded);
  matches.sort((x, y) => x.start - y.start || x.rule - y.rule);
}

/** Whether a secret, decoded from percent-encoding or base64, is a placeholder such as "****". */
function maskedWhenDecoded(secret: string): boolean {
  if (/%[0-9A-Fa-f]{2}/.test(secret)) {
    try {
      if (isPlaceholder(decodeURIComponent(secret))) return true;
    } catch {
      // not valid percent-encoding
    }
  }
  if (/^[A-Za-z0-9+/_-]{8,}={0,2}$/.test(secret)) {
    const text = Buffer.from(secret, 'base64');
    if (mostlyText(text) && isPlaceholder(text.toString('utf8'))) return true;
  }
  return false;
}

/** Byte spans [start, end) of the encoded runs in buf[0, limit) that decode to text (scanSegments). */
export function encodedSpans(detector: Detector, buf: Buffer, limit: number, out: number[]): void {
  for (const run of encodedRuns(detector, buf, limit)) out.push(run.start, run.end);
}

/** Percent-encoded URLs, JSON strings with escapes, and base64 runs that decode to text. */
function encodedRuns(detector: Detector, buf: Buffer, limit: number): EncodedRun[] {
  return [
    ...percentRuns(buf, limit, keywordGate(detector, 'percent')),
    ...jsonRuns(buf, limit, keywordGate(detector, 'json')),
    ...base64Runs(buf, limit),
  ];
}

// Runs are found with memchr-speed indexOf and one table-driven pass over the bytes: a regex over
// a log full of paths and ids matches so often that it dominated the scan (30 MB/s).

/** `%` followed by two hex digits; the caller moves `next.lastIndex` past each run. */
function* percentHits(buf: Buffer, limit: number, next: { lastIndex: number }): Generator<{ index: number }> {
  for (let i = buf.indexOf(0x25); i !== -1 && i < limit; i = buf.indexOf(0x25, Math.max(i + 1, next.lastIndex))) {
    if (i + 2 < buf.length && isHex(buf[i + 1]!) && isHex(buf[i + 2]!)) yield { index: i };
  }
}

/** Bytes that may follow a backslash in a JSON string. */
const JSON_ESCAPED = (() => {
  const t = new Uint8Array(256);
  for (const c of [0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74, 0x75]) t[c] = 1;
  return t;
})();

function* jsonHits(buf: Buffer, limit: number, next: { lastIndex: number }): Generator<{ index: number }> {
  for (let i = buf.indexOf(0x5c); i !== -1 && i < limit; i = buf.indexOf(0x5c, Math.max(i + 2, next.lastIndex))) {
    if (i + 1 < buf.length && JSON_ESCAPED[buf[i + 1]!]) yield { index: i };
  }
}

/** base64 alphabet bytes: 2 = upper case, 4 = lower case, 1 = digit or + / _ - */
const B64 = (() => {
  const t = new Uint8Array(256);
  for (const ch of '0123456789+/_-') t[ch.charCodeAt(0)] = 1;
  for (let c = 0x41; c <= 0x5a; c++) t[c] = 2;
  for (let c = 0x61; c <= 0x7a; c++) t[c] = 4;
  return t;
})();

/**
 * Runs of 16+ base64 characters (and padding) that mix upper and lower case: [start, end, ...].
 * This runs over every byte of every file, so it skips like Boyer-Moore: when the byte 15 ahead is
 * not base64, no run of 16 can start in between, and 16 bytes are passed over with one lookup.
 */
function base64Hits(buf: Buffer, limit: number): number[] {
  const out: number[] = [];
  const n = buf.length;
  let i = 0; // every run that starts before i has been handled
  while (i + 15 < n) {
    if (B64[buf[i + 15]!] === 0) {
      i += 16;
      continue;
    }
    let s = i + 15;
    while (s > i && B64[buf[s - 1]!] !== 0) s--;
    if (s >= limit) break;
    let e = s;
    let kinds = 0;
    while (e < n) {
      const k = B64[buf[e]!]!;
      if (k === 0) break;
      kinds |= k;
      e++;
    }
    if (e - s >= 16 && (kinds & 6) === 6) {
      let end = e;
      while (end < n && end - e < 2 && buf[end] === 0x3d) end++;
      out.push(s, end);
    }
    i = e + 1;
  }
  return out;
}

// Characters of a URL or form body around a %XX escape (no spaces, quotes or brackets).
const URL_BYTE = (() => {
  const t = new Uint8Array(256);
  for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?#[]%")
    t[ch.charCodeAt(0)] = 1;
  t[0x27] = 0; // a quote ends a URL in code and logs
  return t;
})();

function* percentRuns(buf: Buffer, limit: number, gate: RE2 | null): Generator<EncodedRun> {
  const re = { lastIndex: 0 };
  for (const m of percentHits(buf, limit, re)) {
    let a = m.index;
    let b = m.index + 3;
    while (a > 0 && URL_BYTE[buf[a - 1]!] && m.index - a < MAX_RUN) a--;
    while (b < buf.length && URL_BYTE[buf[b]!] && b - m.index < MAX_RUN) b++;
    re.lastIndex = b;
    if (gate && !gate.test(buf.subarray(a, b) as unknown as string)) continue;
    const run = new RunBuilder(buf);
    let plainFrom = a;
    for (let i = buf.indexOf(0x25, a); i !== -1 && i + 2 < b; i = buf.indexOf(0x25, i + 1)) {
      if (!isHex(buf[i + 1]!) || !isHex(buf[i + 2]!)) continue;
      run.plain(plainFrom, i);
      run.escape(i, 3, Buffer.from([(hexValue(buf[i + 1]!) << 4) | hexValue(buf[i + 2]!)]));
      plainFrom = i + 3;
      i += 2;
    }
    run.plain(plainFrom, b);
    yield run.build('percent', a, b);
  }
}

function* jsonRuns(buf: Buffer, limit: number, gate: RE2 | null): Generator<EncodedRun> {
  const re = { lastIndex: 0 };
  for (const m of jsonHits(buf, limit, re)) {
    // The enclosing string: back to the unescaped quote that opens it, on to the one that closes it.
    let a = m.index;
    while (a > 0 && m.index - a < MAX_RUN) {
      const c = buf[a - 1]!;
      if (c === 0x0a || (c === 0x22 && !escaped(buf, a - 1))) break;
      a--;
    }
    let b = m.index;
    while (b < buf.length && b - m.index < MAX_RUN) {
      const c = buf[b]!;
      if (c === 0x0a || (c === 0x22 && !escaped(buf, b))) break;
      b++;
    }
    re.lastIndex = Math.max(b, m.index + 2);
    if (gate && !gate.test(buf.subarray(a, b) as unknown as string)) continue;
    const run = new RunBuilder(buf);
    let plainFrom = a;
    for (let i = buf.indexOf(0x5c, a); i !== -1 && i + 1 < b; i = buf.indexOf(0x5c, i)) {
      run.plain(plainFrom, i);
      const e = buf[i + 1]!;
      let len = 2;
      let out: Buffer;
      const code =
        e === 0x75
          ? unicodeEscape(buf.toString('latin1', i, Math.min(b, i + 12)), 0, Math.min(b, i + 12) - i)
          : undefined;
      if (code) {
        out = Buffer.from(String.fromCodePoint(code.cp), 'utf8');
        len = code.len;
      } else {
        out = Buffer.from([SIMPLE_ESCAPES[e] ?? e]);
      }
      run.escape(i, len, out);
      i += len;
      plainFrom = i;
    }
    run.plain(plainFrom, b);
    yield run.build('json', a, b);
  }
}

/** Builds a decoded run and its map: plain stretches map 1:1, an escape maps to its whole encoding. */
class RunBuilder {
  private readonly parts: Buffer[] = [];
  /** Flat segments: decoded start, encoded start, decoded length, encoded length, 1 = plain. */
  private readonly segs: number[] = [];
  private size = 0;
  constructor(private readonly buf: Buffer) {}

  plain(a: number, b: number): void {
    if (b <= a) return;
    this.parts.push(this.buf.subarray(a, b));
    this.segs.push(this.size, a, b - a, b - a, 1);
    this.size += b - a;
  }

  escape(at: number, encodedLength: number, out: Buffer): void {
    this.parts.push(out);
    this.segs.push(this.size, at, out.length, encodedLength, 0);
    this.size += out.length;
  }

  build(kind: Decoding, start: number, end: number): EncodedRun {
    const segs = this.segs;
    const decoded = Buffer.concat(this.parts, this.size);
    const n = segs.length / 5;
    const map = (i: number, isEnd: boolean): number => {
      if (i >= decoded.length || n === 0) return end;
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (segs[mid * 5]! <= i) lo = mid;
        else hi = mid - 1;
      }
      const k = lo * 5;
      const [ds, es, el, plain] = [segs[k]!, segs[k + 1]!, segs[k + 3]!, segs[k + 4]!];
      if (plain) return es + (i - ds);
      return isEnd && i > ds ? es + el : es;
    };
    return { kind, start, end, decoded, map };
  }
}

function hexValue(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57;
}

/**
 * A keyword test on the ENCODED run, so runs that cannot hold a rule's keyword are not decoded.
 * Each keyword is cut to its longest part that the encoding leaves as it is; null (decode every
 * run) when a part would be too short to be a useful test, or a rule has no keywords.
 */
function keywordGate(detector: Detector, kind: 'percent' | 'json'): RE2 | null {
  let cached = gates.get(detector);
  if (!cached)
    gates.set(
      detector,
      (cached = { percent: buildGate(detector, /[^A-Za-z0-9_.~-]+/), json: buildGate(detector, /["\\/\x00-\x1f]+/) }),
    );
  return cached[kind];
}
const gates = new WeakMap<Detector, { percent: RE2 | null; json: RE2 | null }>();

function buildGate(detector: Detector, unsafe: RegExp): RE2 | null {
  const parts = new Set<string>();
  for (const r of detector.rules) {
    if (r.composite) continue; // formed from its parts' matches: no keywords of its own
    if (r.keywords.length === 0) return null;
    for (const k of r.keywords) {
      const longest = k.split(unsafe).reduce((x, y) => (y.length > x.length ? y : x), '');
      if (longest.length < 3) return null;
      parts.add(longest.toLowerCase());
    }
  }
  if (parts.size === 0) return null;
  return new RE2([...parts].map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'i');
}

const SIMPLE_ESCAPES: Record<number, number> = {
  0x62: 0x08,
  0x66: 0x0c,
  0x6e: 0x0a,
  0x72: 0x0d,
  0x74: 0x09,
  0x22: 0x22,
  0x5c: 0x5c,
  0x2f: 0x2f,
};

/** \uXXXX at i, with a following low surrogate joined: code point and encoded length. */
function unicodeEscape(text: string, i: number, end: number): { cp: number; len: number } | undefined {
  const hex = /^[0-9A-Fa-f]{4}$/;
  const h = text.slice(i + 2, i + 6);
  if (i + 6 > end || !hex.test(h)) return undefined;
  const cu = parseInt(h, 16);
  if (cu >= 0xd800 && cu < 0xdc00 && text.startsWith('\\u', i + 6) && i + 12 <= end) {
    const l = text.slice(i + 8, i + 12);
    if (hex.test(l)) {
      const lo = parseInt(l, 16);
      if (lo >= 0xdc00 && lo < 0xe000) return { cp: 0x10000 + ((cu - 0xd800) << 10) + (lo - 0xdc00), len: 12 };
    }
  }
  if (cu >= 0xd800 && cu < 0xe000) return { cp: 0xfffd, len: 6 };
  return { cp: cu, len: 6 };
}

/** Whether the byte at i is preceded by an odd number of backslashes. */
function escaped(buf: Buffer, i: number): boolean {
  let n = 0;
  while (i - n - 1 >= 0 && buf[i - n - 1] === 0x5c) n++;
  return n % 2 === 1;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/**
 * base64 and base64url runs that decode to text (Kubernetes Secret data, .dockerconfigjson auths,
 * Basic auth). Runs must mix upper and lower case (base64 of ASCII text always does; paths, hex
 * and words rarely do) and decode to mostly printable bytes.
 */
function* base64Runs(buf: Buffer, limit: number): Generator<EncodedRun> {
  const hits = base64Hits(buf, limit);
  for (let h = 0; h < hits.length; h += 2) {
    const m = { index: hits[h]!, length: hits[h + 1]! - hits[h]! };
    if (m.length > MAX_RUN || m.length < MIN_BASE64) continue;
    // Most runs are identifiers in code, not base64: decode 16 characters first and give up unless
    // they are printable text (the full decode and its copies cost a third of a source scan).
    if (!printableProbe(buf, m.index)) continue;
    const run = buf.toString('latin1', m.index, m.index + m.length);
    const body = run.replace(/=+$/, '');
    if (body.length < MIN_BASE64 || body.length % 4 === 1) continue;
    const decoded = Buffer.from(body, 'base64');
    if (!mostlyText(decoded)) continue;
    const start = m.index;
    const end = m.index + run.length;
    if (INLINE_SOURCE_MAP.test(buf.toString('latin1', Math.max(0, start - 100), start))) {
      yield inlineSourceMap(decoded, start, end);
      continue;
    }
    yield {
      kind: 'base64',
      start,
      end,
      decoded,
      // Each 3 decoded bytes come from 4 encoded characters; spans widen to whole groups.
      map: (i, isEnd) =>
        isEnd
          ? Math.min(end, start + Math.ceil(i / 3) * 4 + (i >= decoded.length ? run.length - body.length : 0))
          : start + Math.floor(i / 3) * 4,
    };
  }
}

/** base64 and base64url character → 6-bit value; 255 = not base64. */
const B64_VALUE = (() => {
  const t = new Uint8Array(256).fill(255);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < 64; i++) t[alphabet.charCodeAt(i)] = i;
  t[0x2d] = 62; // -
  t[0x5f] = 63; // _
  return t;
})();

function printableByte(c: number): boolean {
  return (c >= 0x20 && c < 0x7f) || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** Whether the first 16 base64 characters at `at` decode to 12 printable bytes (no allocation). */
function printableProbe(buf: Buffer, at: number): boolean {
  if (at + 16 > buf.length) return false;
  for (let g = at; g < at + 16; g += 4) {
    const v =
      (B64_VALUE[buf[g]!]! << 18) |
      (B64_VALUE[buf[g + 1]!]! << 12) |
      (B64_VALUE[buf[g + 2]!]! << 6) |
      B64_VALUE[buf[g + 3]!]!;
    if (!printableByte((v >> 16) & 0xff) || !printableByte((v >> 8) & 0xff) || !printableByte(v & 0xff)) return false;
  }
  return true;
}

function mostlyText(b: Buffer): boolean {
  if (b.length < 8) return false;
  let bad = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0x20 && c < 0x7f)) continue;
    if (c >= 0x80) continue; // UTF-8 text
    bad++;
  }
  return bad === 0 && printableShare(b) >= 0.9;
}

function printableShare(b: Buffer): number {
  let ok = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c >= 0x20 && c < 0x7f) ok++;
    else if (c === 0x09 || c === 0x0a || c === 0x0d) ok++;
  }
  return ok / b.length;
}
