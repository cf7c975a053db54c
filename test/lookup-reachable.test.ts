// Every lookup is reachable from a rule: some rule's example, found by the real detector, is a
// finding whose provider and secret select that lookup. A lookup no rule can reach is dead code
// that the README would still promise (`lookup --type pagerduty` used to exit 2).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRulesDir, loadRulesFromDir } from '../src/detect/rules.js';
import { Detector, scanBuffer } from '../src/detect/index.js';
import { expandTemplate } from '../src/detect/template.js';
import { canonicalProvider } from '../src/rank/remediation.js';
import { LOOKUPS, endpointVariable, lookupFor } from '../src/scope/lookup/index.js';
import { FakeProviders } from './fakes/server.js';
import { ROOT, runCli } from './helpers.js';

const rules = loadRulesFromDir(defaultRulesDir());
const detector = new Detector(rules);
const byId = new Map(rules.map((r) => [r.id, r]));

/** Lookup → the rules whose examples reach it. */
function reachers(): Map<(typeof LOOKUPS)[number], string[]> {
  const out = new Map(LOOKUPS.map((l) => [l, [] as string[]]));
  for (const rule of rules)
    rule.examples.forEach((template, i) => {
      for (const c of scanBuffer(detector, expandTemplate(template, `${rule.id}#${i}`), {
        compose: rule.composite !== undefined,
      })) {
        const r = byId.get(c.ruleId)!;
        const lookup = lookupFor(canonicalProvider(r.provider), c.secret, r.type);
        if (lookup) out.get(lookup)!.push(r.id);
      }
    });
  return out;
}

describe('every lookup', () => {
  const found = reachers();
  it.each(LOOKUPS.map((l) => [`${l.provider}: ${l.title}`, l] as const))(
    '%s is reached by a rule',
    (_name, lookup) => {
      expect(found.get(lookup)!.length, `no rule example reaches the ${lookup.title} lookup`).toBeGreaterThan(0);
    },
  );
});

describe('`lookup --type <provider>`', () => {
  it.each(['pagerduty', 'snyk'])('takes a bare %s token and looks it up', async (provider) => {
    const fake = new FakeProviders({
      [provider]: {
        live: { body: provider === 'pagerduty' ? { abilities: ['sso'] } : { id: 'u1', username: 'fixture' } },
      },
    });
    await fake.start();
    const secret = expandTemplate(provider === 'pagerduty' ? '{{b64url:20}}' : '{{uuid}}', `bare-${provider}`);
    const r = await runCli(['lookup', '--type', provider], {
      input: `${secret}\n`,
      env: { LEAKRADIUS_OFFLINE: '', [endpointVariable(provider)]: fake.url(provider, 'live') },
    });
    await fake.close();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('status:     live');
  });
});

describe('the README', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('### When a lookup says `revoked`'),
    readme.indexOf('**Canary tokens.**'),
  );
  it.each(LOOKUPS.map((l) => [l.title, l] as const))('names the definitive revoked signal for %s', (title) => {
    const name = title.replace(/\s*\(.*\)$/, '');
    const words = name.split(' ');
    expect(
      [name, words[0]!, words.at(-1)!].some((w) => section.includes(w)),
      `${title} missing from the README table`,
    ).toBe(true);
  });
});
