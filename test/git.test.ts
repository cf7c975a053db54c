import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { scanGit, type GitScanOptions } from '../src/scan/scan-git.js';
import { logPatches, parsePatches } from '../src/sources/git/index.js';
import type { Finding, Location } from '../src/types.js';
import { cleanupTempDirs, runCli, tempDir, token } from './helpers.js';
import { GitRepo, githubRulesDir, historyView } from './git-repo.js';

let rulesDir: string;
beforeAll(() => {
  rulesDir = githubRulesDir();
});
afterAll(cleanupTempDirs);

async function findings(repo: GitRepo, options: Partial<GitScanOptions> = {}) {
  const warnings: string[] = [];
  const run = scanGit({ repo: repo.dir, rulesDir, onWarning: (w) => warnings.push(w.message), ...options });
  const result = await run.result;
  return { findings: result.findings, result, warnings };
}

function git(l: Location) {
  if (l.kind !== 'git') throw new Error(`expected a git location, got ${l.kind}`);
  return l;
}

function only(list: Finding[]): Finding {
  expect(list).toHaveLength(1);
  return list[0]!;
}

describe('git history', () => {
  it('finds a secret that was added and later deleted, at the commit that added it', async () => {
    const repo = GitRepo.init();
    const secret = token('{{github:ghp_}}', 'added-deleted');
    repo.commit('init', { 'app.env': 'A=1\nB=2\n' });
    const added = repo.commit('add config', { 'app.env': `A=1\nB=2\nGITHUB_TOKEN=${secret}\n` });
    repo.commit('remove the token', { 'app.env': 'A=1\nB=2\n' });
    const { findings: list } = await findings(repo);
    const f = only(list);
    expect(f.secret).toBe(secret);
    const l = git(f.locations[0]!);
    expect(l).toMatchObject({
      commit: added,
      path: 'app.env',
      line: 3,
      column: 14,
      author: 'Ada Lovelace',
      email: 'ada@example.com',
    });
    expect(f.locations).toHaveLength(1);
    expect(f.firstSeen?.commit).toBe(added);
    expect(f.presentAtHead).toBe(false);
  });

  it('reports a secret added in 40 commits once, with first and last seen', async () => {
    const repo = GitRepo.init();
    const secret = token('{{github:ghp_}}', 'forty');
    const commits: string[] = [];
    for (let i = 0; i < 40; i++)
      commits.push(repo.commit(`copy ${i}`, { [`service-${i}/config.env`]: `NAME=svc${i}\nTOKEN=${secret}\n` }));
    const { findings: list } = await findings(repo);
    const f = only(list);
    expect(f.occurrences).toBe(40);
    expect(f.firstSeen?.commit).toBe(commits[0]);
    expect(f.lastSeen?.commit).toBe(commits[39]);
    expect(Date.parse(f.firstSeen!.date)).toBeLessThan(Date.parse(f.lastSeen!.date));
    expect(git(f.locations[0]!).commit).toBe(commits[0]);
    expect(git(f.locations[39]!)).toMatchObject({ commit: commits[39], path: 'service-39/config.env', line: 2 });
    expect(f.presentAtHead).toBe(true);
  });

  it('finds a secret that lives only on an unmerged branch, and --branch narrows to one branch', async () => {
    const repo = GitRepo.init();
    const secret = token('{{github:ghp_}}', 'unmerged');
    repo.commit('init', { 'README.md': 'hello\n' });
    repo.git('checkout', '-q', '-b', 'experiment');
    const onBranch = repo.commit('try something', {
      'try.sh': `curl -H "Authorization: token ${secret}" https://api.github.com/user\n`,
    });
    repo.git('checkout', '-q', 'main');
    const all = only((await findings(repo)).findings);
    expect(git(all.locations[0]!)).toMatchObject({ commit: onBranch, path: 'try.sh', line: 1 });
    expect(all.presentAtHead).toBe(false);
    expect((await findings(repo, { branches: ['main'] })).findings).toHaveLength(0);
    expect((await findings(repo, { branches: ['experiment'] })).findings).toHaveLength(1);
  });

  it('finds a secret that is only in a commit message', async () => {
    const repo = GitRepo.init();
    const secret = token('{{github:ghp_}}', 'message');
    const c = repo.commit(`ci: use the deploy token\n\nGH_TOKEN=${secret} for the release job`, { 'a.txt': 'a\n' });
    const f = only((await findings(repo)).findings);
    expect(git(f.locations[0]!)).toMatchObject({ commit: c, path: '(commit message)', line: 3, column: 10 });
  });

  it('finds a secret kept only in the stash', async () => {
    const repo = GitRepo.init();
    const secret = token('{{github:ghp_}}', 'stash');
    repo.commit('init', { 'a.txt': 'a\n' });
    repo.write('a.txt', `a\ntoken=${secret}\n`);
    repo.git('stash', 'push', '-q', '-m', 'wip');
    const f = only((await findings(repo)).findings);
    expect(git(f.locations.find((l) => git(l).path === 'a.txt')!).line).toBe(2);
  });

  it('gives line numbers of the new file for a secret added in the middle of an existing file', async () => {
    const repo = GitRepo.init();
    const secret = token('{{github:ghp_}}', 'middle');
    const body = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    repo.commit('init', { 'big.txt': body.join('\n') + '\n' });
    const changed = [...body];
    changed.splice(19, 1, 'changed 20', `  token: "${secret}"`); // replace line 20, insert at 21
    changed[4] = 'changed 5';
    const c = repo.commit('edit', { 'big.txt': changed.join('\n') + '\n' });
    const f = only((await findings(repo)).findings);
    expect(git(f.locations[0]!)).toMatchObject({ commit: c, line: 21, column: 11 });
  });

  it('reports a renamed file at its new path too (allows by path are judged where the secret now is)', async () => {
    const repo = GitRepo.init();
    const secret = token('{{github:ghp_}}', 'rename');
    const added = repo.commit('add', { 'config/dev.env': `X=1\nTOKEN=${secret}\nY=2\nZ=3\n` });
    repo.git('mv', 'config/dev.env', 'config/development.env');
    const renamed = repo.commit('rename');
    const f = only((await findings(repo)).findings);
    expect(f.locations.map((l) => [git(l).commit, git(l).path])).toEqual([
      [added, 'config/dev.env'],
      [renamed, 'config/development.env'],
    ]);
    expect(f.firstSeen?.commit).toBe(added);
    expect(f.presentAtHead).toBe(true);
  });

  it('credits a secret brought in by a merge to the branch commit, one written in a merge to the merge', async () => {
    const repo = GitRepo.init();
    const fromBranch = token('{{github:ghp_}}', 'merge-branch');
    const inMerge = token('{{github:ghp_}}', 'merge-evil');
    repo.commit('init', { 'a.txt': 'a\n', 'b.txt': 'b\n' });
    repo.git('checkout', '-q', '-b', 'feature');
    const branchCommit = repo.commit('feature work', { 'a.txt': `a\nFEATURE=${fromBranch}\n` });
    repo.git('checkout', '-q', 'main');
    repo.commit('main work', { 'b.txt': 'b\nmore\n' });
    repo.git('merge', '-q', '--no-ff', '--no-commit', 'feature');
    repo.write('b.txt', `b\nmore\nRESOLVED=${inMerge}\n`);
    repo.git('add', 'b.txt');
    repo.git('commit', '-q', '-m', 'merge feature');
    const merge = repo.head();
    const list = (await findings(repo)).findings;
    expect(list).toHaveLength(2);
    const branch = list.find((f) => f.secret === fromBranch)!;
    expect(branch.locations.map((l) => git(l).commit)).toEqual([branchCommit]);
    const evil = list.find((f) => f.secret === inMerge)!;
    expect(evil.locations.map((l) => [git(l).commit, git(l).path, l.line])).toEqual([[merge, 'b.txt', 3]]);
  });

  it('handles file names with spaces, newlines and non-ASCII bytes, and binary files', async () => {
    const repo = GitRepo.init();
    const names = ['with space.txt', 'new\nline.txt', 'café/naïve.env', 'tab\there.txt'];
    names.forEach((n, i) => repo.write(n, `k=${token('{{github:ghp_}}', `name-${i}`)}\n`));
    repo.write(
      'image.bin',
      Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(token('{{github:ghp_}}', 'bin'))]).toString('latin1'),
    );
    repo.commit('odd names');
    const { findings: list, result } = await findings(repo);
    expect(list.map((f) => git(f.locations[0]!).path).sort()).toEqual([...names].sort());
    expect(result.stats.binarySkipped).toBe(1);
  });

  it('notes a submodule without following it, and scans a detached HEAD', async () => {
    const inner = GitRepo.init('lr-sub-inner-');
    inner.commit('inner', { 'inner.env': `T=${token('{{github:ghp_}}', 'inside-submodule')}\n` });
    const repo = GitRepo.init('lr-sub-outer-');
    repo.commit('init', { 'a.txt': 'a\n' });
    repo.git('-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', `file://${inner.dir}`, 'vendor/inner');
    repo.commit('add submodule');
    repo.git('checkout', '-q', '--detach', 'HEAD');
    const detached = repo.commit('on a detached HEAD', { 'd.env': `T=${token('{{github:ghp_}}', 'detached')}\n` });
    const { findings: list, warnings } = await findings(repo);
    expect(list.map((f) => git(f.locations[0]!).commit)).toEqual([detached]);
    expect(warnings.join('\n')).toMatch(/submodule: not followed/);
  });

  it('skips paths excluded by --exclude and by allow.paths in .leakradius.yml', async () => {
    const repo = GitRepo.init();
    repo.commit('fixtures', {
      '.leakradius.yml': 'allow:\n  paths: [test/fixtures]\n',
      'test/fixtures/github.env': `T=${token('{{github:ghp_}}', 'fixture-path')}\n`,
      'vendor/lib/x.js': `t="${token('{{github:ghp_}}', 'vendored')}"\n`,
      'src/real.env': `T=${token('{{github:ghp_}}', 'real')}\n`,
    });
    const list = (await findings(repo, { exclude: ['vendor/**'] })).findings;
    expect(list.map((f) => git(f.locations[0]!).path)).toEqual(['src/real.env']);
  });

  it('reads commits with an empty message', async () => {
    const repo = GitRepo.init();
    repo.write('a.env', `T=${token('{{github:ghp_}}', 'empty-message')}\n`);
    repo.git('add', '-A');
    repo.git('commit', '-q', '--allow-empty-message', '-m', '');
    const c = repo.head();
    repo.commit('next', { 'b.txt': 'b\n' });
    for (const strategy of ['patches', 'blobs'] as const) {
      const f = only((await findings(repo, { strategy })).findings);
      expect(git(f.locations[0]!)).toMatchObject({ commit: c, path: 'a.env', line: 1 });
    }
  });

  it('narrows history with --max-commits and --since', async () => {
    const repo = GitRepo.init();
    const secrets = [0, 1, 2].map((i) => token('{{github:ghp_}}', `narrow-${i}`));
    secrets.forEach((t, i) => repo.commit(`c${i}`, { [`f${i}.env`]: `T=${t}\n` }));
    expect((await findings(repo, { maxCommits: 1 })).findings.map((f) => f.secret)).toEqual([secrets[2]]);
    const second = repo.git('log', '-1', '--format=%aI', 'HEAD~1').trim();
    const since = (await findings(repo, { since: second })).findings.map((f) => f.secret).sort();
    expect(since).toEqual([secrets[1], secrets[2]].sort());
  });

  it('scans an empty repository without error', async () => {
    const repo = GitRepo.init();
    const { findings: list, warnings } = await findings(repo);
    expect(list).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('warns that a shallow clone cuts history, and scans what is there', async () => {
    const origin = GitRepo.init();
    const old = token('{{github:ghp_}}', 'shallow-old');
    const recent = token('{{github:ghp_}}', 'shallow-new');
    origin.commit('old', { 'old.txt': `t=${old}\n` });
    origin.commit('drop', { 'old.txt': 'gone\n' });
    origin.commit('recent', { 'new.txt': `t=${recent}\n` });
    const clone = new GitRepo(join(tempDir('lr-shallow-'), 'clone'), origin.dir + '-home');
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${origin.dir}`, clone.dir], { env: origin.env });
    const { findings: list, warnings } = await findings(clone);
    expect(list.map((f) => f.secret)).toEqual([recent]);
    expect(warnings.join('\n')).toMatch(/shallow clone.*git fetch --unshallow.*fetch-depth: 0/);
  });

  it('scans a bare repository (a mirror) through its git directory; --staged says it has no index', async () => {
    const origin = GitRepo.init();
    const secret = token('{{github:ghp_}}', 'bare-mirror');
    origin.commit('one', { 'a.env': 'A=1\n' });
    const added = origin.commit('two', { 'a.env': `A=1\nTOKEN=${secret}\n` });
    origin.commit('three', { 'a.env': 'A=1\n' });
    const bare = join(tempDir('lr-bare-'), 'mirror.git');
    execFileSync('git', ['clone', '-q', '--bare', origin.dir, bare], { env: origin.env });
    const withDir = new GitRepo(bare, origin.dir + '-home');
    const f = only((await findings(withDir)).findings);
    expect(f.secret).toBe(secret);
    expect(git(f.locations[0]!)).toMatchObject({ commit: added, path: 'a.env', line: 2 });
    expect(f.presentAtHead).toBe(false);
    const staged = await runCli(['git', '--staged', bare], { env: origin.env });
    expect(staged.code).toBe(2);
    expect(staged.stderr).toMatch(/bare repository: it has no index/);
  });

  it('finds the same secrets with the blob strategy', async () => {
    const repo = GitRepo.init();
    const a = token('{{github:ghp_}}', 'blob-a');
    const b = token('{{github:ghp_}}', 'blob-b');
    const first = repo.commit('a', { 'x.env': `A=${a}\n` });
    repo.commit('b', { 'x.env': `A=${a}\nB=${b}\n`, 'y.env': `A=${a}\n` });
    repo.commit(`msg ${b}`, { 'x.env': 'clean\n' });
    repo.write('x.env', `clean\nSTASHED=${token('{{github:ghp_}}', 'blob-stash')}\n`);
    repo.git('stash', 'push', '-q');
    const patches = (await findings(repo)).findings;
    const blobs = (await findings(repo, { strategy: 'blobs' })).findings;
    expect(patches).toHaveLength(3);
    expect(blobs.map((f) => f.fingerprint).sort()).toEqual(patches.map((f) => f.fingerprint).sort());
    const fa = blobs.find((f) => f.secret === a)!;
    expect(fa.firstSeen?.commit).toBe(first);
    expect(fa.presentAtHead).toBe(true);
  });
});

describe('git history split across git processes and workers', () => {
  it('reports exactly what one git log reports: findings, first and last seen, location order, counts', async () => {
    // 760 commits (split from 512 commits here; 10,000 by default) written with git fast-import:
    // secrets every 50 commits,
    // one secret added twice with the same author date (a cherry-pick), one in a commit message,
    // one re-added later, and a side branch.
    const repo = GitRepo.init('lr-split-');
    const TIES = [300, 312, 376, 440, 504];
    const when = (i: number) => 1_700_000_000 + i * 60;
    const tok = (i: number) => token('{{github:ghp_}}', `split-${i}`);
    const parts: string[] = [];
    const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
    const commit = (
      ref: string,
      i: number,
      from: string | undefined,
      message: string,
      files: Record<string, string>,
      date = when(i),
    ) => {
      parts.push(
        `commit ${ref}\nmark :${i}\nauthor Ada <ada@example.com> ${date} +0000\n` +
          `committer Ada <ada@example.com> ${when(i)} +0000\n${data(message)}`,
      );
      if (from) parts.push(`from ${from}\n`);
      for (const [path, text] of Object.entries(files)) parts.push(`M 100644 inline ${path}\n${data(text)}`);
      parts.push('\n');
    };
    const content = new Map<string, string>();
    for (let i = 1; i <= 740; i++) {
      const path = `src/f${i % 37}.txt`;
      let add = `line ${i}\n`;
      if (i % 50 === 0) add += `token = "${tok(i)}"\n`;
      // Pairs (i, i+1) with one author date; 312, 376, 440 and 504 start a block of the split (the
      // 20 newer feature commits come first in history order), so each pair spans two processes.
      for (const t of TIES) if (i === t || i === t + 1) add += `same = "${tok(10_000 + t)}"\n`;
      if (i === 500) add += `again = "${tok(50)}"\n`;
      content.set(path, (content.get(path) ?? '') + add);
      const message = i === 400 ? `rotate key ${tok(4000)}` : `commit ${i}`;
      commit(
        'refs/heads/main',
        i,
        i > 1 ? `:${i - 1}` : undefined,
        message,
        { [path]: content.get(path)! },
        TIES.includes(i - 1) ? when(i - 1) : when(i),
      );
    }
    for (let i = 741; i <= 760; i++)
      commit('refs/heads/feature', i, `:${i === 741 ? 600 : i - 1}`, `feature ${i}`, {
        [`feature/${i}.txt`]: i === 750 ? `key = "${tok(7500)}"\n` : `x ${i}\n`,
      });
    execFileSync('git', ['fast-import', '--quiet'], { cwd: repo.dir, env: repo.env, input: parts.join('') });
    repo.git('checkout', '-q', 'main');

    const shape = async (threads: number) => {
      const { result } = await findings(repo, { threads, splitMinCommits: 512 });
      return {
        stats: { commits: result.stats.commits, files: result.stats.files, bytes: result.stats.bytes },
        findings: (result.findings as Finding[]).map(historyView).sort((a, b) => a.f.localeCompare(b.f)),
      };
    };
    const one = await shape(1);
    expect(one.stats.commits).toBe(760);
    expect(one.findings.length).toBeGreaterThanOrEqual(17);
    // Each tie pair: the same secret with the same author date; the older commit is first seen.
    for (const t of TIES) {
      const [older, newer] = [
        repo.git('rev-parse', `main~${740 - t}`).trim(),
        repo.git('rev-parse', `main~${739 - t}`).trim(),
      ];
      expect(one.findings.filter((f) => f.first === older && f.last === newer)).toHaveLength(1);
    }
    expect(await shape(2)).toEqual(one);
    expect(await shape(3)).toEqual(one);
  });
});

describe('git --range', () => {
  it("reports only the feature branch's new secret", async () => {
    const repo = GitRepo.init();
    const old = token('{{github:ghp_}}', 'range-old');
    const fresh = token('{{github:ghp_}}', 'range-new');
    repo.commit('init', { 'legacy.env': `T=${old}\n` });
    repo.git('checkout', '-q', '-b', 'feature');
    repo.commit('feature 1', { 'f.txt': 'one\n' });
    const c = repo.commit('feature 2', { 'f.txt': `one\nT=${fresh}\n` });
    const list = (await findings(repo, { range: 'main..feature' })).findings;
    expect(list.map((f) => f.secret)).toEqual([fresh]);
    expect(git(list[0]!.locations[0]!)).toMatchObject({ commit: c, path: 'f.txt', line: 2 });
    const cli = await runCli([
      'git',
      repo.dir,
      '--range',
      'main..HEAD',
      '--rules',
      rulesDir,
      '--format',
      'json',
      '--offline',
    ]);
    expect(cli.code).toBe(1);
    expect(JSON.parse(cli.stdout).findings).toHaveLength(1);
  });

  it('keeps the git log -p reader off the command line, where it would hide binary-to-text changes', async () => {
    const repo = GitRepo.init();
    repo.commit('one', { 'a.txt': 'a\n' });
    const r = await runCli(['git', repo.dir, '--strategy', 'patches', '--rules', rulesDir, '--offline']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/strategy/);
    expect((await runCli(['git', repo.dir, '--strategy', 'blobs', '--rules', rulesDir, '--offline'])).code).toBe(0);
  });

  it('says which fetch fixes a range whose base is missing from a shallow clone', async () => {
    const origin = GitRepo.init();
    origin.commit('one', { 'a.txt': '1\n' });
    const base = origin.commit('two', { 'a.txt': '2\n' });
    origin.commit('three', { 'a.txt': '3\n' });
    const clone = join(tempDir('lr-shallow-range-'), 'clone');
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${origin.dir}`, clone], { env: origin.env });
    const r = await runCli(['git', clone, '--range', `${base}..HEAD`, '--rules', rulesDir, '--offline']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/shallow clone/);
    expect(r.stderr).toMatch(/fetch-depth: 0/);
    expect(r.stderr).toMatch(/git fetch/);
  });
});

