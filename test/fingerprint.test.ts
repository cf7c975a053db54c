// Issue 17.11: fingerprints published in reports and baselines cannot be reversed with a word
// list, old baselines keep suppressing what they accepted and are migrated when written again,
// and reports still merge. Real files, the real CLI.

import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupTempDirs, runCli, tempDir, token } from './helpers.js';

afterAll(cleanupTempDirs);

/** A short word list, as an attacker would try; the password is made of its words. */
const WORDS = ['correct', 'horse', 'battery', 'staple', 'summer', 'lemon', 'garden'];
const password = `${WORDS[0]}-${WORDS[1]}-${WORDS[2]}-${WORDS[3]}`;
const guesses = WORDS.flatMap((a) =>
  WORDS.flatMap((b) => WORDS.flatMap((c) => WORDS.map((d) => `${a}-${b}-${c}-${d}`))),
);
const sha256 = (rule: string, secret: string) => createHash('sha256').update(`${rule}\0${secret}`).digest('hex');

/** A directory with a word-shaped database password and a GitHub token; its own config home. */
function project(prefix: string): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = tempDir(prefix);
  writeFileSync(join(dir, 'app.env'), `DB_PASSWORD=${password}\nGITHUB_TOKEN=${token('{{github:ghp_}}', prefix)}\n`);
  return { dir, env: { XDG_CONFIG_HOME: join(dir, '..', `${prefix}config`) } };
}

