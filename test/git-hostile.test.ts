// Git scans against a repository built to hide a secret (issue 17): a binary old side, gitattributes,
// stashes, tags, replaced and grafted commits, a fixture moved into a real path, a gitleaks allowlist.
// Each repository is real; each test fails on a scanner that falls for the trick.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanGit, type GitScanOptions } from '../src/scan/index.js';
import type { Location } from '../src/types.js';
import { cleanupTempDirs, runCli, token } from './helpers.js';
import { GitRepo, githubRulesDir } from './git-repo.js';

let rulesDir: string;
beforeAll(() => {
  rulesDir = githubRulesDir();
});
afterAll(cleanupTempDirs);

const gh = (seed: string) => token('{{github:ghp_}}', `hostile-${seed}`);

/** Where each secret was found, as "path" (staged) or "commit-prefix path", per secret. */
async function found(repo: GitRepo, options: Partial<GitScanOptions> = {}) {
  const warnings: string[] = [];
  const result = await scanGit({
    repo: repo.dir,
    rulesDir,
    lookup: false,
    onWarning: (w) => warnings.push(`${w.subject}: ${w.message}`),
    ...options,
  }).result;
  const where = (l: Location) => (l.kind === 'git' ? `${l.commit.slice(0, 8)} ${l.path}` : `${l.path}`);
  return {
    secrets: result.findings.map((f) => f.secret),
    places: result.findings.flatMap((f) => f.locations.map(where)),
    warnings,
  };
}

/** Text that git judges binary: a NUL in the first 8000 bytes. */
const binaryEnv = Buffer.concat([Buffer.from('MODE=1\n'), Buffer.from([0, 1, 2]), Buffer.from('\nOLD=x\n')]);

describe('17.4 a binary file replaced by text', () => {
  function build() {
    const repo = GitRepo.init('lr-bin2text-');
    repo.commit('init', { 'README.md': '# app\n' });
    writeFileSync(join(repo.dir, 'settings.env'), binaryEnv);
    const base = repo.commit('binary settings');
    const secret = gh('bin2text');
    const text = repo.commit('plain settings', { 'settings.env': `MODE=1\nGITHUB_TOKEN=${secret}\n` });
    return { repo, base, text, secret };
  }

  it('is scanned in a full history scan and in the PR range, at the text side', async () => {
    const { repo, base, text, secret } = build();
    const history = await found(repo);
    expect(history.secrets).toEqual([secret]);
    expect(history.places).toEqual([`${text.slice(0, 8)} settings.env`]);
    const range = await found(repo, { range: `${base}..${text}` });
    expect(range.places).toEqual([`${text.slice(0, 8)} settings.env`]);
  });

  it('is scanned when staged over a committed binary file', async () => {
    const repo = GitRepo.init('lr-bin2text-staged-');
    writeFileSync(join(repo.dir, 'settings.env'), binaryEnv);
    repo.commit('binary settings');
    const secret = gh('bin2text-staged');
    repo.write('settings.env', `MODE=1\nGITHUB_TOKEN=${secret}\n`);
    repo.git('add', 'settings.env');
    const staged = await found(repo, { staged: true });
    expect(staged.places).toEqual(['settings.env']);
  });

  it('still skips a text file replaced by a binary one (the binary side is not read as text)', async () => {
    const repo = GitRepo.init('lr-text2bin-');
    repo.commit('text', { 'a.env': 'A=1\n' });
    // Binary by any measure: NULs and control bytes throughout (a stray NUL in text would be scanned, 17.5).
    const machineCode = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 8));
    writeFileSync(join(repo.dir, 'a.env'), Buffer.concat([machineCode, Buffer.from(`T=${gh('text2bin')}\n`)]));
    repo.commit('binary');
    expect((await found(repo)).secrets).toEqual([]);
  });
});

