// Issue 17.12: the placeholder filter dropped real tokens. About 1 in 30,000 random checksum-valid
// ghp_ tokens holds "xxxx" in some case mix and was taken for a stand-in. A valid checksum, or a
// provider's distinctive format, outranks that guess; a stand-in typed by hand still goes.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BASE62, base62, crc32, validate } from '../src/detect/checksum.js';
import { Detector, scanBuffer } from '../src/detect/index.js';
import { defaultRulesDir, loadRulesFromDir } from '../src/detect/rules.js';
import { SeededRandom } from '../src/detect/template.js';
import { cleanupTempDirs, runCli, tempDir, token } from './helpers.js';

afterAll(cleanupTempDirs);

const detector = new Detector(loadRulesFromDir(defaultRulesDir()));

/** A run of `length` x's in a seeded case mix. */
function xs(rng: SeededRandom, length: number): string {
  return rng.pick('xX', length);
}

/** A random body of `length` base62 characters with a run of x's at a seeded place. */
function bodyWithRun(rng: SeededRandom, length: number, run: number): string {
  const body = rng.pick(BASE62, length - run);
  const at = rng.int(body.length + 1);
  return body.slice(0, at) + xs(rng, run) + body.slice(at);
}

/** A checksum-valid GitHub token (ghp_, gho_, ...) whose random part holds a run of x's. */
function githubTokenWithRun(seed: string, prefix = 'ghp_', run = 4): string {
  const body = bodyWithRun(new SeededRandom(seed), 30, run);
  return `${prefix}${body}${base62(crc32(body), 6)}`;
}

const found = (text: string) => scanBuffer(detector, text).map((c) => [c.ruleId, c.secret]);

describe('a run of x in a real token', () => {
  it('keeps checksum-valid GitHub tokens that hold xxxx (or longer) in any case mix', () => {
    const prefixes = ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'];
    for (let i = 0; i < 40; i++) {
      const prefix = prefixes[i % prefixes.length]!;
      const t = githubTokenWithRun(`xrun-${i}`, prefix, 4 + (i % 5));
      expect(validate('github', t), t).toBe(true);
      expect(found(`GITHUB_TOKEN=${t}\n`), t).toEqual([[expect.stringMatching(/^github-/), t]]);
    }
  });

  it('keeps them in a committed credential store too', () => {
    const t = githubTokenWithRun('xrun-store');
    const cands = scanBuffer(detector, `https://octocat:${t}@github.com\n`, { path: '.git-credentials' });
    expect(cands.map((c) => c.secret)).toContain(t);
  });

  it('keeps a provider-format token without a checksum whose random part holds xxxx', () => {
    const rng = new SeededRandom('fine-grained');
    const t = `github_pat_${bodyWithRun(rng, 22, 4)}_${bodyWithRun(rng, 59, 5)}`;
    expect(found(`GH_TOKEN=${t}\n`)).toEqual([['github-fine-grained-pat', t]]);
  });

  it('still drops stand-ins typed by hand and generic values masked with x', () => {
    expect(found(`GITHUB_TOKEN=ghp_${'x'.repeat(36)}\n`)).toEqual([]);
    expect(found(`GH_TOKEN=github_pat_${'x'.repeat(22)}_${'X'.repeat(59)}\n`)).toEqual([]);
    // A generic rule has no format to outrank the guess: "xxxx" there is a mask.
    expect(found(`password = "${token('{{an:6}}', 'pw')}xxxx${token('{{an:6}}', 'pw2')}"\n`)).toEqual([]);
  });

  it('is reported by the CLI as a valid-checksum finding', async () => {
    const dir = tempDir();
    const t = githubTokenWithRun('xrun-cli', 'ghp_', 5);
    writeFileSync(join(dir, 'ci.env'), `GITHUB_TOKEN=${t}\n`);
    const r = await runCli(['scan', dir, '--format', 'json', '--offline', '--show-secrets']);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: Array<{ rule: string; secret: string }> };
    expect(report.findings.map((f) => [f.rule, f.secret])).toEqual([['github-classic-pat', t]]);
  });
});
