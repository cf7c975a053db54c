// The default history reader (strategy "diff": `git log --raw` lists the changes, `git cat-file`
// hands over each new blob, added lines are found here) must report what `git log -p` reports
// (strategy "patches"): same findings, first and last seen, locations to the line and column,
// warnings. One repository holds the awkward cases: renames with edits, a merge whose conflict
// resolution adds a secret, a clean merge, CRLF, a last line without "\n", a binary file, a mode
// change, odd path names, a submodule, a blob over the in-memory limit, a stash, a commit message.

import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanGit, type GitScanOptions } from '../src/scan/scan-git.js';
import type { Finding } from '../src/types.js';
import { cleanupTempDirs, token } from './helpers.js';
import { GitRepo } from './git-repo.js';
import { addedLines, lineHash } from '../src/sources/line-diff.js';

afterAll(cleanupTempDirs);

async function scan(repo: GitRepo, options: Partial<GitScanOptions>) {
  const warnings: string[] = [];
  const result = await scanGit({
    repo: repo.dir,
    onWarning: (w) => warnings.push(`${w.subject}: ${w.message}`),
    lookup: false,
    ...options,
  }).result;
  return { findings: result.findings, warnings: warnings.sort(), stats: result.stats };
}

/** What a user sees of a finding in history. */
function view(f: Finding) {
  return {
    rule: f.rule,
    fingerprint: f.fingerprint,
    occurrences: f.occurrences,
    firstSeen: f.firstSeen,
    lastSeen: f.lastSeen,
    presentAtHead: f.presentAtHead,
    locations: f.locations.map((l) =>
      l.kind === 'git' ? `${l.commit.slice(0, 8)} ${l.path}:${l.line}:${l.column}` : JSON.stringify(l),
    ),
  };
}

function sorted(list: readonly Finding[]) {
  return list.map(view).sort((a, b) => a.fingerprint.localeCompare(b.fingerprint));
}

const gh = (seed: string) => token('{{github:ghp_}}', `readers-${seed}`);

function buildRepo(): GitRepo {
  const repo = GitRepo.init('lr-readers-');
  const filler = (n: number, tag: string) =>
    Array.from({ length: n }, (_, i) => `const ${tag}${i} = compute(${i});`).join('\n') + '\n';
  repo.commit('init', { 'src/app.js': filler(40, 'a'), 'README.md': '# app\n', 'empty.txt': '' });
  // A secret added in the middle of a file, then removed.
  const lines = filler(40, 'a').split('\n');
  lines.splice(20, 0, `const token = "${gh('middle')}";`);
  repo.commit('add token', { 'src/app.js': lines.join('\n') });
  repo.commit('drop token', { 'src/app.js': filler(40, 'a') + 'module.exports = {};\n' });
  // A rename with an edit that adds a secret.
  repo.git('mv', 'src/app.js', 'src/main.js');
  repo.write('src/main.js', filler(40, 'a') + 'module.exports = {};\n' + `process.env.GH = "${gh('rename')}";\n`);
  repo.commit('rename and add');
  // CRLF, and a last line without "\n" that a later commit extends.
  repo.commit('crlf', { 'win.ini': `[auth]\r\ntoken=${gh('crlf')}\r\nmode=1\r\n`, 'tail.txt': 'first\nlast line' });
  repo.commit('extend last line', { 'tail.txt': `first\nlast line ${gh('tail')}\nmore\n` });
  // A binary file holding a token, and a mode change of a file holding one.
  writeFileSync(
    join(repo.dir, 'blob.bin'),
    Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(`key=${gh('binary')}`), Buffer.alloc(16)]),
  );
  repo.commit('binary', { 'run.sh': `#!/bin/sh\nexport GH=${gh('mode')}\n` });
  chmodSync(join(repo.dir, 'run.sh'), 0o755);
  repo.commit('make it executable');
  // Odd names.
  repo.commit('odd names', {
    'dir with space/ta\tb.env': `T=${gh('tab')}\n`,
    'q"uote.env': `T=${gh('quote')}\n`,
    'ünï/cödé.env': `T=${gh('unicode')}\n`,
  });
  // A submodule (a gitlink entry).
  repo.git('update-index', '--add', '--cacheinfo', `160000,${repo.head()},vendor/lib`);
  repo.git('commit', '-q', '-m', 'add submodule');
  // A blob over the in-memory limit (8 MiB), then an edit adding a secret in its middle.
  const big = 'x'.repeat(79) + '\n';
  repo.commit('big', { 'data/big.txt': big.repeat(120_000) + 'end\n' });
  repo.commit('big edit', { 'data/big.txt': big.repeat(60_000) + `GH=${gh('big')}\n` + big.repeat(60_000) + 'end\n' });
  // A duplicated secret line: the second copy is new.
  repo.commit('dup 1', { 'dup.env': `A=1\nT=${gh('dup')}\nB=2\n` });
  repo.commit('dup 2', { 'dup.env': `A=1\nT=${gh('dup')}\nB=2\nT=${gh('dup')}\n` });
  // A file deleted, and its secret added again elsewhere later.
  repo.git('rm', '-q', 'dup.env');
  repo.commit('remove dup');
  repo.commit('again', { 'later/dup.env': `T=${gh('dup')}\n` });
  // Merges: a side branch adds a secret; a conflicting change is resolved with a new secret.
  const both = Array.from({ length: 30 }, (_, i) => `K${i}=${i}`);
  repo.commit('both base', { 'conf/both.env': both.join('\n') + '\n' });
  repo.git('checkout', '-q', '-b', 'side');
  // side: a secret near the top of both.env; main: an edit near its bottom (merged without conflict,
  // so the merge's both.env differs from each parent, yet adds nothing of its own).
  repo.commit('side secret', {
    'conf/side.env': `S=${gh('side')}\n`,
    'conf/shared.env': 'value=side\n',
    'conf/both.env': [both[0], `SIDE=${gh('side-both')}`, ...both.slice(1)].join('\n') + '\n',
  });
  repo.git('checkout', '-q', 'main');
  repo.commit('main change', {
    'conf/shared.env': 'value=main\n',
    'other.txt': 'o\n',
    'conf/both.env': [...both.slice(0, 28), 'K28=changed', both[29]].join('\n') + '\n',
  });
  try {
    repo.git('merge', '-q', '--no-edit', 'side');
  } catch {
    // the conflict on conf/shared.env is expected
  }
  repo.write('conf/shared.env', `value=both\nRESOLVED=${gh('resolution')}\n`);
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-edit');
  repo.git('checkout', '-q', '-b', 'clean');
  repo.commit('clean side', { 'clean.txt': 'c\n' });
  repo.git('checkout', '-q', 'main');
  repo.commit('main again', { 'main2.txt': 'm\n' });
  repo.git('merge', '-q', '--no-edit', 'clean');
  // A secret in a commit message, and one in the stash.
  repo.commit(`ci: rotate (old token ${gh('message')})`, { 'ci.txt': 'rotated\n' });
  repo.write('ci.txt', `rotated\nSTASH=${gh('stash')}\n`);
  repo.git('stash', 'push', '-q');
  return repo;
}

