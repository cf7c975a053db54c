// Fail closed (issue 17): a scan that could not read everything exits 3 unless --allow-incomplete;
// one bomb does not hide its siblings; zips with bytes in front and tar members of unknown types
// are read. Each test runs the real CLI on real archives, trees and repositories.

import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupTempDirs, runCli, tempDir, token } from './helpers.js';
import { markEncrypted, renameInZip, tarball, testRules, writeFiles, zip } from './archive-helpers.js';

afterAll(cleanupTempDirs);

const isRoot = process.getuid?.() === 0;
// Root reads everything: drop the capabilities that bypass file permissions.
const asUser = isRoot ? { wrapper: ['setpriv', '--bounding-set', '-dac_override,-dac_read_search', '--'] } : {};

const scanCli = (args: string[], opts = {}) => runCli(['scan', ...args, '--rules', testRules(), '--offline'], opts);
const lastLine = (text: string) => text.trimEnd().split('\n').pop()!;

/** A zip of 16 zips of 16 zips of a 16 MiB file of zeros: 4 GiB, past the 2 GiB budget. */
async function nestedBomb(): Promise<Buffer> {
  const leaf = await zip({ 'zeros.bin': Buffer.alloc(16 * 1024 * 1024) });
  const level = async (inner: Buffer) =>
    zip(Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`${i}.zip`, inner])));
  return level(await level(leaf));
}

