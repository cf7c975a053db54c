// Builders for real archives (yazl, tar-stream, zlib) and a small rules dir of our own, so archive
// and log tests do not move when the built-in rule catalog changes.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import yazl from 'yazl';
import tar from 'tar-stream';
import { scan, type ScanOptions, type ScanResult } from '../src/scan/scan.js';
import { formatLocation } from '../src/report/location.js';
import type { Finding, Location } from '../src/types.js';
import { tempDir } from './helpers.js';

export type Entries = Record<string, string | Buffer>;

export function zip(entries: Entries, opts: { compress?: boolean } = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const z = new yazl.ZipFile();
    for (const [name, data] of Object.entries(entries))
      z.addBuffer(Buffer.from(data), name, { compress: opts.compress ?? true });
    z.end();
    const parts: Buffer[] = [];
    z.outputStream
      .on('data', (c: Buffer) => parts.push(c))
      .on('end', () => resolve(Buffer.concat(parts)))
      .on('error', reject);
  });
}

export function tarball(entries: Entries): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const p = tar.pack();
    for (const [name, data] of Object.entries(entries)) p.entry({ name }, Buffer.from(data));
    p.finalize();
    const parts: Buffer[] = [];
    p.on('data', (c: Buffer) => parts.push(c))
      .on('end', () => resolve(Buffer.concat(parts)))
      .on('error', reject);
  });
}

export async function tgz(entries: Entries): Promise<Buffer> {
  return gzipSync(await tarball(entries));
}

/** Rewrites a zip entry's name in place (same length): yazl refuses to write `../` names. */
export function renameInZip(buf: Buffer, from: string, to: string): Buffer {
  if (from.length !== to.length) throw new Error('same length only');
  const out = Buffer.from(buf);
  const a = Buffer.from(from);
  for (let i = out.indexOf(a); i !== -1; i = out.indexOf(a, i + 1)) Buffer.from(to).copy(out, i);
  return out;
}

/** Sets the "encrypted" flag on every entry (local headers and central directory). */
export function markEncrypted(buf: Buffer): Buffer {
  const out = Buffer.from(buf);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = out.readUInt32LE(i);
    if (sig === 0x04034b50) out.writeUInt16LE(out.readUInt16LE(i + 6) | 1, i + 6);
    else if (sig === 0x02014b50) out.writeUInt16LE(out.readUInt16LE(i + 8) | 1, i + 8);
  }
  return out;
}

/** A rules dir with the GitHub classic PAT rule and a generic `token=` rule (for masked values). */
export function testRules(): string {
  const dir = tempDir('lr-rules-');
  writeFileSync(
    join(dir, 'test.yml'),
    `provider: test
rules:
  - id: github-classic-pat
    name: GitHub personal access token (classic)
    pattern: '\\b(ghp_[A-Za-z0-9]{36})\\b'
    keywords: [ghp_]
    entropy: 3.0
    validate: github
    examples: ['export GITHUB_TOKEN={{github:ghp_}}']
    negative_examples: ['ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx']
  - id: test-token-assignment
    name: A value assigned to access_token or password
    pattern: '(?i)(?:access_token|password)["'']?\\s*[:=]\\s*["'']?([^\\s"''&,;]{8,})'
    keywords: [access_token, password]
    examples: ['password={{an:16}}']
    negative_examples: ['password=xxxxxxxx']
`,
  );
  return dir;
}

export function writeFiles(dir: string, files: Entries): void {
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), data);
  }
}

export async function scanAll(paths: string[], opts: Partial<ScanOptions> = {}): Promise<ScanResult> {
  return scan({ paths, threads: 1, rulesDir: opts.rulesDir ?? testRules(), ...opts }).result;
}

/** Every location of every finding, with its secret, as printed (path relative to `root`). */
export function located(
  result: ScanResult,
  root: string,
): Array<{ secret: string; rule: string; at: string; loc: Location }> {
  const out: Array<{ secret: string; rule: string; at: string; loc: Location }> = [];
  for (const f of result.findings as Finding[])
    for (const l of f.locations)
      out.push({
        secret: f.secret,
        rule: f.rule,
        at: formatLocation(l)
          .split(root + '/')
          .join(''),
        loc: l,
      });
  return out;
}
