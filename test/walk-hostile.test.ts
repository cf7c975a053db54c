// Hostile trees (issue 17): names with newlines, FIFOs and process substitutions, symlinks out of
// the root, nested repositories. Each test runs the real CLI on a real tree.

import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, cleanupTempDirs, runCli, tempDir, token } from './helpers.js';
import { testRules, writeFiles } from './archive-helpers.js';

afterAll(cleanupTempDirs);

interface Report {
  stats: { files: number; warnings: number; incomplete?: number };
  findings: Array<{ secret?: string; locations: Array<{ path?: string; chain?: string[] }> }>;
  warnings: Array<{ subject: string; message: string; incomplete?: boolean }>;
}

async function scanJson(args: string[]) {
  const r = await runCli(['scan', ...args, '--rules', testRules(), '--offline', '--format', 'json', '--show-secrets']);
  return { ...r, report: r.stdout ? (JSON.parse(r.stdout) as Report) : undefined };
}

const paths = (r: Report) => r.findings.flatMap((f) => f.locations.map((l) => l.path!)).sort();

describe('scan: names with a newline or carriage return', () => {
  it('scans, counts and reports files and directories whose names hold \\n or \\r, in every format', async () => {
    const dir = tempDir('lr-nl-');
    const s = token('{{github:ghp_}}', 'newline');
    writeFiles(dir, {
      'a\nb.env': `GH=${s}\n`,
      'dir\nx/c.env': `GH=${s}\n`,
      'r\rq.env': `GH=${s}\n`,
      'u\u2028v.env': `GH=${s}\n`,
      'plain.txt': 'nothing here\n',
    });
    const r = await scanJson([dir]);
    expect(r.code).toBe(1);
    expect(r.report!.stats.files).toBe(5);
    expect(paths(r.report!)).toEqual([
      join(dir, 'a\nb.env'),
      join(dir, 'dir\nx', 'c.env'),
      join(dir, 'r\rq.env'),
      join(dir, 'u\u2028v.env'),
    ]);
    const text = await runCli(['scan', dir, '--rules', testRules(), '--offline']);
    expect(text.stdout).toContain(`${join(dir, 'u')}\\u2028v.env:1:4`); // a line separator to some viewers
    for (const format of ['text', 'sarif', 'csv', 'junit', 'html', 'gitlab']) {
      const out = await runCli(['scan', dir, '--rules', testRules(), '--offline', '--format', format]);
      expect(out.code, format).toBe(1);
      // A name can neither start a line of its own (`::error` in a CI log) nor move the cursor back.
      expect(out.stdout, format).not.toMatch(/(^|\n)b\.env/);
      expect(out.stdout, format).not.toMatch(/\r(?!\n)/); // CSV ends its lines with \r\n
    }
  });

  it('excludes a directory whose name holds a newline by --exclude like any other', async () => {
    const dir = tempDir('lr-nl-x-');
    writeFiles(dir, { 'skip\nme/a.env': `GH=${token('{{github:ghp_}}', 'nlx')}\n` });
    const r = await scanJson([dir, '--exclude', 'skip*']);
    expect(r.code).toBe(0);
    expect(r.report!.stats.files).toBe(0);
  });
});

describe('scan: paths that are not regular files', () => {
  const s = token('{{github:ghp_}}', 'stream');

  it('reads a process substitution <(cmd) as a stream and finds the token in it', () => {
    const rules = testRules();
    // bash makes the /dev/fd/N pipe; the CLI sees only the path.
    const out = execFileSync(
      'bash',
      [
        '-c',
        `"${process.execPath}" "${BIN}" scan <(printf 'GH=%s\\n' "$T") --rules "${rules}" --offline; echo "exit=$?"`,
      ],
      { env: { ...process.env, T: s, NO_COLOR: '1' }, encoding: 'utf8' },
    );
    expect(out).toMatch(/1 finding in 1 file/);
    expect(out).toMatch(/\/dev\/fd\/\d+:1:4/);
    expect(out).toMatch(/exit=1/);
  });

  it('reads /dev/stdin when stdin is a pipe', async () => {
    const r = await runCli(['scan', '/dev/stdin', '--rules', testRules(), '--offline'], { input: `GH=${s}\n` });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\/dev\/stdin:1:4/);
  });

  it('waits for the writer of a named FIFO given on the command line, and stops on SIGINT without one', async () => {
    const dir = tempDir('lr-fifo-');
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const child = spawn(process.execPath, [BIN, 'scan', fifo, '--rules', testRules(), '--offline'], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
    await new Promise((r) => setTimeout(r, 1500));
    writeFileSync(fifo, `GH=${s}\n`); // opens the FIFO as its writer
    expect(await exited).toBe(1);
    expect(stdout).toMatch(/pipe:1:4/);

    const waiting = spawn(process.execPath, [BIN, 'scan', fifo, '--rules', testRules(), '--offline']);
    const stopped = new Promise<NodeJS.Signals | null>((res) => waiting.on('close', (_c, sig) => res(sig)));
    await new Promise((r) => setTimeout(r, 1500));
    waiting.kill('SIGINT');
    expect(await stopped).toBe('SIGINT');
  });

  it('skips a FIFO inside a directory with a warning naming it, and scans the rest', async () => {
    const dir = tempDir('lr-fifo-dir-');
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    writeFileSync(join(dir, 'a.env'), `GH=${s}\n`);
    const r = await scanJson([dir]);
    expect(r.code).toBe(1);
    expect(r.report!.warnings).toContainEqual({
      subject: join(dir, 'pipe'),
      message: expect.stringMatching(/a FIFO, not a regular file; skipped/),
    });
    expect(r.report!.stats.files).toBe(1);
  });
});

