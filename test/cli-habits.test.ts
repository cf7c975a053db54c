// The command-line habits of the field: --fail-on, --quiet, --only-live, `scan` without a path,
// help that fits the terminal, compressed stdin, warnings counted once, a truthful stream, and a
// progress line that moves and never shares a line with a warning.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGzip, gzipSync, zstdCompressSync } from 'node:zlib';
import { BIN, cleanupTempDirs, runCli, tempDir, token } from './helpers.js';
import { GitRepo } from './git-repo.js';
import { FakeProviders } from './fakes/server.js';
import { SCANNING_OPTIONS } from '../src/cli/options.js';
import { GIT_OPTIONS } from '../src/cli/commands/git.js';
import { expandTemplate } from '../src/detect/template.js';

afterAll(cleanupTempDirs);

interface Report {
  findings: Array<{ rule: string; blast: { tier: string }; scope: { status: string } }>;
  stats: { warnings: number; notLiveHidden?: number };
  warnings: Array<{ subject: string; message: string }>;
}

/** A tree with one GitHub classic PAT (offline: high) in it. */
function treeWithSecret(seed: string): { dir: string; secret: string } {
  const dir = tempDir('lr-habits-');
  const secret = token('{{github:ghp_}}', seed);
  writeFileSync(join(dir, 'deploy.env'), `# deploy\nGITHUB_TOKEN=${secret}\n`);
  return { dir, secret };
}

describe('--fail-on', () => {
  it('fails only for findings at or above the tier, names those below, and rejects an unknown tier', async () => {
    const { dir } = treeWithSecret('fail-on');
    const json = JSON.parse((await runCli(['scan', dir, '--format', 'json'])).stdout) as Report;
    expect(json.findings.map((f) => f.blast.tier)).toEqual(['high']);
    expect((await runCli(['scan', dir])).code).toBe(1); // default: any finding fails
    expect((await runCli(['scan', dir, '--fail-on', 'high'])).code).toBe(1);
    expect((await runCli(['scan', dir, '--fail-on', 'info'])).code).toBe(1);
    const above = await runCli(['scan', dir, '--fail-on', 'critical']);
    expect(above.code).toBe(0);
    expect(above.stdout).toContain('github-classic-pat'); // still reported
    expect(above.stderr).toContain('1 finding(s) below --fail-on critical do not fail the scan');
    expect((await runCli(['scan', dir, '--fail-on', 'none'])).code).toBe(0);
    const bad = await runCli(['scan', dir, '--fail-on', 'severe']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/fail-on.*critical.*none/s);
  });

  it('applies to the staged scan the hook runs', async () => {
    const repo = GitRepo.init('lr-fail-on-');
    repo.commit('init', { 'README.md': 'hi\n' });
    repo.write('app.env', `TOKEN=${token('{{github:ghp_}}', 'fail-on-staged')}\n`);
    repo.git('add', 'app.env');
    expect((await runCli(['git', '--staged', '--fail-on', 'critical'], { cwd: repo.dir, env: repo.env })).code).toBe(
      0,
    );
    const blocked = await runCli(['git', '--staged', '--fail-on', 'high'], { cwd: repo.dir, env: repo.env });
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('commit blocked');
  });
});

