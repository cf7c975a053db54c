// The Action as a runner gets it: a checkout of this repository without node_modules, started by
// `runs.main` of action.yml on Node 24, with the runner's INPUT_* variables and GITHUB_* files.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, parse as parsePath } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { GitRepo } from './git-repo.js';
import { ROOT, cleanupTempDirs, tempDir, token } from './helpers.js';
import { re2MirrorEnv } from './re2-mirror.js';

interface Bundler {
  ACTION_DIST: string;
  re2Native(): { platform: string; arch: string; modules: string; version: string };
  bundleAction(dir: string, options: { keepNative: boolean }): Promise<void>;
  bundle(entry: string, name: string, dir: string, options: { native: object }): Promise<void>;
}
const bundler = (await import(join(ROOT, 'scripts', 'bundle.mjs'))) as Bundler;
const action = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; main: string };
};

/** The files of a checkout the Action needs at run time: action.yml, the bundle and the rules. */
function checkoutOfAction(): string {
  const dir = join(tempDir('lr-action-checkout-'), 'leakradius');
  for (const f of ['action.yml', 'package.json', 'action-dist', 'rules'])
    cpSync(join(ROOT, f), join(dir, f), { recursive: true });
  return dir;
}

function noNodeModulesAbove(dir: string): void {
  for (let d = dir; d !== parsePath(d).root; d = dirname(d))
    expect(existsSync(join(d, 'node_modules')), d).toBe(false);
}

/** Starts `runs.main` as the runner does: every input with its default unless given, event and files. */
function runAsRunner(
  actionDir: string,
  workspace: string,
  event: { name: string; payload: object },
  inputs: Record<string, string>,
  env: NodeJS.ProcessEnv,
) {
  const files = tempDir('lr-runner-');
  const file = (name: string, text = '') => (writeFileSync(join(files, name), text), join(files, name));
  const defaults = Object.fromEntries(
    Object.entries(action.inputs).map(([k, v]) => [
      k,
      v.default === '${{ github.token }}' ? 'ghs_unused' : (v.default ?? ''),
    ]),
  );
  const inputEnv = Object.fromEntries(
    Object.entries({ ...defaults, ...inputs }).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]),
  );
  const clean = Object.fromEntries(
    Object.entries(env).filter(([k]) => !k.startsWith('GITHUB_') && !k.startsWith('INPUT_')),
  );
  const paths = {
    GITHUB_EVENT_PATH: file('event.json', JSON.stringify(event.payload)),
    GITHUB_STEP_SUMMARY: file('summary.md'),
    GITHUB_OUTPUT: file('output.txt'),
  };
  const started = performance.now();
  return new Promise<{
    code: number | null;
    stdout: string;
    stderr: string;
    summary: string;
    outputs: string;
    seconds: number;
  }>((resolve, reject) => {
    const child = spawn(process.execPath, [join(actionDir, action.runs.main)], {
      cwd: workspace,
      env: {
        ...clean,
        ...inputEnv,
        ...paths,
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: event.name,
        GITHUB_WORKSPACE: workspace,
        GITHUB_ACTION_PATH: actionDir,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout,
        stderr,
        summary: readFileSync(paths.GITHUB_STEP_SUMMARY, 'utf8'),
        outputs: readFileSync(paths.GITHUB_OUTPUT, 'utf8'),
        seconds: (performance.now() - started) / 1000,
      }),
    );
  });
}

/** A repository whose last push adds a GitHub token, cloned as actions/checkout would. */
function pushedRepo() {
  const repo = GitRepo.init('lr-action-bundle-');
  const secret = token('{{github:ghp_}}', 'action-bundle');
  const before = repo.commit('initial', { 'README.md': '# app\n' });
  const after = repo.commit('add settings', { 'config/app.env': `# settings\nGITHUB_TOKEN=${secret}\n` });
  const payload = {
    before,
    after,
    ref: 'refs/heads/main',
    repository: { full_name: 'acme/app', default_branch: 'main' },
  };
  return { repo, secret, event: { name: 'push', payload } };
}

