// Issue 17 (hostile input), where the scanner writes: report files a checkout names (17.2), exit codes
// when stdout goes away or fills up, a missing native module (17.20, 17.25), and terminal escapes in
// names the scanned content chooses (17.21). Each test runs the real CLI or Action on real files.

import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  cpSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GitRepo } from './git-repo.js';
import { BIN, ROOT, cleanupTempDirs, runCli, tempDir, token, type RunResult } from './helpers.js';

afterAll(cleanupTempDirs);

const ESC = '\x1b';
/** A file of `n` lines, each with its own generated token. */
const tokens = (n: number, seed: string) =>
  Array.from({ length: n }, (_, i) => `GITHUB_TOKEN=${token('{{github:ghp_}}', `${seed}-${i}`)}\n`).join('');

/** The CLI with stdout on the given file descriptor (a device, say). */
function runWithStdout(args: string[], stdoutFd: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', LEAKRADIUS_OFFLINE: '1' },
      stdio: ['ignore', stdoutFd, 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: '', stderr }));
  });
}

describe('report files are never written through a symlink (17.2) and never left half-written (17.25)', () => {
  it('refuses --output that is a symlink a checkout committed, leaving its target untouched', async () => {
    const dir = tempDir('lr-out-link-');
    const repo = join(dir, 'repo');
    mkdirSync(repo);
    writeFileSync(join(repo, 'app.env'), tokens(1, 'link'));
    writeFileSync(join(dir, 'deploy.sh'), '#!/bin/sh\necho deploying\n');
    symlinkSync('../deploy.sh', join(repo, 'leakradius.sarif'));
    const r = await runCli(['scan', repo, '--format', 'sarif', '--output', join(repo, 'leakradius.sarif')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('leakradius.sarif');
    expect(r.stderr).toContain('symbolic link');
    expect(r.stderr).not.toContain('    at ');
    expect(readFileSync(join(dir, 'deploy.sh'), 'utf8')).toBe('#!/bin/sh\necho deploying\n');
  });

  it('writes a new file and renames it over the old report, leaving no temporary file behind', async () => {
    const dir = tempDir('lr-out-rename-');
    writeFileSync(join(dir, 'app.env'), tokens(2, 'rename'));
    const out = join(dir, 'report.json');
    writeFileSync(out, 'old report');
    const r = await runCli(['scan', join(dir, 'app.env'), '--format', 'json', '--output', out]);
    expect(r.code).toBe(1);
    expect(JSON.parse(readFileSync(out, 'utf8')).findings).toHaveLength(2);
    expect(readdirSync(dir).sort()).toEqual(['app.env', 'report.json']);
  });

  /** The Action's entry point on a push to `repo`, writing its SARIF to `sarifFile`. */
  function runAction(repo: GitRepo, sarifFile: string): Promise<RunResult> {
    const runner = tempDir('lr-runner-');
    for (const f of ['summary.md', 'output.txt']) writeFileSync(join(runner, f), '');
    writeFileSync(join(runner, 'event.json'), '{}');
    return new Promise<RunResult>((resolve, reject) => {
      const child = spawn(process.execPath, [join(ROOT, 'dist', 'action', 'main.js')], {
        cwd: repo.dir,
        env: {
          PATH: process.env.PATH,
          HOME: repo.env.HOME,
          INPUT_MODE: 'full',
          INPUT_LOOKUP: 'false',
          'INPUT_SARIF-FILE': sarifFile,
          GITHUB_ACTIONS: 'true',
          GITHUB_EVENT_NAME: 'push',
          GITHUB_EVENT_PATH: join(runner, 'event.json'),
          GITHUB_STEP_SUMMARY: join(runner, 'summary.md'),
          GITHUB_OUTPUT: join(runner, 'output.txt'),
          GITHUB_WORKSPACE: repo.dir,
        },
      });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr: '' }));
    });
  }

  it('in the Action, does not overwrite what a committed leakradius.sarif symlink points at', async () => {
    const repo = GitRepo.init('lr-action-link-');
    const victim = join(repo.dir, '..', 'later-step.sh');
    writeFileSync(victim, 'echo trusted step\n');
    symlinkSync('../later-step.sh', join(repo.dir, 'leakradius.sarif'));
    repo.commit('add a link', { 'app.env': tokens(1, 'action-link') });
    const r = await runAction(repo, 'leakradius.sarif');
    expect(readFileSync(victim, 'utf8')).toBe('echo trusted step\n');
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/::error::leakradius: cannot write the report to .*\.sarif: it is a symbolic link/);
  });

  it('in the Action, does not write outside the workspace through a committed directory symlink', async () => {
    const repo = GitRepo.init('lr-action-dir-link-');
    const outside = join(repo.dir, '..', 'outside');
    mkdirSync(outside);
    symlinkSync('../outside', join(repo.dir, 'reports'));
    repo.commit('add a link', { 'app.env': tokens(1, 'action-dir-link') });
    const r = await runAction(repo, 'reports/leakradius.sarif');
    expect(readdirSync(outside)).toEqual([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/cannot write the report to .*: its directory resolves to .*outside/);
  });

  // A real full disk: a 64 KiB tmpfs (needs root, which the test machine has; skipped elsewhere).
  const canMount = process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0;
  it.skipIf(!canMount)('keeps the previous report whole when the disk fills up, and exits 2 saying so', async () => {
    const mnt = tempDir('lr-full-disk-');
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]);
    if (mounted.status !== 0) return; // no mount in this container: nothing to check here
    try {
      const out = join(mnt, 'report.json');
      writeFileSync(out, '{"previous": "report"}\n');
      // Leave less room than the report needs.
      const fd = openSync(join(mnt, 'filler'), 'w');
      try {
        for (;;) writeSync(fd, Buffer.alloc(4096));
      } catch {
        // full
      } finally {
        closeSync(fd);
      }
      spawnSync('truncate', ['-s', '-8192', join(mnt, 'filler')]);
      const input = join(tempDir('lr-full-in-'), 'app.env');
      writeFileSync(input, tokens(60, 'full'));
      const r = await runCli(['scan', input, '--format', 'json', '--output', out]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('ENOSPC');
      expect(r.stderr).toContain('the previous report.json is unchanged');
      expect(readFileSync(out, 'utf8')).toBe('{"previous": "report"}\n');
      expect(readdirSync(mnt).sort()).toEqual(['filler', 'report.json']);
    } finally {
      spawnSync('umount', [mnt]);
    }
  });
});