describe('--quiet', () => {
  it('prints nothing on a clean scan and the full report when something is found', async () => {
    const clean = tempDir('lr-quiet-');
    writeFileSync(join(clean, 'README.md'), 'nothing to see\n');
    const q = await runCli(['scan', clean, '--quiet']);
    expect(q).toMatchObject({ code: 0, stdout: '', stderr: '' });
    // Without it, the clean scan says so: the check above can fail.
    expect((await runCli(['scan', clean])).stdout).toContain('0 findings');
    // A report file is still written, silently.
    const out = join(clean, '..', 'clean.sarif');
    const w = await runCli(['scan', clean, '-q', '--format', 'sarif', '--output', out]);
    expect(w).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(JSON.parse(readFileSync(out, 'utf8')).runs[0].results).toEqual([]);
    const { dir } = treeWithSecret('quiet');
    const found = await runCli(['scan', dir, '-q']);
    expect(found.code).toBe(1);
    expect(found.stdout).toContain('github-classic-pat');
  });

  it('the installed hook prints nothing on a clean commit and still blocks a secret', async () => {
    const repo = GitRepo.init('lr-quiet-hook-');
    repo.commit('init', { 'README.md': 'hi\n' });
    expect((await runCli(['install-hook', repo.dir])).code).toBe(0);
    repo.write('src/app.js', 'export const answer = 42;\n');
    repo.git('add', '-A');
    const ok = spawnSync('git', ['commit', '-q', '-m', 'clean'], { cwd: repo.dir, env: repo.env, encoding: 'utf8' });
    expect({ code: ok.status, stdout: ok.stdout, stderr: ok.stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
    repo.write('app.env', `TOKEN=${token('{{github:ghp_}}', 'quiet-hook')}\n`);
    repo.git('add', '-A');
    const blocked = spawnSync('git', ['commit', '-q', '-m', 'secret'], {
      cwd: repo.dir,
      env: repo.env,
      encoding: 'utf8',
    });
    expect(blocked.status).not.toBe(0);
    expect(blocked.stderr).toContain('commit blocked');
  });
});

describe('--only-live', () => {
  it('reports only the token a lookup confirmed live, and says how many it left out', async () => {
    const dir = tempDir('lr-live-');
    const live = token('{{github:ghp_}}', 'live-one');
    const dead = token('{{github:ghp_}}', 'dead-one');
    writeFileSync(join(dir, 'a.env'), `GITHUB_TOKEN=${live}\n`);
    writeFileSync(join(dir, 'b.env'), `GITHUB_TOKEN=${dead}\n`);
    const fake = await new FakeProviders({
      github: {
        mixed: (req) =>
          req.headers.authorization === `Bearer ${live}`
            ? { headers: { 'x-oauth-scopes': 'repo' }, body: { login: 'live-bot' } }
            : { status: 401, body: { message: 'Bad credentials' } },
      },
    }).start();
    try {
      // Lookups are off in tests (LEAKRADIUS_OFFLINE): --only-live turns them on.
      const env = { LEAKRADIUS_ENDPOINT_GITHUB: fake.url('github', 'mixed') };
      const all = JSON.parse((await runCli(['scan', dir, '--format', 'json'], { env })).stdout) as Report;
      expect(all.findings).toHaveLength(2);
      const r = await runCli(['scan', dir, '--format', 'json', '--only-live'], { env });
      expect(r.code).toBe(1);
      const report = JSON.parse(r.stdout) as Report;
      expect(report.findings.map((f) => f.scope.status)).toEqual(['live']);
      expect(report.stats.notLiveHidden).toBe(1);
      const text = await runCli(['scan', dir, '--only-live'], { env });
      expect(text.stdout).toContain('live-bot');
      expect(text.stdout).toContain('1 not confirmed live left out (--only-live)');
    } finally {
      await fake.close();
    }
  });

  it('exits 0 when nothing is live, and 2 when told to stay offline', async () => {
    const { dir } = treeWithSecret('not-live');
    const fake = await new FakeProviders({
      github: { revoked: { status: 401, body: { message: 'Bad credentials' } } },
    }).start();
    try {
      const r = await runCli(['scan', dir, '--only-live'], {
        env: { LEAKRADIUS_ENDPOINT_GITHUB: fake.url('github', 'revoked') },
      });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('0 findings');
    } finally {
      await fake.close();
    }
    const offline = await runCli(['scan', dir, '--only-live', '--offline']);
    expect(offline.code).toBe(2);
    expect(offline.stderr).toContain('--only-live needs provider lookups');
  });
});

describe('scan without a path', () => {
  it('scans the current directory', async () => {
    const { dir } = treeWithSecret('no-path');
    const r = await runCli(['scan', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as Report).findings.map((f) => f.rule)).toEqual(['github-classic-pat']);
  });
});

describe('help', () => {
  const describes = Object.values({ ...SCANNING_OPTIONS, ...GIT_OPTIONS })
    .filter((o) => !('hidden' in o && o.hidden))
    .map((o) => o.describe);
  for (const columns of [60, 80, 160]) {
    it(`fits ${columns} columns, wraps only between words and never says [required] with a default`, async () => {
      for (const command of ['scan', 'git', 'baseline scan']) {
        const r = await runCli([...command.split(' '), '--help'], { env: { COLUMNS: String(columns) } });
        expect(r.code).toBe(0);
        const lines = r.stdout.split('\n');
        expect(lines.filter((l) => [...l].length > columns)).toEqual([]);
        const flowing = r.stdout.replace(/\s+/g, ' ');
        for (const d of describes.filter(
          (d) => command === 'git' || !Object.values(GIT_OPTIONS).some((g) => g.describe === d),
        ))
          expect(flowing, `${command} at ${columns}`).toContain(d);
        expect(r.stdout).not.toContain('[required]');
      }
      for (const command of ['', 'baseline git', 'lookup', 'install-hook']) {
        const r = await runCli([...command.split(' ').filter(Boolean), '--help'], {
          env: { COLUMNS: String(columns) },
        });
        expect(
          r.stdout.split('\n').filter((l) => [...l].length > columns),
          command,
        ).toEqual([]);
        expect(r.stdout).not.toMatch(/\[required\][^\n]*\[default:/);
      }
    });
  }
});

describe('compressed stdin', () => {
  it('finds a token in gzip and zstd input on stdin, like in a file', async () => {
    const secret = token('{{github:ghp_}}', 'stdin-gz');
    const log = Buffer.from(
      `2024-01-01 INFO start\n2024-01-01 DEBUG env GITHUB_TOKEN=${secret}\n2024-01-01 INFO done\n`,
    );
    for (const input of [gzipSync(log), zstdCompressSync(log)]) {
      const r = await runCli(['scan', '-', '--format', 'json'], { input });
      expect(r.code).toBe(1);
      const report = JSON.parse(r.stdout) as {
        findings: Array<{ rule: string; locations: Array<{ kind: string; line: number }> }>;
      };
      expect(report.findings.map((f) => f.rule)).toEqual(['github-classic-pat']);
      expect(report.findings[0]!.locations[0]).toMatchObject({ kind: 'stdin', line: 2 });
    }
    // A tar.gz on stdin: the member is named.
    const dir = tempDir('lr-stdin-tar-');
    writeFileSync(join(dir, 'app.env'), `GITHUB_TOKEN=${secret}\n`);
    const tgz = execFileSync('tar', ['-czf', '-', '-C', dir, 'app.env']);
    const r = await runCli(['scan', '-'], { input: tgz });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('(stdin)!app.env:1:14');
  });
});

describe('warnings', () => {
  it('counts and lists a lookup warning once (text, JSON)', async () => {
    const { dir } = treeWithSecret('warn-once');
    // Port 9 (discard) on loopback: nothing listens, so the lookup fails with a network error.
    const env = { LEAKRADIUS_OFFLINE: '', LEAKRADIUS_ENDPOINT_GITHUB: 'http://127.0.0.1:9' };
    const text = await runCli(['scan', dir, '--lookup-timeout', '2'], { env });
    const printed = text.stderr.split('\n').filter((l) => l.startsWith('leakradius: warning:'));
    expect(printed).toHaveLength(1);
    expect(text.stdout).toMatch(/; 1 warning;/);
    const json = JSON.parse(
      (await runCli(['scan', dir, '--format', 'json', '--lookup-timeout', '2'], { env })).stdout,
    ) as Report;
    expect(json.stats.warnings).toBe(1);
    expect(json.warnings).toHaveLength(1);
  });
});

describe('stdin with lookups', () => {
  it('says a streamed finding is not looked up yet, then gives the lookup result', async () => {
    const secret = token('{{github:ghp_}}', 'stream-lookup');
    const fake = await new FakeProviders({
      github: { broad: { headers: { 'x-oauth-scopes': 'repo' }, body: { login: 'stream-bot' } } },
    }).start();
    try {
      const env = { LEAKRADIUS_OFFLINE: '', LEAKRADIUS_ENDPOINT_GITHUB: fake.url('github', 'broad') };
      const r = await runCli(['scan', '-'], { input: `line one\nGITHUB_TOKEN=${secret}\n`, env });
      expect(r.code).toBe(1);
      expect(r.stdout).not.toMatch(/status not-checked/);
      expect(r.stdout).toContain('status not looked up yet');
      expect(r.stdout).toMatch(
        new RegExp(
          String.raw`After the lookups:\n {2}\w+ GitHub personal access token \(classic\) ghp_.+? a` +
            String.raw`t \(stdin\):2:14: live; identity stream-bot \(\d+\/100, looked up\)`,
        ),
      );
      expect(r.stdout).toMatch(/1 looked up \(1 live/);
    } finally {
      await fake.close();
    }
  });
});

describe('text report', () => {
  it('says why a confidence is low', async () => {
    const dir = tempDir('lr-low-');
    // A generic rule's finding: a password assigned in a config file.
    const value = expandTemplate('{{alnum:24}}', 'low-confidence');
    writeFileSync(join(dir, 'settings.yml'), `database:\n  password: "${value}Q7"\n`);
    const r = await runCli(['scan', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('confidence: low: a generic rule matched');
    // A GitHub token whose CRC32 does not match its body.
    const good = token('{{github:ghp_}}', 'bad-checksum');
    const bad = good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A');
    writeFileSync(join(dir, 'settings.yml'), `github_token: ${bad}\n`);
    const crc = await runCli(['scan', dir]);
    expect(crc.stdout).toContain('confidence: low: its checksum does not match');
  });

  it('tells how to revoke a PEM private key instead of linking a man page', async () => {
    const dir = tempDir('lr-pem-');
    writeFileSync(join(dir, 'server.key'), expandTemplate('{{pem:RSA PRIVATE KEY}}', 'pem-revoke') + '\n');
    const r = await runCli(['scan', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('openssl.org/docs');
    expect(r.stdout).toMatch(/revoke: +A private key is revoked where its public key is trusted.*authorized_keys.*CA/);
  });
});

describe('progress on a terminal', () => {
  const hasScript = spawnSync('script', ['--version']).status === 0;
  let dir: string;
  let gz: string;
  beforeAll(async () => {
    if (!hasScript) return;
    dir = tempDir('lr-progress-');
    gz = join(dir, 'app.log.gz');
    // ~280 MB of log lines with everyday keywords (a block, 200 times), gzip level 1, written as a stream.
    const lines: string[] = [];
    for (let i = 0; i < 12_500; i++)
      lines.push(
        `2024-01-01T00:00:${String(i % 60).padStart(2, '0')}Z INFO id=${i} key_id=${i % 97} token_type=bearer ` +
          `path=/api/items/${(i * 7919) % 100003} took ${i % 997}ms`,
      );
    const block = Buffer.from(lines.join('\n') + '\n');
    await new Promise<void>((resolve, reject) => {
      const z = createGzip({ level: 1 });
      z.pipe(createWriteStream(gz)).on('finish', resolve).on('error', reject);
      let n = 0;
      const pump = () => {
        while (n++ < 200) if (!z.write(block)) return void z.once('drain', pump);
        z.end();
      };
      pump();
    });
  });

  /** The CLI under `script`, which gives it a terminal (where progress is drawn). */
  const onTerminal = (args: string) =>
    spawnSync('script', ['-qec', `${process.execPath} ${BIN} ${args}`, '/dev/null'], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 110_000,
    }).stdout;
  /** Progress frames as [files, MB]. */
  const frames = (out: string) =>
    [...out.matchAll(/scanning: ([\d,]+) files, ([\d.]+) MB/g)].map((m) => [m[1]!, Number(m[2])] as const);

  it.skipIf(!hasScript)('moves while one large .gz is scanned, and is cleared before a warning', () => {
    const broken = join(dir, '..', 'broken.zip');
    writeFileSync(broken, Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(64, 7)]));
    const out = onTerminal(`scan ${gz} ${broken} --offline`);
    const mb = frames(out)
      .filter(([files]) => files === '0')
      .map(([, mb]) => mb);
    // Several frames while the one .gz file was still being read, each further along.
    expect(new Set(mb).size, out.slice(0, 400)).toBeGreaterThanOrEqual(2);
    const warning = out.indexOf('leakradius: warning:');
    expect(warning).toBeGreaterThan(0);
    expect(out.slice(0, warning)).toMatch(/(\r\x1b\[K|\n)$/);
  });

  it.skipIf(!hasScript)('moves with worker threads too (each counts into its own shared slot)', () => {
    // 60 small files as well: past the in-thread limit (48), so the scan uses the worker pool.
    for (let i = 0; i < 60; i++) writeFileSync(join(dir, `note-${i}.txt`), `note ${i}\n`);
    const out = onTerminal(`scan ${dir} --offline --threads 2`);
    const byFiles = new Map<string, Set<number>>();
    for (const [files, mb] of frames(out)) byFiles.set(files, (byFiles.get(files) ?? new Set()).add(mb));
    // While the file count stands still (the .gz is being read), the megabytes go on.
    expect(
      [...byFiles.values()].some((mbs) => mbs.size >= 2),
      out.slice(0, 400),
    ).toBe(true);
  });

  it.skipIf(!hasScript)('stays off while findings stream from stdin, so the two never share a line', async () => {
    const dir = tempDir('lr-progress-stdin-');
    const log = join(dir, 'app.log');
    writeFileSync(log, `start\nGITHUB_TOKEN=${token('{{github:ghp_}}', 'progress-stdin')}\n`);
    // The stream stays open for 2 s: long enough for a progress line to be drawn.
    const cmd = `(cat ${log}; sleep 2) | ${process.execPath} ${BIN} scan - --offline`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 60_000,
    });
    expect(r.stdout).toContain('github-classic-pat');
    expect(r.stdout).not.toContain('scanning:');
  });
});
