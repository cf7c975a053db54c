// Findings built through the real FindingSet (offline scope and rank included), for lookup and
// rank tests that do not need a scan.

import { FindingSet } from '../../src/dedupe/finding-set.js';
import { rerank } from '../../src/rank/rank.js';
import type { Rule } from '../../src/detect/rules.js';
import { builtinAccepts, chooseLookup } from '../../src/providers/registry.js';
import type { Finding, Origin, Tier } from '../../src/types.js';

export function fixtureRule(provider: string, tier: Tier = 'high', id = `${provider}-fixture`): Rule {
  return {
    id,
    name: `${provider} fixture token`,
    provider,
    type: 'token',
    pattern: 'x',
    keywords: [],
    confidence: 'high',
    before: 256,
    after: 1024,
    placeholders: true,
    tier,
    examples: [],
    negativeExamples: [],
    source: 'test',
  };
}

export interface Placed {
  readonly secret: string;
  readonly provider: string;
  readonly tier?: Tier;
  readonly origin?: Origin;
  readonly line?: number;
  readonly excerpt?: string;
}

/**
 * The built-in rule a scan would report this secret under: the one of its provider's lookups whose
 * rules accept it (else the provider's first lookup), so the finding takes the path a scan's does.
 */
function builtinRuleId(provider: string, secret: string): string | undefined {
  const choice = chooseLookup({ id: `${provider}-fixture`, provider }, secret, true);
  if (!choice || !('lookup' in choice)) return undefined;
  return choice.lookup.rules.find((id) => builtinAccepts(id, secret)) ?? choice.lookup.rules[0];
}

/** One finding per secret, all at the same place unless told otherwise; returns them in order. */
export function makeFindings(items: readonly Placed[]): { findings: Finding[]; rules: Rule[] } {
  const ids = new Set<string>();
  const rules = items.map((it, i) => {
    const builtin = builtinRuleId(it.provider, it.secret);
    // Ids stay unique (each item keeps its own tier): a second secret of that rule, or one whose provider
    // has no lookup, keeps a fixture id and is chosen as any rule that is not built in.
    const id = builtin && !ids.has(builtin) ? builtin : `${it.provider}-fixture-${i}`;
    ids.add(id);
    return fixtureRule(it.provider, it.tier ?? 'high', id);
  });
  const set = new FindingSet(new Map(rules.map((r) => [r.id, r])));
  const findings = items.map((it, i) => {
    const origin = it.origin ?? { kind: 'file', path: 'config/app.env' };
    const f = set.add(origin, {
      ruleId: rules[i]!.id,
      secret: it.secret,
      line: it.line ?? i + 1,
      column: 1,
      excerpt: it.excerpt,
    });
    if (!f) throw new Error('duplicate secret in makeFindings');
    return f;
  });
  rerank(findings, new Map(rules.map((r) => [r.id, r]))); // as the pipeline ranks after dedupe
  return { findings, rules };
}
