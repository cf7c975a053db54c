// One finding per distinct secret per rule, with every place it was seen and, in history, when it
// was first and last added. The only dedupe of findings (blob-repeats.ts bounds a blob's repeats).

import { redact } from '../secret/redact.js';
import { fingerprint } from '../secret/fingerprint.js';
import { inferScope } from '../scope/offline.js';
import type { Candidate, Finding, Location, Origin } from '../types.js';
import type { Rule } from '../detect/rules.js';
import { fixtureReason } from '../detect/fixture.js';
import { SeenTracker } from './seen.js';

// Keyed, so a report's fingerprints cannot be reversed with a word list (src/secret/fingerprint.ts).
export { fingerprint };

/**
 * Locations kept per finding; `occurrences` still counts them all. Which ones are kept does not
 * depend on the order in which workers deliver them: the first places in `placeOrder`.
 */
export const MAX_LOCATIONS = 1000;

export class FindingSet {
  private readonly byKey = new Map<string, Finding>();
  /** The commit order of each git location, for the cut to MAX_LOCATIONS. */
  private readonly orderOf = new WeakMap<Location, number>();
  /** Oldest and newest commit of each secret (git origins only). */
  readonly seen = new SeenTracker();
  constructor(
    private readonly rules: ReadonlyMap<string, Rule>,
    private readonly maxLocations = MAX_LOCATIONS,
  ) {}