/** addedLines as text: the added lines of next against prev. */
function added(prev: string | undefined, next: string): string[] {
  const buf = Buffer.from(next);
  const pairs = addedLines(prev === undefined ? undefined : Buffer.from(prev), buf);
  const out: string[] = [];
  for (let k = 0; k < pairs.length; k += 2) out.push(buf.toString('utf8', pairs[k], pairs[k + 1]));
  return out;
}

describe('added lines', () => {
  it('are whole lines of the new version that the old one lacks', () => {
    expect(added(undefined, 'a\nb\n')).toEqual(['a', 'b']);
    expect(added('a\nb\n', 'a\nb\n')).toEqual([]);
    expect(added('a\nb\nc\n', 'a\nX\nb\nc\n')).toEqual(['X']);
    // A common suffix that starts inside a line: the whole changed line is added.
    expect(added('x=1\nT=abc\ny=2\n', 'x=1\nT=NEWabc\ny=2\n')).toEqual(['T=NEWabc']);
    // A common prefix that ends inside a line, and a last line without "\n".
    expect(added('first\nlast', 'first\nlast more\nnext')).toEqual(['last more', 'next']);
    // Repeated lines: only the extra copy is added; a line that only moved is not.
    expect(added('T=1\nA\n', 'T=1\nA\nT=1\n')).toEqual(['T=1']);
    expect(added('A\nB\nT\n', 'T\nA\nB\n')).toEqual([]);
    // CRLF stays part of the line, as in a patch.
    expect(added('a\r\n', 'a\r\nb\r\n')).toEqual(['b\r']);
    // Long common runs (block compare) with a change in the middle.
    const long = 'x'.repeat(9000) + '\n';
    expect(added(long + 'mid\n' + long, long + 'MID\n' + long)).toEqual(['MID']);
  });

  it('count copies in a changed middle: same-length lines, empty lines, duplicates', () => {
    // Edits at both ends make the whole file the middle.
    expect(added('A\nkey=1\n\n\nB\nkey=2\nC\n', 'A2\nkey=1\n\n\nkey=3\nB\nkey=2\nC2\n')).toEqual([
      'A2',
      'key=3',
      'C2',
    ]);
    expect(added('A\n\n\nZ\n', 'A2\n\n\n\nZ2\n')).toEqual(['A2', '', 'Z2']);
    // Two different lines of one length with the same hash: told apart by their bytes.
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const line = `k${i.toString(16).padStart(8, '0')}`;
      const h = lineHash(Buffer.from(line), 0, line.length);
      const other = seen.get(h);
      if (other !== undefined) pair = [other, line];
      else seen.set(h, line);
    }
    expect(added(`A\n${pair[0]}\nZ\n`, `A2\n${pair[1]}\nZ2\n`)).toEqual(['A2', pair[1], 'Z2']);
    expect(added(`A\n${pair[0]}\n${pair[1]}\nZ\n`, `A2\n${pair[1]}\n${pair[1]}\nZ2\n`)).toEqual(['A2', pair[1], 'Z2']);
    // Random files over a small alphabet of lines (many copies, many same-length pairs), against
    // a plain multiset of strings.
    const alphabet = [
      '',
      'x',
      'y',
      '}',
      'key=1',
      'key=2',
      'key=3',
      '  return a;',
      '  return b;',
      'T=' + 'q'.repeat(300),
    ];
    let seed = 7;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
    for (let round = 0; round < 200; round++) {
      const lines = (n: number) => Array.from({ length: n }, () => alphabet[rand(alphabet.length)]!);
      const prevLines = ['first-old', ...lines(rand(60)), 'last-old'];
      const nextLines = ['first-new', ...lines(rand(60)), 'last-new'];
      const left = new Map<string, number>();
      for (const l of prevLines) left.set(l, (left.get(l) ?? 0) + 1);
      const want: string[] = [];
      for (const l of nextLines) {
        const n = left.get(l) ?? 0;
        if (n > 0) left.set(l, n - 1);
        else want.push(l);
      }
      expect(added(prevLines.join('\n') + '\n', nextLines.join('\n') + '\n')).toEqual(want);
    }
  });
});

