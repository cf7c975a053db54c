// Git blobs go through the same sniffing, decoding and archive path as files (issue 17, item 5):
// a token gzipped, zipped, in UTF-16LE (what Windows PowerShell 5 writes with `>`) or after a NUL on
// line 1 is found in history, range and blob-strategy scans as `scan` finds it in a file, and a blob
// that is skipped is named in a warning, not only counted.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scan } from '../src/scan/scan.js';
import { scanGit, type GitScanOptions } from '../src/scan/scan-git.js';
import type { Location, Warning } from '../src/types.js';
import { zip } from './archive-helpers.js';
import { GitRepo, githubRulesDir } from './git-repo.js';
import { cleanupTempDirs, tempDir, token } from './helpers.js';

let rulesDir: string;
beforeAll(() => {
  rulesDir = githubRulesDir();
});
afterAll(cleanupTempDirs);

const secrets = {
  gzip: token('{{github:ghp_}}', 'git-blobs-gzip'),
  zip: token('{{github:ghp_}}', 'git-blobs-zip'),
  bom: token('{{github:ghp_}}', 'git-blobs-utf16-bom'),
  bare: token('{{github:ghp_}}', 'git-blobs-utf16-bare'),
  nul: token('{{github:ghp_}}', 'git-blobs-nul'),
};

/** UTF-16LE as PowerShell 5 writes it with `>`: a BOM, CRLF line ends. */
function utf16le(text: string, bom: boolean): Buffer {
  const body = Buffer.from(text.replace(/\n/g, '\r\n'), 'utf16le');
  return bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body;
}

/** Every hostile encoding in one commit after a harmless one, and a real binary blob (staged only: not committed). */
async function hostileRepo(staged = false): Promise<{ repo: GitRepo; base: string; added: string }> {
  const repo = GitRepo.init();
  const base = repo.commit('init', { 'README.md': 'hello\n' });
  const files: Record<string, Buffer> = {
    'backup/secrets.env.gz': gzipSync(`A=1\nGITHUB_TOKEN=${secrets.gzip}\n`),
    'release/bundle.zip': await zip({ 'config/app.env': `NAME=app\nGITHUB_TOKEN=${secrets.zip}\n` }),
    'ops/token.txt': utf16le(`# deploy\nGITHUB_TOKEN=${secrets.bom}\n`, true),
    'ops/bare.txt': utf16le(`# deploy\nGITHUB_TOKEN=${secrets.bare}\n`, false),
    'data/dump.txt': Buffer.concat([Buffer.from('header\0v2\n'), Buffer.from(`GITHUB_TOKEN=${secrets.nul}\n`)]),
    // Machine code: NULs and control bytes throughout (a deterministic stand-in for a binary file).
    'bin/tool': Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), seeded()]),
  };
  for (const [path, bytes] of Object.entries(files)) {
    repo.write(path, '');
    writeFileSync(join(repo.dir, path), bytes);
  }
  if (staged) {
    repo.git('add', '-A');
    return { repo, base, added: '' };
  }
  const added = repo.commit('add the hostile files');
  return { repo, base, added };
}

/** 4 KiB of bytes from a fixed generator, NULs and control bytes included. */
function seeded(): Buffer {
  const out = Buffer.alloc(4096);
  let x = 12345;
  for (let i = 0; i < out.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = (x >>> 16) & 0xff;
  }
  return out;
}

async function gitScan(repo: GitRepo, options: Partial<GitScanOptions> = {}) {
  const warnings: Warning[] = [];
  const result = await scanGit({ repo: repo.dir, rulesDir, onWarning: (w) => warnings.push(w), ...options }).result;
  const where = new Map<string, Location>();
  for (const f of result.findings) where.set(f.secret, f.locations[0]!);
  return { where, warnings, result };
}

function pathLine(l: Location | undefined): string | undefined {
  if (!l) return undefined;
  return l.kind === 'git'
    ? `${l.path}:${l.line}`
    : l.kind === 'archive'
      ? `${l.chain.join('!')}:${l.line}`
      : undefined;
}