describe('17.8 gitattributes cannot hide a file', () => {
  function build() {
    const repo = GitRepo.init('lr-attrs-');
    repo.commit('init', {
      '.gitattributes': 'package-lock.json -diff\nvendor/** binary\n',
      'package-lock.json': '{\n  "lockfileVersion": 3\n}\n',
      'vendor/lib.cfg': 'a=1\n',
    });
    mkdirSync(join(repo.dir, '.git', 'info'), { recursive: true });
    writeFileSync(join(repo.dir, '.git', 'info', 'attributes'), '*.env -diff\n');
    return repo;
  }

  it('reads staged files whatever -diff or binary says, committed or in .git/info/attributes', async () => {
    const repo = build();
    const lock = gh('lock');
    const vendor = gh('vendor');
    const env = gh('env');
    repo.write('package-lock.json', `{\n  "lockfileVersion": 3,\n  "token": "${lock}"\n}\n`);
    repo.write('vendor/lib.cfg', `a=1\nkey=${vendor}\n`);
    repo.write('deploy.env', `GITHUB_TOKEN=${env}\n`);
    repo.git('add', '-A');
    const staged = await found(repo, { staged: true });
    expect(staged.places.sort()).toEqual(['deploy.env', 'package-lock.json', 'vendor/lib.cfg']);
  });

  it('fails the pre-commit command (`git --staged`) for a token in a -diff lockfile', async () => {
    const repo = build();
    repo.write('package-lock.json', `{\n  "token": "${gh('lock-cli')}"\n}\n`);
    repo.git('add', '-A');
    const r = await runCli(['git', '--staged', '--rules', rulesDir, '--format', 'json'], { cwd: repo.dir });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings[0].locations[0].path).toBe('package-lock.json');
  });

  it('reads history and a PR range whatever the attributes say', async () => {
    const repo = build();
    const base = repo.head();
    const lock = gh('lock-history');
    const head = repo.commit('lock', {
      'package-lock.json': `{\n  "lockfileVersion": 3,\n  "token": "${lock}"\n}\n`,
      'deploy.env': `GITHUB_TOKEN=${gh('env-history')}\n`,
    });
    const want = [`${head.slice(0, 8)} deploy.env`, `${head.slice(0, 8)} package-lock.json`];
    expect((await found(repo)).places.sort()).toEqual(want);
    expect((await found(repo, { range: `${base}..${head}` })).places.sort()).toEqual(want);
  });
});

describe('17.8 and 17.4 for files over the in-memory limit (8 MiB, compared by git diff)', () => {
  /** About 9 MiB of plain lines. */
  const big = Array.from({ length: 450_000 }, (_, i) => `const v${i} = ${i};`).join('\n') + '\n';

  it('reads a big new file and a big change whatever `* -diff` says, and text replacing a big binary', async () => {
    const repo = GitRepo.init('lr-big-');
    const first = gh('big-new');
    const second = gh('big-change');
    const third = gh('big-bin2text');
    const added = repo.commit('big', {
      '.gitattributes': '* -diff\n',
      'big.js': `${big}const t = "${first}";\n`,
    });
    const changed = repo.commit('change', { 'big.js': `${big}const t = "${first}";\nconst u = "${second}";\n` });
    writeFileSync(join(repo.dir, 'blob.env'), Buffer.concat([Buffer.from([0]), Buffer.from(big)]));
    repo.commit('binary');
    const text = repo.commit('text', { 'blob.env': `${big}T=${third}\n` });
    const { places } = await found(repo);
    expect(places.sort()).toEqual(
      [`${added.slice(0, 8)} big.js`, `${changed.slice(0, 8)} big.js`, `${text.slice(0, 8)} blob.env`].sort(),
    );
    repo.write('big.js', `${big}const t = "${first}";\nconst w = "${gh('big-staged')}";\n`).git('add', 'big.js');
    expect((await found(repo, { staged: true })).places).toEqual(['big.js']);
  });
});

