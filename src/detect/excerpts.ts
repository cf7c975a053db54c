// Excerpts: the bounded part of a line shown around a match, with every secret in it masked.

import { redact } from '../secret/redact.js';
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

/** A bounded excerpt of the line around a match, with every secret in it redacted. */
export function excerpt(buf: Buffer, ls: number, le: number, m: RawMatch, all: readonly RawMatch[]): string {
  let a = Math.max(ls, m.start - EXCERPT_RADIUS);
  let b = Math.min(le, m.end + EXCERPT_RADIUS);
  // Never cut through another secret: a cut-off secret would leak its visible part.
  for (const o of all) {
    if (o === m) continue;
    if (o.start < a && o.end > a) a = Math.min(o.end, m.start);
    if (o.start < b && o.end > b) b = Math.max(o.start, m.end);
  }
  // Widen to whole characters.
  while (a > ls && (buf[a]! & 0xc0) === 0x80) a--;
  while (b < le && (buf[b]! & 0xc0) === 0x80) b++;
  const parts: string[] = [];
  let p = a;
  for (const o of all) {
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
