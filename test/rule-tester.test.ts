// The rule tester pins what ESLint's RuleTester pins: per example the exact number of findings and
// each finding's exact secret, and nothing in a negative example. The catalog passes it here, and
// the same tester (same seeds, same detector per rule) runs when rules load.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultRulesDir, loadRulesFromDir, toRule } from '../src/detect/rules.js';
import { exampleSeed, RuleTester } from '../src/detect/rule-tester.js';
import { expandExample, expandTemplate } from '../src/detect/template.js';
import { cleanupTempDirs, runCli, tempDir } from './helpers.js';

afterAll(cleanupTempDirs);

const rules = loadRulesFromDir(defaultRulesDir());
const catalog = new RuleTester(rules);

/** Failures as "example 1: message", the way a test failure should read. */
function failures(tester: RuleTester, rule: ReturnType<typeof toRule>): string[] {
  return tester.check(rule).map((f) => `${f.kind} ${f.index + 1}: ${f.message}`);
}

describe.each(rules.map((r) => [r.id, r] as const))('rule %s', (_id, rule) => {
  it('gives each example exactly its findings and secrets, and each negative example none', () => {
    expect(failures(catalog, rule)).toEqual([]);
  });
});

/** A synthetic rule: a token "demo_" + 24 lower-case letters or digits, `pattern` capturing the secret. */
function demo(pattern: string, examples: string[], negatives = ['token = demo_short']) {
  const rule = toRule(
    { id: 'demo-token', name: 'Demo token', pattern, keywords: ['demo_'], examples, negative_examples: negatives },
    'demo.yml',
    'demo',
  );
  return failures(new RuleTester([rule]), rule);
}

const RIGHT = '\\b(demo_[a-z0-9]{24})\\b';

describe('the rule tester', () => {
  it('passes a rule whose findings and secrets are the expected ones', () => {
    expect(
      demo(RIGHT, [
        'token = demo_{{lowernum:24}}',
        'token = "{{secret}}demo_{{lowernum:24}}{{/secret}}"',
        'a={{secret}}demo_{{lowernum:24}}{{/secret}} b={{secret}}demo_{{lowernum:24}}{{/secret}}',
      ]),
    ).toEqual([]);
  });

  it('fails a secret that takes in more than the token', () => {
    expect(demo('(token = demo_[a-z0-9]{24})', ['token = demo_{{lowernum:24}}'])).toEqual([
      expect.stringMatching(/^example 1: the secret found at line 1 column 1 \(37 characters\) is not a whole/),
    ]);
  });

  it('fails a secret cut short of the marked one', () => {
    expect(demo('(demo_[a-z0-9]{20})', ['token = {{secret}}demo_{{lowernum:24}}{{/secret}}'])).toEqual([
      'example 1: the secret found at line 1 column 9 (25 characters) is not the one marked at line 1 column 9 ' +
        '(29 characters)',
    ]);
  });

  it('fails an extra finding, marked or not', () => {
    const two = 'a=demo_{{lowernum:24}} b=demo_{{lowernum:24}}';
    expect(demo(RIGHT, [two])).toEqual(['example 1: should have 1 finding but had 2 (demo-token)']);
    const oneMarked = 'a={{secret}}demo_{{lowernum:24}}{{/secret}} b=demo_{{lowernum:24}}';
    expect(demo(RIGHT, [oneMarked])).toEqual(['example 1: should have 1 finding but had 2 (demo-token)']);
  });

  it('fails an example that finds nothing and a negative example that finds something', () => {
    expect(demo(RIGHT, ['token = demo_{{lowernum:12}}'], ['token = demo_{{lowernum:24}}'])).toEqual([
      'example 1: does not match',
      'negative example 1: matches (1 finding; should have none)',
    ]);
  });

  it('expands an example and its negatives with the seeds the loader uses', () => {
    const rule = rules.find((r) => r.id === 'github-classic-pat')!;
    expect(exampleSeed(rule, 'example', 0)).toBe('github-classic-pat#0');
    expect(exampleSeed(rule, 'negative example', 2)).toBe('github-classic-pat#negative#2');
  });
});

describe('secret marks in examples', () => {
  it('expand to nothing and leave the generated values as they were', () => {
    const plain = 'k={{an:10}} v={{github:ghp_}}';
    const marked = 'k={{an:10}} v={{secret}}{{github:ghp_}}{{/secret}}';
    expect(expandTemplate(marked, 's')).toBe(expandTemplate(plain, 's'));
    const ex = expandExample(marked, 's');
    expect(ex.marked).toEqual([[15, 55]]);
    expect(ex.text.slice(15, 55)).toMatch(/^ghp_[A-Za-z0-9]{36}$/);
  });

  it('must be balanced', () => {
    expect(() => expandExample('{{secret}}{{an:4}}', 's')).toThrow(/\{\{secret\}\} without \{\{\/secret\}\}/);
    expect(() => expandExample('{{an:4}}{{/secret}}', 's')).toThrow(/\{\{\/secret\}\} without \{\{secret\}\}/);
  });
});

describe('rules loaded by the CLI', () => {
  it('go through the same tester: a rule whose secret takes in its key exits 2, naming rule and example', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'demo.yml'),
      [
        'rules:',
        '  - id: demo-token',
        '    name: Demo token',
        '    pattern: "(token = demo_[a-z0-9]{24})"',
        '    keywords: [demo_]',
        "    examples: ['token = demo_{{lowernum:24}}']",
        "    negative_examples: ['token = demo_short']",
        '',
      ].join('\n'),
    );
    const r = await runCli(['scan', dir, '--rules', dir], { env: { LEAKRADIUS_CACHE_DIR: tempDir('lr-cache-') } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/demo\.yml: rule "demo-token": example 1 the secret found at line 1 column 1 \(37 char/);
  });
});