  /**
   * Record one occurrence; returns the finding when it is new (scoped offline, not yet ranked).
   * `order`: the commit's place in history, larger = newer (orders commits of equal dates).
   */
  add(origin: Origin, c: Candidate, order = 0): Finding | undefined {
    const fp = fingerprint(c.ruleId, c.secret);
    if (origin.kind === 'git') this.seen.add(fp, origin, order);
    const parts = c.partLines?.map((d) => c.line + d);
    const location: Location = {
      ...origin,
      line: c.line,
      column: c.column,
      excerpt: c.excerpt,
      decoded: c.decoded,
      ...(parts ? { endLine: Math.max(...parts), parts } : {}),
    };
    const rule = this.rules.get(c.ruleId);
    if (!rule) throw new Error(`internal: candidate for unknown rule ${c.ruleId}`);
    const fixture = fixtureReason(rule, c.secret, { path: pathOf(origin), excerpt: c.excerpt });
    if (order) this.orderOf.set(location, order);
    const existing = this.byKey.get(fp);
    if (existing) {
      existing.occurrences += 1 + (c.extra ?? 0);
      // Up to twice the cap, then cut back to the first places: bounded, and the same list
      // whichever worker's locations arrive first.
      existing.locations.push(location);
      if (existing.locations.length >= 2 * this.maxLocations) this.cut(existing);
      // A fixture only while every place it was seen is a fixture's place.
      if (existing.fixture && !fixture) existing.fixture = undefined;
      return undefined;
    }
    const confidence = c.checksum === 'invalid' ? 'low' : c.checksum === 'valid' ? 'high' : rule.confidence;
    const finding = {
      rule: rule.id,
      ruleName: rule.name,
      provider: rule.provider,
      type: rule.type,
      fingerprint: fp,
      redacted: redact(c.secret),
      confidence,
      locations: [location],
      occurrences: 1 + (c.extra ?? 0),
    } as Omit<Finding, 'secret' | 'scope' | 'blast'> as Finding;
    // Non-enumerable: JSON.stringify and object spreads never carry the secret along.
    Object.defineProperty(finding, 'secret', { value: c.secret, enumerable: false });
    if (fixture) finding.fixture = fixture;
    finding.scope = inferScope(rule, c.secret, c.checksum);
    this.byKey.set(fp, finding);
    return finding;
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Every finding, one per secret and place: where rules overlap, the most specific one (see foldOverlaps). */
  all(): Finding[] {
    for (const f of this.byKey.values()) if (f.locations.length > this.maxLocations) this.cut(f);
    return foldOverlaps([...this.byKey.values()], this.rules);
  }

  /** Keeps the finding's first MAX_LOCATIONS places in `placeOrder`. */
  private cut(f: Finding): void {
    const order = (l: Location) => this.orderOf.get(l) ?? 0;
    f.locations.sort((a, b) => placeOrder(a, b, order));
    f.locations.length = this.maxLocations;
  }
}

/**
 * A total order of places: git commits oldest first (a larger order is newer), then path, line,
 * column; for the cut to MAX_LOCATIONS, which keeps where a secret was first seen.
 */
export function placeOrder(a: Location, b: Location, order: (l: Location) => number): number {
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  if (a.kind === 'git' && b.kind === 'git') {
    const o = order(a) - order(b);
    if (o) return o;
    if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  }
  const pa = pathOf(a) ?? '';
  const pb = pathOf(b) ?? '';
  if (pa !== pb) return pa < pb ? -1 : 1;
  return a.line - b.line || a.column - b.column;
}

function pathOf(origin: Origin): string | undefined {
  return origin.kind === 'file' || origin.kind === 'git'
    ? origin.path
    : origin.kind === 'archive'
      ? origin.chain.join('!')
      : undefined;
}

/** Lower is more specific: a provider's own format, then a pair, then a typed config rule, then a name-keyed guess. */
function specificity(rule: Pick<Rule, 'id' | 'provider' | 'composite' | 'type'> | undefined): number {
  if (!rule) return 5;
  if (rule.composite) return 1;
  // A rule for the encoded form (a base64 PEM) yields to the decoder's finding of what it encodes.
  if (rule.type.endsWith('-base64')) return 2;
  if (rule.provider === 'generic') return rule.id === 'generic-secret-assignment' ? 3 : 4;
  if (rule.provider === 'login') return 4;
  if (['database', 'url', 'config', 'credential-file', 'password-hash'].includes(rule.provider)) return 2;
  return 0;
}

/** Where a location is, to the line: two rules at the same such place saw the same secret. */
function placeOf(l: Location): string {
  const where =
    l.kind === 'file'
      ? l.path
      : l.kind === 'git'
        ? `${l.commit}:${l.path}`
        : l.kind === 'archive'
          ? l.chain.join('!')
          : '-';
  return `${l.kind}\0${where}`;
}

/** Lines apart that a pair's parts and a single rule's match may be and still be the same secret. */
const PART_LINES = 10;

/**
 * One finding per secret: where several rules matched the same secret (or a part of a pair, or
 * its encoded form at the same column) at the same place, keep the most specific rule's finding
 * and list the others in `alsoMatched`.
 */
export function foldOverlaps(
  findings: Finding[],
  rules: ReadonlyMap<string, Pick<Rule, 'id' | 'provider' | 'composite' | 'type'>>,
): Finding[] {
  if (findings.length < 2) return findings;
  const rank = (f: Finding) => specificity(rules.get(f.rule));
  const order = [...findings].sort((a, b) => rank(a) - rank(b));
  // Per place: the kept findings' spots (line, column, secret parts).
  const kept = new Map<string, Array<{ f: Finding; line: number; column: number; parts: Set<string> }>>();
  const dropped = new Set<Finding>();
  for (const f of order) {
    const parts = new Set(f.secret.split('\n'));
    // Folded only when every place it was seen holds a more specific finding of the same secret.
    let into: Finding | undefined;
    const covered = f.locations.every((l) => {
      const k = (kept.get(placeOf(l)) ?? []).find(
        (k) =>
          (rank(k.f) < rank(f) || (k.f.secret === f.secret && k.line === l.line && k.column === l.column)) &&
          ((k.line === l.line && k.column === l.column) ||
            (l.line >= k.line && l.line <= k.line + PART_LINES && [...parts].some((p) => k.parts.has(p)))),
      );
      into ??= k?.f;
      return k !== undefined;
    });
    if (covered && into) {
      (into.alsoMatched ??= []).push(f.rule);
      dropped.add(f);
      continue;
    }
    for (const l of f.locations) {
      const p = placeOf(l);
      if (!kept.has(p)) kept.set(p, []);
      kept.get(p)!.push({ f, line: l.line, column: l.column, parts });
    }
  }
  return dropped.size ? findings.filter((f) => !dropped.has(f)) : findings;
}
