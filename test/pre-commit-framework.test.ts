// The hook of .pre-commit-hooks.yaml through the real pre-commit framework (https://pre-commit.com):
// it installs leakradius into its own node environment (npm install, npm pack, npm install -g) and runs
// it on the staged change. .ci/run installs pre-commit (Debian's package).
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cloneOfCheckout } from './checkout.js';
import { GitRepo } from './git-repo.js';
import { cleanupTempDirs, tempDir, token } from './helpers.js';
import { re2MirrorEnv } from './re2-mirror.js';

const hasPreCommit = spawnSync('pre-commit', ['--version']).status === 0;
if (!hasPreCommit) {
  // CI installs it (.ci/run); elsewhere the test says why it did not run.
  if (process.env.CI)
    throw new Error('pre-commit is not installed: .ci/run installs it with apt-get install -y pre-commit');
  console.warn('pre-commit framework test SKIPPED: pre-commit is not installed (apt-get install pre-commit)');
}

describe.skipIf(!hasPreCommit)('the pre-commit framework hook', () => {
  afterAll(cleanupTempDirs);

  it('installs through pre-commit, blocks a commit that adds a secret and lets a clean one through', async () => {
    const { repo: leakradius, commit: rev } = cloneOfCheckout('lr-pcf-src-');
    const project = GitRepo.init('lr-pcf-');
    const npmCache = execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
    // The project's HOME is its own; npm keeps the machine's cache (dependencies come from it).
    const env = {
      ...project.env,
      ...re2MirrorEnv(),
      PRE_COMMIT_HOME: tempDir('lr-pcf-home-'),
      npm_config_cache: npmCache,
      npm_config_prefer_offline: 'true',
    };
    // Asynchronous: the first install takes a while, and vitest's worker must keep answering meanwhile.
    const run = (cmd: string, args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(cmd, args, { cwd: project.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('error', reject);
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });

    project.commit('initial', { 'README.md': '# project\n' });
    const secret = token('{{github:ghp_}}', 'pre-commit-framework');
    project.write('deploy.env', `GITHUB_TOKEN=${secret}\n`).git('add', 'deploy.env');
    const started = performance.now();
    const tried = await run('pre-commit', ['try-repo', leakradius.dir, 'leakradius', '--ref', rev]);
    const installSeconds = (performance.now() - started) / 1000;
    expect(tried.status, tried.stdout + tried.stderr).toBe(1);
    expect(tried.stdout).toMatch(/leakradius \(secrets in the staged change\)\.+Failed/);
    expect(tried.stdout).toContain('deploy.env:1:14');
    expect(tried.stdout).not.toContain(secret);

    // As a team uses it: a config naming the repository and rev, `pre-commit install`, real commits
    // (try-repo installed into a temporary store; this installs into PRE_COMMIT_HOME).
    writeFileSync(
      join(project.dir, '.pre-commit-config.yaml'),
      `repos:\n  - repo: ${leakradius.dir}\n    rev: ${rev}\n    hooks:\n      - id: leakradius\n`,
    );
    expect((await run('pre-commit', ['install'])).status).toBe(0);
    const blocked = await run('git', ['commit', '-m', 'add deploy settings']);
    expect(blocked.status).toBe(1);
    expect(blocked.stdout + blocked.stderr).toContain('commit blocked');
    // The environment runs the Node that was first on PATH when pre-commit built it (Node 24 here).
    const envs = readdirSync(env.PRE_COMMIT_HOME, { recursive: true })
      .map(String)
      .filter((p) => p.endsWith('node_env-system/bin/node'));
    expect(envs).toHaveLength(1);
    const node = execFileSync(join(env.PRE_COMMIT_HOME, envs[0]!), ['--version'], { encoding: 'utf8' }).trim();
    expect(Number(/^v(\d+)/.exec(node)![1])).toBeGreaterThanOrEqual(22);

    project.git('rm', '-q', '--cached', 'deploy.env');
    rmSync(join(project.dir, 'deploy.env'));
    project.write('src/app.js', 'export const answer = 42;\n').git('add', '-A');
    const clean = performance.now();
    const passed = await run('git', ['commit', '-m', 'add the app']);
    expect(passed.status, passed.stdout + passed.stderr).toBe(0);
    expect(passed.stdout + passed.stderr).toMatch(/leakradius \(secrets in the staged change\)\.+Passed/);
    expect(project.git('log', '-1', '--format=%s').trim()).toBe('add the app');
    console.log(
      `pre-commit framework: first install and run ${installSeconds.toFixed(1)} s, clean commit ` +
        `${((performance.now() - clean) / 1000).toFixed(2)} s`,
    );
  });
});