describe('git --staged', () => {
  it('reports added lines only, with line numbers of the staged file', async () => {
    const repo = GitRepo.init();
    const committed = token('{{github:ghp_}}', 'staged-old');
    const staged = token('{{github:ghp_}}', 'staged-new');
    repo.commit('init', { 'a.env': `OLD=${committed}\nx\ny\n` });
    repo.write('a.env', `OLD=${committed}\nx\nNEW=${staged}\ny\n`);
    repo.write('unstaged.env', `T=${token('{{github:ghp_}}', 'not-staged')}\n`);
    repo.git('add', 'a.env');
    const list = (await findings(repo, { staged: true })).findings;
    expect(list.map((f) => f.secret)).toEqual([staged]);
    expect(list[0]!.locations[0]).toMatchObject({ kind: 'file', path: 'a.env', line: 3, column: 5 });
  });

  it('works before the first commit', async () => {
    const repo = GitRepo.init();
    repo.write('first.env', `T=${token('{{github:ghp_}}', 'first')}\n`);
    repo.git('add', '-A');
    expect((await findings(repo, { staged: true })).findings).toHaveLength(1);
  });

  it('fails closed with exit 2 when it cannot read the staged change', async () => {
    const r = await runCli(['git', '--staged', tempDir('lr-not-a-repo-'), '--rules', rulesDir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a git repository/);
    const repo = GitRepo.init();
    repo.commit('init', { 'a.txt': 'a\n' });
    execFileSync('sh', ['-c', 'echo garbage > .git/index'], { cwd: repo.dir });
    const broken = await runCli(['git', '--staged', repo.dir, '--rules', rulesDir]);
    expect(broken.code).toBe(2);
  });
});

describe('patch parser', () => {
  it('reads the same added lines and line numbers however the output is split into chunks', async () => {
    const repo = GitRepo.init();
    repo.commit('one', { 'a.txt': 'a\nb\nc\n', 'sp ace.txt': 'x\n' });
    repo.commit('two\n\nbody line\n', { 'a.txt': 'a\nB\nc\nd\n', 'new\nname.txt': 'y\nz\n' });
    repo.write('a.txt', 'A\nB\nc\nd\n');
    repo.git('commit', '-qam', '', '--allow-empty-message');
    const raw: Buffer[] = [];
    for await (const chunk of logPatches(repo.dir, {})) raw.push(chunk);
    const whole = Buffer.concat(raw);
    async function parse(splitAt: number) {
      const out: string[] = [];
      async function* chunks() {
        for (let i = 0; i < whole.length; i += splitAt) yield whole.subarray(i, i + splitAt);
      }
      await parsePatches(chunks(), {
        commit: (meta, message) => out.push(`commit ${meta.commit.slice(0, 7)} ${JSON.stringify(message.toString())}`),
        added: (file, part) => {
          const lines = part.toString().split('\n');
          out.push(`${file.path}: ${lines.map((l, i) => `${file.lineMap.fileLine(i + 1)}=${l}`).join(' ')}`);
        },
      });
      return out;
    }
    const expected = await parse(whole.length);
    expect(expected.filter((l) => l.startsWith('a.txt'))).toEqual([
      'a.txt: 1=A',
      'a.txt: 2=B 4=d',
      'a.txt: 1=a 2=b 3=c',
    ]);
    expect(expected).toContain('new\nname.txt: 1=y 2=z');
    expect(expected.filter((l) => l.startsWith('commit'))).toHaveLength(3);
    for (const n of [1, 2, 3, 7, 64]) expect(await parse(n)).toEqual(expected);
  });
});
