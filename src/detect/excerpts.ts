// Excerpts: the bounded part of a line shown around a match, with every secret in it masked.

import { redact, secretForms } from '../secret/redact.js';
import type { RawMatch } from './detector.js';

const EXCERPT_RADIUS = 40;

/**
 * The matches that can touch the line [ls, le) (sorted by start): a log where a rule fires on every
 * line has thousands per chunk, and passing them all to excerpt() made each chunk quadratic.
 */
export function onLine(all: readonly RawMatch[], ls: number, le: number): readonly RawMatch[] {
  const from = ls - 8192; // a multi-line match (a PEM block) starting before the line may still reach into it
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (all[mid]!.start < from) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < all.length && all[end]!.start < le) end++;
  return lo === 0 && end === all.length ? all : all.slice(lo, end);
}

/** Bytes [start, end) to mask, and what to redact() in their place. */
interface Hidden {
  readonly start: number;
  readonly end: number;
  readonly secret: string;
  /** A copy of a secret that no match covers (copies()). */
  readonly copy?: true;
}

/**
 * Every copy of a secret on the line [ls, le) that could reach into the excerpt around `m`, in any
 * form secretForms() knows: a secret shown again after the match (`echo X`, `# was: X`), or
 * encoded, is as much a leak as the match itself.
 */
function copies(buf: Buffer, ls: number, le: number, m: RawMatch, all: readonly RawMatch[]): Hidden[] {
  const out: Hidden[] = [];
  const secrets = new Set<string>([m.secret]);
  for (const o of all) secrets.add(o.secret);
  for (const secret of secrets)
    for (const form of secretForms(secret)) {
      const needle = Buffer.from(form, 'utf8');
      // Only copies that can touch the excerpt: at most EXCERPT_RADIUS bytes from the match.
      const from = Math.max(ls, m.start - EXCERPT_RADIUS - needle.length);
      const near = buf.subarray(from, Math.min(le, m.end + EXCERPT_RADIUS + needle.length));
      for (let i = near.indexOf(needle); i !== -1; i = near.indexOf(needle, i + 1))
        out.push({ start: from + i, end: from + i + needle.length, secret: form, copy: true });
    }
  return out;
}

/** A bounded excerpt of the line around a match, with every secret in it (and every copy of one) redacted. */
export function excerpt(buf: Buffer, ls: number, le: number, m: RawMatch, all: readonly RawMatch[]): string {
  const hidden: Hidden[] = [...all, ...copies(buf, ls, le, m, all)].sort((x, y) => x.start - y.start);
  let a = Math.max(ls, m.start - EXCERPT_RADIUS);
  let b = Math.min(le, m.end + EXCERPT_RADIUS);
  // Never cut through another secret: a cut-off secret would leak its visible part. A copy at the
  // edge is taken in whole (masked, it shows only its length).
  for (const o of hidden) {
    if (o === m) continue;
    if (o.start < a && o.end > a) a = o.copy ? o.start : Math.min(o.end, m.start);
    if (o.start < b && o.end > b) b = o.copy ? o.end : Math.max(o.start, m.end);
  }
  // Widen to whole characters.
  while (a > ls && (buf[a]! & 0xc0) === 0x80) a--;
  while (b < le && (buf[b]! & 0xc0) === 0x80) b++;
  const parts: string[] = [];
  let p = a;
  for (const o of hidden) {
    if (o.end <= a || o.start >= b) continue;
    if (o.start < p) {
      p = Math.max(p, o.end); // overlapping spans (a decoded match over a plain one): mask their union
      continue;
    }
    parts.push(buf.toString('utf8', p, o.start), redact(o.secret));
    p = o.end;
  }
  parts.push(buf.toString('utf8', p, b));
  let s = parts
    .join('')
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, ' ')
    .replace(/\r?\n/g, '⏎');
  if (a > ls) s = '…' + s;
  if (b < le) s = s + '…';
  return s.trim();
}
