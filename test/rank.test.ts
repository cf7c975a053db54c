// Blast radius from facts: liveness, privilege, reach, time, exposure; the five practices; remediation.

import { describe, expect, it } from 'vitest';
import { rankFinding } from '../src/rank/rank.js';
import { inferScope } from '../src/scope/offline.js';
import { expandTemplate } from '../src/detect/template.js';
import type { Finding, Location, Scope } from '../src/types.js';
import { fixtureRule } from './fakes/findings.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const file = (path: string): Location => ({ kind: 'file', path, line: 3, column: 1 });
const git = (path: string, date: string): Location => ({
  kind: 'git',
  commit: 'c0ffee'.padEnd(40, '0'),
  author: 'dev',
  date,
  path,
  line: 3,
  column: 1,
});

function ranked(
  secret: string,
  provider: string,
  locations: Location[],
  patch: Partial<Scope> = {},
  extra: Partial<Finding> = {},
) {
  const rule = fixtureRule(provider, 'high');
  const scope = { ...inferScope(rule, secret, undefined, NOW), ...patch };
  return rankFinding(rule, { scope, confidence: 'high', locations, occurrences: locations.length, ...extra }, NOW);
}
const stripeLive = expandTemplate('sk_live_{{an:24}}', 'rank');
const stripeTest = expandTemplate('sk_test_{{an:24}}', 'rank');

describe('the "separated" practice', () => {
  it.each([
    'test/fixtures/payments.env',
    'examples/checkout.js',
    'spec/stripe_spec.rb',
    'docs/setup.md',
    'fixtures/keys.json',
    'tests/conftest.py',
  ])('is violated by a production key under %s', (path) => {
    const b = ranked(stripeLive, 'stripe', [file('src/app.ts'), file(path)]);
    expect(b.practices.separated).toBe('violated');
    expect(b.evidence?.separated).toContain(path);
  });

  it('holds for a production key outside test paths and for a test-mode key under test/', () => {
    expect(ranked(stripeLive, 'stripe', [file('src/billing.ts')]).practices.separated).toBe('ok');
    expect(ranked(stripeTest, 'stripe', [file('test/billing.test.ts')]).practices.separated).toBe('ok');
  });

  it('counts a live token as production even without a mode in its prefix', () => {
    const gh = expandTemplate('{{github:ghp_}}', 'rank');
    expect(ranked(gh, 'github', [file('examples/ci.yml')], { status: 'live' }).practices.separated).toBe('violated');
    expect(ranked(gh, 'github', [file('examples/ci.yml')]).practices.separated).toBe('unknown');
  });
});

describe('the "expiring" practice', () => {
  it('is violated by a token with no expiry', () => {
    const b = ranked(stripeLive, 'stripe', [file('src/a.ts')]);
    expect(b.practices.expiring).toBe('violated');
    expect(b.evidence?.expiring).toBe('never expires');
    expect(b.reasons).toContain('never expires');
  });

  it('is violated by an expiry more than a year away, and holds for a near one', () => {
    expect(
      ranked('opaque-token-value-1234', 'x', [file('a')], { expiresAt: '2031-01-01T00:00:00Z' }).practices.expiring,
    ).toBe('violated');
    expect(
      ranked('opaque-token-value-1234', 'x', [file('a')], { expiresAt: '2026-09-01T00:00:00Z' }).practices.expiring,
    ).toBe('ok');
    expect(ranked('opaque-token-value-1234', 'x', [file('a')]).practices.expiring).toBe('unknown');
  });
});

