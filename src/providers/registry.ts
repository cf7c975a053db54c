// The provider registry: from a provider or a rule, its lookup (chosen by the rule that found the
// token), its remediation, its offline facts. Rules stay in rules/*.yml; test/provider-registry.test.ts
// proves the pieces line up (every lookup reached by a rule, every provider with a rule, a fake per lookup).

import { Detector, scanBuffer } from '../detect/index.js';
import { defaultRulesDir, loadRulesFromDir, type Rule } from '../detect/rules.js';
import { expandTemplate } from '../detect/template.js';
import { LOOKUPS } from './lookup/table.js';
import type { ProviderLookup } from './lookup/types.js';
import { canonicalProvider } from './names.js';
import { PROVIDER_FACTS } from './offline/prefixes.js';
import { PROVIDER_REMEDIATION, type Remediation } from './remediation.js';

export { LOOKUPS } from './lookup/table.js';
export { canonicalProvider } from './names.js';

/** Everything known about one provider, found in one place. */
export interface ProviderEntry {
  /** Canonical name (src/providers/names.ts). */
  readonly provider: string;
  /** Its lookups, in the order they are tried for a rule that is not built in. */
  readonly lookups: readonly ProviderLookup[];
  /** The built-in rules that reach a lookup. */
  readonly lookupRules: readonly string[];
  readonly remediation?: Remediation;
  /** Whether offline facts are keyed on the provider (beyond what a token's own prefix tells). */
  readonly providerFacts: boolean;
}

const BY_RULE = new Map<string, ProviderLookup>();
for (const l of LOOKUPS) for (const id of l.rules) BY_RULE.set(id, l);

/** The provider's entry: lookups, remediation and offline facts, under any spelling of its name. */
export function providerEntry(name: string): ProviderEntry {
  const provider = canonicalProvider(name);
  const lookups = LOOKUPS.filter((l) => canonicalProvider(l.provider) === provider);
  return {
    provider,
    lookups,
    lookupRules: lookups.flatMap((l) => l.rules),
    remediation: PROVIDER_REMEDIATION[provider],
    providerFacts: provider in PROVIDER_FACTS,
  };
}

/** Every provider the registry knows something about (a lookup, remediation or offline facts). */
export function registeredProviders(): string[] {
  const names = [
    ...LOOKUPS.map((l) => canonicalProvider(l.provider)),
    ...Object.keys(PROVIDER_REMEDIATION),
    ...Object.keys(PROVIDER_FACTS),
  ];
  return [...new Set(names)].sort();
}

/** The lookup of a built-in rule for this secret, if the rule has one and the call can verify the secret. */
export function lookupOfRule(ruleId: string, secret: string): ProviderLookup | undefined {
  const lookup = BY_RULE.get(ruleId);
  return lookup && (!lookup.verifies || lookup.verifies(secret)) ? lookup : undefined;
}

/** Whether a rule id is one a lookup is registered for (a built-in rule). */
export const isLookupRule = (ruleId: string): boolean => BY_RULE.has(ruleId);

export type LookupChoice =
  | { readonly lookup: ProviderLookup }
  /** A rule that is not built in, whose secret no built-in rule of its provider accepts. */
  | { readonly refused: string };

/**
 * The lookup for a finding. A built-in rule chooses its own; any other rule (a config file's, a
 * test's) gets the lookup of the provider's built-in rule that accepts the same secret, or none:
 * a cloned repository's rule naming `provider: openai` must not send a local password to OpenAI.
 * `userRules` (--lookup-user-rules) lifts that, falling back to the provider's first lookup.
 */
export function chooseLookup(
  rule: { readonly id: string; readonly provider: string },
  secret: string,
  userRules = false,
): LookupChoice | undefined {
  if (BY_RULE.has(rule.id)) {
    const lookup = lookupOfRule(rule.id, secret);
    return lookup && { lookup };
  }
  const { provider, lookups } = providerEntry(rule.provider);
  const callable = lookups.filter((l) => !l.verifies || l.verifies(secret));
  if (!callable.length) return undefined;
  const accepted = callable.find((l) => l.rules.some((id) => builtinAccepts(id, secret)));
  if (accepted) return { lookup: accepted };
  if (userRules) return { lookup: callable[0]! };
  return {
    refused:
      `not looked up: rule ${rule.id} is not a built-in rule, and no built-in ${provider} rule accepts its match ` +
      '(--lookup-user-rules looks it up anyway)',
  };
}

let builtin: Map<string, Rule> | undefined;
const detectors = new Map<string, Detector>();
const verdicts = new Map<string, boolean>();

/**
 * Whether the built-in rule finds exactly this secret where it finds its own examples' secrets:
 * each example with its secret swapped for this one, through the real detector.
 */
export function builtinAccepts(ruleId: string, secret: string): boolean {
  const key = `${ruleId}\0${secret}`;
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    verdict = accepts(ruleId, secret);
    if (verdicts.size > 10_000) verdicts.clear();
    verdicts.set(key, verdict);
  }
  return verdict;
}

function accepts(ruleId: string, secret: string): boolean {
  builtin ??= new Map(loadRulesFromDir(defaultRulesDir()).map((r) => [r.id, r]));
  const rule = builtin.get(ruleId);
  if (!rule) return false;
  if (rule.composite) {
    const parts = secret.split('\n');
    return (
      parts.length === rule.composite.parts.length && parts.every((p, i) => accepts(rule.composite!.parts[i]!, p))
    );
  }
  let detector = detectors.get(ruleId);
  if (!detector) detectors.set(ruleId, (detector = new Detector([rule])));
  const options = { compose: false, anyPath: rule.path !== undefined };
  return rule.examples.some((template, i) => {
    const text = expandTemplate(template, `${rule.id}#${i}`);
    return scanBuffer(detector, text, options).some(
      (own) =>
        !own.secret.includes('\n') &&
        scanBuffer(detector, text.split(own.secret).join(secret), options).some((c) => c.secret === secret),
    );
  });
}
