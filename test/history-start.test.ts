// A history scan's first git commands start before the CLI's modules load (bin/leakradius.js,
// sources/git/history-start.ts, startGitEarly in sources/git/process.ts), and the scan takes their
// answers only where it would run the same command in the same directory. Real git (behind a
// wrapper that notes each command line), real repositories, the real CLI.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupTempDirs, runCli, tempDir, token } from './helpers.js';
import { GitRepo, githubRulesDir } from './git-repo.js';

afterAll(cleanupTempDirs);

let rulesDir: string;
/** A `git` first on PATH that appends "GIT_FLUSH=<value> <arguments>" to $GIT_CALLS, then runs git. */
let wrapperDir: string;
beforeAll(() => {
  rulesDir = githubRulesDir();
  wrapperDir = tempDir('lr-hstart-bin-');
  const git = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
  writeFileSync(
    join(wrapperDir, 'git'),
    `#!/bin/sh\nprintf 'GIT_FLUSH=%s %s\\n' "$GIT_FLUSH" "$*" >> "$GIT_CALLS"\nexec ${git} "$@"\n`,
  );
  chmodSync(join(wrapperDir, 'git'), 0o755);
});

const COMMITS = 3000;
const tok = (i: number) => token('{{github:ghp_}}', `history-start-${i}`);

/** COMMITS commits (a list of ~120 KB, more than a pipe and a stream buffer hold), secrets in three of them. */
function buildRepo(): GitRepo {
  const repo = GitRepo.init('lr-hstart-');
  const parts: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  for (let i = 1; i <= COMMITS; i++) {
    const secret = i === 1 || i === COMMITS / 2 || i === COMMITS ? `token = "${tok(i)}"\n` : '';
    parts.push(
      `commit refs/heads/main\nmark :${i}\nauthor Ada <ada@example.com> ${1_700_000_000 + i * 60} +0000\n` +
        `committer Ada <ada@example.com> ${1_700_000_000 + i * 60} +0000\n${data(`commit ${i}`)}`,
    );
    if (i > 1) parts.push(`from :${i - 1}\n`);
    parts.push(`M 100644 inline src/f${i % 7}.txt\n${data(`line ${i}\n${secret}`)}\n`);
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: repo.dir, env: repo.env, input: parts.join('') });
  repo.git('checkout', '-q', 'main');
  repo.git('tag', '-a', 'v1', '-m', `release with ${tok(7777)}`);
  return repo;
}

interface Report {
  stats: { commits: number };
  findings: Array<{
    fingerprint: string;
    presentAtHead?: boolean;
    locations: Array<{ commit: string; path: string }>;
  }>;
}

/** Runs `leakradius git ARGS -f json` in `cwd`; the report, the exit code and the git command lines run. */
async function scan(repo: GitRepo, cwd: string, args: string[] = []) {
  const calls = join(tempDir('lr-hstart-calls-'), 'calls.txt');
  writeFileSync(calls, '');
  const r = await runCli(['git', ...args, '--offline', '--rules', rulesDir, '-f', 'json'], {
    cwd,
    env: { ...repo.env, PATH: `${wrapperDir}:${process.env.PATH}`, GIT_CALLS: calls },
  });
  const lines = readFileSync(calls, 'utf8').trim().split('\n');
  // Without PLAIN's "-c name=value" pairs: what git was asked to do.
  const commands = lines.map((l) => {
    const [flush, ...rest] = l.split(' ');
    const words = rest.filter((w, i) => w !== '-c' && rest[i - 1] !== '-c');
    return `${flush} ${words.join(' ')}`;
  });
  return {
    code: r.code,
    stderr: r.stderr,
    report: r.code === 2 ? undefined : (JSON.parse(r.stdout) as Report),
    commands,
  };
}

const where = (report: Report | undefined) =>
  report!.findings
    .flatMap((f) => f.locations.map((l) => `${f.fingerprint} ${l.commit.slice(0, 12)} ${l.path} ${f.presentAtHead}`))
    .sort();

