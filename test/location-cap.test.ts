// The cut to a finding's first places: the same list whichever worker's locations arrive first.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FindingSet } from '../src/dedupe/finding-set.js';
import { defaultRulesDir, loadRulesFromDir } from '../src/detect/rules.js';
import { SeededRandom } from '../src/detect/template.js';
import { scan } from '../src/index.js';
import type { Candidate, Origin } from '../src/types.js';
import { cleanupTempDirs, tempDir, token } from './helpers.js';

afterAll(cleanupTempDirs);

const places = (f: { locations: ReadonlyArray<{ kind: string; line: number } & Record<string, unknown>> }) =>
  f.locations.map((l) => `${l.kind === 'git' ? `${l.commit}:` : ''}${String(l.path)}:${l.line}`);

describe('locations over the cap', () => {
  it('keeps the first places, whatever order they arrive in', async () => {
    const rules = new Map((await loadRulesFromDir(defaultRulesDir())).map((r) => [r.id, r]));
    const secret = token('{{github:ghp_}}', 'cap');
    const candidate = (line: number): Candidate => ({ ruleId: 'github-classic-pat', secret, line, column: 5 });
    const all: Array<[Origin, number, number]> = [];
    for (let f = 0; f < 30; f++)
      for (let line = 1; line <= 4; line++) all.push([{ kind: 'file', path: `src/f${f}.js` }, line, 0]);
    const kept: string[][] = [];
    const random = new SeededRandom('cap-order');
    for (let round = 0; round < 4; round++) {
      const order = [...all];
      for (let i = order.length - 1; i > 0; i--) {
        const j = random.int(i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const set = new FindingSet(rules, 7);
      let most = 0;
      for (const [origin, line, o] of order) {
        set.add(origin, candidate(line), o);
        for (const f of set.all()) most = Math.max(most, f.locations.length);
      }
      const [finding] = set.all();
      expect(finding!.occurrences).toBe(120);
      expect(most).toBeLessThanOrEqual(7);
      kept.push(places(finding!));
    }
    expect(new Set(kept.map((k) => k.join(' '))).size).toBe(1);
    expect(kept[0]).toEqual(
      ['src/f0.js:1', 'src/f0.js:2', 'src/f0.js:3', 'src/f0.js:4', 'src/f1.js:1'].concat([
        'src/f1.js:2',
        'src/f1.js:3',
      ]),
    );
  });

  it('keeps the oldest commits of a secret in history', async () => {
    const rules = new Map((await loadRulesFromDir(defaultRulesDir())).map((r) => [r.id, r]));
    const secret = token('{{github:ghp_}}', 'cap-git');
    const set = new FindingSet(rules, 3);
    const date = '2026-01-01T00:00:00Z';
    for (const order of [9, 4, 7, 1, 8, 2, 6]) {
      const origin: Origin = { kind: 'git', commit: `c${order}`, path: 'a.env', author: 'x', date };
      set.add(origin, { ruleId: 'github-classic-pat', secret, line: 1, column: 1 }, order);
    }
    expect(places(set.all()[0]!)).toEqual(['c1:a.env:1', 'c2:a.env:1', 'c4:a.env:1']);
  });

  it('reports the same places from two workers, run after run', async () => {
    const dir = tempDir('lr-cap-');
    mkdirSync(join(dir, 'dist'));
    const secret = token('{{github:ghp_}}', 'cap-scan');
    // Enough files that the worker pool is used (more than its inline limit).
    for (let f = 0; f < 80; f++)
      writeFileSync(join(dir, 'dist', `bundle${f}.js`), `${'var x = 1;\n'.repeat(f % 7)}const t = "${secret}";\n`);
    const runs: string[] = [];
    for (let i = 0; i < 3; i++) {
      const result = await scan({ paths: [dir], lookup: false, threads: 2, maxLocations: 10 }).result;
      const finding = result.findings.find((f) => f.rule === 'github-classic-pat');
      expect(finding?.occurrences).toBe(80);
      runs.push(places(finding!).join(' '));
    }
    expect(new Set(runs).size).toBe(1);
    expect(runs[0]).toContain(`${join(dir, 'dist', 'bundle0.js')}:1`);
  });
});