describe('rotation and exposure', () => {
  it('a key first committed two years ago violates "rotated" and ranks higher', () => {
    const old = ranked(stripeLive, 'stripe', [git('src/a.ts', '2024-05-01T00:00:00Z')]);
    const fresh = ranked(stripeLive, 'stripe', [git('src/a.ts', '2026-05-20T00:00:00Z')]);
    expect(old.practices.rotated).toBe('violated');
    expect(old.evidence?.rotated).toMatch(/exposed since 2024-05-01 \(761 days\)/);
    expect(fresh.practices.rotated).toBe('ok');
    expect(old.score).toBeGreaterThan(fresh.score);
  });

  it('uses the git first-seen date and says whether it is still at HEAD', () => {
    const b = ranked(
      stripeLive,
      'stripe',
      [file('a')],
      {},
      { firstSeen: { commit: 'abc', date: '2025-01-01T00:00:00Z' }, presentAtHead: false },
    );
    expect(b.practices.rotated).toBe('violated');
    expect(b.reasons).toContain('only in history (still exposed to anyone with a clone)');
  });

  it('counts many occurrences', () => {
    const b = ranked(
      stripeLive,
      'stripe',
      Array.from({ length: 12 }, (_, i) => file(`src/f${i}.ts`)),
    );
    expect(b.reasons).toContain('found in 12 places');
  });
});

describe('liveness and privilege', () => {
  const gh = expandTemplate('{{github:ghp_}}', 'liveness');
  it('a revoked token is info whatever it could do', () => {
    const b = ranked(gh, 'github', [file('a')], {
      status: 'revoked',
      grants: [{ resource: 'repo', access: 'admin' }],
    });
    expect(b.tier).toBe('info');
    expect(b.basis).toBe('lookup');
  });

  it('a live admin token outranks a live read-only one, and reasons name the scopes', () => {
    const admin = ranked(gh, 'github', [file('a')], {
      status: 'live',
      identity: 'fixture',
      grants: [
        { resource: 'repo', access: 'admin' },
        { resource: 'admin:org', access: 'admin' },
      ],
      expiresAt: null,
    });
    const read = ranked(gh, 'github', [file('a')], {
      status: 'live',
      grants: [{ resource: 'read:user', access: 'read' }],
      expiresAt: '2026-08-01T00:00:00Z',
    });
    expect(admin.tier).toBe('critical');
    expect(admin.reasons).toContain('admin access: repo, admin:org');
    expect(admin.practices.scoped).toBe('violated');
    expect(read.practices.scoped).toBe('ok');
    expect(read.score).toBeLessThan(admin.score);
  });

  it('an unverified token is inferred from its type and says so', () => {
    const b = ranked(gh, 'github', [file('a')]);
    expect(b.basis).toBe('inferred');
    expect(b.reasons[0]).toMatch(/inferred from the token; not looked up/);
  });
});

describe('remediation', () => {
  it('falls back to the provider table when the rule has none', () => {
    const b = ranked(expandTemplate('hf_{{an:34}}', 'r'), 'huggingface', [file('a')]);
    expect(b.remediation.revoke).toBe('https://huggingface.co/settings/tokens');
    expect(b.remediation.replaceWith).toMatch(/fine-grained token/);
  });
});

describe('through a real scan', () => {
  it('a live-mode Stripe key in examples/ violates "separated" and "expiring"; the report says inferred', async () => {
    const { scan } = await import('../src/scan/scan.js');
    const { copyFileSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { ROOT, tempDir, cleanupTempDirs } = await import('./helpers.js');
    const rulesDir = tempDir('lr-rules-');
    copyFileSync(join(ROOT, 'rules', 'stripe.yml'), join(rulesDir, 'stripe.yml'));
    const dir = tempDir();
    mkdirSync(join(dir, 'examples'));
    writeFileSync(join(dir, 'examples', 'checkout.js'), `const stripe = require('stripe')('${stripeLive}');\n`);
    const result = await scan({ paths: [dir], threads: 1, rulesDir }).result;
    const f = result.findings[0]!;
    expect(f.scope.environment).toBe('production');
    expect(f.blast.basis).toBe('inferred');
    expect(f.blast.practices.separated).toBe('violated');
    expect(f.blast.evidence?.separated).toMatch(/examples[\\/]checkout\.js/);
    expect(f.blast.practices.expiring).toBe('violated');
    cleanupTempDirs();
  });
});
