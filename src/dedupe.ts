// One finding per distinct secret per rule, with every place it was seen.

import { createHash } from 'node:crypto';
import { redact } from './report/redact.js';
import { inferScope } from './scope/offline.js';
import { rankFinding } from './rank/rank.js';
import type { Candidate, Finding, Location, Origin } from './types.js';
import type { Rule } from './detect/rules.js';

export function fingerprint(ruleId: string, secret: string): string {
  return createHash('sha256').update(ruleId).update('\0').update(secret).digest('hex');
}

/** Locations kept per finding; `occurrences` still counts them all. */
export const MAX_LOCATIONS = 1000;

export class FindingSet {
  private readonly byKey = new Map<string, Finding>();
  constructor(private readonly rules: ReadonlyMap<string, Rule>, private readonly maxLocations = MAX_LOCATIONS) {}

  /** Record one occurrence; returns the finding when it is new. */
  add(origin: Origin, c: Candidate): Finding | undefined {
    const fp = fingerprint(c.ruleId, c.secret);
    const location: Location = { ...origin, line: c.line, column: c.column, excerpt: c.excerpt, decoded: c.decoded };
    const existing = this.byKey.get(fp);
    if (existing) {
      existing.occurrences += 1 + (c.extra ?? 0);
      if (existing.locations.length < this.maxLocations) existing.locations.push(location);
      return undefined;
    }
    const rule = this.rules.get(c.ruleId);
    if (!rule) throw new Error(`internal: candidate for unknown rule ${c.ruleId}`);
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
    finding.scope = inferScope(rule, c.secret, c.checksum);
    finding.blast = rankFinding(rule, finding);
    this.byKey.set(fp, finding);
    return finding;
  }

  get size(): number {
    return this.byKey.size;
  }

  all(): Finding[] {
    return [...this.byKey.values()];
  }
}