const EXPECTED = {
  gzip: 'backup/secrets.env.gz:2',
  zip: 'release/bundle.zip!config/app.env:2',
  bom: 'ops/token.txt:2',
  bare: 'ops/bare.txt:2',
  nul: 'data/dump.txt:2',
};

describe('git blobs are read like files', () => {
  for (const strategy of ['diff', 'blobs'] as const)
    it(`history (${strategy}): gzip, zip, UTF-16LE with and without BOM, a NUL on line 1`, async () => {
      const { repo, added } = await hostileRepo();
      const { where, warnings } = await gitScan(repo, { strategy });
      for (const [kind, secret] of Object.entries(secrets)) {
        expect.soft(pathLine(where.get(secret)), kind).toBe(EXPECTED[kind as keyof typeof EXPECTED]);
        const l = where.get(secret)!;
        expect(l.kind === 'git' && l.commit).toBe(added);
      }
      // The binary blob is named, with its commit, not only counted.
      const named = warnings.filter((w) => w.subject.endsWith('bin/tool'));
      expect(named).toHaveLength(1);
      expect(named[0]!.subject).toBe(`${added.slice(0, 12)}:bin/tool`);
      expect(named[0]!.message).toMatch(/binary content .*not scanned/);
    });

  it('a PR range finds them too', async () => {
    const { repo, base } = await hostileRepo();
    const { where } = await gitScan(repo, { range: `${base}..HEAD` });
    for (const [kind, secret] of Object.entries(secrets))
      expect.soft(pathLine(where.get(secret)), kind).toBe(EXPECTED[kind as keyof typeof EXPECTED]);
  });

  it('the staged change (the pre-commit hook) finds them too, and names the binary file', async () => {
    const { repo } = await hostileRepo(true);
    const { where, warnings } = await gitScan(repo, { staged: true });
    for (const [kind, secret] of Object.entries(secrets)) {
      const l = where.get(secret);
      expect
        .soft(l?.kind === 'file' ? `${l.path}:${l.line}` : pathLine(l), kind)
        .toBe(EXPECTED[kind as keyof typeof EXPECTED]);
    }
    expect(warnings.filter((w) => w.subject === 'bin/tool').map((w) => w.message)).toEqual([
      'binary content (not text, UTF-16 or an archive): not scanned',
    ]);
  });

  it('scan decodes UTF-16 files and reads a file with a NUL on line 1, as git does', async () => {
    const { repo } = await hostileRepo();
    const result = await scan({ paths: [repo.dir], rulesDir, threads: 1 }).result;
    const found = new Map(result.findings.map((f) => [f.secret, f.locations[0]!]));
    const rel = (l: Location | undefined) =>
      l?.kind === 'file' ? `${l.path.slice(repo.dir.length + 1)}:${l.line}` : pathLine(l)?.slice(repo.dir.length + 1);
    expect(rel(found.get(secrets.bom))).toBe(EXPECTED.bom);
    expect(rel(found.get(secrets.bare))).toBe(EXPECTED.bare);
    expect(rel(found.get(secrets.nul))).toBe(EXPECTED.nul);
    expect(rel(found.get(secrets.gzip))).toBe(EXPECTED.gzip);
    expect(result.stats.binarySkipped).toBe(1); // bin/tool
  });

  it('decodes UTF-16 in a tree scanned by workers and on stdin', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'out.txt'), utf16le(`x\nGITHUB_TOKEN=${secrets.bom}\n`, true));
    const pooled = await scan({ paths: [dir], rulesDir, threads: 2 }).result;
    expect(pooled.findings.map((f) => f.secret)).toEqual([secrets.bom]);
    const { Readable } = await import('node:stream');
    const stdin = Readable.from([utf16le(`x\nGITHUB_TOKEN=${secrets.bare}\n`, false)]);
    const piped = await scan({ paths: ['-'], rulesDir, stdin }).result;
    expect(piped.findings.map((f) => [f.secret, f.locations[0]!.line])).toEqual([[secrets.bare, 2]]);
  });
});
