// A split history whose newer half is the heavier (as in real repositories: the lockfile and the
// bundles grow): the thread that finishes its half first takes over the rest of the other's range
// (work stealing), and the findings are still exactly those of one reader. A share that fails
// still stops every git process of the scan.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { scanGit, type GitScanOptions, type ShareEvent } from '../src/scan/scan-git.js';
import type { Finding } from '../src/types.js';
import { cleanupTempDirs, token } from './helpers.js';
import { GitRepo, githubRulesDir, historyView } from './git-repo.js';

let rulesDir: string;
beforeAll(() => {
  rulesDir = githubRulesDir();
});
afterAll(cleanupTempDirs);

const OLD = 600;
const NEW = 600;
const tok = (i: number) => token('{{github:ghp_}}', `steal-${i}`);

/**
 * OLD light commits (a line added to one of 20 small files), then NEW heavy ones, each rewriting
 * a few lines of a ~150 KB generated lockfile; a secret every 40 commits in both, one in a commit
 * message, one added in both halves (first and last seen across the split).
 */
function buildRepo(): GitRepo {
  const repo = GitRepo.init('lr-steal-');
  const parts: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const small = new Map<string, string>();
  const lock = Array.from(
    { length: 3000 },
    (_, i) => `    "pkg-${i}": { "version": "1.0.${i}", "integrity": "x${i}" },`,
  );
  for (let i = 1; i <= OLD + NEW; i++) {
    const files: Record<string, string> = {};
    if (i <= OLD) {
      const path = `src/f${i % 20}.txt`;
      let add = `line ${i}\n`;
      if (i % 40 === 0 || i === 100) add += `token = "${tok(i === 100 ? 1 : i)}"\n`;
      small.set(path, (small.get(path) ?? '') + add);
      files[path] = small.get(path)!;
    } else {
      for (let k = 0; k < 4; k++)
        lock[(i * 37 + k * 701) % lock.length] = `    "pkg-${i}-${k}": { "version": "2.${i}" },`;
      if (i % 40 === 0) lock[(i * 13) % lock.length] = `    "auth": "${tok(i)}",`;
      if (i === OLD + 300) lock[5] = `    "again": "${tok(1)}",`;
      files['package-lock.json'] = `{\n${lock.join('\n')}\n}\n`;
    }
    const message = i === OLD + 200 ? `rotate ${tok(9999)}` : `commit ${i}`;
    parts.push(
      `commit refs/heads/main\nmark :${i}\nauthor Ada <ada@example.com> ${1_700_000_000 + i * 60} +0000\n` +
        `committer Ada <ada@example.com> ${1_700_000_000 + i * 60} +0000\n${data(message)}`,
    );
    if (i > 1) parts.push(`from :${i - 1}\n`);
    for (const [path, text] of Object.entries(files)) parts.push(`M 100644 inline ${path}\n${data(text)}`);
    parts.push('\n');
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: repo.dir, env: repo.env, input: parts.join('') });
  repo.git('checkout', '-q', 'main');
  return repo;
}

async function scan(repo: GitRepo, options: Partial<GitScanOptions>) {
  const events: ShareEvent[] = [];
  const result = await scanGit({
    repo: repo.dir,
    rulesDir,
    lookup: false,
    onShareEvent: (e) => events.push(e),
    ...options,
  }).result;
  const findings = (result.findings as Finding[]).map(historyView).sort((a, b) => a.f.localeCompare(b.f));
  return { findings, commits: result.stats.commits, bytes: result.stats.bytes, events };
}

/** git processes that are children of this process (the scan's readers). */
function gitChildren(): number[] {
  const found: number[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && readlinkSync(`/proc/${pid}/exe`).endsWith('/git')) found.push(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

describe('split history with work stealing', () => {
  let repo: GitRepo;
  beforeAll(() => {
    repo = buildRepo();
  });

  it('takes over the rest of the busy share and reports what one reader reports', { timeout: 120_000 }, async () => {
    const one = await scan(repo, { threads: 1 });
    expect(one.commits).toBe(OLD + NEW);
    expect(one.findings.length).toBeGreaterThanOrEqual(25);
    // The secret of commit 100, added again in the newer half: first and last seen in each half.
    expect(one.findings.some((f) => f.n === 2 && f.first !== f.last)).toBe(true);
    const split = await scan(repo, { threads: 2, splitMinCommits: 100, stealMinCommits: 16 });
    const steals = split.events.filter((e) => e.kind === 'steal');
    expect(steals.length).toBeGreaterThanOrEqual(1);
    // The thread done first took from the other: mostly the worker (share 1, the older and lighter
    // half), but under a full test run's load its start-up can leave it last, since the main share
    // no longer waits for a line-by-line commit list (GIT_FLUSH=0).
    expect(steals[0]!.from).toBe(1 - steals[0]!.share);
    // Every commit read exactly once: the ranges read cover the list without overlap.
    const reads = split.events.filter((e) => e.kind === 'read').sort((a, b) => a.start - b.start);
    expect(reads[0]!.start).toBe(0);
    reads.forEach((r, i) => expect(r.end).toBe(reads[i + 1]?.start ?? OLD + NEW));
    expect(split.commits).toBe(one.commits);
    expect(split.bytes).toBe(one.bytes);
    expect(split.findings).toEqual(one.findings);
  });

  it('stops every git process when one share fails', { timeout: 120_000 }, async () => {
    // A copy whose objects are loose, with the tree of an old commit (in the worker's half) gone:
    // `git log --raw` of that share fails when it gets there, while share 0 is still reading.
    const broken = GitRepo.init('lr-steal-broken-');
    const pack = readdirSync(join(repo.dir, '.git/objects/pack')).find((f) => f.endsWith('.pack'))!;
    execFileSync('git', ['unpack-objects', '-q'], {
      cwd: broken.dir,
      env: broken.env,
      input: readFileSync(join(repo.dir, '.git/objects/pack', pack)),
      maxBuffer: 1 << 30,
    });
    broken.git('update-ref', 'refs/heads/main', repo.git('rev-parse', 'main').trim());
    const tree = broken.git('rev-parse', `main~${NEW + OLD / 2}^{tree}`).trim();
    const loose = join(broken.dir, '.git/objects', tree.slice(0, 2), tree.slice(2));
    rmSync(loose);
    expect(gitChildren()).toEqual([]);
    await expect(scan(broken, { threads: 2, splitMinCommits: 100, stealMinCommits: 16 })).rejects.toThrow(/git log/);
    // Killed or ended on a closed pipe: none outlives the scan by more than a moment.
    for (let i = 0; i < 50 && gitChildren().length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(gitChildren()).toEqual([]);
  });
});
