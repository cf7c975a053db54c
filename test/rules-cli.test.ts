// `leakradius rules` and docs/RULES.md: the catalog as the CLI prints it and as the docs hold it.

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, cleanupTempDirs, runCli, tempDir } from './helpers.js';
import { defaultRulesDir, loadRulesFromDir } from '../src/detect/rules.js';
import { TABLE_END, TABLE_START, catalogMarkdown, ruleCatalog } from '../src/providers/catalog.js';

afterAll(cleanupTempDirs);

interface JsonCatalog {
  counts: { rules: number; providers: number; lookup: number };
  providers: string[];
  rules: Array<{ id: string; provider: string; confidence: string; tier: string | null; lookup: boolean }>;
}

describe('leakradius rules', () => {
  it('lists every rule with id, provider, confidence, tier and lookup, and counts them', async () => {
    const r = await runCli(['rules', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as JsonCatalog;
    const rules = loadRulesFromDir(defaultRulesDir());
    expect(j.counts.rules).toBe(rules.length);
    expect(j.counts.providers).toBe(new Set(rules.map((x) => x.provider)).size);
    expect(j.counts.rules).toBeGreaterThanOrEqual(500);
    expect(j.counts.providers).toBeGreaterThanOrEqual(350);
    const byId = new Map(j.rules.map((e) => [e.id, e]));
    expect(byId.get('github-classic-pat')).toMatchObject({ provider: 'github', confidence: 'high', lookup: true });
    // Stripe looks up secret keys, never webhook signing secrets: lookup follows the secret, not the provider.
    expect(byId.get('stripe-secret-key')?.lookup).toBe(true);
    expect(byId.get('stripe-webhook-secret')?.lookup).toBe(false);
    expect(byId.get('sonarqube-token')).toMatchObject({ provider: 'sonarqube', lookup: false });
  });

  it('prints a text table with a summary line', async () => {
    const r = await runCli(['rules']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+PROVIDER\s+CONFIDENCE\s+TIER\s+LOOKUP$/);
    expect(lines.find((l) => l.startsWith('github-classic-pat '))).toMatch(/github\s+high\s+high\s+yes$/);
    expect(lines.at(-1)).toMatch(/^\d+ rules, \d+ providers, \d+ with a lookup$/);
  });

  it('filters by provider, by the name in the rule or its canonical name', async () => {
    const r = await runCli(['rules', '--provider', 'GitLab', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as JsonCatalog;
    expect(j.rules.length).toBeGreaterThan(5);
    expect(new Set(j.rules.map((e) => e.provider))).toEqual(new Set(['gitlab']));
    const hf = JSON.parse((await runCli(['rules', '-p', 'hugging-face', '--json'])).stdout) as JsonCatalog;
    expect(hf.providers).toEqual(['huggingface']);
  });

  it('exits 2 naming the provider when no rule has it', async () => {
    const r = await runCli(['rules', '--provider', 'no-such-provider']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--provider no-such-provider: no rule has that provider');
  });

  it('lists the rules of a --rules directory instead of the built-in ones', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'rules'));
    writeFileSync(
      join(dir, 'rules', 'corp.yml'),
      [
        'rules:',
        '  - id: corp-token',
        '    name: Corp token',
        '    provider: corp',
        "    pattern: '\\b(corp_[a-f0-9]{24})\\b'",
        '    keywords: [corp_]',
        '    tier: medium',
        "    examples: ['x=corp_{{hex:24}}']",
        "    negative_examples: ['corp_123']",
        '',
      ].join('\n'),
    );
    const r = await runCli(['rules', '--rules', join(dir, 'rules'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as JsonCatalog;
    const corp = { id: 'corp-token', provider: 'corp', confidence: 'medium', tier: 'medium', lookup: false };
    expect(j.rules).toEqual([expect.objectContaining(corp)]);
  });
});

describe('docs/RULES.md', () => {
  it('holds the table the rules generate (after changing rules: npm run rules:table)', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'RULES.md'), 'utf8');
    const start = doc.indexOf(TABLE_START);
    const end = doc.indexOf(TABLE_END);
    expect(start, 'table start marker').toBeGreaterThan(0);
    expect(end, 'table end marker').toBeGreaterThan(start);
    const inDoc = doc.slice(start + TABLE_START.length, end).trim();
    expect(inDoc).toBe(catalogMarkdown(ruleCatalog(loadRulesFromDir(defaultRulesDir()))));
  });
});
