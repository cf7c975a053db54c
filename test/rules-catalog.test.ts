// The rule catalog as a whole: ids, remediation, keywords, tiers, templated examples. Each rule's own
// examples go through the rule tester (test/rule-tester.test.ts).

import { describe, expect, it } from 'vitest';
import { checkUniqueIds, defaultRulesDir, loadRulesFromDir } from '../src/detect/rules.js';

const rules = loadRulesFromDir(defaultRulesDir());
describe('the rule catalog', () => {
  it('holds at least 40 rules', () => {
    expect(rules.length).toBeGreaterThanOrEqual(40);
  });

  it('uses every rule id once', () => {
    expect(() => checkUniqueIds(rules)).not.toThrow();
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  it('gives every rule remediation, keywords and a tier', () => {
    for (const r of rules) {
      expect(r.remediation?.revoke, `${r.id}: remediation.revoke`).toBeTruthy();
      expect(r.remediation?.replaceWith, `${r.id}: remediation.replace_with`).toBeTruthy();
      if (!r.composite && !r.path) expect(r.keywords.length, `${r.id}: keywords`).toBeGreaterThan(0);
      expect(r.tier, `${r.id}: tier`).toBeDefined();
    }
  });

  it('keeps realistic tokens out of examples: every example uses the template language', () => {
    for (const r of rules) {
      for (const e of r.examples) expect(e, `${r.id}: ${e}`).toMatch(/\{\{[^}]+\}\}/);
    }
  });
});
