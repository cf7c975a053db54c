// Lockfile lines that are wholly a package's digest or its tarball on the public npm registry are
// handed to the detector empty in history scans (half of a package-lock.json's added bytes); every
// other line, and the line numbers around them, stay as they were.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withoutRegistryLines } from '../src/sources/added.js';
import { GitRepo } from './git-repo.js';
import { cleanupTempDirs, runCli, tempDir, token } from './helpers.js';

afterAll(cleanupTempDirs);

/** The lines of `text` as flat spans [start, end), end before the "\n". */
function spansOf(text: Buffer): Int32Array {
  const spans: number[] = [];
  for (let a = 0; a < text.length; ) {
    const nl = text.indexOf(10, a);
    const b = nl === -1 ? text.length : nl;
    spans.push(a, b);
    a = b + 1;
  }
  return Int32Array.from(spans);
}

const digest = (seed: string) => `sha512-${Buffer.from(seed.repeat(64).slice(0, 64)).toString('base64')}`;

describe('registry lines of lockfiles', () => {
  it('empties only whole digest and public-registry tarball lines', () => {
    const lines = [
      `      "integrity": "${digest('a')}",`,
      `      "resolved": "https://registry.npmjs.org/@scope/name.js/-/name.js-1.2.3.tgz",`,
      `  integrity ${digest('b')}`,
      `  resolved "https://registry.yarnpkg.com/left-pad/-/left-pad-1.3.0.tgz#${'0a'.repeat(20)}"`,
      // Kept: a user and password in the URL, another host, more on the line, a CRLF ending.
      `      "resolved": "https://me:pw@registry.npmjs.org/a/-/a-1.0.0.tgz",`,
      `      "resolved": "https://npm.example.com/a/-/a-1.0.0.tgz",`,
      `      "integrity": "${digest('c')}", "token": "x"`,
      `      "integrity": "${digest('d')}",\r`,
      `      "version": "1.0.0",`,
    ];
    const text = Buffer.from(lines.join('\n'));
    const spans = withoutRegistryLines(text, spansOf(text));
    const kept = [];
    for (let k = 0; k < spans.length; k += 2) kept.push(spans[k + 1]! > spans[k]!);
    expect(kept).toEqual([false, false, false, false, true, true, true, true, true]);
  });

  it('keeps the lines around them, their numbers, and secrets in other lines of a lockfile', async () => {
    const repo = GitRepo.init('lr-registry-');
    const lock = (extra: string[]) =>
      [
        '{',
        '  "packages": {',
        '    "node_modules/a": {',
        '      "version": "1.0.0",',
        `      "resolved": "https://registry.npmjs.org/a/-/a-1.0.0.tgz",`,
        `      "integrity": "${digest('e')}",`,
        ...extra,
        '    }',
        '  }',
        '}',
        '',
      ].join('\n');
    repo.commit('lock', { 'package-lock.json': lock([]) });
    const inUrl = token('{{github:ghp_}}', 'registry-url');
    const inLine = token('{{github:ghp_}}', 'registry-line');
    repo.commit('more', {
      'package-lock.json': lock([
        `      "resolved": "https://registry.npmjs.org/b/-/b-2.0.0.tgz",`,
        `      "integrity": "${digest('f')}",`,
        `      "resolved": "https://x:${inUrl}@registry.npmjs.org/c/-/c-1.0.0.tgz",`,
        `      "integrity": "${digest('g')}",`,
        `      "token": "${inLine}",`,
      ]),
    });
    const out = join(tempDir('lr-registry-out-'), 'r.json');
    const r = await runCli(['git', repo.dir, '--offline', '-f', 'json', '-o', out], { env: repo.env });
    expect(r.code).toBe(1);
    const report = JSON.parse(readFileSync(out, 'utf8')) as {
      findings: Array<{ locations: Array<{ path: string; line: number; column: number }> }>;
    };
    const places = report.findings.flatMap((f) => f.locations.map((l) => `${l.path}:${l.line}:${l.column}`)).sort();
    const url = `      "resolved": "https://x:`;
    expect(places).toEqual([`package-lock.json:11:17`, `package-lock.json:9:${url.length + 1}`]);
  });
});
