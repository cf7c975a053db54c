// Composite rules: a credential made of several parts (a key id and its secret) found within a few
// lines of each other becomes one candidate. Pure.

import type { Candidate } from '../types.js';
import type { Detector, RawMatch } from './detector.js';
import type { Rule } from './rules.js';

export interface CompositeSpec {
  readonly rule: Rule;
  readonly parts: readonly string[];
  readonly withinLines: number;
}

export function compositesOf(rules: readonly Rule[]): CompositeSpec[] {
  const ids = new Set(rules.filter((r) => !r.composite).map((r) => r.id));
  const out: CompositeSpec[] = [];
  for (const r of rules) {
    // A composite with a part switched off (disabled_rules) is off too.
    if (r.composite?.parts.every((p) => ids.has(p)))
      out.push({ rule: r, parts: r.composite.parts, withinLines: r.composite.withinLines });
  }
  return out;
}

/**
 * The composite post-pass over one push's candidates (in text order): where every part of a
 * composite was found within its line window, the parts become ONE candidate of the composite
 * rule, secret = the parts' secrets joined by "\n" in `parts` order, placed at the part found
 * first in the text. Each candidate of the first part is paired with the nearest unused
 * candidate of every other part, so repeated pairs (several profiles in one file) stay apart.
 * Other candidates over a consumed part's span (a generic rule on the same password) go too.
 * Finally, candidates of part-only rules that formed no composite are dropped.
 */
export function combineParts(detector: Detector, cands: Candidate[], spans: readonly RawMatch[]): Candidate[] {
  // Most calls (a batch segment, a file) have no part at all: nothing to combine or drop.
  if (!cands.some((c) => detector.parts.has(c.ruleId))) return cands;
  const used = new Set<number>();
  const replaced = new Map<number, Candidate>(); // index of the first part → composite candidate
  const consumed: RawMatch[] = [];
  // A generic part (a password next to a user name) never takes bytes a specific provider rule
  // matched on its own: a Packagist token in a "password" field stays a Packagist token.
  const claimed = new Set<number>();
  cands.forEach((c, i) => {
    if (!detector.partOnly.has(c.ruleId)) return;
    const m = spans[i]!;
    const byProvider = cands.some(
      (o, j) =>
        j !== i &&
        !detector.partOnly.has(o.ruleId) &&
        detector.ruleById(o.ruleId)?.confidence === 'high' &&
        spans[j]!.start < m.end &&
        m.start < spans[j]!.end,
    );
    if (byProvider) claimed.add(i);
  });
  for (const spec of detector.composites) {
    const byPart = spec.parts.map((p) => {
      const idx: number[] = [];
      cands.forEach((c, i) => c.ruleId === p && !claimed.has(i) && idx.push(i));
      return idx;
    });
    if (byPart.some((l) => l.length === 0)) continue;
    for (const anchor of byPart[0]!) {
      if (used.has(anchor)) continue;
      const line = cands[anchor]!.line;
      const chosen = [anchor];
      for (const list of byPart.slice(1)) {
        let best = -1;
        for (const i of list) {
          if (used.has(i) || chosen.some((j) => spans[j]!.start === spans[i]!.start)) continue;
          const d = Math.abs(cands[i]!.line - line);
          if (d <= spec.withinLines && (best === -1 || d < Math.abs(cands[best]!.line - line))) best = i;
        }
        if (best === -1) break;
        chosen.push(best);
      }
      if (chosen.length !== spec.parts.length) continue;
      const lines = chosen.map((i) => cands[i]!.line);
      if (Math.max(...lines) - Math.min(...lines) > spec.withinLines) continue;
      const first = Math.min(...chosen);
      const at = cands[first]!;
      for (const i of chosen) {
        used.add(i);
        consumed.push(spans[i]!);
      }
      const partLines = chosen.map((i) => cands[i]!.line - at.line);
      replaced.set(first, {
        ruleId: spec.rule.id,
        secret: chosen.map((i) => cands[i]!.secret).join('\n'),
        line: at.line,
        column: at.column,
        excerpt: at.excerpt,
        partLines,
      });
    }
  }
  const out: Candidate[] = [];
  cands.forEach((c, i) => {
    const composite = replaced.get(i);
    if (composite) return out.push(composite);
    if (used.has(i)) return;
    const m = spans[i]!;
    if (consumed.some((p) => m.start < p.end && p.start < m.end)) return;
    if (detector.partOnly.has(c.ruleId)) return;
    out.push(c);
  });
  return out;
}
