// Lookups a user reaches: `lookup --type` with a bare token, and the README's table of revoked
// signals. That every lookup is reached by a rule is proven in test/provider-registry.test.ts.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandTemplate } from '../src/detect/template.js';
import { LOOKUPS, endpointVariable } from '../src/scope/lookup/index.js';
import { FakeProviders } from './fakes/server.js';
import { ROOT, runCli } from './helpers.js';

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
