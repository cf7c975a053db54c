// The rule tester (ESLint's RuleTester for secrets): every example of a rule must give exactly the
// findings it expects, each with exactly the expected secret, and no negative example may give one.
// The same check runs when rules load (verifyExamples) and in the tests, with the same seeds.

import type { Candidate } from '../types.js';
import { scanBuffer } from './chunks.js';
import { Detector } from './detector.js';
import type { Rule } from './rules.js';
import { type ExpandedExample, expandExample } from './template.js';

/** One way a rule's example fails its rule. Says where, never what: examples of user rules may hold real secrets. */
export interface ExampleFailure {
  readonly rule: Rule;
  readonly kind: 'example' | 'negative example';
  /** 0-based position in the rule's list. */
  readonly index: number;
  readonly message: string;
}

/** The seed an example is expanded with: the same at load time, in the tests and in the eval's expectations. */
export function exampleSeed(rule: Rule, kind: ExampleFailure['kind'], index: number): string {
  return kind === 'example' ? `${rule.id}#${index}` : `${rule.id}#negative#${index}`;
}

/**
 * Without {{secret}} marks, an example's secret must be one whole run of it that holds a
 * placeholder's value: the value with the literal characters joined to it, either only token
 * characters (a prefix such as ghp_ or a dot between parts) or anything but space, quotes and
 * the separators of an assignment (a URL, a crypt hash). A secret that stops short of its token,
 * or takes in the `=` or quote around it, is none of these.
 */
const TOKEN_CHAR = /[A-Za-z0-9_\-.+/~]/;
const WORD_CHAR = /[^\s"'`=,;<>()[\]{}]/;

function runs(example: ExpandedExample): Set<string> {
  const { text, values } = example;
  const generated = new Uint8Array(text.length);
  for (const [a, b] of values) generated.fill(1, a, b);
  // A literal example (a user rule's) has no generated value: any run may be its secret.
  const literal = values.length === 0;
  const out = new Set<string>();
  for (const joins of [TOKEN_CHAR, WORD_CHAR]) {
    const inRun = (i: number) => generated[i] === 1 || joins.test(text[i]!);
    for (let i = 0; i < text.length; ) {
      if (!inRun(i)) {
        i++;
        continue;
      }
      let j = i;
      let holdsValue = literal;
      for (; j < text.length && inRun(j); j++) holdsValue ||= generated[j] === 1;
      if (holdsValue) out.add(text.slice(i, j));
      i = j;
    }
  }
  return out;
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** Line and column (1-based) of offset `at` in `text`. */
function place(text: string, at: number): string {
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return `line ${line} column ${at - before.lastIndexOf('\n')}`;
}

/** Checks rules' examples, each rule in a detector of its own (with its parts, for a composite). */
export class RuleTester {
  private readonly byId: ReadonlyMap<string, Rule>;

  /** `rules`: the set a composite's parts are found in. */
  constructor(rules: readonly Rule[]) {
    this.byId = new Map(rules.map((r) => [r.id, r]));
  }

  /** Every failure of one rule's examples and negative examples; empty when the rule passes. */
  check(rule: Rule): ExampleFailure[] {
    const failures: ExampleFailure[] = [];
    const fail = (kind: ExampleFailure['kind'], index: number, message: string) =>
      failures.push({ rule, kind, index, message });
    const parts = rule.composite?.parts.map((p) => this.byId.get(p));
    if (parts?.some((p) => p === undefined)) {
      fail('example', 0, 'a part of this composite is not a known rule id');
      return failures;
    }
    const detector = new Detector(parts ? [...(parts as Rule[]), rule] : [rule]);
    detector.compileAll();
    // A composite is scanned as a scan would (parts become one candidate); any other rule with
    // composites off, so a part-only rule's own matches count. Path rules run whatever the path.
    const scan = (text: string) => scanBuffer(detector, text, { compose: parts !== undefined, anyPath: true });
    const expand = (kind: ExampleFailure['kind'], index: number, template: string) => {
      try {
        return expandExample(template, exampleSeed(rule, kind, index));
      } catch (err) {
        fail(kind, index, (err as Error).message);
        return undefined;
      }
    };
    rule.examples.forEach((template, i) => {
      const example = expand('example', i, template);
      if (example) for (const m of this.judge(rule, example, scan(example.text))) fail('example', i, m);
    });
    rule.negativeExamples.forEach((template, i) => {
      const example = expand('negative example', i, template);
      if (!example) return;
      const found = scan(example.text).filter((c) => c.ruleId === rule.id).length;
      if (found) fail('negative example', i, `matches (${plural(found, 'finding')}; should have none)`);
    });
    return failures;
  }

  /** What is wrong with the findings of one example (empty: nothing). */
  private judge(rule: Rule, example: ExpandedExample, found: readonly Candidate[]): string[] {
    const { text, marked } = example;
    const composite = rule.composite !== undefined;
    // A composite's marks are its parts: one finding. Otherwise one finding per mark, or one.
    const want = composite ? 1 : Math.max(1, marked.length);
    if (found.length === 0) return ['does not match'];
    if (found.length !== want) {
      const ids = [...new Set(found.map((c) => c.ruleId))].join(', ');
      return [`should have ${plural(want, 'finding')} but had ${found.length}${ids ? ` (${ids})` : ''}`];
    }
    const wanted = marked.map(([a, b]) => text.slice(a, b));
    const problems: string[] = [];
    if (composite) {
      const got = found[0]!.secret.split('\n');
      const fits = wanted.length
        ? [...got].sort().join('\n') === [...wanted].sort().join('\n')
        : got.every((p) => runs(example).has(p));
      if (!fits)
        problems.push(`the secret found is not ${wanted.length ? 'the marked parts' : 'whole generated tokens'}`);
      return problems;
    }
    const whole = wanted.length ? undefined : runs(example);
    found.forEach((c, k) => {
      const at = `the secret found at line ${c.line} column ${c.column} (${plural(c.secret.length, 'character')})`;
      if (whole && !whole.has(c.secret))
        problems.push(`${at} is not a whole generated token; mark the secret with {{secret}}…{{/secret}}`);
      else if (!whole && c.secret !== wanted[k]) {
        const [a, b] = marked[k]!;
        problems.push(`${at} is not the one marked at ${place(text, a)} (${plural(b - a, 'character')})`);
      }
    });
    return problems;
  }
}
