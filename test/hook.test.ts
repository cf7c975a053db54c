import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT, cleanupTempDirs, runCli, token } from './helpers.js';
import { GitRepo, githubRulesDir } from './git-repo.js';
import { HOOK_MARKER, hookScript } from '../src/cli/commands/install-hook.js';

afterAll(cleanupTempDirs);

/** A real `git commit`, through whatever hook is installed. */
function commit(repo: GitRepo, message: string, env: Record<string, string> = {}) {
  const r = spawnSync('git', ['commit', '-q', '-m', message], {
    cwd: repo.dir,
    env: { ...repo.env, ...env },
    encoding: 'utf8',
  });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

describe('install-hook and a real git commit', () => {
  it('rejects a commit while a secret is staged, and accepts it once removed, allowed, or clean', async () => {
    const repo = GitRepo.init('lr-hook-');
    repo.commit('init', { 'README.md': 'hello\n' });
    // Options after -- go to the staged scan: here a rules directory independent of the catalog.
    const installed = await runCli(['install-hook', repo.dir, '--', '--rules', githubRulesDir()]);
    expect(installed.code).toBe(0);
    const hook = join(repo.dir, '.git', 'hooks', 'pre-commit');
    expect(readFileSync(hook, 'utf8')).toContain(HOOK_MARKER);
    expect(readFileSync(hook, 'utf8')).toMatch(/git --staged --rules /);
    expect(statSync(hook).mode & 0o111).not.toBe(0);

    const secret = token('{{github:ghp_}}', 'hook');
    repo.write('deploy.sh', `#!/bin/sh\nset -e\nexport GITHUB_TOKEN=${secret}\n`);
    repo.git('add', 'deploy.sh');
    // A CA file for TLS (a proxy's, say) that Node would load, and warn about, at every start: the
    // offline hook drops it, so the commit neither pays for it nor prints Node's warning.
    const blocked = commit(repo, 'add deploy script', { NODE_EXTRA_CA_CERTS: join(repo.dir, 'no-such-ca.pem') });
    expect(blocked.stderr).not.toContain('extra certs');
    expect(blocked.code).not.toBe(0);
    expect(blocked.stderr).toContain('commit blocked');
    expect(blocked.stderr).toMatch(/deploy\.sh:3:\d+/);
    expect(blocked.stderr).toContain('GitHub personal access token (classic)');
    expect(blocked.stderr).toContain('remove it');
    expect(blocked.stderr).toContain('leakradius:allow');
    expect(blocked.stderr + blocked.stdout).not.toContain(secret);
    expect(repo.git('rev-list', '--count', 'HEAD').trim()).toBe('1');

    repo.write('deploy.sh', '#!/bin/sh\nset -e\nexport GITHUB_TOKEN="$DEPLOY_TOKEN"\n');
    repo.git('add', 'deploy.sh');
    expect(commit(repo, 'add deploy script').code).toBe(0);

    repo.write(
      'test/fixture.env',
      `GITHUB_TOKEN=${token('{{github:ghp_}}', 'fixture')} # leakradius:allow test fixture\n`,
    );
    repo.git('add', '-A');
    expect(commit(repo, 'add a fixture').code).toBe(0);

    repo.write('README.md', 'hello\nworld\n');
    repo.git('add', '-A');
    expect(commit(repo, 'docs').code).toBe(0);
    expect(repo.git('rev-list', '--count', 'HEAD').trim()).toBe('4');
  });

  it('refuses to replace a foreign hook without --force, and --uninstall removes only its own', async () => {
    const repo = GitRepo.init('lr-hook-foreign-');
    const hook = join(repo.dir, '.git', 'hooks', 'pre-commit');
    writeFileSync(hook, '#!/bin/sh\nexec lint-staged\n', { mode: 0o755 });
    const refused = await runCli(['install-hook', repo.dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--force/);
    expect(readFileSync(hook, 'utf8')).toContain('lint-staged');
    const notOurs = await runCli(['install-hook', repo.dir, '--uninstall']);
    expect(notOurs.code).toBe(2);
    expect(existsSync(hook)).toBe(true);
    expect((await runCli(['install-hook', repo.dir, '--force'])).code).toBe(0);
    expect(readFileSync(hook, 'utf8')).toContain(HOOK_MARKER);
    expect((await runCli(['install-hook', repo.dir, '--uninstall'])).code).toBe(0);
    expect(existsSync(hook)).toBe(false);
  });

  it('drops NODE_EXTRA_CA_CERTS only when the staged scan stays offline', () => {
    expect(hookScript([])).toMatch(/^unset NODE_EXTRA_CA_CERTS$/m);
    expect(hookScript(['--baseline', 'b.json'])).toMatch(/^unset NODE_EXTRA_CA_CERTS$/m);
    for (const online of [['--lookup'], ['--deep-lookup'], ['--baseline', 'b.json', '--lookup=true']])
      expect(hookScript(online)).not.toContain('unset');
  });

  it('installs into core.hooksPath when it is set', async () => {
    const repo = GitRepo.init('lr-hook-path-');
    repo.git('config', 'core.hooksPath', '.githooks');
    mkdirSync(join(repo.dir, '.githooks'));
    expect((await runCli(['install-hook', repo.dir])).code).toBe(0);
    expect(readFileSync(join(repo.dir, '.githooks', 'pre-commit'), 'utf8')).toContain(HOOK_MARKER);
  });

  it('ships a pre-commit framework hook that runs the staged scan', () => {
    const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Array<Record<string, unknown>>;
    expect(hooks[0]).toMatchObject({
      id: 'leakradius',
      language: 'node',
      entry: 'leakradius git --staged',
      pass_filenames: false,
    });
  });
});
