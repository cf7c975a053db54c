// Every provider with a lookup, against a real HTTP server on 127.0.0.1 that answers like the
// provider's documented API, reached through LEAKRADIUS_ENDPOINT_<PROVIDER>.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrich, endpointVariable, LOOKUPS } from '../src/scope/lookup/index.js';
import { rerank } from '../src/rank/rank.js';
import type { Warning } from '../src/types.js';
import { FakeProviders } from './fakes/server.js';
import { PROVIDER_CASES, tokenOf, type ProviderCase } from './fakes/providers.js';
import { makeFindings } from './fakes/findings.js';

const fake = new FakeProviders(
  Object.fromEntries(
    PROVIDER_CASES.map((c) => [c.provider, { broad: c.broad, narrow: c.narrow, revoked: c.revoked }]),
  ),
);
beforeAll(() => fake.start().then(() => undefined));
afterAll(() => fake.close());

async function lookUp(c: ProviderCase, scenario: string, opts: { token?: string; timeoutMs?: number } = {}) {
  const secret = opts.token ?? tokenOf(c.token);
  const env: NodeJS.ProcessEnv = {};
  for (const p of [c.provider, ...(c.alsoEndpoints ?? [])]) env[endpointVariable(p)] = fake.url(c.provider, scenario);
  const context = (c.context ?? []).join('  ');
  const { findings, rules } = makeFindings([
    { secret, provider: c.ruleProvider ?? c.provider, excerpt: context || undefined },
    ...(c.nearby ?? []).map((s) => ({ secret: s, provider: c.ruleProvider ?? c.provider })),
  ]);
  const warnings: Warning[] = [];
  const summary = await enrich(findings, rules, {
    env,
    deep: c.deep,
    timeoutMs: opts.timeoutMs ?? 3000,
    backoffMs: 5,
    onWarning: (w) => warnings.push(w),
  });
  rerank(findings, new Map(rules.map((r) => [r.id, r]))); // the pipeline ranks once, after scope
  return { finding: findings[0]!, warnings, summary, secret };
}

describe('the lookup table', () => {
  it('covers at least 45 providers, each tested here', () => {
    // Database lookups connect to real servers instead: test/lookup-database.test.ts.
    const providers = new Set(LOOKUPS.map((l) => l.provider).filter((p) => p !== 'database'));
    expect(providers.size).toBeGreaterThanOrEqual(45);
    expect(new Set(PROVIDER_CASES.map((c) => c.provider))).toEqual(providers);
  });
});

describe.each(PROVIDER_CASES.map((c) => [c.provider, c] as const))('%s lookup', (provider, c) => {
  it('ranks a live broad token critical or high, with reasons naming its scopes', async () => {
    const { finding, warnings, secret } = await lookUp(c, 'broad');
    expect(warnings, JSON.stringify(warnings)).toEqual([]);
    expect(finding.scope.status).toBe('live');
    expect(finding.blast.basis).toBe('lookup');
    expect(['critical', 'high']).toContain(finding.blast.tier);
    expect(finding.blast.reasons.join('\n')).toContain(c.mentions);
    // The secret never lands in facts, reasons or the identity.
    const visible = JSON.stringify({ scope: finding.scope, blast: finding.blast });
    expect(visible.includes(secret)).toBe(false);
    expect(fake.seen(provider, 'broad').length).toBeGreaterThan(0);
  });

  it.skipIf(!c.narrow)('ranks a narrow token lower than a broad one', async () => {
    const broad = await lookUp(c, 'broad');
    const narrow = await lookUp(c, 'narrow', { token: c.narrowToken ? tokenOf(c.narrowToken) : undefined });
    expect(narrow.finding.scope.status).toBe('live');
    expect(narrow.finding.blast.score).toBeLessThan(broad.finding.blast.score);
  });

  it('ranks a revoked token info', async () => {
    const { finding, warnings } = await lookUp(c, 'revoked');
    expect(warnings).toEqual([]);
    expect(finding.scope.status).toBe('revoked');
    expect(finding.blast.tier).toBe('info');
  });

  it('retries after 429 (Retry-After: 0) and then succeeds', async () => {
    const { finding } = await lookUp(c, 'flaky');
    expect(finding.scope.status).toBe('live');
    const seen = fake.seen(provider, 'flaky');
    expect(seen.length).toBeGreaterThanOrEqual(2);
  });

  it('gives up after the timeout: unknown, with a warning', async () => {
    const { finding, warnings, secret } = await lookUp(c, 'slow', { timeoutMs: 150 });
    expect(finding.scope.status).toBe('unknown');
    expect(finding.blast.basis).toBe('inferred');
    expect(warnings.length).toBe(1);
    expect(warnings[0]!.message).toMatch(/no answer within 150 ms/);
    expect(JSON.stringify(warnings).includes(secret)).toBe(false);
  });

  it('treats a malformed answer as unknown, with a warning', async () => {
    const { finding, warnings, summary } = await lookUp(c, 'malformed');
    expect(finding.scope.status).toBe('unknown');
    expect(warnings.length).toBe(1);
    expect(summary.unknown).toBeGreaterThanOrEqual(1);
  });
});
