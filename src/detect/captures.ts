// Capture groups: which group of a rule's match is the secret, where its bytes lie, and the
// pattern without groups that the search runs (see Detector.compileScan).

import RE2 from 're2';
import { UsageError } from '../errors.js';
import type { Rule } from './rules.js';

export function compilePath(r: Rule): RE2 {
  try {
    return new RE2(r.path!);
  } catch (err) {
    throw new UsageError(`${r.source}: rule "${r.id}": path does not compile with RE2: ${(err as Error).message}`);
  }
}

export function compilePattern(r: Rule, flags: string): RE2 {
  try {
    return new RE2(r.pattern, flags);
  } catch (err) {
    throw new UsageError(`${r.source}: rule "${r.id}": pattern does not compile with RE2: ${(err as Error).message}`);
  }
}

type IndexedMatch = RegExpExecArray & {
  indices?: Array<[number, number] | undefined> & { groups?: Record<string, [number, number] | undefined> };
};

/** Matches longer than this are not remembered (a PEM block is not repeated verbatim). */
export const SPAN_CACHE_MATCH = 512;
/** Entries remembered per rule before the memory is cleared. */
export const SPAN_CACHE_SIZE = 4096;

/**
 * Where the class that opens at `p[i]` ("[") closes: "]" right after "[" or "[^" is a literal;
 * escapes and [:alpha:] stay inside.
 */
function classEnd(p: string, i: number): number {
  let j = i + 1;
  if (p[j] === '^') j++;
  if (p[j] === ']') j++;
  while (j < p.length && p[j] !== ']') {
    if (p[j] === '\\') j++;
    else if (p[j] === '[' && p[j + 1] === ':') {
      const close = p.indexOf(':]', j + 2);
      if (close !== -1) j = close + 1;
    }
    j++;
  }
  return j;
}

/**
 * Where what starts at `p[i]` ends (exclusive) if it is quoted: an escape (\Q…\E, \x{…}, \p{…} and
 * \P{…} whole) or a class (classEnd); undefined for any other character.
 */
export function quotedEnd(p: string, i: number): number | undefined {
  if (p[i] === '[') return classEnd(p, i) + 1;
  if (p[i] !== '\\') return undefined;
  const next = p[i + 1];
  const close = next === 'Q' ? '\\E' : 'xpP'.includes(next ?? '-') && p[i + 2] === '{' ? '}' : undefined;
  if (close === undefined) return Math.min(i + 2, p.length);
  const end = p.indexOf(close, i + 2);
  return end === -1 ? p.length : end + close.length;
}

/**
 * The pattern with every capture group made non-capturing (same language, same preference), and
 * how many groups it had. Skips escapes, \Q…\E and character classes.
 */
export function withoutCaptures(p: string): { pattern: string; groups: number } {
  let out = '';
  let groups = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    const quoted = quotedEnd(p, i);
    if (quoted !== undefined) {
      out += p.slice(i, quoted);
      i = quoted - 1;
      continue;
    }
    if (c === '(') {
      if (p[i + 1] !== '?') {
        groups++;
        out += '(?:';
        continue;
      }
      const named = /^\(\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(p.slice(i, i + 72));
      if (named) {
        groups++;
        out += '(?:';
        i += named[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  return { pattern: out, groups };
}

/** The secret's bytes in a match found without indices: group "secret", else 1, else the match. */
export function secretGroupValue(m: RegExpExecArray, group: string | number | undefined): Buffer | undefined {
  const g = m as unknown as Buffer[] & { groups?: Record<string, Buffer | undefined> };
  if (typeof group === 'number') return g[group];
  if (typeof group === 'string') return g.groups?.[group];
  if (g.groups && 'secret' in g.groups) return g.groups.secret;
  for (let i = 1; i < g.length; i++) if (g[i] !== undefined) return g[i];
  return g[0];
}

/** Byte span of the secret inside the searched slice: group "secret", else 1, else the match. */
export function secretSpan(m: RegExpExecArray, group: string | number | undefined): [number, number] | undefined {
  const ind = (m as IndexedMatch).indices;
  if (!ind) return undefined;
  if (typeof group === 'number') return ind[group];
  if (typeof group === 'string') return ind.groups?.[group];
  if (ind.groups && 'secret' in ind.groups) return ind.groups.secret;
  for (let i = 1; i < ind.length; i++) if (ind[i]) return ind[i];
  return ind[0];
}
