// A history scan replaces its process once with a small young generation and two malloc arenas
// (bin/leakradius.js); what it sets for itself does not reach git, and the hook is not replaced.

import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GitRepo } from './git-repo.js';
import { cleanupTempDirs, runCli, tempDir, token } from './helpers.js';

afterAll(cleanupTempDirs);

/** A `git` first on PATH that logs its arguments and what it and the leakradius process that ran it were given. */
function spyGit(): { env: NodeJS.ProcessEnv; log: string } {
  const dir = tempDir('lr-spy-git-');
  const log = join(dir, 'log.txt');
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const script = [
    '#!/bin/sh',
    // Its own environment; the parent's command line and the environment it was started with.
    '{ echo "args $*"',
    '  echo "git MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-unset}" \\',
    '    "MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-unset}"',
    '  echo "parent $(tr "\\0" " " < /proc/$PPID/cmdline)"',
    '  echo "parent $(tr "\\0" "\\n" < /proc/$PPID/environ | grep "^MALLOC_ARENA_MAX=")"; } >> "$SPY_LOG"',
    `exec ${real} "$@"`,
  ].join('\n');
  writeFileSync(join(dir, 'git'), `${script}\n`);
  chmodSync(join(dir, 'git'), 0o755);
  return { env: { PATH: `${dir}:${process.env.PATH}`, SPY_LOG: log }, log };
}

describe.skipIf(process.platform !== 'linux')('memory settings of a history scan', () => {
  it('runs `git` history with --max-semi-space-size=4 and MALLOC_ARENA_MAX=2, git without them', async () => {
    const repo = GitRepo.init();
    const secret = token('{{github:ghp_}}', 'memory');
    repo.commit('one', { 'a.env': `T=${secret}\n` });
    const spy = spyGit();
    const r = await runCli(['git', repo.dir], { env: { ...repo.env, ...spy.env } });
    expect(r.code).toBe(1);
    const log = readFileSync(spy.log, 'utf8').split('\n');
    expect(log).toContain('git MALLOC_ARENA_MAX=unset MALLOC_MMAP_THRESHOLD_=unset');
    const parent = log.filter((l) => l.startsWith('parent ') && l.includes('leakradius.js')).join('\n');
    expect(parent).toMatch(/--max-semi-space-size=4 .*leakradius\.js git /);
    // One V8 helper thread where the shares and their git processes already fill two cores.
    if (availableParallelism() <= 2) expect(parent).toMatch(/--v8-pool-size=1 .*leakradius\.js git /);
    else expect(parent).not.toContain('--v8-pool-size');
    expect(log).toContain('parent MALLOC_ARENA_MAX=2');
  });

  it('keeps the values a user set, passes them on to git, and leaves the pre-commit hook as started', async () => {
    const repo = GitRepo.init();
    repo.commit('one', { 'a.txt': 'hello\n' });
    const spy = spyGit();
    const env = { ...repo.env, ...spy.env, MALLOC_ARENA_MAX: '4', NODE_OPTIONS: '--v8-pool-size=3' };
    expect((await runCli(['git', repo.dir], { env })).code).toBe(0);
    let log = readFileSync(spy.log, 'utf8');
    expect(log).toContain('git MALLOC_ARENA_MAX=4 MALLOC_MMAP_THRESHOLD_=unset');
    expect(log).toContain('parent MALLOC_ARENA_MAX=4');
    expect(log).toMatch(/--max-semi-space-size=4 .*leakradius\.js git /); // replaced all the same
    expect(log).not.toContain('--v8-pool-size=1');
    writeFileSync(spy.log, '');
    repo.write('b.txt', 'world\n');
    repo.git('add', 'b.txt');
    expect((await runCli(['git', '--staged', repo.dir], { env: { ...repo.env, ...spy.env } })).code).toBe(0);
    log = readFileSync(spy.log, 'utf8');
    expect(log).not.toContain('max-semi-space-size');
    expect(log).not.toContain('parent MALLOC_ARENA_MAX');
  });
});
