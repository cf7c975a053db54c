// Report formats read by other tools: each checked against what that tool reads (the published
// schema, a real validator) on a real scan, with hostile file names.

import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import Ajv from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { ROOT, cleanupTempDirs, runCli, tempDir, token } from './helpers.js';
import { GitRepo } from './git-repo.js';
import { CSV_COLUMNS } from '../src/report/csv.js';

afterAll(cleanupTempDirs);

/** A name a report must carry as text: XML, CSV, Markdown and HTML specials, and a formula. */
const HOSTILE = `=cmd|' x'!A1 <b>&"q"`;

/** A tree with two secrets, one in a file with a hostile name, one in a tarball. */
function tree() {
  const dir = tempDir('lr-formats-');
  const a = token('{{github:ghp_}}', 'formats-a');
  const b = token('{{github:ghp_}}', 'formats-b');
  mkdirSync(join(dir, 'config'), { recursive: true });
  writeFileSync(join(dir, 'config', `${HOSTILE}.env`), `# app\nGITHUB_TOKEN=${a}\n`);
  const staging = tempDir('lr-formats-tar-');
  writeFileSync(join(staging, 'deploy.sh'), `export GH=${b}\n`);
  execFileSync('tar', ['-czf', join(dir, 'release.tgz'), '-C', staging, 'deploy.sh']);
  return { dir, secrets: [a, b] };
}

async function report(format: string, args: string[], cwd?: string): Promise<string> {
  const r = await runCli(['scan', ...args, '--format', format], { cwd });
  expect(r.code, r.stderr).toBe(1);
  return r.stdout;
}

const xmllint = spawnSync('xmllint', ['--version']).status === 0;

describe('--format junit', () => {
  it.skipIf(!xmllint)(
    'validates against the JUnit XSD (Jenkins xunit junit-10) and escapes what it quotes',
    async () => {
      const { dir, secrets } = tree();
      const xml = await report('junit', [dir]);
      const file = join(tempDir(), 'report.xml');
      writeFileSync(file, xml);
      const lint = spawnSync('xmllint', ['--noout', '--schema', join(ROOT, 'test/fixtures/junit-10.xsd'), file], {
        encoding: 'utf8',
      });
      expect(lint.status, lint.stderr).toBe(0);
      expect(xml).toMatch(/<testsuite name="leakradius" tests="2" failures="2"/);
      expect(xml.match(/<testcase /g)).toHaveLength(2);
      expect(xml).toContain('classname="config/=cmd|&apos; x&apos;!A1 &lt;b&gt;&amp;&quot;q&quot;.env"');
      expect(xml).toContain('classname="release.tgz"');
      for (const s of secrets) expect(xml).not.toContain(s);
      // A clean scan is one passing test, so CI shows a green check rather than no tests.
      const clean = tempDir('lr-junit-clean-');
      const r = await runCli(['scan', clean, '--format', 'junit']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(
        /tests="1" failures="0".*<testcase classname="leakradius" name="no leaked credentials"\/>/s,
      );
    },
  );
});

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field), rows.push(row), (row = []), (field = ''), i++;
    } else field += ch;
  }
  return rows;
}

describe('--format csv', () => {
  it('writes one RFC 4180 row per finding, and a hostile name cannot become a formula', async () => {
    const { dir, secrets } = tree();
    const csv = await report('csv', [dir]);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(3);
    const col = (name: string) => CSV_COLUMNS.indexOf(name as (typeof CSV_COLUMNS)[number]);
    for (const r of rows.slice(1)) expect(r).toHaveLength(CSV_COLUMNS.length);
    const files = rows.slice(1).map((r) => r[col('file')]);
    expect(files).toContain(`config/${HOSTILE}.env`);
    expect(files).toContain('release.tgz!deploy.sh');
    const hostile = rows.find((r) => r[col('file')]!.startsWith('config/'))!;
    expect(hostile[col('line')]).toBe('2');
    expect(hostile[col('rule')]).toBe('github-classic-pat');
    for (const s of secrets) expect(csv).not.toContain(s);
    // A field that would start a formula is prefixed with ' (here: a file at the scan root).
    const root = tempDir('lr-csv-formula-');
    writeFileSync(join(root, '=HYPERLINK("x").env'), `T=${secrets[0]}\n`);
    const f = parseCsv(await report('csv', [root]));
    expect(f[1]![col('file')]).toBe(`'=HYPERLINK("x").env`);
  });
});

