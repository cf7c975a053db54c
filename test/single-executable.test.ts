// `npm run package` builds one file that runs leakradius with no Node.js and no node_modules around it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, parse as parsePath } from 'node:path';
import { gzipSync } from 'node:zlib';
import { zip } from './archive-helpers.js';
import { GitRepo } from './git-repo.js';
import { ROOT, cleanupTempDirs, tempDir, token } from './helpers.js';

const hasStrip = spawnSync('strip', ['--version']).status === 0;
const missing =
  process.platform !== 'linux' || process.arch !== 'x64'
    ? `Linux x64 (this is ${process.platform}-${process.arch})`
    : !hasStrip
      ? 'strip (binutils)'
      : undefined;
if (missing) console.warn(`single-executable tests SKIPPED: the build needs ${missing}`);

describe.skipIf(missing !== undefined)('the single executable (npm run package)', () => {
  let exe: string;
  let env: NodeJS.ProcessEnv;
  let cache: string;
  const run = (args: string[], cwd: string, input?: string) =>
    spawnSync(exe, args, { cwd, env, input, encoding: 'utf8' });

  beforeAll(async () => {
    const { packageExecutable } = (await import(join(ROOT, 'scripts', 'package.mjs'))) as {
      packageExecutable(out: string): Promise<unknown>;
    };
    const built = join(tempDir('lr-sea-build-'), 'leakradius');
    await packageExecutable(built);
    // Run it from a directory with nothing else in it, with only git on PATH: no node, no node_modules.
    const home = tempDir('lr-sea-');
    exe = join(home, 'bin', 'leakradius');
    mkdirSync(dirname(exe));
    copyFileSync(built, exe);
    execFileSync('chmod', ['755', exe]);
    symlinkSync(execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim(), join(home, 'bin', 'git'));
    cache = join(home, 'cache');
    env = {
      PATH: join(home, 'bin'),
      HOME: home,
      LEAKRADIUS_CACHE_DIR: cache,
      LEAKRADIUS_OFFLINE: '1',
      GIT_CONFIG_NOSYSTEM: '1',
    };
    for (let d = home; d !== parsePath(d).root; d = dirname(d))
      expect(existsSync(join(d, 'node_modules')), d).toBe(false);
  }, 300_000);
  afterAll(cleanupTempDirs);

  it('scans a tree with worker threads, archives and a config, and exits 1 on findings', async () => {
    const tree = tempDir('lr-sea-tree-');
    const pat = token('{{github:ghp_}}', 'sea-tree');
    const inZip = token('{{github:ghp_}}', 'sea-zip');
    const inGz = token('{{github:ghp_}}', 'sea-gz');
    for (let i = 0; i < 80; i++) writeFileSync(join(tree, `module${i}.js`), `export const value${i} = ${i};\n`);
    writeFileSync(join(tree, 'deploy.env'), `GITHUB_TOKEN=${pat}\n`);
    writeFileSync(join(tree, 'release.zip'), await zip({ 'config/app.properties': `github.token=${inZip}\n` }));
    writeFileSync(join(tree, 'app.log.1.gz'), gzipSync(`2026-01-01 token=${inGz}\n`));
    writeFileSync(join(tree, '.leakradius.yml'), 'exclude: [ignored]\n');
    mkdirSync(join(tree, 'ignored'));
    writeFileSync(join(tree, 'ignored', 'x.env'), `GITHUB_TOKEN=${token('{{github:ghp_}}', 'sea-ignored')}\n`);
    const r = run(['scan', '.', '--threads', '2', '--format', 'json'], tree);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as {
      stats: { files: number };
      findings: Array<{ locations: Array<{ path?: string; chain?: string[] }> }>;
    };
    expect(report.stats.files).toBe(84); // 80 modules, deploy.env, the zip, the .gz and the config
    const where = report.findings.map((f) => f.locations[0]!.path ?? f.locations[0]!.chain!.join('!')).sort();
    expect(where).toEqual(['app.log.1.gz', 'deploy.env', 'release.zip!config/app.properties']);
    expect(r.stdout).not.toContain(pat);
    // The native module, the worker and the rules were written once, under the cache directory.
    expect(readdirSync(cache).filter((n) => n.startsWith('sea-'))).toHaveLength(1);
  });

  it(
    'scans a git history and, installed as the pre-commit hook, ' + 'blocks a secret and lets a clean commit through',
    () => {
      const repo = GitRepo.init('lr-sea-git-');
      const secret = token('{{github:ghp_}}', 'sea-git');
      repo.commit('add settings', { 'settings.env': `TOKEN=${secret}\n` });
      repo.commit('remove settings', { 'settings.env': '' });
      const history = run(['git', '.', '--format', 'json'], repo.dir);
      expect(history.status, history.stderr).toBe(1);
      expect(JSON.parse(history.stdout).findings[0].presentAtHead).toBe(false);

      expect(run(['install-hook'], repo.dir).status).toBe(0);
      const gitEnv = { ...repo.env, PATH: env.PATH, LEAKRADIUS_CACHE_DIR: cache };
      const commit = (file: string, text: string) => {
        writeFileSync(join(repo.dir, file), text);
        execFileSync('git', ['add', file], { cwd: repo.dir, env: gitEnv });
        return spawnSync('git', ['commit', '-q', '-m', `add ${file}`], {
          cwd: repo.dir,
          env: gitEnv,
          encoding: 'utf8',
        });
      };
      const blocked = commit('leak.env', `TOKEN=${token('{{github:ghp_}}', 'sea-hook')}\n`);
      expect(blocked.status).not.toBe(0);
      expect(blocked.stderr).toContain('commit blocked');
      execFileSync('git', ['rm', '-q', '--cached', 'leak.env'], { cwd: repo.dir, env: gitEnv });
      expect(commit('clean.txt', 'nothing secret\n').status).toBe(0);
    },
  );

  it('reads stdin and prints its version and help', () => {
    const dir = tempDir('lr-sea-stdin-');
    const r = run(['scan', '-'], dir, `line\ntoken=${token('{{github:ghp_}}', 'sea-stdin')}\n`);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('GitHub personal access token');
    expect(run(['--version'], dir).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(run(['scan', '--help'], dir).stdout).toContain('--format');
  });
});
