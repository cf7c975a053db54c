// `leakradius merge`: reports of real scans of three repositories, one credential leaked in all three.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, runCli, tempDir, token } from './helpers.js';
import { GitRepo } from './git-repo.js';
import { mergeReports } from '../src/dedupe/merge.js';

interface JsonFinding {
  fingerprint: string;
  provider: string;
  occurrences: number;
  locations: Array<{ kind: string; path: string; source?: string; commit?: string }>;
  firstSeen?: { date: string };
  scope: { status: string; identity?: string };
  blast: { basis: string; score: number };
}
interface JsonReport {
  scan?: { target: string; startedAt: string };
  stats: { files: number; lookups?: unknown };
  findings: JsonFinding[];
}

const shared = token('{{github:ghp_}}', 'merge-shared');
const own = {
  api: token('glpat-{{an:20}}', 'merge-api'),
  web: token('sk_live_{{an:24}}', 'merge-web'),
  infra: token('xoxb-{{digits:12}}-{{digits:13}}-{{an:24}}', 'merge-infra'),
};

describe('merge', () => {
  let out: string;
  const reports: Record<string, JsonReport> = {};

  beforeAll(async () => {
    out = tempDir('lr-merge-');
    for (const [name, secret] of Object.entries(own)) {
      const repo = GitRepo.init(`lr-merge-${name}-`);
      repo.commit('config', { [`${name}/settings.env`]: `OWN=${secret}\n` });
      repo.commit('ci', { '.ci/deploy.sh': `export GH_TOKEN=${shared}\n` });
      // One fingerprint key for every scan (as the README's workflow sets it): one credential, one fingerprint.
      const r = await runCli(['git', repo.dir, '--format', 'json', '-o', join(out, `${name}.json`)], {
        env: { ...repo.env, LEAKRADIUS_FINGERPRINT_KEY: 'merge-test-organisation-key' },
      });
      expect(r.code, r.stderr).toBe(1);
      reports[name] = JSON.parse(readFileSync(join(out, `${name}.json`), 'utf8')) as JsonReport;
    }
  });
  afterAll(cleanupTempDirs);

  it('gives one credential leaked in three repositories one row with all three locations', async () => {
    const r = await runCli([
      'merge',
      ...['api', 'web', 'infra'].map((n) => join(out, `${n}.json`)),
      '--format',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(1);
    const merged = JSON.parse(r.stdout) as JsonReport;
    expect(merged.findings).toHaveLength(4);
    const github = merged.findings.filter((f) => f.provider === 'github');
    expect(github).toHaveLength(1);
    expect(github[0]!.occurrences).toBe(3);
    expect(github[0]!.locations.map((l) => `${l.source}:${l.path}`).sort()).toEqual([
      'api:.ci/deploy.sh',
      'infra:.ci/deploy.sh',
      'web:.ci/deploy.sh',
    ]);
    expect(new Set(github[0]!.locations.map((l) => l.commit)).size).toBe(3);
    for (const f of merged.findings.filter((x) => x.provider !== 'github')) expect(f.locations).toHaveLength(1);
    expect(merged.stats.files).toBe(reports.api!.stats.files + reports.web!.stats.files + reports.infra!.stats.files);
    expect(merged.scan?.target).toMatch(/^3 reports: api \(.*\), web \(.*\), infra \(.*\)$/);
    expect(JSON.stringify(merged)).not.toContain(shared);
  });

  it(
    'writes the merged picture in any format: text names the scan ' + 'of each location, HTML one row per credential',
    async () => {
      const files = ['api', 'web', 'infra'].map((n) => join(out, `${n}.json`));
      const text = await runCli(['merge', ...files]);
      expect(text.stdout).toMatch(/api: [0-9a-f]{12}:\.ci\/deploy\.sh:1:/);
      expect(text.stdout).toMatch(/infra: [0-9a-f]{12}:\.ci\/deploy\.sh:1:/);
      const html = join(out, 'all.html');
      const h = await runCli(['merge', ...files, '--format', 'html', '-o', html]);
      expect(h.code, h.stderr).toBe(1);
      const page = readFileSync(html, 'utf8');
      expect(page.match(/<tr id="row-f\d+"/g)).toHaveLength(4);
      expect(page).toMatch(/<code>(api|web|infra): \.ci\/deploy\.sh<\/code> <span class="muted">\+2 more<\/span>/);
      expect(page).toContain('<th scope="col">Scan</th>');
      const sarif = await runCli(['merge', ...files, '--format', 'sarif']);
      expect((JSON.parse(sarif.stdout) as { runs: Array<{ results: unknown[] }> }).runs[0]!.results).toHaveLength(4);
    },
  );

  it('keeps one lookup per credential: a looked-up scope beats an inferred one, the newest lookup wins', () => {
    const fp = reports.api!.findings.find((f) => f.provider === 'github')!.fingerprint;
    const withScope = (name: string, status: string, identity: string, startedAt: string) => {
      const doc = structuredClone(reports[name]!);
      doc.scan = { target: name, startedAt };
      const f = doc.findings.find((x) => x.fingerprint === fp)!;
      f.scope = { ...f.scope, status, identity };
      f.blast = { ...f.blast, basis: 'lookup' };
      return { label: name, text: JSON.stringify(doc) };
    };
    const inferred = { label: 'infra', text: JSON.stringify(reports.infra) };
    const older = withScope('api', 'live', 'octo-old', '2026-01-01T00:00:00Z');
    const newer = withScope('web', 'revoked', 'octo-new', '2026-02-01T00:00:00Z');
    for (const order of [
      [inferred, older, newer],
      [newer, inferred, older],
      [older, newer, inferred],
    ]) {
      const f = mergeReports(order).result.findings.find((x) => x.fingerprint === fp)!;
      expect(f.scope.status).toBe('revoked');
      expect(f.scope.identity).toBe('octo-new');
      expect(f.locations).toHaveLength(3);
    }
  });

  it(
    'expands a quoted glob of reports itself (shells that do not expand globs, or ** in CI), and names one that ' +
      'matches none',
    async () => {
      const r = await runCli(['merge', join(out, '*.json'), '--format', 'json']);
      expect(r.code, r.stderr).toBe(1);
      const merged = JSON.parse(r.stdout) as JsonReport;
      expect(merged.scan?.target).toMatch(/^3 reports: api \(.*\), infra \(.*\), web \(.*\)$/);
      const none = await runCli(['merge', join(out, 'nothing-*.json')]);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain(`no report matches ${join(out, 'nothing-*.json')}`);
    },
  );

  it('refuses a file that is not a leakradius JSON report, naming it (exit 2)', async () => {
    const bad = join(out, 'scan.sarif');
    writeFileSync(bad, JSON.stringify({ version: '2.1.0', runs: [] }));
    const r = await runCli(['merge', join(out, 'api.json'), bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}: not a leakradius JSON report (schema 1): schemaVersion`);
    const missing = await runCli(['merge', join(out, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read the report');
  });
});