describe('17.22 history that git log --all does not show', () => {
  it('scans every stash entry, not only stash@{0}, with the untracked files of `stash -u`', async () => {
    const repo = GitRepo.init('lr-stash-');
    repo.commit('init', { 'app.env': 'A=1\n' });
    const older = gh('stash-older');
    const untracked = gh('stash-untracked');
    repo.write('app.env', `A=1\nGITHUB_TOKEN=${older}\n`);
    repo.write('notes.txt', `token ${untracked}\n`);
    repo.git('stash', 'push', '-u', '-q');
    repo.write('app.env', 'A=2\n');
    repo.git('stash', 'push', '-q');
    expect(repo.git('stash', 'list').trim().split('\n')).toHaveLength(2);
    const { secrets } = await found(repo);
    expect(secrets.sort()).toEqual([older, untracked].sort());
  });

  it('scans the message of an annotated tag', async () => {
    const repo = GitRepo.init('lr-tag-');
    const tagged = repo.commit('init', { 'a.txt': 'a\n' });
    const secret = gh('tag');
    repo.git('tag', '-a', 'v1.0', '-m', `release notes\n\ndeploy with GITHUB_TOKEN=${secret}\n`);
    repo.git('tag', 'light'); // a lightweight tag has no message of its own
    const { secrets, places } = await found(repo);
    expect(secrets).toEqual([secret]);
    expect(places).toEqual([`${tagged.slice(0, 8)} (tag message: v1.0)`]);
  });

  it('scans a commit hidden by git replace', async () => {
    const repo = GitRepo.init('lr-replace-');
    repo.commit('init', { 'a.txt': 'a\n' });
    const secret = gh('replaced');
    const leaky = repo.commit('leak', { 'app.env': `GITHUB_TOKEN=${secret}\n` });
    repo.commit('remove', { 'app.env': 'GITHUB_TOKEN=\n' });
    // A clean commit with the same parent stands in for the leaky one in every `git log`.
    repo.git('checkout', '-q', '--detach', `${leaky}~1`);
    const clean = repo.commit('leak (clean)', { 'app.env': 'GITHUB_TOKEN=\n' });
    repo.git('checkout', '-q', 'main');
    repo.git('replace', leaky, clean);
    expect(repo.git('log', '-p', '--all')).not.toContain(secret);
    const { places } = await found(repo);
    expect(places).toEqual([`${leaky.slice(0, 8)} app.env`]);
  });

  it('scans commits that a grafts file cuts off', async () => {
    const repo = GitRepo.init('lr-grafts-');
    const secret = gh('grafted');
    const leaky = repo.commit('leak', { 'app.env': `GITHUB_TOKEN=${secret}\n` });
    const cut = repo.commit('remove', { 'app.env': 'GITHUB_TOKEN=\n' });
    repo.commit('more', { 'a.txt': 'a\n' });
    writeFileSync(join(repo.dir, '.git', 'info', 'grafts'), `${cut}\n`); // "cut" has no parents now
    expect(repo.git('rev-list', '--all')).not.toContain(leaky);
    const { places } = await found(repo);
    expect(places).toEqual([`${leaky.slice(0, 8)} app.env`]);
  });
});

describe('17.23 a fixture moved to a path that is not allowed', () => {
  function build() {
    const repo = GitRepo.init('lr-move-');
    const secret = gh('moved');
    const base = repo.commit('fixture', {
      '.leakradius.yml': 'allow:\n  paths: ["test/fixtures/**"]\n',
      'test/fixtures/token.env': `GITHUB_TOKEN=${secret}\n`,
    });
    repo.git('mv', 'test/fixtures/token.env', 'prod.env');
    return { repo, base, secret };
  }

  it('is found at its new path in the PR range and in a history scan', async () => {
    const { repo, base, secret } = build();
    const head = repo.commit('move');
    const range = await found(repo, { range: `${base}..${head}` });
    expect(range.secrets).toEqual([secret]);
    expect(range.places).toEqual([`${head.slice(0, 8)} prod.env`]);
    expect((await found(repo)).places).toEqual([`${head.slice(0, 8)} prod.env`]);
    expect((await found(repo, { strategy: 'patches' })).places).toEqual([`${head.slice(0, 8)} prod.env`]);
  });

  it('is found when the move is staged', async () => {
    const { repo } = build();
    expect((await found(repo, { staged: true })).places).toEqual(['prod.env']);
  });

  it('is found when the move comes with an edit', async () => {
    const { repo, base } = build();
    repo.write('prod.env', `${repo.git('show', 'HEAD:test/fixtures/token.env')}MODE=prod\n`);
    const head = repo.commit('move and edit');
    expect((await found(repo, { range: `${base}..${head}` })).places).toEqual([`${head.slice(0, 8)} prod.env`]);
  });
});

describe('17.30 a gitleaks [allowlist] paths', () => {
  it('is honoured by git scans as by scan: history, split history, range and staged', async () => {
    const repo = GitRepo.init('lr-gl-paths-');
    writeFileSync(
      join(repo.dir, '.gitleaks.toml'),
      "[extend]\nuseDefault = true\n\n[allowlist]\npaths = ['''(^|/)vendor/''']\n",
    );
    const base = repo.commit('config', { 'README.md': '# app\n' });
    const kept = gh('kept');
    const head = repo.commit('add', {
      'vendor/lib/config.env': `GITHUB_TOKEN=${gh('vendored')}\n`,
      'app.env': `GITHUB_TOKEN=${kept}\n`,
    });
    expect((await found(repo)).secrets).toEqual([kept]);
    expect((await found(repo, { threads: 2, splitMinCommits: 1 })).secrets).toEqual([kept]);
    expect((await found(repo, { range: `${base}..${head}` })).secrets).toEqual([kept]);
    repo.write('vendor/other.env', `GITHUB_TOKEN=${gh('vendored-staged')}\n`);
    repo.git('add', '-A');
    expect((await found(repo, { staged: true })).secrets).toEqual([]);
  });
});