describe('the bundled Action', () => {
  afterAll(cleanupTempDirs);

  it('action-dist/ is what scripts/bundle.mjs builds from the source (npm run bundle:action to refresh)', async () => {
    const fresh = tempDir('lr-action-dist-');
    await bundler.bundleAction(fresh, { keepNative: false });
    for (const f of ['main.cjs', 'worker.cjs']) {
      const same = readFileSync(join(fresh, f)).equals(readFileSync(join(bundler.ACTION_DIST, f)));
      expect(same, `action-dist/${f} is stale: run npm run bundle:action and commit action-dist/`).toBe(true);
    }
    // re2.node is not byte-for-byte reproducible across machines: what it was built for must match.
    expect(JSON.parse(readFileSync(join(bundler.ACTION_DIST, 're2.json'), 'utf8'))).toEqual(bundler.re2Native());
  });

  it('starts from a checkout without node_modules and reports a pushed secret', async () => {
    const actionDir = checkoutOfAction();
    noNodeModulesAbove(actionDir);
    const { repo, secret, event } = pushedRepo();
    const run = await runAsRunner(
      actionDir,
      repo.dir,
      event,
      { 'fail-on': 'high', lookup: 'false' },
      { ...repo.env, LEAKRADIUS_CACHE_DIR: tempDir('lr-cache-') },
    );
    expect(run.stderr).toBe('');
    expect(run.code, run.stdout).toBe(1);
    expect(run.stdout).toContain(`::add-mask::${secret}`);
    expect(run.stdout).toMatch(/^::error .*file=config\/app\.env,line=2,col=14::/m);
    expect(run.outputs).toMatch(/^findings<<(\S+)\n1\n\1$/m);
    expect(run.summary).toContain('leakradius: 1 leaked credential');
    const sarif = JSON.parse(readFileSync(join(repo.dir, 'leakradius.sarif'), 'utf8')) as {
      runs: Array<{ results: unknown[] }>;
    };
    expect(sarif.runs[0]!.results).toHaveLength(1);
    console.log(`action cold start (bundle, empty cache): ${run.seconds.toFixed(2)} s`);
  });

  it('where the shipped re2.node does not fit (platform or Node ABI), installs re2 with npm and says so', async () => {
    const actionDir = checkoutOfAction();
    // The same bundle, but claiming its re2.node was built for another ABI.
    await bundler.bundle('src/action/main.ts', 'main', join(actionDir, 'action-dist'), {
      native: { ...bundler.re2Native(), modules: '1' },
    });
    const { repo, event } = pushedRepo();
    const env = {
      ...repo.env,
      ...re2MirrorEnv(),
      LEAKRADIUS_CACHE_DIR: tempDir('lr-cache-'),
      npm_config_prefer_offline: 'true',
    };
    const run = await runAsRunner(
      actionDir,
      repo.dir,
      event,
      { 'fail-on': 'none', 'fail-on-new': 'none', lookup: 'false' },
      env,
    );
    expect(run.stderr).toMatch(
      new RegExp(
        String.raw`^::warning::leakradius: the bundled re2\.node is for linux-x64, Node ABI 1; th` +
          String.raw`is is linux-x64, Node ABI \d+: installing re2@`,
        'm',
      ),
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toMatch(/^findings<<(\S+)\n1\n\1$/m);
    expect(
      existsSync(
        join(actionDir, 'action-dist', 're2-fallback', 'node_modules', 're2', 'build', 'Release', 're2.node'),
      ),
    ).toBe(true);
    const again = await runAsRunner(
      actionDir,
      repo.dir,
      event,
      { 'fail-on': 'none', 'fail-on-new': 'none', lookup: 'false' },
      env,
    );
    expect(again.stderr, 'installed once').toBe('');
  });
});
