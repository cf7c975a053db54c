// A rule's pattern is compiled only where a cheap superset of it (long counts left open,
// src/detect/relaxed.ts) matches the window: the superset must hold every match of the pattern,
// so that what the scan finds does not change.

import { describe, expect, it } from 'vitest';
import RE2 from 're2';
import { Detector } from '../src/detect/index.js';
import { relaxedCounts } from '../src/detect/relaxed.js';
import { loadRulesFromDir } from '../src/detect/rules.js';
import { expandTemplate } from '../src/detect/template.js';
import { builtinRulesDir } from '../src/package/own-files.js';

describe('relaxedCounts', () => {
  it('opens long counted repetitions only, never braces that are no repetition', () => {
    expect(relaxedCounts('a{1,200};(?:b{0,80};){0,8}x{2,127}?')).toBe('a{1,};(?:b{0,};){0,8}x{2,}?');
    expect(relaxedCounts('[A-Z]{0,8}c{16}d{3,18}')).toBeUndefined();
    expect(relaxedCounts('e{4,20}')).toBe('e{4,}');
    // Escaped braces, braces in a class, \x{…} and \p{…}, \Q…\E quoting.
    expect(relaxedCounts('\\{1,200}')).toBeUndefined();
    expect(relaxedCounts('[{1,200}]')).toBeUndefined();
    expect(relaxedCounts('[]{1,200}]')).toBeUndefined();
    expect(relaxedCounts('[[:alpha:]{1,200}]')).toBeUndefined();
    expect(relaxedCounts('\\Q{1,200}\\E')).toBeUndefined();
    expect(relaxedCounts('\\x{41}{1,200}\\p{Greek}{0,99}')).toBe('\\x{41}{1,}\\p{Greek}{0,}');
  });

  it('matches wherever each built-in rule matches its examples, and compiles', () => {
    const rules = loadRulesFromDir(builtinRulesDir());
    let relaxedRules = 0;
    for (const rule of rules) {
      const relaxed = relaxedCounts(rule.pattern);
      if (relaxed === undefined) continue;
      relaxedRules++;
      const own = new RE2(rule.pattern);
      const open = new RE2(relaxed);
      rule.examples.forEach((example, i) => {
        const text = expandTemplate(example, `relaxed-${rule.id}-${i}`);
        if (own.test(text)) expect(open.test(text), `${rule.id}: ${example}`).toBe(true);
      });
    }
    expect(relaxedRules).toBeGreaterThan(10);
  });
});

describe('the Detector', () => {
  const rules = loadRulesFromDir(builtinRulesDir());
  const index = rules.findIndex((r) => r.id === 'connection-string-password');
  const compiled = (d: Detector) => (d as unknown as { patterns: unknown[] }).patterns[index] !== undefined;
  const find = (d: Detector, text: string) => {
    const buf = Buffer.from(text);
    return d.findMatches(buf, buf.length).filter((m) => m.rule === index);
  };

  it('does not compile a rule where its relaxed pattern finds nothing, and finds its matches where it does', () => {
    const detector = new Detector(rules);
    // The rule's keyword ("password =") without the connection string's ';' before it.
    expect(find(detector, 'password = request.form.get("password")\n')).toEqual([]);
    expect(compiled(detector)).toBe(false);
    const example = expandTemplate(rules[index]!.examples[0]!, 'relaxed-detector');
    expect(find(detector, `${example}\n`)).toHaveLength(1);
    expect(compiled(detector)).toBe(true);
  });
});