describe('scan: symlinks', () => {
  it('does not read a symlink out of the root (env.txt -> /proc/self/environ) unless --follow-symlinks', async () => {
    const dir = tempDir('lr-link-out-');
    const outside = tempDir('lr-outside-');
    const s = token('{{github:ghp_}}', 'environ');
    writeFileSync(join(outside, 'ci.env'), `GH=${s}\n`);
    symlinkSync('/proc/self/environ', join(dir, 'env.txt'));
    symlinkSync(join(outside, 'ci.env'), join(dir, 'config.env'));
    writeFileSync(join(dir, 'README.md'), 'hello\n');
    // The scanner's own environment holds a token: reading /proc/self/environ would report it.
    const env = { LEAKED_BY_LINK: `GH=${token('{{github:ghp_}}', 'own-env')}` };
    const args = ['scan', dir, '--rules', testRules(), '--offline', '--format', 'json'];
    const r = await runCli(args, { env });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings).toEqual([]);
    expect(report.warnings.map((w) => w.subject).sort()).toEqual([join(dir, 'config.env'), join(dir, 'env.txt')]);
    expect(r.stderr).toMatch(/env\.txt: symbolic link to \/proc\/\d+\/environ, outside the scanned paths; not read/);

    const followed = await runCli([...args, '--follow-symlinks', '--show-secrets'], { env });
    expect(followed.code).toBe(1);
    expect((JSON.parse(followed.stdout) as Report).findings.map((f) => f.secret)).toContain(s);
  });

  it('reads a file linked inside the root once, at its own path', async () => {
    const dir = tempDir('lr-link-in-');
    const s = token('{{github:ghp_}}', 'inside');
    writeFiles(dir, { 'conf/real.env': `GH=${s}\n` });
    symlinkSync(join(dir, 'conf', 'real.env'), join(dir, 'link.env'));
    symlinkSync('conf/real.env', join(dir, 'relative.env'));
    const r = await scanJson([dir]);
    expect(r.code).toBe(1);
    expect(paths(r.report!)).toEqual([join(dir, 'conf', 'real.env')]);
    expect(r.report!.warnings).toEqual([]);
  });

  it('reads a link to a file that the walk skips (excluded) at the link', async () => {
    const dir = tempDir('lr-link-ex-');
    const s = token('{{github:ghp_}}', 'excluded-target');
    writeFiles(dir, { 'vendor/real.env': `GH=${s}\n` });
    symlinkSync(join(dir, 'vendor', 'real.env'), join(dir, 'app.env'));
    const r = await scanJson([dir, '--exclude', 'vendor']);
    expect(paths(r.report!)).toEqual([join(dir, 'app.env')]);
  });
});

describe('scan: nested git repositories', () => {
  it("skips only the scanned root's own .git, and scans the .git/config of a vendored repository", async () => {
    const dir = tempDir('lr-nested-git-');
    const s = token('{{github:ghp_}}', 'remote-url');
    const own = token('{{github:ghp_}}', 'own-git');
    execFileSync('git', ['init', '-q', dir]);
    execFileSync('git', ['init', '-q', join(dir, 'vendor', 'libfoo')]);
    execFileSync('git', [
      '-C',
      join(dir, 'vendor', 'libfoo'),
      'remote',
      'add',
      'origin',
      `https://x:${s}@github.com/libfoo/libfoo.git`,
    ]);
    execFileSync('git', ['-C', dir, 'remote', 'add', 'origin', `https://x:${own}@github.com/app/app.git`]);
    mkdirSync(join(dir, 'vendor', 'libfoo', '.git', 'objects', 'zz'), { recursive: true });
    writeFileSync(join(dir, 'vendor', 'libfoo', '.git', 'objects', 'zz', 'note'), `GH=${s}\n`);
    const r = await scanJson([dir]);
    expect(r.code).toBe(1);
    expect(r.report!.findings.map((f) => f.secret)).toEqual([s]);
    expect(paths(r.report!)).toEqual([join(dir, 'vendor', 'libfoo', '.git', 'config')]);
    expect(r.report!.warnings).toContainEqual({
      subject: join(dir, 'vendor', 'libfoo'),
      message: expect.stringMatching(/nested git repository: only its \.git\/config is scanned/),
    });
  });
});
