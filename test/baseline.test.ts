import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baselineOf, loadBaseline, renderBaseline } from '../src/config/baseline.js';
import { scan } from '../src/scan/scan.js';
import { cleanupTempDirs, runCli, tempDir, token } from './helpers.js';
import { GitRepo, githubRulesDir } from './git-repo.js';

let rulesDir: string;
beforeAll(() => {
  rulesDir = githubRulesDir();
});
afterAll(cleanupTempDirs);

describe('baseline', () => {
  it(
    'round-trips: after a baseline only a new secret is reported, ' +
      'and moving a baselined line does not make it new',
    async () => {
      const dir = tempDir('lr-baseline-');
      const old = token('{{github:ghp_}}', 'baseline-old');
      writeFileSync(join(dir, 'app.env'), `A=1\nTOKEN=${old}\n`);
      const file = join(dir, '.leakradius-baseline.json');
      const made = await runCli(['baseline', 'scan', dir, '--rules', rulesDir, '--output', file]);
      expect(made.code).toBe(0);
      const text = readFileSync(file, 'utf8');
      expect(text).not.toContain(old);
      expect(text).not.toContain('"line"');
      expect(JSON.parse(text)).toMatchObject({ version: 2, findings: [{ rule: 'github-classic-pat' }] });

      expect((await runCli(['scan', dir, '--rules', rulesDir, '--baseline', file, '--offline'])).code).toBe(0);

      const fresh = token('{{github:ghp_}}', 'baseline-new');
      writeFileSync(join(dir, 'app.env'), `# moved down\n\n\nB=2\nA=1\nTOKEN=${old}\n`);
      writeFileSync(join(dir, 'other.env'), `NEW=${fresh}\n`);
      const run = scan({ paths: [dir], rulesDir, baseline: file, threads: 1 });
      const result = await run.result;
      expect(result.findings.map((f) => f.secret)).toEqual([fresh]);
      expect(result.stats.baselined).toBe(1);

      // Re-baselining the same findings into the same file writes the same bytes (its salt kept, sorted)
      const again = join(dir, 'again.json');
      await runCli(['baseline', 'scan', dir, '--rules', rulesDir, '--output', again, '--exclude', '*.json']);
      const first = readFileSync(again, 'utf8');
      await runCli(['baseline', 'scan', dir, '--rules', rulesDir, '--output', again, '--exclude', '*.json']);
      expect(readFileSync(again, 'utf8')).toBe(first);
      expect(JSON.parse(first).findings).toHaveLength(2);
    },
  );

  it('applies to git history scans', async () => {
    const repo = GitRepo.init('lr-baseline-git-');
    const old = token('{{github:ghp_}}', 'bg-old');
    repo.commit('one', { 'a.env': `T=${old}\n` });
    const file = join(repo.dir, '..', 'baseline.json');
    expect((await runCli(['baseline', 'git', repo.dir, '--rules', rulesDir, '--output', file])).code).toBe(0);
    expect((await runCli(['git', repo.dir, '--rules', rulesDir, '--baseline', file, '--offline'])).code).toBe(0);
    const fresh = token('{{github:ghp_}}', 'bg-new');
    repo.commit('two', { 'b.env': `T=${fresh}\n`, 'a.env': `X=1\nT=${old}\n` });
    const r = await runCli([
      'git',
      repo.dir,
      '--rules',
      rulesDir,
      '--baseline',
      file,
      '--format',
      'json',
      '--show-secrets',
      '--offline',
    ]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: { secret: string }) => f.secret)).toEqual([fresh]);
  });

  it('writes sorted entries, one per line, and rejects a malformed file naming it', () => {
    const doc = baselineOf(
      [
        { fingerprint: 'f'.repeat(64), rule: 'b' },
        { fingerprint: '0'.repeat(64), rule: 'a' },
        { fingerprint: 'f'.repeat(64), rule: 'b' },
      ],
      'a'.repeat(64),
    );
    const text = renderBaseline(doc);
    expect(text.split('\n').filter((l) => l.includes('fingerprint'))).toHaveLength(2);
    expect(text.indexOf('0000')).toBeLessThan(text.indexOf('ffff'));
    const bad = join(tempDir('lr-baseline-bad-'), 'b.json');
    writeFileSync(bad, '{"findings": [{"fingerprint": "nope"}]}');
    expect(() => loadBaseline(bad)).toThrow(/b\.json.*entry 1/);
    expect(() => loadBaseline(bad + '.missing')).toThrow(/cannot read the baseline/);
  });
});