describe('--format gitlab', () => {
  const schema = JSON.parse(
    readFileSync(join(ROOT, 'test/fixtures/gitlab-secret-detection-report-format-15.2.1.json'), 'utf8'),
  );
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);

  it("validates against GitLab's secret-detection report schema (15.2.1), for files and for git history", async () => {
    const { dir, secrets } = tree();
    const files = JSON.parse(await report('gitlab', [dir]));
    expect(validate(files), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(files.version).toBe('15.2.1');
    expect(files.scan.type).toBe('secret_detection');
    expect(files.vulnerabilities).toHaveLength(2);
    const where = files.vulnerabilities.map(
      (v: { location: { file: string; start_line: number; commit: { sha: string } } }) => v.location,
    );
    expect(where).toContainEqual({
      file: `config/${HOSTILE}.env`,
      start_line: 2,
      end_line: 2,
      commit: { sha: '0000000' },
    });
    expect(JSON.stringify(files)).not.toContain(secrets[0]);
    // The description is Markdown on GitLab: nothing from the scan can format it.
    for (const v of files.vulnerabilities) expect(v.description).not.toMatch(/<b>|\*\*[^*]*<|\]\(/);

    const repo = GitRepo.init('lr-gitlab-');
    const secret = token('{{github:ghp_}}', 'gitlab-git');
    const sha = repo.commit('add config', { 'app.env': `TOKEN=${secret}\n` });
    const r = await runCli(['git', repo.dir, '--format', 'gitlab'], { env: repo.env });
    expect(r.code).toBe(1);
    const history = JSON.parse(r.stdout);
    expect(validate(history), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(history.vulnerabilities[0].location).toMatchObject({
      file: 'app.env',
      start_line: 1,
      commit: { sha, author: 'Ada Lovelace' },
    });
    // The raw extract (GitLab shows it as the code) only with --show-secrets.
    expect(r.stdout).not.toContain(secret);
    const shown = JSON.parse(
      (await runCli(['git', repo.dir, '--format', 'gitlab', '--show-secrets'], { env: repo.env })).stdout,
    );
    expect(shown.vulnerabilities[0].raw_source_code_extract).toBe(secret);
  });
});

describe('SARIF locations', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/sarif-schema-2.1.0.json'), 'utf8'));
  const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  type SarifLocation = { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } };
  interface Sarif {
    runs: Array<{
      originalUriBaseIds?: Record<string, { uri: string }>;
      results: Array<{ locations: Array<SarifLocation>; relatedLocations?: Array<SarifLocation> }>;
    }>;
  }
  const uris = (s: Sarif) => s.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation);

  it(
    'writes URIs relative to an absolute scan root, named in originalUriBaseIds, and plain relative ones for a ' +
      'relative root',
    async () => {
      const { dir } = tree();
      const abs = JSON.parse(await report('sarif', [dir])) as Sarif;
      expect(validate(abs), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
      for (const a of uris(abs)) {
        expect(a.uri).not.toMatch(/^\//);
        expect(a.uriBaseId).toBe('SCANROOT');
      }
      expect(
        uris(abs)
          .map((a) => a.uri)
          .sort(),
      ).toEqual(["config/%3Dcmd%7C'%20x'!A1%20%3Cb%3E%26%22q%22.env", 'release.tgz']);
      expect(abs.runs[0]!.originalUriBaseIds).toEqual({ SCANROOT: { uri: `file://${dir}/` } });
      // The base and the relative URI resolve to the file.
      const resolved = new URL(
        uris(abs).find((a) => a.uri.startsWith('config/'))!.uri,
        abs.runs[0]!.originalUriBaseIds!.SCANROOT!.uri,
      );
      expect(decodeURIComponent(resolved.pathname)).toBe(join(dir, 'config', `${HOSTILE}.env`));

      // Two absolute roots: one base each, and every URI resolves to its file.
      const other = tree().dir;
      const two = JSON.parse(await report('sarif', [dir, other])) as Sarif;
      expect(validate(two)).toBe(true);
      const bases = two.runs[0]!.originalUriBaseIds!;
      expect(Object.keys(bases).sort()).toEqual(['SCANROOT', 'SCANROOT2']);
      // The same secrets in both trees: one result each, the second tree's place a related location.
      const everywhere = two.runs[0]!.results.flatMap((r) => [...r.locations, ...(r.relatedLocations ?? [])]);
      const files = everywhere.map(({ physicalLocation: { artifactLocation: a } }) =>
        decodeURIComponent(new URL(a.uri, bases[a.uriBaseId!]!.uri).pathname),
      );
      for (const root of [dir, other]) expect(files).toContain(join(root, 'config', `${HOSTILE}.env`));

      const parent = join(dir, '..');
      const rel = JSON.parse(await report('sarif', [relative(parent, dir)], parent)) as Sarif;
      expect(validate(rel)).toBe(true);
      expect(rel.runs[0]!.originalUriBaseIds).toBeUndefined();
      for (const a of uris(rel)) expect(a.uriBaseId).toBeUndefined();
    },
  );

  // The Microsoft SARIF validator (npm @microsoft/sarif-multitool, a .NET build per platform).
  const multitool = (() => {
    try {
      const dir = join(createRequire(import.meta.url).resolve('@microsoft/sarif-multitool-linux/package.json'), '..');
      const bin = join(dir, 'Sarif.Multitool');
      // npm ci leaves it without the execute bit: its postinstall (which sets it) is not allowed to run.
      if (existsSync(bin)) chmodSync(bin, 0o755);
      return existsSync(bin) && spawnSync(bin, ['--version']).status === 0 ? bin : undefined;
    } catch {
      return undefined;
    }
  })();
  it.skipIf(!multitool)('passes the Microsoft SARIF validator from an absolute scan root', async () => {
    const { dir } = tree();
    const out = tempDir('lr-sarif-');
    const file = join(out, 'report.sarif');
    writeFileSync(file, await report('sarif', [dir]));
    const log = join(out, 'validation.sarif');
    spawnSync(multitool!, ['validate', file, '--output', log], { encoding: 'utf8', timeout: 110_000 });
    const found = (
      JSON.parse(readFileSync(log, 'utf8')) as {
        runs: Array<{ results: Array<{ ruleId: string; level?: string; message: { text?: string } }> }>;
      }
    ).runs[0]!.results;
    expect(
      found
        .filter((r) => r.level === 'error' || r.ruleId === 'SARIF1004')
        .map((r) => `${r.ruleId}: ${r.message.text}`),
    ).toEqual([]);
  });
});