describe('an incomplete scan fails closed', () => {
  it('finds the token in the sibling after a nested zip bomb: the bomb spends only its own budget', async () => {
    const dir = tempDir('lr-bomb-sibling-');
    const s = token('{{github:ghp_}}', 'after-nested-bomb');
    const bomb = await nestedBomb();
    writeFiles(dir, { 'release.zip': await zip({ 'a/bomb.zip': bomb, 'z/after.env': `GH=${s}\n` }) });
    const r = await scanCli([dir, '--format', 'json', '--show-secrets']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: Array<{ secret: string }> };
    expect(report.findings.map((f) => f.secret)).toEqual([s]);
    expect(r.stderr).toMatch(/release\.zip!a\/bomb\.zip.*decompression bomb/);
    // Findings keep exit 1; the last line still says what was not read.
    expect(lastLine(r.stderr)).toMatch(/incomplete scan: .*release\.zip!a\/bomb\.zip/);
  });

  it('exits 3 when a bomb spends the budget and nothing is found, saying so last; 0 if allowed', async () => {
    const dir = tempDir('lr-bomb-3-');
    writeFiles(dir, { 'bomb.zip': await nestedBomb(), 'README.md': 'nothing\n' });
    const budget = ['--max-archive-bytes', '256MiB']; // as the 2GiB default, but faster
    const r = await scanCli([dir, ...budget]);
    expect(r.code).toBe(3);
    expect(lastLine(r.stderr)).toMatch(
      /^leakradius: incomplete scan: \d+ part\(s\) not read: .*bomb\.zip.*exit 3 \(--allow-incomplete/,
    );
    const allowed = await scanCli([dir, ...budget, '--allow-incomplete']);
    expect(allowed.code).toBe(0);
    expect(lastLine(allowed.stderr)).toMatch(/incomplete scan: .*accepted by --allow-incomplete/);
  });

  it('exits 3 for an archive too deep, an encrypted entry, xz, bzip2, an unreadable file, a long path', async () => {
    const s = token('{{github:ghp_}}', 'unread');
    let deep = await zip({ 'secret.txt': `T=${s}\n` });
    for (let i = 0; i < 3; i++) deep = await zip({ [`level${i}.zip`]: deep });
    const cases: Array<[string, (dir: string) => void | Promise<void>, string[]?]> = [
      ['depth', (dir) => writeFiles(dir, { 'nest.zip': deep }), ['--max-archive-depth', '2']],
      [
        'encrypted',
        async (dir) => writeFiles(dir, { 'locked.zip': markEncrypted(await zip({ 'secret.txt': `T=${s}\n` })) }),
      ],
      ['xz', (dir) => writeFiles(dir, { 'app.log.xz': Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0, 0, 0, 0, 0]) })],
      ['bzip2', (dir) => writeFiles(dir, { 'app.log.bz2': Buffer.from('BZh91AY&SY\0\0\0\0', 'latin1') })],
      [
        'unreadable',
        (dir) => {
          writeFiles(dir, { 'locked.env': `T=${s}\n` });
          chmodSync(join(dir, 'locked.env'), 0o000);
        },
      ],
      [
        'long path',
        (dir) => {
          // Past PATH_MAX (4096): bash builds it one relative step at a time.
          const name = 'd'.repeat(200);
          execFileSync('bash', [
            '-c',
            `cd "$1" && for i in $(seq 25); do mkdir ${name} && cd ${name}; done && echo x > f`,
            '-',
            dir,
          ]);
        },
      ],
    ];
    for (const [what, make, extra = []] of cases) {
      const dir = tempDir('lr-incomplete-');
      await make(dir);
      const r = await scanCli([dir, ...extra], asUser);
      expect(r.code, `${what}: ${r.stderr}`).toBe(3);
      expect(lastLine(r.stderr), what).toMatch(/incomplete scan/);
      expect((await scanCli([dir, ...extra, '--allow-incomplete'], asUser)).code, what).toBe(0);
      execFileSync('rm', ['-rf', dir]);
    }
  });

  it('a clean scan with only notes (a traversal name, a nested repository) still exits 0', async () => {
    const dir = tempDir('lr-notes-');
    execFileSync('git', ['init', '-q', join(dir, 'vendor', 'lib')]);
    const evil = renameInZip(await zip({ 'xx/xx/a.txt': 'hello\n' }), 'xx/xx/a.txt', '../../a.txt');
    writeFiles(dir, { 'README.md': 'hello\n', 'evil.zip': evil });
    const r = await scanCli([dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/nested git repository/);
    expect(r.stderr).toMatch(/path traversal/);
    expect(r.stderr).not.toMatch(/incomplete/);
  });

  it('documents exit 3, --allow-incomplete and --follow-symlinks in --help', async () => {
    const help = await runCli(['scan', '--help'], { env: { COLUMNS: '200' } });
    expect(help.stdout).toMatch(/--allow-incomplete/);
    expect(help.stdout).toMatch(/--follow-symlinks/);
    const top = await runCli(['--help']);
    expect(top.stdout).toMatch(/3 no findings but\s+part of the input\s+could not be read/);
  });

  it('git: exits 3 when a blob of the history is missing, 0 with --allow-incomplete', async () => {
    const repo = tempDir('lr-git-missing-');
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();
    git('init', '-q');
    git('config', 'user.email', 'dev@example.com');
    git('config', 'user.name', 'Dev');
    writeFileSync(join(repo, 'notes.txt'), 'hello\n');
    git('add', '.');
    git('commit', '-qm', 'notes');
    const blob = git('rev-parse', 'HEAD:notes.txt');
    rmSync(join(repo, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
    const r = await runCli(['git', repo, '--rules', testRules(), '--offline']);
    expect(r.code).toBe(3);
    expect(lastLine(r.stderr)).toMatch(/incomplete scan: .*notes\.txt/);
    const allowed = await runCli(['git', repo, '--rules', testRules(), '--offline', '--allow-incomplete']);
    expect(allowed.code).toBe(0);
  });
});

/** Sets a tar member's typeflag (the header byte at 156) and fixes the header checksum. */
function setTypeflag(tar: Buffer, flag: string): Buffer {
  const out = Buffer.from(tar);
  out[156] = flag.charCodeAt(0);
  out.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += out[i]!;
  out.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return out;
}

describe('artifacts that used to pass without a warning', () => {
  const s = token('{{github:ghp_}}', 'artifact');
  const launchScript = `#!/bin/bash\n# Spring Boot launch script\n${'# init.d and systemd\n'.repeat(400)}exit 0\n`;

  it('opens a Spring Boot executable jar (a launch script before the zip), on disk and inside a tar', async () => {
    const dir = tempDir('lr-boot-');
    const jar = Buffer.concat([
      Buffer.from(launchScript),
      await zip({ 'BOOT-INF/classes/application.properties': `github.token=${s}\n` }),
    ]);
    writeFiles(dir, { 'app.jar': jar, 'image.tar': await tarball({ 'opt/app.jar': jar }) });
    const r = await scanCli([dir, '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: Array<{ locations: Array<{ chain: string[] }> }> };
    expect(report.findings[0]!.locations.map((l) => l.chain.slice(1).join('!')).sort()).toEqual([
      'BOOT-INF/classes/application.properties',
      'opt/app.jar!BOOT-INF/classes/application.properties',
    ]);
  });

  it('opens a zip behind a large binary stub (a self-extractor), read whole and with random access', async () => {
    const dir = tempDir('lr-sfx-');
    const inner = await zip({ 'setup/config.ini': `token=${s}\n` });
    const stub = (size: number) => Buffer.alloc(size, 0x90);
    writeFiles(dir, {
      'small-sfx.exe': Buffer.concat([stub(200 * 1024), inner]),
      'large-sfx.exe': Buffer.concat([stub(70 * 1024 * 1024), inner]),
    });
    const r = await scanCli([dir, '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: Array<{ locations: Array<{ chain: string[] }> }> };
    expect(report.findings[0]!.locations.map((l) => l.chain.join('!').slice(dir.length + 1)).sort()).toEqual([
      'large-sfx.exe!setup/config.ini',
      'small-sfx.exe!setup/config.ini',
    ]);
  });

  it('reads a UTF-16LE file inside a zip (what PowerShell 5 writes with >)', async () => {
    const dir = tempDir('lr-utf16-zip-');
    const text = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`GH=${s}\r\n`, 'utf16le')]);
    writeFiles(dir, { 'logs.zip': await zip({ 'out.txt': text }) });
    const r = await scanCli([dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/logs\.zip!out\.txt:1:4/);
  });

  it('reads a tar member with an unknown typeflag as a regular file, as GNU tar extracts it', async () => {
    const dir = tempDir('lr-typeflag-');
    writeFiles(dir, { 'odd.tar': setTypeflag(await tarball({ 'etc/app.env': `GH=${s}\n` }), 'Z') });
    const r = await scanCli([dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/odd\.tar!etc\/app\.env:1:4/);
  });
});
