// Every rule carries its own test cases (ESLint's RuleTester, Nosey Parker's rule examples):
// each example must produce a candidate for its rule through the real detector, and each
// negative example must not.

import { describe, expect, it } from 'vitest';
import { checkUniqueIds, defaultRulesDir, loadRulesFromDir, type Rule } from '../src/detect/rules.js';
import { Detector, scanBuffer } from '../src/detect/index.js';
import { expandTemplate } from '../src/detect/template.js';

const rules = loadRulesFromDir(defaultRulesDir());
const detector = new Detector(rules);

// A composite rule's examples are scanned as a scan would (parts become one candidate); every
// other rule's with composites off, so its own match counts even where a composite absorbs it.
function ruleIdsFound(text: string, rule: Rule): string[] {
  // A path rule's examples are file contents, scanned as if at a path it names.
  const options = { compose: rule.composite !== undefined, anyPath: rule.path !== undefined };
  return scanBuffer(detector, text, options).map((c) => c.ruleId);
}

function cases(rule: Rule, list: readonly string[], kind: 'example' | 'negative'): Array<[string, string]> {
  return list.map((template, i) => {
    const seed = kind === 'example' ? `${rule.id}#${i}` : `${rule.id}#negative#${i}`;
    return [`${kind} ${i + 1}: ${template.replace(/\s+/g, ' ').slice(0, 70)}`, expandTemplate(template, seed)];
  });
}

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

describe.each(rules.map((r) => [r.id, r] as const))('rule %s', (id, rule) => {
  it.each(cases(rule, rule.examples, 'example'))('finds %s', (_label, text) => {
    const found = ruleIdsFound(text, rule);
    expect(found, `expanded example:\n${text}`).toContain(id);
  });

  it.each(cases(rule, rule.negativeExamples, 'negative'))('ignores %s', (_label, text) => {
    const found = ruleIdsFound(text, rule);
    expect(found, `expanded negative example:\n${text}`).not.toContain(id);
  });
});
