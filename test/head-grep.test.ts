// presentAtHead of a split history: the first thread out of work has HEAD's tree grepped for the
// secrets found so far while the other still reads, and the end greps only for those found after.
// Whatever was found when, each finding's presentAtHead is the one-thread scan's: a secret moved
// to another file is still at HEAD, one deleted is not, one found only after the early grep (in a
// tag's message, its file at HEAD excluded from the scan) is at HEAD too.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { scanGit, type GitScanOptions, type ShareEvent } from '../src/scan/scan-git.js';
import type { Finding } from '../src/types.js';
import { cleanupTempDirs, token } from './helpers.js';
import { GitRepo, githubRulesDir, historyView } from './git-repo.js';

let rulesDir: string;
beforeAll(() => {
  rulesDir = githubRulesDir();
});
afterAll(cleanupTempDirs);

const OLD = 300;
const NEW = 300;
const MOVED = token('{{github:ghp_}}', 'head-grep-moved');
const DELETED = token('{{github:ghp_}}', 'head-grep-deleted');
const TAGGED = token('{{github:ghp_}}', 'head-grep-tagged');
const NEWER = token('{{github:ghp_}}', 'head-grep-newer');

/**
 * OLD light commits (the older half: the worker's share, done first), then NEW heavy ones that
 * rewrite a ~300 KB lockfile (this thread's share, read for ~1 s). In the older half one secret is added and
 * deleted, another added, deleted and added again in another file; the newer half adds one that
 * stays; at HEAD an excluded file holds a fifth that only an annotated tag's message shows the scan.
 */
function buildRepo(): GitRepo {
  const repo = GitRepo.init('lr-head-grep-');
  const parts: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const lock = Array.from({ length: 8000 }, (_, i) => `    "pkg-${i}": { "version": "1.0.${i}" },`);
  for (let i = 1; i <= OLD + NEW; i++) {
    const ops: string[] = [];
    const put = (path: string, text: string) => ops.push(`M 100644 inline ${path}\n${data(text)}`);
    if (i <= OLD) put(`src/f${i % 10}.txt`, `line ${i}\n`);
    else {
      for (let k = 0; k < 4; k++) lock[(i * 37 + k * 701) % lock.length] = `    "pkg-${i}-${k}": { "v": "2.${i}" },`;
      put('package-lock.json', `{\n${lock.join('\n')}\n}\n`);
    }
    if (i === 10) put('old.env', `GITHUB_TOKEN=${MOVED}\n`);
    if (i === 20) put('gone.env', `GITHUB_TOKEN=${DELETED}\n`);
    if (i === 200) ops.push('D old.env\n', 'D gone.env\n');
    if (i === 250) put('config/moved.env', `TOKEN=${MOVED}\n`);
    if (i === OLD + NEW - 5) put('app/new.env', `GITHUB_TOKEN=${NEWER}\n`);
    if (i === OLD + NEW) put('vendor/keep.txt', `kept ${TAGGED}\n`);
    parts.push(
      `commit refs/heads/main\nmark :${i}\nauthor Ada <ada@example.com> ${1_700_000_000 + i * 60} +0000\n` +
        `committer Ada <ada@example.com> ${1_700_000_000 + i * 60} +0000\n${data(`commit ${i}`)}`,
    );
    if (i > 1) parts.push(`from :${i - 1}\n`);
    parts.push(...ops, '\n');
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: repo.dir, env: repo.env, input: parts.join('') });
  repo.git('checkout', '-q', 'main');
  repo.git('tag', '-a', 'v1', '-m', `release notes: ${TAGGED}`);
  return repo;
}

async function scan(repo: GitRepo, options: Partial<GitScanOptions>) {
  const events: ShareEvent[] = [];
  const result = await scanGit({
    repo: repo.dir,
    rulesDir,
    lookup: false,
    exclude: ['vendor/**'],
    onShareEvent: (e) => events.push(e),
    ...options,
  }).result;
  const findings = result.findings as Finding[];
  const atHead = Object.fromEntries(
    findings.map((f) => [[MOVED, DELETED, TAGGED, NEWER].find((s) => f.secret === s) ?? f.secret, f.presentAtHead]),
  );
  return { view: findings.map(historyView).sort((a, b) => a.f.localeCompare(b.f)), atHead, events };
}

describe('presentAtHead of a split history', () => {
  let repo: GitRepo;
  beforeAll(() => {
    repo = buildRepo();
  });

  it('greps early for what was found, at the end for the rest, and answers as one thread does', async () => {
    const one = await scan(repo, { threads: 1 });
    expect(one.atHead).toEqual({ [MOVED]: true, [DELETED]: false, [TAGGED]: true, [NEWER]: true });
    expect(one.events).toEqual([]);
    const split = await scan(repo, { threads: 2, splitMinCommits: 100, stealMinCommits: 1_000_000 });
    // The thread done first (mostly the worker, whose older half is light) greps for what was found
    // by then: not the tag's secret, found after both.
    const grep = split.events.filter((e) => e.kind === 'grep');
    expect(grep).toHaveLength(1);
    expect(grep[0]!.end).toBeGreaterThanOrEqual(1);
    expect(grep[0]!.end).toBeLessThanOrEqual(3);
    const reads = split.events.filter((e) => e.kind === 'read');
    expect(split.events.indexOf(grep[0]!)).toBeLessThan(split.events.indexOf(reads.at(-1)!));
    expect(split.atHead).toEqual(one.atHead);
    expect(split.view).toEqual(one.view);
  });
});