interface JsonFinding {
  rule: string;
  fingerprint: string;
  redacted: string;
  locations: Array<{ excerpt?: string }>;
}
const jsonFindings = (stdout: string) => (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;

describe('fingerprints (17.11)', () => {
  it('cannot be reversed with sha256(rule \\0 word) in JSON, SARIF or a baseline; no password shows', async () => {
    const { dir, env } = project('lr-fp-dictionary-');
    const json = await runCli(['scan', join(dir, 'app.env'), '--format', 'json'], { env });
    const findings = jsonFindings(json.stdout);
    const pw = findings.find((f) => f.rule === 'generic-password')!;
    expect(pw).toBeDefined();
    const sarif = await runCli(['scan', join(dir, 'app.env'), '--format', 'sarif'], { env });
    const results = JSON.parse(sarif.stdout).runs[0].results as Array<{
      ruleId: string;
      partialFingerprints: Record<string, string>;
    }>;
    const baselineFile = join(dir, 'baseline.json');
    expect((await runCli(['baseline', 'scan', join(dir, 'app.env'), '--output', baselineFile], { env })).code).toBe(0);
    const baseline = JSON.parse(readFileSync(baselineFile, 'utf8')) as { findings: Array<{ fingerprint: string }> };

    const published = [
      ...findings.map((f) => f.fingerprint),
      ...results.flatMap((r) => Object.values(r.partialFingerprints)),
      ...baseline.findings.map((e) => e.fingerprint),
    ];
    expect(published.length).toBeGreaterThanOrEqual(6);
    const table = new Map(guesses.map((g) => [sha256('generic-password', g), g]));
    expect(guesses).toContain(password);
    expect(published.filter((fp) => table.has(fp))).toEqual([]);
    // Nothing of the password but its length.
    expect(pw.redacted).toBe(`…(${password.length} chars)`);
    expect(pw.locations[0]!.excerpt).toBe(`DB_PASSWORD=…(${password.length} chars)`);
  });

  it('are stable across runs, so reports of two scans still merge into one finding per credential', async () => {
    const { dir, env } = project('lr-fp-merge-');
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    await runCli(['scan', join(dir, 'app.env'), '--format', 'json', '--output', a], { env });
    await runCli(['scan', join(dir, 'app.env'), '--format', 'json', '--output', b], { env });
    const fa = jsonFindings(readFileSync(a, 'utf8')).map((f) => f.fingerprint);
    expect(jsonFindings(readFileSync(b, 'utf8')).map((f) => f.fingerprint)).toEqual(fa);
    const merged = await runCli(['merge', a, b, '--format', 'json'], { env });
    expect(merged.code).toBe(1);
    expect(
      jsonFindings(merged.stdout)
        .map((f) => f.fingerprint)
        .sort(),
    ).toEqual([...fa].sort());
  });

  it('are keyed per user unless LEAKRADIUS_FINGERPRINT_KEY gives one key to every machine', async () => {
    const { dir, env } = project('lr-fp-key-');
    const other = { XDG_CONFIG_HOME: join(dir, 'other-home') };
    const run = async (e: NodeJS.ProcessEnv) =>
      jsonFindings((await runCli(['scan', join(dir, 'app.env'), '--format', 'json'], { env: e })).stdout)
        .map((f) => f.fingerprint)
        .sort();
    expect(await run(env)).not.toEqual(await run(other));
    const shared = { LEAKRADIUS_FINGERPRINT_KEY: 'org-wide key kept in CI secrets' };
    expect(await run({ ...env, ...shared })).toEqual(await run({ ...other, ...shared }));
  });

  it('of a report made with --baseline are the ones the baseline lists, on any machine', async () => {
    const { dir, env } = project('lr-fp-baseline-key-');
    const file = join(dir, 'baseline.json');
    await runCli(['baseline', 'scan', join(dir, 'app.env'), '--output', file], { env });
    writeFileSync(join(dir, 'new.env'), `TOKEN=${token('{{github:ghp_}}', 'fp-new')}\n`);
    const listed = (JSON.parse(readFileSync(file, 'utf8')) as { findings: Array<{ fingerprint: string }> }).findings;
    const elsewhere = { XDG_CONFIG_HOME: join(dir, 'elsewhere') };
    const report = await runCli(['scan', dir, '--baseline', file, '--format', 'json'], { env: elsewhere });
    expect(report.code).toBe(1);
    const [fresh] = jsonFindings(report.stdout);
    // Accepting it by hand: its fingerprint, added to the file, suppresses it.
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.findings.push({ fingerprint: fresh!.fingerprint, rule: fresh!.rule });
    writeFileSync(file, JSON.stringify(doc));
    expect((await runCli(['scan', dir, '--baseline', file], { env: elsewhere })).code).toBe(0);
    expect(listed).toHaveLength(2);
  });
});

describe('version 1 baselines (sha256 of rule and secret)', () => {
  it('still suppress what they accepted, and are rewritten keyed when the baseline is written again', async () => {
    const { dir, env } = project('lr-fp-migrate-');
    const gh = token('{{github:ghp_}}', 'lr-fp-migrate-');
    const gone = sha256('github-classic-pat', token('{{github:ghp_}}', 'removed since'));
    const accepted = [sha256('generic-password', password), sha256('github-classic-pat', gh), gone];
    const file = join(dir, '.leakradius-baseline.json');
    const v1 = {
      version: 1,
      tool: 'leakradius',
      findings: accepted.map((fingerprint) => ({ fingerprint, rule: 'x' })),
    };
    writeFileSync(file, JSON.stringify(v1));
    const scanned = await runCli(['scan', join(dir, 'app.env'), '--baseline', file], { env });
    expect(scanned.code).toBe(0);
    expect(scanned.stderr).toContain('3 entries use version 1 fingerprints');

    const written = await runCli(['baseline', 'scan', join(dir, 'app.env'), '--output', file], { env });
    expect(written.code).toBe(0);
    expect(written.stderr).toContain('2 version 1 entries rewritten with keyed fingerprints');
    expect(written.stderr).toContain('1 not found by this scan kept in the version 1 form');
    const text = readFileSync(file, 'utf8');
    const doc = JSON.parse(text) as { version: number; salt: string; findings: Array<Record<string, string>> };
    expect(doc.version).toBe(2);
    expect(doc.salt).toMatch(/^[0-9a-f]{64}$/);
    expect(text).not.toContain(accepted[0]);
    expect(text).not.toContain(accepted[1]);
    expect(doc.findings).toContainEqual({ legacy: gone, rule: 'x' });
    const again = await runCli(['scan', join(dir, 'app.env'), '--baseline', file], { env });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('1 entry uses version 1 fingerprints');
    // Written again: the same salt, the same bytes.
    await runCli(['baseline', 'scan', join(dir, 'app.env'), '--output', file], { env });
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});