describe('history readers', () => {
  it('the diff reader reports exactly what git log -p reports', { timeout: 120_000 }, async () => {
    const repo = buildRepo();
    const patches = await scan(repo, { strategy: 'patches' });
    const diff = await scan(repo, { strategy: 'diff' });
    // Findings come in reading order (newest first from git log -p, oldest first here): compare as sets.
    const want = sorted(patches.findings);
    expect(sorted(diff.findings)).toEqual(want);
    expect(diff.warnings).toEqual(patches.warnings);
    expect(diff.stats.binarySkipped).toBe(patches.stats.binarySkipped);
    // The comparison covers the cases: every planted secret but the binary one is found.
    const found = new Set(want.map((f) => f.fingerprint));
    expect(found.size).toBeGreaterThanOrEqual(13);
    const bySecret = new Map(patches.findings.map((f) => [f.secret, f]));
    for (const seed of [
      'side-both',
      'middle',
      'rename',
      'crlf',
      'tail',
      'mode',
      'tab',
      'quote',
      'unicode',
      'big',
      'dup',
      'side',
      'resolution',
      'message',
      'stash',
    ])
      expect(bySecret.has(gh(seed)), seed).toBe(true);
    expect(bySecret.has(gh('binary'))).toBe(false);
    // The resolution is reported at the merge commit; the side secret only at its own commit.
    const merge = repo.git('log', '--merges', '--format=%H', '-1', '--grep', 'Merge branch .side.').trim();
    expect(bySecret.get(gh('resolution'))!.locations.map((l) => (l.kind === 'git' ? l.commit : ''))).toEqual([merge]);
    expect(bySecret.get(gh('side'))!.locations).toHaveLength(1);
    expect(bySecret.get(gh('side-both'))!.locations).toHaveLength(1);
    expect(patches.warnings.join('\n')).toMatch(/vendor\/lib: submodule/);
  });

  it('reads the same split across workers as in one process', { timeout: 120_000 }, async () => {
    const repo = buildRepo();
    const one = await scan(repo, { strategy: 'diff', threads: 1 });
    const split = await scan(repo, { strategy: 'diff', threads: 2, splitMinCommits: 4 });
    expect(sorted(split.findings)).toEqual(sorted(one.findings));
  });

  it('does not report a secret line that only moved as added again', async () => {
    const repo = GitRepo.init('lr-readers-move-');
    const t = gh('moved');
    const first = repo.commit('add', { 'a.env': `A=1\nB=2\nT=${t}\nC=3\n` });
    repo.commit('reorder', { 'a.env': `T=${t}\nA=1\nB=2\nC=3\n` });
    const f = (await scan(repo, { strategy: 'diff' })).findings;
    expect(f.map((x) => x.locations.map((l) => (l.kind === 'git' ? `${l.commit}:${l.line}` : '')))).toEqual([
      [`${first}:3`],
    ]);
  });
});
