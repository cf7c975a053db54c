import { afterAll, describe, expect, it } from 'vitest';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { createGzip, gzipSync } from 'node:zlib';
import { once } from 'node:events';
import { Detector, scanBuffer } from '../src/detect/index.js';
import { loadRulesFromDir } from '../src/detect/rules.js';
import { cleanupTempDirs, runCli, tempDir, token } from './helpers.js';
import { formatLocation } from '../src/report/location.js';
import type { Finding } from '../src/types.js';
import { scan, type ScanResult } from '../src/scan/scan.js';
import { located, scanAll, testRules, writeFiles } from './archive-helpers.js';

afterAll(cleanupTempDirs);

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('logs: secrets hidden by an encoding are found, and the location says which decoding', () => {
  const rulesDir = testRules();
  const detector = new Detector(loadRulesFromDir(rulesDir));
  const find = (text: string) => scanBuffer(detector, text);

  it('finds a percent-encoded access token in an access-log query string, at the encoded position', () => {
    const s = token('{{github:ghp_}}', 'pct');
    const inner = `https://api.example.com/cb?access_token=${s}&state=1`;
    const line =
      `10.0.0.7 - - [28/Nov/2026:06:00:00 +0000] "GET /login?next=${encodeURIComponent(inner)} HTTP/1.1" ` + `302 0`;
    const hits = find(`first line\n${line}\n`);
    const gh = hits.find((c) => c.ruleId === 'github-classic-pat')!;
    expect(gh.secret).toBe(s);
    expect(gh.decoded).toEqual(['percent']);
    expect({ line: gh.line, column: gh.column }).toEqual({ line: 2, column: line.indexOf(s) + 1 });
    // The generic access_token= rule only sees it once "%3D" is decoded.
    const generic = hits.find((c) => c.ruleId === 'test-token-assignment')!;
    expect(generic).toMatchObject({ secret: s, decoded: ['percent'] });
  });

  it('finds a secret in a JSON-escaped string inside a structured log line', () => {
    const pw = token('{{an:24}}', 'json-pw');
    const line = JSON.stringify({ level: 'error', msg: JSON.stringify({ db: { password: pw } }) });
    const [hit] = find(line + '\n');
    expect(hit).toMatchObject({
      ruleId: 'test-token-assignment',
      secret: pw,
      decoded: ['json'],
      line: 1,
      column: line.indexOf(pw) + 1,
    });
    expect(hit!.excerpt).not.toContain(pw);
  });

  it('decodes Authorization: Basic to user:password, and finds Bearer tokens as they are', () => {
    const [basic, bearer] = [token('{{github:ghp_}}', 'basic'), token('{{github:ghp_}}', 'bearer')];
    const encoded = b64(`x-access-token:${basic}`);
    const log =
      `> GET /repo.git/info/refs HTTP/1.1\n> Authorization: Basic ${encoded}\n> Authorization: Bearer ` +
      `${bearer}\n`;
    const hits = find(log);
    const b = hits.find((c) => c.secret === basic)!;
    expect(b).toMatchObject({ ruleId: 'github-classic-pat', decoded: ['base64'], line: 2 });
    // The encoded secret is masked in the excerpt too: only the encoded "x-access-token:" part shows.
    const visible = encoded.slice(0, Math.floor(15 / 3) * 4);
    expect(b.excerpt).toContain(`Basic ${visible}ghp_`);
    expect(b.excerpt).not.toContain(encoded.slice(visible.length + 4, visible.length + 24));
    expect(hits.find((c) => c.secret === bearer)).toMatchObject({ line: 3, decoded: undefined });
  });

  it("finds base64 values in a Kubernetes Secret's data and in .dockerconfigjson auths (base64 inside base64)", () => {
    const [k8s, docker] = [token('{{github:ghp_}}', 'k8s'), token('{{github:ghp_}}', 'docker')];
    const dockerconfig = JSON.stringify({ auths: { 'ghcr.io': { auth: b64(`bot:${docker}`) } } });
    const yaml =
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ci\ndata:\n  GITHUB_TOKEN: ${b64(k8s)}\n  ` +
      `.dockerconfigjson: ${b64(dockerconfig)}\n`;
    const hits = find(yaml);
    expect(hits.find((c) => c.secret === k8s)).toMatchObject({ decoded: ['base64'], line: 6, column: 17 });
    expect(hits.find((c) => c.secret === docker)).toMatchObject({ decoded: ['base64', 'base64'], line: 7 });
    for (const c of hits) expect(c.excerpt).not.toContain(b64(k8s).slice(4, 40));
  });

  it('reports nothing for values that are already masked, plain or encoded', () => {
    const log = [
      'GET /cb?access_token=**** HTTP/1.1',
      'GET /cb?access_token=%2A%2A%2A%2A%2A%2A%2A%2A HTTP/1.1',
      'Authorization: Basic [REDACTED]',
      `Authorization: Basic ${b64('user:[REDACTED]')}`,
      '{"msg":"{\\"password\\":\\"xxxxxxxxxxxx\\"}"}',
      `password: ${b64('********')}`,
      'password=[REDACTED]',
    ].join('\n');
    expect(find(log)).toEqual([]);
  });

  it('prints the decoding in the text report and never an encoded secret', async () => {
    const dir = tempDir('lr-enc-cli-');
    const s = token('{{github:ghp_}}', 'cli');
    writeFiles(dir, {
      'k8s/secret.yaml': `kind: Secret\ndata:\n  token: ${b64(s)}\n`,
      'access.log': `GET /?access_token=${encodeURIComponent(s + '&')}x\n`,
    });
    const r = await runCli(['scan', dir, '--rules', rulesDir]);
    expect(r.stdout).toContain('secret.yaml:3:10 (decoded: base64)');
    expect(r.stdout).not.toContain(b64(s).slice(0, 20));
    expect(r.stdout).not.toContain(s);
  });
});

describe('logs: huge and compressed files stream with bounded memory', () => {
  async function writeLog(path: string, mb: number, plant: Map<number, string>, gzip = false): Promise<void> {
    const out = createWriteStream(path);
    const z = gzip ? createGzip() : undefined;
    if (z) z.pipe(out);
    const sink = z ?? out;
    let line = 0;
    const block: string[] = [];
    for (let bytes = 0; bytes < mb * 1024 * 1024; ) {
      line++;
      const text =
        plant.get(line) ??
        `2026-11-28T06:00:00.${String(line % 1000).padStart(3, '0')}Z INFO GET /api/items/${line} 200 ${line % 97}ms`;
      block.push(text);
      bytes += text.length + 1;
      if (block.length === 10_000) {
        if (!sink.write(block.join('\n') + '\n')) await once(sink, 'drain');
        block.length = 0;
      }
    }
    sink.end(block.length ? block.join('\n') + '\n' : '');
    await once(out, 'close');
  }

  it('finds secrets across chunk boundaries in a 40 MB log and a 40 MB .log.gz, at the right lines', async () => {
    const dir = tempDir('lr-big-');
    const [a, b] = [token('{{github:ghp_}}', 'big-a'), token('{{github:ghp_}}', 'big-b')];
    const plant = new Map([
      [10, `2026-11-28 ERROR clone failed for https://x:${a}@github.com/acme/app.git`],
      [600_000, `2026-11-28 DEBUG Authorization: Basic ${b64(`x-access-token:${b}`)}`],
    ]);
    await writeLog(join(dir, 'app.log'), 40, plant);
    await writeLog(join(dir, 'app.log.1.gz'), 40, plant, true);
    const at = located(await scanAll([dir]), dir)
      .map((h) => h.at)
      .sort();
    expect(at).toEqual([
      'app.log.1.gz:10:45',
      'app.log.1.gz:600000:59 (decoded: base64)',
      'app.log:10:45',
      'app.log:600000:59 (decoded: base64)',
    ]);
  });

  it(
    'splits a large log into ranges across workers and reports ' + 'exactly what one whole-file scan reports',
    async () => {
      // 64 KiB ranges over a ~1.3 MB log (20 ranges): planted lines straddle, start at and end at range
      // boundaries; an AWS key pair (a composite) and a PEM key span boundaries; allow pragmas sit
      // on the line before a boundary. Line numbers, columns, excerpts and counts must not change.
      const dir = tempDir('lr-ranges-');
      const lines: string[] = [];
      let bytes = 0;
      const push = (l: string) => {
        lines.push(l);
        bytes += l.length + 1;
      };
      for (let i = 0; bytes < 1_300_000; i++) {
        const next = Math.ceil((bytes + 1) / 65536) * 65536; // the next range boundary
        const gap = next - bytes;
        if (i % 41 === 0 && gap > 60 && gap < 400) {
          // land a token exactly across the boundary, then right after it
          push(`${'x'.repeat(gap - 30)} token ghp_` + token('{{github:ghp_}}', `cross-${i}`).slice(4));
          push(`ERROR clone https://x:${token('{{github:ghp_}}', `after-${i}`)}@github.com/a/b.git`);
        } else if (i % 53 === 0) {
          push('[default]');
          push(`aws_access_key_id = ${token('{{aws:AKIA}}', `pair-${i}`)}`);
          push(`aws_secret_access_key = ${token('{{b64:40}}', `pair-${i}`)}`);
        } else if (i % 97 === 0) {
          push(`key material: ${token('{{pem:RSA PRIVATE KEY}}', `pem-${i}`).split('\n').join('\n')}`);
        } else if (i % 89 === 0) {
          push('# leakradius:allow-next-line');
          push(`NPM_TOKEN=${token('{{npm}}', `allowed-${i}`)}`);
        } else if (i % 7 === 0) {
          push(`2026-11-28T06:00:00Z INFO request ${i} user_token=${token('{{github:ghp_}}', `repeat-${i % 5}`)} ok`);
        } else {
          push(
            `2026-11-28T06:00:00.${String(i % 1000).padStart(3, '0')}Z INFO GET /api/items/${i} 200 ` +
              `${'y'.repeat(i % 300)}`,
          );
        }
      }
      push(`last line, no newline after it: ${token('{{github:ghp_}}', 'last-line')}`);
      writeFiles(dir, { 'big.log': lines.join('\n') });
      // One line per location (rule, secret, place, excerpt) and one per finding (occurrences).
      const key = (r: ScanResult) =>
        (r.findings as Finding[])
          .flatMap((f) => [
            `${f.rule} ${f.fingerprint.slice(0, 12)} x${f.occurrences}`,
            ...f.locations.map(
              (l) => `${f.rule} ${f.fingerprint.slice(0, 12)} ${formatLocation(l).split('/').pop()} ${l.excerpt}`,
            ),
          ])
          .sort();
      const whole = await scan({ paths: [join(dir, 'big.log')], threads: 1 }).result;
      const split = await scan({ paths: [join(dir, 'big.log')], threads: 2, rangeBytes: 65536 }).result;
      expect(whole.findings.length).toBeGreaterThan(40);
      const [a, b] = [key(whole), key(split)];
      expect({ onlyWhole: a.filter((x) => !b.includes(x)), onlySplit: b.filter((x) => !a.includes(x)) }).toEqual({
        onlyWhole: [],
        onlySplit: [],
      });
      expect(split.stats.files).toBe(1);
      expect(split.stats.bytes).toBe(whole.stats.bytes);
    },
  );

  it('reads a gzip made of several members (logrotate appends) as one log', async () => {
    const dir = tempDir('lr-multi-gz-');
    const s = token('{{github:ghp_}}', 'multi');
    writeFiles(dir, {
      'app.log.2.gz': Buffer.concat([gzipSync('line 1\nline 2\n'), gzipSync(`line 3 token ${s}\n`)]),
    });
    expect(located(await scanAll([dir]), dir).map((h) => h.at)).toEqual(['app.log.2.gz:3:14']);
  });
});
