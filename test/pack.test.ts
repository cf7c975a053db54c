// Installing leakradius without the npm registry holding it: the tarball `npm pack` writes, installed
// globally into an empty prefix, as the README says.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cloneOfCheckout } from './checkout.js';
import { GitRepo } from './git-repo.js';
import { ROOT, cleanupTempDirs, tempDir, token } from './helpers.js';
import { re2MirrorEnv } from './re2-mirror.js';

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

describe('npm pack and a global install of the tarball', () => {
  afterAll(cleanupTempDirs);

  it('packs to one line naming the tarball, installs it into an empty prefix without a warning, and scans', () => {
    const { repo: clone } = cloneOfCheckout('lr-pack-', { nodeModules: true });
    const out = tempDir('lr-pack-out-');
    // A real `npm pack`: the prepare script compiles the clone's TypeScript, and prints nothing here.
    const packed = spawnSync('npm', ['pack', '--pack-destination', out], { cwd: clone.dir, encoding: 'utf8' });
    expect(packed.status, packed.stderr).toBe(0);
    expect(packed.stdout).toBe(`leakradius-${version}.tgz\n`);
    const tarball = join(out, `leakradius-${version}.tgz`);
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
    for (const f of [
      'package/bin/leakradius.js',
      'package/dist/cli/run.js',
      'package/dist/scan/worker.js',
      'package/rules/github.yml',
    ])
      expect(listing).toContain(f);
    expect(listing.filter((f) => /^package\/(test|src|bench|action-dist)\//.test(f))).toEqual([]);

    const prefix = join(tempDir('lr-prefix-'), 'global');
    // npm 11 asks for install scripts to be allowed: re2 builds (here: takes) its native module; the
    // tarball's own `prepare` is matched by the tarball's path.
    const args = [
      'install',
      '-g',
      '--prefix',
      prefix,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      `--allow-scripts=re2,${tarball}`,
      tarball,
    ];
    const installed = spawnSync('npm', args, {
      cwd: out,
      env: { ...process.env, ...re2MirrorEnv() },
      encoding: 'utf8',
    });
    expect(installed.status, installed.stderr).toBe(0);
    expect(installed.stderr).toBe('');
    const bin = join(prefix, 'bin', 'leakradius');
    expect(existsSync(bin)).toBe(true);

    // More than 48 files, so the scan runs in worker threads from the installed package.
    const tree = tempDir('lr-pack-tree-');
    for (let i = 0; i < 60; i++) writeFileSync(join(tree, `m${i}.js`), `export const v${i} = ${i};\n`);
    writeFileSync(join(tree, '.env'), `GITHUB_TOKEN=${token('{{github:ghp_}}', 'pack')}\n`);
    const scan = spawnSync(bin, ['scan', tree, '--offline', '--threads', '2', '--format', 'json'], {
      encoding: 'utf8',
      cwd: tree,
    });
    expect(scan.stderr).toBe('');
    expect(scan.status).toBe(1);
    expect(JSON.parse(scan.stdout).findings.map((f: { rule: string }) => f.rule)).toEqual(['github-classic-pat']);

    // Its hook runs the installed copy.
    const repo = GitRepo.init('lr-pack-hook-');
    expect(spawnSync(bin, ['install-hook'], { cwd: repo.dir, encoding: 'utf8' }).status).toBe(0);
    expect(readFileSync(join(repo.dir, '.git', 'hooks', 'pre-commit'), 'utf8')).toContain(
      join(prefix, 'lib', 'node_modules', 'leakradius', 'bin', 'leakradius.js'),
    );
    repo.write('leak.env', `TOKEN=${token('{{github:ghp_}}', 'pack-hook')}\n`).git('add', 'leak.env');
    const commit = spawnSync('git', ['commit', '-q', '-m', 'leak'], {
      cwd: repo.dir,
      env: repo.env,
      encoding: 'utf8',
    });
    expect(commit.status).not.toBe(0);
    expect(commit.stderr).toContain('commit blocked');
  });
});
