import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chmodSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
  unlinkSync,
  openSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { defaultRulesDir, loadRulesFromDir } from '../src/detect/rules.js';
import { expandTemplate } from '../src/detect/template.js';
import { scan } from '../src/scan/scan.js';
import { ROOT, cleanupTempDirs, runCli, tempDir, token } from './helpers.js';

const rules = loadRulesFromDir(defaultRulesDir());

interface JsonReport {
  findings: Array<{
    rule: string;
    alsoMatched?: string[];
    secret?: string;
    redacted: string;
    occurrences: number;
    locations: Array<{ path: string; line: number; column: number }>;
  }>;
  stats: { files: number; binarySkipped: number; unreadable: number };
  warnings: Array<{ subject: string; message: string }>;
}

function position(text: string, needle: string) {
  const idx = text.indexOf(needle);
  const before = text.slice(0, idx);
  return { line: before.split('\n').length, column: [...before.slice(before.lastIndexOf('\n') + 1)].length + 1 };
}

describe('scan: one planted secret per rule', () => {
  let dir: string;
  const planted = new Map<string, string>(); // file → rule id
  beforeAll(() => {
    dir = tempDir('lr-planted-');
    // Part-only rules (a Twilio account SID, a user name) are never reported alone: only as part
    // of a composite, which has its own planted file. Path rules need their own file names:
    // test/path-rules.test.ts plants them.
    for (const rule of rules.filter((r) => r.reportAlone !== false && r.path === undefined)) {
      const example = expandTemplate(rule.examples[0]!, `${rule.id}#0`);
      const file = `${rule.id}.txt`;
      writeFileSync(join(dir, file), `# fixture for ${rule.provider}\n\n${example}\n`);
      planted.set(file, rule.id);
    }
  });
  afterAll(cleanupTempDirs);

  it("finds each rule's secret at the right line and column (json)", async () => {
    const r = await runCli(['scan', dir, '--format', 'json', '--show-secrets']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    // A rule's example may hold a whole composite (an AWS key id next to its secret): then the
    // composite that has the rule as a part is the one finding for that file.
    const composites = new Map(rules.filter((r) => r.composite).map((r) => [r.id, r.composite!.parts]));
    const covers = (found: string, ruleId: string) =>
      found === ruleId || (composites.get(found)?.includes(ruleId) ?? false);
    // Or the same secret at the same place was reported once by another rule that lists this one (alsoMatched).
    const reports = (f: JsonReport['findings'][number], ruleId: string) =>
      covers(f.rule, ruleId) || (f.alsoMatched?.includes(ruleId) ?? false);
    for (const [file, ruleId] of planted) {
      const hits = report.findings.filter((f) => reports(f, ruleId) && f.locations.some((l) => l.path.endsWith(file)));
      // Found, and each secret once (an example may hold two: Mailjet's API key and secret key).
      expect(hits.length, `${ruleId} in ${file}`).toBeGreaterThanOrEqual(1);
      expect(new Set(hits.map((h) => h.secret)).size, `${ruleId} in ${file}`).toBe(hits.length);
      const text = readFileSync(join(dir, file), 'utf8');
      for (const hit of hits) {
        const locs = hit.locations.filter((l) => l.path.endsWith(file));
        expect(locs, `${ruleId}: one location per secret`).toHaveLength(1);
        // A composite's secret is its parts joined by newlines; it is reported at its first part in the text.
        const parts = hit.secret!.split('\n');
        const first = parts.map((p) => position(text, p)).sort((x, y) => x.line - y.line || x.column - y.column)[0]!;
        expect({ line: locs[0]!.line, column: locs[0]!.column }, ruleId).toEqual(first);
      }
    }
  });

  it('reports the same findings in text and sarif, and the SARIF validates against the 2.1.0 schema', async () => {
    const json = JSON.parse((await runCli(['scan', dir, '--format', 'json'])).stdout) as JsonReport;
    const text = (await runCli(['scan', dir, '--format', 'text'])).stdout;
    const out = join(tempDir(), 'out.sarif');
    const s = await runCli(['scan', dir, '--format', 'sarif', '--output', out]);
    expect(s.code).toBe(1);
    const sarif = JSON.parse(readFileSync(out, 'utf8'));
    const schema = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/sarif-schema-2.1.0.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const results = sarif.runs[0].results as Array<{
      ruleId: string;
      partialFingerprints: Record<string, string>;
      locations: Array<{ physicalLocation: { region: { startLine: number } } }>;
    }>;
    expect(results).toHaveLength(json.findings.length);
    for (const f of json.findings) {
      expect(text).toContain(`[${f.rule}]`);
      expect(results.some((x) => x.ruleId === f.rule)).toBe(true);
    }
    expect(results.every((x) => /^[0-9a-f]{64}$/.test(x.partialFingerprints['leakradius/v2']!))).toBe(true);
    expect(text).toMatch(/\d+ findings in \d+ files \([\d.]+ MB\) in [\d.]+ s/);
  });

  it('never prints a full secret in any format, to stdout, stderr or a file, unless --show-secrets', async () => {
    const secrets = (
      JSON.parse((await runCli(['scan', dir, '--format', 'json', '--show-secrets'])).stdout) as JsonReport
    ).findings.map((f) => f.secret!);
    expect(secrets.length).toBeGreaterThanOrEqual(planted.size);
    const outDir = tempDir();
    for (const format of ['text', 'json', 'sarif']) {
      const file = join(outDir, `report.${format}`);
      const a = await runCli(['scan', dir, '--format', format]);
      const b = await runCli(['scan', dir, '--format', format, '--output', file]);
      const written = readFileSync(file, 'utf8');
      for (const secret of secrets) {
        for (const blob of [a.stdout, a.stderr, b.stdout, b.stderr, written])
          expect(blob.includes(secret), `${format} leaks ${secret.slice(0, 8)}…`).toBe(false);
      }
    }
    // The check can fail: with --show-secrets the secrets are there.
    const shown = await runCli(['scan', dir, '--format', 'text', '--show-secrets']);
    expect(secrets.every((s) => shown.stdout.includes(s))).toBe(true);
  });
});

describe('scan: bad input', () => {
  afterAll(cleanupTempDirs);
  const tok = token('{{github:ghp_}}', 'bad-input');
  const isRoot = process.getuid?.() === 0;

  async function json(args: string[], opts = {}) {
    const r = await runCli([...args, '--format', 'json'], opts);
    return { ...r, report: r.stdout ? (JSON.parse(r.stdout) as JsonReport) : undefined };
  }

  it('exits 2 and names a path that does not exist', async () => {
    const r = await runCli(['scan', '/no/such/place']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('path does not exist: /no/such/place');
  });

  it('exits 2 on an unknown --format and lists the choices', async () => {
    const r = await runCli(['scan', '.', '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/format.*xml.*text.*json.*sarif/s);
  });

  it('suggests the right command for a typo and exits 2', async () => {
    const r = await runCli(['scna', '.']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Did you mean scan?');
  });

  it('warns about an unreadable file and directory and goes on', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ok.env'), `TOKEN=${tok}\n`);
    writeFileSync(join(dir, 'locked.env'), `TOKEN=${token('{{github:ghp_}}', 'locked')}\n`);
    mkdirSync(join(dir, 'closed'));
    writeFileSync(join(dir, 'closed', 'x.env'), 'x');
    chmodSync(join(dir, 'locked.env'), 0o000);
    chmodSync(join(dir, 'closed'), 0o000);
    // Root reads everything: run the scan without the capabilities that bypass file permissions
    // (a user switch would also need read access to wherever this checkout lives).
    const opts = isRoot ? { wrapper: ['setpriv', '--bounding-set', '-dac_override,-dac_read_search', '--'] } : {};
    const r = await json(['scan', dir], opts);
    expect(r.code).toBe(1);
    expect(r.report!.findings.map((f) => f.rule)).toEqual(['github-classic-pat']);
    expect(r.stderr).toMatch(/locked\.env: cannot read \(EACCES/);
    expect(r.stderr).toMatch(/closed: cannot read directory \(EACCES/);
    expect(r.report!.stats.unreadable).toBe(1);
  });

  it('warns about a broken symlink, survives a symlink loop and scans a linked file', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'a'));
    writeFileSync(join(dir, 'a', 'real.env'), `TOKEN=${tok}\n`);
    symlinkSync(join(dir, 'nowhere'), join(dir, 'broken'));
    symlinkSync(dir, join(dir, 'a', 'loop'));
    symlinkSync(join(dir, 'a', 'real.env'), join(dir, 'link.env'));
    const r = await json(['scan', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken: broken symbolic link/);
    const f = r.report!.findings;
    expect(f).toHaveLength(1);
    expect(f[0]!.occurrences).toBe(1); // read once, at the file (not the link); the loop is not followed
  });

  it('handles an empty file, a binary file and non-UTF-8 bytes', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'empty.txt'), '');
    writeFileSync(
      join(dir, 'image.bin'),
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), Buffer.from(tok)]),
    );
    writeFileSync(
      join(dir, 'latin1.txt'),
      Buffer.concat([Buffer.from([0xe9, 0xff, 0xfe, 0x0a]), Buffer.from(`key: ${tok}\n`)]),
    );
    const r = await json(['scan', dir]);
    expect(r.code).toBe(1);
    expect(r.report!.stats.binarySkipped).toBe(1);
    expect(r.report!.findings[0]!.locations[0]).toMatchObject({ line: 2, column: 6 });
    const text = await runCli(['scan', dir]);
    expect(text.stdout).toMatch(/1 binary skipped/);
  });

  it('finds a secret at the end of a 200 MB single-line file, with its column', async () => {
    const dir = tempDir();
    const file = join(dir, 'bundle.min.js');
    const fd = openSync(file, 'w');
    const block = Buffer.from('var a=1;'.repeat(128 * 1024)); // 1 MiB
    for (let i = 0; i < 200; i++) writeSync(fd, block);
    writeSync(fd, `var t="${tok}";`);
    closeSync(fd);
    const r = await json(['scan', dir]);
    expect(r.code).toBe(1);
    expect(r.report!.findings[0]!.locations[0]).toMatchObject({ line: 1, column: 200 * block.length + 8 });
  }, 120_000);

  it('warns about a file deleted during the scan and goes on', async () => {
    const dir = tempDir();
    for (let i = 0; i < 10; i++) writeFileSync(join(dir, `f${i}.env`), i === 0 ? `TOKEN=${tok}\n` : 'nothing\n');
    const warnings: string[] = [];
    let deleted = false;
    const run = scan({
      paths: [dir],
      threads: 1,
      onWarning: (w) => warnings.push(`${w.subject}: ${w.message}`),
      onProgress: () => {
        if (!deleted) {
          deleted = true;
          for (let i = 1; i < 10; i++) unlinkSync(join(dir, `f${i}.env`));
        }
      },
    });
    const result = await run.result;
    expect(deleted).toBe(true);
    expect(warnings.some((w) => /ENOENT/.test(w))).toBe(true);
    expect(result.findings).toHaveLength(1);
  });

  it('exits 2 naming the file and rule for an invalid rule', async () => {
    const rulesDir = tempDir();
    writeFileSync(
      join(rulesDir, 'bad.yml'),
      'rules:\n  - id: broken-rule\n    name: Broken\n    pattern: "(unclosed"\n    keywords: [abc]\n    examples: ' +
        '[abc]\n    negative_examples: [x]\n',
    );
    const r = await runCli(['scan', '.', '--rules', rulesDir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yml: rule "broken-rule": pattern does not compile/);
    writeFileSync(
      join(rulesDir, 'bad.yml'),
      'rules:\n  - id: weak-rule\n    name: Weak\n    pattern: "(abc[0-9]{4})"\n    keywords: [abc]\n    examples: ' +
        '["abcd"]\n    negative_examples: [x]\n',
    );
    const e = await runCli(['scan', '.', '--rules', rulesDir]);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/bad\.yml: rule "weak-rule": example 1 does not match/);
  });

  it('exits 2 naming the file, key and expectation for an invalid config', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.leakradius.yml'), 'allow:\n  regexes: "not-a-list"\n');
    const r = await runCli(['scan', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.leakradius\.yml: allow\.regexes: Expected array, received string/);
    const c = await runCli(['scan', dir, '--config', join(dir, 'missing.yml')]);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('config file not found');
  });

  it('applies a config: disabled rules, allowed paths and extra rules', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.env'), `TOKEN=${tok}\nINTERNAL=corp_${token('{{hex:24}}', 'corp')}\n`);
    mkdirSync(join(dir, 'fixtures'));
    writeFileSync(join(dir, 'fixtures', 'b.env'), `TOKEN=${token('{{github:ghp_}}', 'fixture')}\n`);
    writeFileSync(
      join(dir, '.leakradius.yml'),
      [
        'allow:',
        '  paths: [fixtures]',
        'rules:',
        '  - id: corp-internal-token',
        '    name: Corp internal token',
        "    pattern: '\\b(corp_[0-9a-f]{24})\\b'",
        '    keywords: [corp_]',
        "    examples: ['x=corp_{{hex:24}}']",
        "    negative_examples: ['corp_123']",
      ].join('\n'),
    );
    const r = await json(['scan', dir]);
    expect(r.report!.findings.map((f) => f.rule).sort()).toEqual(['corp-internal-token', 'github-classic-pat']);
    writeFileSync(join(dir, '.leakradius.yml'), 'disabled_rules: [github-classic-pat]\n');
    const d = await json(['scan', dir]);
    expect(d.report!.findings.map((f) => f.rule)).not.toContain('github-classic-pat');
  });

  it('streams stdin and reports the stdin location', async () => {
    const r = await json(['scan', '-'], { input: `hello\nexport GITHUB_TOKEN=${tok}\n` });
    expect(r.code).toBe(1);
    expect(r.report!.findings[0]!.locations[0]).toMatchObject({ kind: 'stdin', line: 2, column: 21 });
  });

  it('exits 0 on a clean tree and uses worker threads on a large one', async () => {
    const dir = tempDir();
    for (let i = 0; i < 200; i++) writeFileSync(join(dir, `clean${i}.js`), `export const v${i} = ${i};\n`);
    const clean = await runCli(['scan', dir, '--threads', '2']);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/0 findings in 200 files/);
    writeFileSync(join(dir, 'clean150.js'), `export const t = "${tok}";\n`);
    const dirty = await json(['scan', dir, '--threads', '2']);
    expect(dirty.code).toBe(1);
    expect(dirty.report!.findings[0]!.locations[0]!.path).toMatch(/clean150\.js$/);
  });
});
