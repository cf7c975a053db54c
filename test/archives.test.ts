import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { cleanupTempDirs, runCli, tempDir, token } from './helpers.js';
import {
  located,
  markEncrypted,
  renameInZip,
  scanAll,
  tarball,
  testRules,
  tgz,
  writeFiles,
  zip,
} from './archive-helpers.js';

afterAll(cleanupTempDirs);

const hasZstd = (() => {
  try {
    execFileSync('zstd', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('archives: a planted secret is found with the full location chain', () => {
  it('finds a secret in a zip, a jar inside a zip, and a tgz inside a tar inside a zip (depth 3)', async () => {
    const dir = tempDir('lr-arch-');
    const [a, b, c] = [
      token('{{github:ghp_}}', 'zip'),
      token('{{github:ghp_}}', 'jar'),
      token('{{github:ghp_}}', 'deep'),
    ];
    const props = `# app\nserver.port=8080\ngithub.token=${b}\n`;
    const jar = await zip({
      'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\n',
      'config/application.properties': props,
    });
    const lib = await tgz({
      'package/package.json': '{"name":"lib"}',
      'package/index.js': `module.exports = {\n  token: "${c}",\n};\n`,
    });
    const bundle = await tarball({ 'deps/lib.tgz': lib });
    writeFiles(dir, {
      'release.zip': await zip({
        'README.txt': `read me\nGITHUB_TOKEN=${a}\n`,
        'lib/app.jar': jar,
        'vendor/bundle.tar': bundle,
      }),
    });

    const hits = located(await scanAll([dir]), dir);
    expect(hits.find((h) => h.secret === a)?.at).toBe('release.zip!README.txt:2:14');
    expect(hits.find((h) => h.secret === b)?.at).toBe(
      `release.zip!lib/app.jar!config/application.properties:${lineOf(props, b)}:14`,
    );
    const deep = hits.find((h) => h.secret === c)!;
    expect(deep.loc).toMatchObject({
      kind: 'archive',
      chain: [join(dir, 'release.zip'), 'vendor/bundle.tar', 'deps/lib.tgz', 'package/index.js'],
      line: 2,
      column: 11,
    });
    expect(deep.at).toBe('release.zip!vendor/bundle.tar!deps/lib.tgz!package/index.js:2:11');
  });

  it(
    'opens archives by their magic bytes, whatever their name (a ' + 'zip called .dat, an npm tarball called .bin)',
    async () => {
      const dir = tempDir('lr-magic-');
      const s = token('{{github:ghp_}}', 'magic');
      writeFiles(dir, {
        'blob.dat': await zip({ 'a.env': `T=${s}\n` }),
        'pkg.bin': await tgz({ 'package/.npmrc': `//npm.pkg.github.com/:_authToken=${s}\n` }),
      });
      const at = located(await scanAll([dir]), dir)
        .map((h) => h.at)
        .sort();
      expect(at).toEqual(['blob.dat!a.env:1:3', 'pkg.bin!package/.npmrc:1:34']);
    },
  );

  it('finds a secret in an npm package tarball (package/…)', async () => {
    const dir = tempDir('lr-npm-');
    const s = token('{{github:ghp_}}', 'npm');
    const src = `'use strict';\nconst client = new Client({\n  auth: '${s}',\n});\n`;
    writeFiles(dir, {
      'acme-lib-1.2.3.tgz': await tgz({
        'package/package.json': '{"name":"acme-lib","version":"1.2.3"}',
        'package/lib/client.js': src,
      }),
    });
    const [hit] = located(await scanAll([join(dir, 'acme-lib-1.2.3.tgz')]), dir);
    expect(hit!.at).toBe('acme-lib-1.2.3.tgz!package/lib/client.js:3:10');
  });

  it('reads a rotated .log.gz transparently: the location is the file and the line in the log', async () => {
    const dir = tempDir('lr-gz-');
    const s = token('{{github:ghp_}}', 'gz');
    const log = Array.from(
      { length: 500 },
      (_, i) => `2026-11-28T06:00:${String(i % 60).padStart(2, '0')}Z INFO request ${i} ok`,
    );
    log[321] = `2026-11-28T06:05:21Z DEBUG cloning with token ${s}`;
    writeFiles(dir, { 'logs/app.log.3.gz': gzipSync(log.join('\n') + '\n') });
    const [hit] = located(await scanAll([dir]), dir);
    expect(hit!.loc).toMatchObject({ kind: 'file', line: 322, column: 47 });
    expect(hit!.at).toBe('logs/app.log.3.gz:322:47');
  });

  it(
    'scans a docker-save image: a secret in a layer and one in the ' +
      'config ENV, each named by layer/config and path',
    async () => {
      const dir = tempDir('lr-image-');
      const [inLayer, inEnv] = [token('{{github:ghp_}}', 'layer'), token('{{github:ghp_}}', 'env')];
      const layerId = 'a'.repeat(8) + '0123456789abcdef'.repeat(3) + 'b'.repeat(8);
      const configName = `${'c'.repeat(64)}.json`;
      const layer = await tarball({
        'etc/os-release': 'ID=alpine\n',
        'app/.env': `NODE_ENV=production\nGH_TOKEN=${inLayer}\n`,
      });
      const config = {
        architecture: 'amd64',
        os: 'linux',
        config: { Env: ['PATH=/usr/local/bin:/usr/bin', `GITHUB_TOKEN=${inEnv}`], Cmd: ['node', 'server.js'] },
        history: [
          { created_by: '/bin/sh -c #(nop) ADD file:abc in /' },
          { created_by: `/bin/sh -c #(nop)  ENV GITHUB_TOKEN=${inEnv}`, empty_layer: true },
        ],
        rootfs: { type: 'layers', diff_ids: [`sha256:${'d'.repeat(64)}`] },
      };
      const manifest = [{ Config: configName, RepoTags: ['acme/app:1.0'], Layers: [`${layerId}/layer.tar`] }];
      writeFiles(dir, {
        'app-image.tar': await tarball({
          [configName]: JSON.stringify(config),
          [`${layerId}/layer.tar`]: layer,
          'manifest.json': JSON.stringify(manifest),
        }),
      });

      const at = located(await scanAll([dir]), dir)
        .map((h) => h.at)
        .sort();
      const historyColumn = config.history[1]!.created_by.indexOf(inEnv) + 1;
      expect(at).toEqual(
        [
          `app-image.tar!${configName}!config.Env:2:14`,
          `app-image.tar!${configName}!history:2:${historyColumn}`,
          `app-image.tar!${layerId}/layer.tar!app/.env:2:10`,
        ].sort(),
      );
    },
  );

  it(
    'scans an OCI layout image tarball: gzip layers under ' + 'blobs/sha256, config found without a .json name',
    async () => {
      const dir = tempDir('lr-oci-');
      const s = token('{{github:ghp_}}', 'oci');
      const layerDigest = '1'.repeat(64);
      const configDigest = '2'.repeat(64);
      const config = { config: { Env: [`NPM_TOKEN=${s}`] }, rootfs: { type: 'layers', diff_ids: [] } };
      writeFiles(dir, {
        'oci.tar': await tarball({
          'oci-layout': '{"imageLayoutVersion":"1.0.0"}',
          'index.json': '{"schemaVersion":2,"manifests":[]}',
          [`blobs/sha256/${layerDigest}`]: await tgz({ 'root/.git-credentials': `https://x:${s}@github.com\n` }),
          [`blobs/sha256/${configDigest}`]: JSON.stringify(config),
        }),
      });
      const at = located(await scanAll([dir]), dir)
        .map((h) => h.at)
        .sort();
      expect(at).toEqual(
        [
          `oci.tar!blobs/sha256/${configDigest}!config.Env:1:11`,
          `oci.tar!blobs/sha256/${layerDigest}!root/.git-credentials:1:11`,
        ].sort(),
      );
    },
  );

  it("scans a source map's sourcesContent as the original sources, named and numbered as the originals", async () => {
    const dir = tempDir('lr-map-');
    const s = token('{{github:ghp_}}', 'map');
    const original =
      `import { Octokit } from 'octokit';\n\n// TODO: move to env\nexport const octokit = new ` +
      `Octokit({ auth: '${s}' });\n`;
    const map = {
      version: 3,
      file: 'main.js',
      sources: ['webpack://app/./src/github.ts', 'webpack://app/./src/index.ts'],
      sourcesContent: [original, 'export {};\n'],
      mappings: 'AAAA',
    };
    writeFiles(dir, { 'dist/main.js.map': JSON.stringify(map) });
    const hits = located(await scanAll([dir]), dir);
    const column = original.split('\n')[3]!.indexOf(s) + 1;
    expect(hits.map((h) => h.at)).toEqual([`dist/main.js.map!webpack://app/./src/github.ts:4:${column}`]);
  });

  it('reports the column and a short, redacted excerpt in a minified bundle (one huge line)', async () => {
    const dir = tempDir('lr-min-');
    const s = token('{{github:ghp_}}', 'min');
    const filler = 'var a=function(b){return b*2};'.repeat(20_000);
    const bundle = `${filler}var c={token:"${s}"};${filler}`;
    writeFiles(dir, { 'dist/app.min.js': bundle });
    const [hit] = located(await scanAll([dir]), dir);
    expect(hit!.loc.line).toBe(1);
    expect(hit!.loc.column).toBe(filler.length + 'var c={token:"'.length + 1);
    expect(hit!.loc.excerpt!.length).toBeLessThan(140);
    expect(hit!.loc.excerpt).not.toContain(s.slice(8));
  });

  it('finds archive members through the worker pool and prints the chain in the CLI report', async () => {
    const dir = tempDir('lr-pool-');
    const s = token('{{github:ghp_}}', 'pool');
    for (let i = 0; i < 60; i++) writeFileSync(join(dir, `f${i}.txt`), `nothing ${i}\n`);
    writeFiles(dir, {
      'release.zip': await zip({ 'lib/app.jar': await zip({ 'application.yml': `github:\n  token: ${s}\n` }) }),
    });
    const r = await runCli(['scan', dir, '--rules', testRules(), '--threads', '2', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as {
      findings: Array<{ locations: Array<{ kind: string; chain: string[]; line: number }> }>;
    };
    expect(report.findings[0]!.locations[0]).toMatchObject({
      kind: 'archive',
      chain: [join(dir, 'release.zip'), 'lib/app.jar', 'application.yml'],
      line: 2,
    });
    const text = await runCli(['scan', dir, '--rules', testRules(), '--threads', '2']);
    expect(text.stdout).toContain('release.zip!lib/app.jar!application.yml:2:10');
    expect(text.stdout + text.stderr).not.toContain(s);
  });
});

describe('archives: limits and bad input are warnings, and the scan goes on', () => {
  it(
    'stops a zip bomb at --max-archive-bytes with a warning ' + 'naming the member, and scans the other files',
    async () => {
      const dir = tempDir('lr-bomb-');
      const s = token('{{github:ghp_}}', 'after-bomb');
      const bomb = await zip({ 'zeros.bin': Buffer.alloc(64 * 1024 * 1024), 'later.txt': `T=${s}\n` });
      expect(bomb.length).toBeLessThan(200 * 1024);
      writeFiles(dir, { 'bomb.zip': bomb, 'other.env': `GH=${s}\n` });
      const r = await scanAll([dir], { maxArchiveBytes: 8 * 1024 * 1024 });
      const w = r.warnings.find((x) => x.subject === join(dir, 'bomb.zip'));
      expect(w?.message).toMatch(/--max-archive-bytes .* in .*bomb\.zip!zeros\.bin/);
      expect(located(r, dir).map((h) => h.at)).toEqual(['other.env:1:4']);
    },
  );

  it('skips a member past the compression-ratio guard and goes on with the next member', async () => {
    const dir = tempDir('lr-ratio-');
    const s = token('{{github:ghp_}}', 'ratio');
    writeFiles(dir, {
      'r.zip': await zip({ 'zeros.txt': Buffer.alloc(96 * 1024 * 1024, 0x20), 'next.txt': `T=${s}\n` }),
    });
    const r = await scanAll([dir]);
    expect(r.warnings.find((w) => w.subject.endsWith('r.zip!zeros.txt'))?.message).toMatch(
      /compression ratio over 200:1/,
    );
    expect(located(r, dir).map((h) => h.at)).toEqual(['r.zip!next.txt:1:3']);
  });

  it('does not open archives nested deeper than --max-archive-depth, with a warning', async () => {
    const dir = tempDir('lr-depth-');
    const s = token('{{github:ghp_}}', 'depth');
    let inner = await zip({ 'secret.txt': `T=${s}\n` });
    for (let i = 0; i < 3; i++) inner = await zip({ [`level${i}.zip`]: inner });
    writeFiles(dir, { 'nest.zip': inner });
    const shallow = await scanAll([dir], { maxArchiveDepth: 2 });
    expect(shallow.findings).toHaveLength(0);
    expect(
      shallow.warnings.some(
        (w) => /max-archive-depth \(2\)/.test(w.message) && w.subject.endsWith('nest.zip!level2.zip!level1.zip'),
      ),
    ).toBe(true);
    const deep = await scanAll([dir]);
    expect(located(deep, dir).map((h) => h.at)).toEqual(['nest.zip!level2.zip!level1.zip!level0.zip!secret.txt:1:3']);
  });

  it('warns about a corrupt zip, a truncated tgz and an encrypted entry, and still scans the good files', async () => {
    const dir = tempDir('lr-bad-');
    const s = token('{{github:ghp_}}', 'good');
    const good = await zip({ 'a.txt': `T=${s}\n` });
    const big = Array.from({ length: 20_000 }, (_, i) => `line ${i} ${(i * 7919) % 10007}`).join('\n');
    const whole = await tgz({ 'package/big.js': `${big}\nT=${s}\n` });
    const truncated = whole.subarray(0, whole.length >> 1);
    writeFiles(dir, {
      'corrupt.zip': Buffer.concat([good.subarray(0, 30), Buffer.alloc(40, 0x41)]),
      'truncated.tgz': truncated,
      'locked.zip': markEncrypted(await zip({ 'secret.txt': `T=${s}\n` })),
      'fine.zip': good,
    });
    const r = await scanAll([dir]);
    const msg = (name: string) =>
      r.warnings
        .filter((w) => w.subject.includes(name))
        .map((w) => w.message)
        .join(' | ');
    expect(msg('corrupt.zip')).toMatch(/corrupt or truncated zip/);
    expect(msg('truncated.tgz')).toMatch(/corrupt or truncated/);
    expect(msg('locked.zip!secret.txt')).toMatch(/encrypted entry; skipped/);
    expect(located(r, dir).map((h) => h.at)).toEqual(['fine.zip!a.txt:1:3']);
  });

  it(
    'warns about entry names that try path traversal, scans them ' + 'in memory, and never writes them to disk',
    async () => {
      const dir = tempDir('lr-trav-');
      const s = token('{{github:ghp_}}', 'trav');
      writeFiles(dir, {
        'evil.zip': renameInZip(await zip({ 'xx/xx/evil.txt': `T=${s}\n` }), 'xx/xx/evil.txt', '../../evil.txt'),
      });
      const r = await scanAll([dir]);
      expect(r.warnings.find((w) => w.subject.endsWith('evil.zip!../../evil.txt'))?.message).toMatch(/path traversal/);
      expect(located(r, dir).map((h) => h.at)).toEqual(['evil.zip!../../evil.txt:1:3']);
    },
  );

  it('stops at the entries limit on an archive of thousands of tiny entries, with one warning', async () => {
    const dir = tempDir('lr-many-');
    const entries: Record<string, string> = {};
    for (let i = 0; i < 3000; i++) entries[`e/${i}.txt`] = 'x';
    writeFiles(dir, { 'many.zip': await zip(entries), 'many.tar': await tarball(entries) });
    const r = await scanAll([dir], { maxArchiveEntries: 1000 });
    expect(
      r.warnings
        .filter((w) => /more than 1000 entries/.test(w.message))
        .map((w) => w.subject)
        .sort(),
    ).toEqual([join(dir, 'many.tar'), join(dir, 'many.zip')]);
  });

  it('takes --max-archive-bytes as a size (8MiB) on the command line, and rejects a bad one with exit 2', async () => {
    const dir = tempDir('lr-bomb-cli-');
    writeFiles(dir, { 'bomb.zip': await zip({ 'zeros.bin': Buffer.alloc(32 * 1024 * 1024) }) });
    const r = await runCli(['scan', dir, '--rules', testRules(), '--offline', '--max-archive-bytes', '8MiB']);
    expect(r.code).toBe(3); // nothing found, but not everything read
    expect(r.stderr).toMatch(/bomb\.zip.*--max-archive-bytes \(8388608 bytes\)/);
    const bad = await runCli(['scan', dir, '--rules', testRules(), '--max-archive-bytes', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--max-archive-bytes must be a size/);
  });

  it.skipIf(!hasZstd)('reads zstd-compressed logs and tarballs (fzstd, pure JS)', async () => {
    const dir = tempDir('lr-zstd-');
    const s = token('{{github:ghp_}}', 'zstd');
    writeFiles(dir, {
      'app.log.1': `boot\nGH_TOKEN=${s}\n`,
      'bundle.tar': await tarball({ 'etc/app.env': `X=1\nGH_TOKEN=${s}\n` }),
    });
    execFileSync('zstd', ['-q', '--rm', join(dir, 'app.log.1'), join(dir, 'bundle.tar')]);
    expect(
      located(await scanAll([dir]), dir)
        .map((h) => h.at)
        .sort(),
    ).toEqual(['app.log.1.zst:2:10', 'bundle.tar.zst!etc/app.env:2:10']);
  });

  it('reads xz- and bzip2-compressed logs and tarballs (.xz, .txz, .tar.bz2)', async () => {
    const dir = tempDir('lr-xz-');
    const s = token('{{github:ghp_}}', 'xz-bzip2');
    const lines = Array.from({ length: 3000 }, (_, i) => `request ${i} ok`).join('\n');
    writeFiles(dir, {
      'app.log.1': `boot\nGH_TOKEN=${s}\n${lines}\n`,
      'app.log.2': `${lines}\nGH_TOKEN=${s}\n`,
      'bundle.tar': await tarball({ 'etc/app.env': `X=1\nGH_TOKEN=${s}\n` }),
      'backup.tar': await tarball({ 'srv/.env': `GH_TOKEN=${s}\n` }),
    });
    execFileSync('xz', ['-q', join(dir, 'app.log.1'), join(dir, 'bundle.tar')]);
    execFileSync('mv', [join(dir, 'bundle.tar.xz'), join(dir, 'bundle.txz')]);
    execFileSync('bzip2', ['-q', join(dir, 'app.log.2'), join(dir, 'backup.tar')]);
    const r = await scanAll([dir]);
    expect(r.warnings).toEqual([]);
    expect(
      located(r, dir)
        .map((h) => h.at)
        .sort(),
    ).toEqual([
      'app.log.1.xz:2:10',
      'app.log.2.bz2:3001:10',
      'backup.tar.bz2!srv/.env:1:10',
      'bundle.txz!etc/app.env:2:10',
    ]);
  });

  it('names a damaged xz or bzip2 file in a warning that marks the scan incomplete', async () => {
    const dir = tempDir('lr-xz-bad-');
    writeFiles(dir, {
      'app.log.xz': Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 0, 0, 0, 0, 0]),
      'app.log.bz2': Buffer.from('BZh91AY&SY\0\0\0\0garbage', 'latin1'),
    });
    const r = await scanAll([dir]);
    expect(r.warnings.map((w) => [w.subject, w.incomplete]).sort()).toEqual([
      [join(dir, 'app.log.bz2'), true],
      [join(dir, 'app.log.xz'), true],
    ]);
    for (const w of r.warnings) expect(w.message).toMatch(/corrupt or truncated compressed data/);
  });

  it('stops an xz bomb at the archive budget and says so', async () => {
    const dir = tempDir('lr-xz-bomb-');
    const s = token('{{github:ghp_}}', 'xz-bomb');
    writeFiles(dir, { 'zeros.log': Buffer.alloc(64 * 1024 * 1024), 'next.env': `GH_TOKEN=${s}\n` });
    execFileSync('xz', ['-q', '-1', join(dir, 'zeros.log')]);
    const r = await scanAll([dir], { maxArchiveBytes: 8 * 1024 * 1024 });
    expect(located(r, dir).map((h) => h.at)).toEqual(['next.env:1:10']);
    expect(r.warnings).toEqual([expect.objectContaining({ subject: join(dir, 'zeros.log.xz'), incomplete: true })]);
  });
});
