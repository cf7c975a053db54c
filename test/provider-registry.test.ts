// The provider registry lines up with the rules: every lookup is reached by a built-in rule's
// example, every provider the registry advertises has a rule, every lookup has a fake, and every
// key a rule file may hold is read by the code (a key nothing reads is a silent skip).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Detector, scanBuffer } from '../src/detect/index.js';
import { defaultRulesDir, loadRulesFromDir, parseRuleFile, ruleSchemaKeys } from '../src/detect/rules.js';
import { expandTemplate } from '../src/detect/template.js';
import {
  LOOKUPS,
  canonicalProvider,
  chooseLookup,
  lookupOfRule,
  providerEntry,
  registeredProviders,
} from '../src/providers/registry.js';
import { CONTRACT_FAKES } from './fakes/contracts.js';
import { PROVIDER_CASES, tokenOf } from './fakes/providers.js';
import { ROOT } from './helpers.js';

const rules = loadRulesFromDir(defaultRulesDir());
const byId = new Map(rules.map((r) => [r.id, r]));
const detector = new Detector(rules);

/** Lookup title → the built-in rules whose examples, found by the real detector, reach it. */
function reachers(): Map<string, string[]> {
  const out = new Map(LOOKUPS.map((l) => [l.title, [] as string[]]));
  for (const rule of rules)
    rule.examples.forEach((template, i) => {
      const text = expandTemplate(template, `${rule.id}#${i}`);
      for (const c of scanBuffer(detector, text, { compose: rule.composite !== undefined })) {
        const lookup = lookupOfRule(c.ruleId, c.secret);
        if (lookup) out.get(lookup.title)!.push(c.ruleId);
      }
    });
  return out;
}

describe('every lookup', () => {
  const found = reachers();
  it.each(LOOKUPS.map((l) => [`${l.provider}: ${l.title}`, l] as const))('%s', (_name, lookup) => {
    // Reached by a rule: a lookup no rule reaches is dead code the README would still promise.
    expect(found.get(lookup.title)!.length, `no rule example reaches the ${lookup.title} lookup`).toBeGreaterThan(0);
    // Names rules that exist, of its own provider.
    for (const id of lookup.rules) {
      const rule = byId.get(id);
      expect(rule, `${lookup.title}: rule ${id} does not exist`).toBeDefined();
      expect(canonicalProvider(rule!.provider), `${lookup.title}: rule ${id}`).toBe(
        canonicalProvider(lookup.provider),
      );
    }
    // Has a fake: a contract fake (test/fakes/contracts.ts) or a provider case that reaches it.
    const cases = PROVIDER_CASES.filter((c) => {
      const choice = chooseLookup({ id: 'fake', provider: c.ruleProvider ?? c.provider }, tokenOf(c.token));
      return choice && 'lookup' in choice && choice.lookup === lookup;
    });
    expect(
      Boolean(CONTRACT_FAKES[lookup.title]) || cases.length > 0,
      `${lookup.title} has no fake in test/fakes`,
    ).toBe(true);
  });

  it('is chosen by exactly one list of rules: no rule reaches two lookups', () => {
    const seen = new Map<string, string>();
    for (const l of LOOKUPS)
      for (const id of l.rules) {
        expect(seen.get(id), `${id} is listed by ${seen.get(id)} and ${l.title}`).toBeUndefined();
        seen.set(id, l.title);
      }
  });
});

describe('every provider the registry advertises', () => {
  const ruleProviders = new Set(rules.map((r) => canonicalProvider(r.provider)));
  it.each(registeredProviders())('%s has a built-in rule', (provider) => {
    expect(ruleProviders.has(provider), `${provider} has a lookup, remediation or facts, but no rule`).toBe(true);
  });

  it('finds a provider under any spelling the rules use', () => {
    expect(providerEntry('Hugging Face').provider).toBe('huggingface');
    expect(providerEntry('grafana').lookups.map((l) => l.title)).toEqual(['Grafana', 'Grafana Cloud access policy']);
    expect(providerEntry('github').remediation?.revoke).toMatch(/github\.com/);
  });
});

describe('a rule that is not built in', () => {
  it('gets the lookup of the built-in rule that accepts its match', () => {
    const pat = expandTemplate('{{github:ghp_}}', 'registry-user-rule');
    const choice = chooseLookup({ id: 'my-github', provider: 'GitHub' }, pat);
    expect(choice && 'lookup' in choice && choice.lookup.title).toBe('GitHub');
  });

  it('is refused when no built-in rule of its provider accepts the match, unless user rules are allowed', () => {
    const password = expandTemplate('{{an:20}}', 'registry-password');
    const refused = chooseLookup({ id: 'my-openai', provider: 'openai' }, password);
    expect(refused && 'refused' in refused && refused.refused).toMatch(/my-openai.*--lookup-user-rules/);
    const allowed = chooseLookup({ id: 'my-openai', provider: 'openai' }, password, true);
    expect(allowed && 'lookup' in allowed && allowed.lookup.title).toBe('OpenAI');
  });
});

/** Where each schema key lands on a Rule (a key with no field must be rejected by the schema). */
const FIELDS: Record<string, readonly string[]> = {
  secret_group: ['secretGroup'],
  context: ['before', 'after'],
  negative_examples: ['negativeExamples'],
  report_alone: ['reportAlone'],
  parts: ['composite'],
  within_lines: ['composite'],
  remediation: ['remediation'],
  lookup: [],
};
/** Keys read by people, not code: links to the provider's documentation. */
const DOCUMENTATION = new Set(['references']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('every key a rule file may hold', () => {
  // `r.field` is a read; the schema-to-Rule mapping writes `field: …`.
  const code = sourceFiles(join(ROOT, 'src'))
    .map((p) => readFileSync(p, 'utf8'))
    .join('\n');
  const { rule, composite } = ruleSchemaKeys();
  it.each([...new Set([...rule, ...composite])])('%s is read, or rejected with a clear error', (key) => {
    if (DOCUMENTATION.has(key)) return;
    const fields = FIELDS[key] ?? [key];
    if (fields.length === 0) {
      const yaml = [
        'rules:',
        '  - id: x',
        '    name: x',
        "    pattern: 'x(y)'",
        "    examples: ['xy']",
        "    negative_examples: ['x']",
        `    ${key}: {}`,
        '',
      ].join('\n');
      expect(() => parseRuleFile(yaml, 'custom.yml')).toThrow(new RegExp(`custom.yml: rule "x": ${key}: .*remove`));
      return;
    }
    for (const f of fields)
      expect(new RegExp(`\\.${f}\\b`).test(code), `${key} → Rule.${f} is read nowhere`).toBe(true);
  });
});