describe('a history scan with git started early', () => {
  let repo: GitRepo;
  beforeAll(() => {
    repo = buildRepo();
  });

  it('lists the commits before the CLI loads, once, buffered; a scan from elsewhere finds the same', async () => {
    const top = await scan(repo, repo.dir);
    expect(top.code).toBe(1);
    expect(top.report!.stats.commits).toBe(COMMITS);
    // Three commits and the tag's message.
    expect(top.report!.findings).toHaveLength(4);
    // The commit list is git's first command here, run once: the scan read the early one.
    expect(top.commands[0]).toBe('GIT_FLUSH=0 rev-list --all --');
    expect(top.commands.filter((c) => c.includes(' rev-list '))).toHaveLength(1);
    for (const once of ['rev-parse --show-toplevel', 'rev-parse --is-shallow-repository', 'for-each-ref'])
      expect(top.commands.filter((c) => c.includes(` ${once}`))).toHaveLength(1);
    // Record-flushing commands write in blocks; cat-file answers each request as it comes.
    expect(top.commands.filter((c) => / (log|rev-list) /.test(c)).every((c) => c.startsWith('GIT_FLUSH=0 '))).toBe(
      true,
    );
    expect(top.commands.filter((c) => c.includes(' cat-file ')).every((c) => c.startsWith('GIT_FLUSH= '))).toBe(true);

    // From a subdirectory, and with the repository named from outside it: nothing early is taken.
    mkdirSync(join(repo.dir, 'src'), { recursive: true });
    const sub = await scan(repo, join(repo.dir, 'src'));
    expect(sub.commands[0]).toBe('GIT_FLUSH= rev-parse --show-toplevel');
    const named = await scan(repo, tempDir('lr-hstart-elsewhere-'), [repo.dir]);
    for (const other of [sub, named]) {
      expect(other.code).toBe(1);
      expect(other.report!.stats.commits).toBe(COMMITS);
      expect(where(other.report)).toEqual(where(top.report));
    }
  });

  it('reads every stash entry: the list of --all started early is not the one of a stash', async () => {
    const stashed = GitRepo.init('lr-hstart-stash-');
    stashed.commit('init', { 'README.md': 'hello\n' });
    stashed.write('old.env', `GITHUB_TOKEN=${tok(1)}\n`);
    stashed.git('stash', 'push', '-u', '-q', '-m', 'old');
    stashed.write('README.md', 'hello again\n');
    stashed.git('stash', 'push', '-q', '-m', 'new');
    // `--all` reaches stash@{0} only: the older entry holds the secret.
    const r = await scan(stashed, stashed.dir);
    expect(r.code).toBe(1);
    expect(r.report!.findings.flatMap((f) => f.locations.map((l) => l.path))).toEqual(['old.env']);
    const lists = r.commands.filter((c) => c.includes(' rev-list '));
    expect(lists[0]).toBe('GIT_FLUSH=0 rev-list --all --');
    expect(lists[1]).toMatch(/^GIT_FLUSH=0 rev-list --all [0-9a-f]{40} [0-9a-f]{40} --$/);
  });

  it("ends with git's own words and exit 2 when the early commit list fails", async () => {
    const broken = GitRepo.init('lr-hstart-broken-');
    broken.commit('one', { 'a.txt': '1\n' });
    const middle = broken.commit('two', { 'a.txt': '2\n' });
    broken.commit('three', { 'a.txt': '3\n' });
    rmSync(join(broken.dir, '.git', 'objects', middle.slice(0, 2), middle.slice(2)));
    const r = await scan(broken, broken.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`leakradius: git rev-list --all -- failed: error: Could not read ${middle}`);
    expect(r.commands[0]).toBe('GIT_FLUSH=0 rev-list --all --');
    expect(r.commands.filter((c) => c.includes(' rev-list '))).toHaveLength(1);
  });
});