describe('exit codes when output goes wrong (17.20, 17.25)', () => {
  it('exits 1 when findings were printed and the reader closed the pipe (scan - | head)', () => {
    const dir = tempDir('lr-epipe-');
    const input = join(dir, 'tokens.env');
    writeFileSync(input, tokens(3000, 'epipe'));
    // pipefail: the pipeline's status is leakradius' own (head exits 0).
    const r = spawnSync(
      'bash',
      ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" scan - --offline < "${input}" | head -n 3 > /dev/null`],
      { env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8' },
    );
    expect(r.stderr).not.toContain('    at ');
    expect(r.status).toBe(1);
  });

  it('exits 2 with a clear message, not 1 and a stack trace, when stdout cannot be written (/dev/full)', async () => {
    const dir = tempDir('lr-devfull-');
    writeFileSync(join(dir, 'readme.txt'), 'nothing secret here\n');
    const full = openSync('/dev/full', 'w');
    try {
      const r = await runWithStdout(['scan', dir], full);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('leakradius: error: cannot write the report to stdout: ENOSPC');
      expect(r.stderr).not.toContain('    at ');
    } finally {
      closeSync(full);
    }
  });

  it('says how to rebuild a native re2 that is missing or built wrongly, and exits 2', async () => {
    // An installed copy of leakradius whose re2 was never built, then one with a broken binary.
    const pkg = join(tempDir('lr-no-re2-'), 'leakradius');
    for (const d of ['bin', 'dist', 'rules']) cpSync(join(ROOT, d), join(pkg, d), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
    const modules = join(pkg, 'node_modules');
    mkdirSync(modules);
    for (const m of readdirSync(join(ROOT, 'node_modules')))
      if (m !== 're2') symlinkSync(join(ROOT, 'node_modules', m), join(modules, m));
    for (const f of readdirSync(join(ROOT, 'node_modules', 're2')))
      if (f !== 'build') cpSync(join(ROOT, 'node_modules', 're2', f), join(modules, 're2', f), { recursive: true });
    const target = tempDir('lr-no-re2-scan-');
    writeFileSync(join(target, 'a.txt'), 'hello\n');
    // The pre-commit hook too: its own file (dist/start/hook.cjs) loads re2 as the CLI does.
    const repo = GitRepo.init('lr-no-re2-hook-');
    repo.commit('init', { 'README.md': 'hello\n' });
    repo.write('a.txt', 'hello\n');
    repo.git('add', '-A');
    const run = (args = ['scan', target]) =>
      new Promise<RunResult>((resolve, reject) => {
        const child = spawn(process.execPath, [join(pkg, 'bin', 'leakradius.js'), ...args], {
          cwd: repo.dir,
          env: { ...process.env, ...repo.env, LEAKRADIUS_OFFLINE: '1' },
        });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout: '', stderr }));
      });
    for (const args of [
      ['scan', target],
      ['git', '--staged', '--quiet'],
    ]) {
      const missing = await run(args);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('the native module re2');
      expect(missing.stderr).toContain('npm rebuild re2');
      expect(missing.stderr).not.toContain('    at ');
    }
    mkdirSync(join(modules, 're2', 'build', 'Release'), { recursive: true });
    writeFileSync(join(modules, 're2', 'build', 'Release', 're2.node'), 'not a shared object');
    const broken = await run();
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('npm rebuild re2');
  });
});

describe('names from scanned content never send escape sequences to the terminal (17.21)', () => {
  const title = `${ESC}]0;all clear${'\x07'}`;
  const clear = `${ESC}[2J${ESC}[H`;

  it('shows control characters in file names as text, in findings and in warnings', async () => {
    const dir = tempDir('lr-esc-name-');
    writeFileSync(join(dir, `prod${title}.env`), tokens(1, 'esc-file'));
    writeFileSync(join(dir, `broken${clear}.gz`), gzipSync(Buffer.from('x'.repeat(1000))).subarray(0, 20));
    const r = await runCli(['scan', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('prod\\x1b]0;all clear\\x07.env');
    expect(r.stdout).not.toContain(ESC);
    expect(r.stdout).not.toContain('\x07');
    expect(r.stderr).toContain('broken\\x1b[2J\\x1b[H.gz');
    expect(r.stderr).not.toContain(ESC);
  });

  it('shows control characters in a git author name as text', async () => {
    const repo = GitRepo.init('lr-esc-author-');
    repo.write('app.env', tokens(1, 'esc-author'));
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'add', `--author=Mal${title}lory${clear}! <m@example.com>`);
    const r = await runCli(['git', repo.dir], { env: { HOME: repo.env.HOME } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Mal\\x1b]0;all clear\\x07lory\\x1b[2J\\x1b[H!');
    expect(r.stdout).not.toContain(ESC);
  });
});
