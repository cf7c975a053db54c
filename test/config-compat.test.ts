// --config with a gitleaks TOML config or a detect-secrets .secrets.baseline: real files, real scans.

import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scan } from '../src/scan/scan.js';
import { loadConfig } from '../src/config/config.js';
import { configKind, detectSecretsHash } from '../src/config/compat.js';
import { UsageError } from '../src/errors.js';
import type { Warning } from '../src/types.js';
import { ROOT, cleanupTempDirs, tempDir, token } from './helpers.js';

afterAll(cleanupTempDirs);

/** A rules dir with only the generic rules, so these tests do not depend on provider rule files. */
function rulesDir(): string {
  const d = tempDir('lr-compat-rules-');
  for (const f of ['generic.yml', 'config-files.yml']) copyFileSync(join(ROOT, 'rules', f), join(d, f));
  return d;
}

async function run(dir: string, config: string) {
  const warnings: Warning[] = [];
  const result = await scan({
    paths: [dir],
    config,
    rulesDir: rulesDir(),
    threads: 1,
    lookup: false,
    onWarning: (w) => warnings.push(w),
  }).result;
  const found = result.findings.map((f) => ({
    rule: f.rule,
    secret: (f as unknown as { secret: string }).secret,
    path: f.locations[0]!.kind === 'file' ? f.locations[0]!.path : '',
  }));
  return { found, warnings: warnings.map((w) => w.message) };
}

const CORP = (seed: string) => `corp_${token('{{hex:24}}', seed)}`;

describe('gitleaks config', () => {
  it(
    'runs custom [[rules]] with secretGroup, keywords and entropy, ' + 'and applies [allowlist] and [[allowlists]]',
    async () => {
      const dir = tempDir('lr-gl-');
      const good = CORP('a');
      const stop = `corp_fixture${token('{{hex:12}}', 'b')}`;
      const allowedByRegex = `corp_${'0'.repeat(4)}${token('{{hex:20}}', 'c')}`;
      writeFileSync(join(dir, 'app.env'), `CORP_TOKEN=${good}\nOTHER=${stop}\nTHIRD=${allowedByRegex}\n`);
      mkdirSync(join(dir, 'vendor'));
      writeFileSync(join(dir, 'vendor', 'lib.env'), `CORP_TOKEN=${CORP('d')}\n`);
      const cfg = join(dir, 'gitleaks.toml');
      writeFileSync(
        cfg,
        `title = "corp"
[extend]
useDefault = true

[[rules]]
id = "corp-token"
description = "Corp internal token"
regex = '''(?i)\\b(?:corp_token|other|third)\\s*=\\s*(corp_[0-9a-z]{24})\\b'''
secretGroup = 1
entropy = 2.0
keywords = ["corp_"]
tags = ["internal"]

[[rules]]
id = "corp-path-only"
path = '''\\.corp$'''

[allowlist]
description = "vendored code"
paths = ['''(^|/)vendor/''']
stopwords = ["fixture"]

[[allowlists]]
regexes = ['''^corp_0000''']
commits = ["abc123"]
`,
      );
      const { found, warnings } = await run(dir, cfg);
      const corp = found.filter((f) => f.rule === 'gitleaks-corp-token');
      expect(corp.map((f) => f.secret)).toEqual([good]);
      expect(corp[0]!.path).toContain('app.env');
      expect(warnings.some((w) => w.includes('corp-path-only') && w.includes('path-only'))).toBe(true);
      expect(warnings.some((w) => w.includes('allowlists.0.commits'))).toBe(true);
      expect(warnings.some((w) => w.includes('useDefault'))).toBe(false);
    },
  );

  it('warns that built-in rules still run without [extend] useDefault, and names unknown keys', () => {
    const dir = tempDir('lr-gl-');
    const cfg = join(dir, '.gitleaks.toml');
    writeFileSync(
      cfg,
      `[[rules]]\nid = "x"\nregex = '''x_[a-z]{8}'''\nreport = true\n\n[extend]\npath = "other.toml"\n`,
    );
    const c = loadConfig(cfg);
    expect(c.rules).toHaveLength(1);
    expect(c.rules[0]!.secretGroup).toBe(0);
    expect(c.warnings!.join('\n')).toMatch(/useDefault/);
    expect(c.warnings!.join('\n')).toMatch(/extend\.path/);
    expect(c.warnings!.join('\n')).toMatch(/report is not supported/);
  });

  it('is an error naming the file for invalid TOML or a regex RE2 cannot compile', () => {
    const dir = tempDir('lr-gl-');
    const bad = join(dir, 'bad.toml');
    writeFileSync(bad, '[[rules]\nid = 1\n');
    expect(() => loadConfig(bad)).toThrow(UsageError);
    expect(() => loadConfig(bad)).toThrow(/bad\.toml: invalid TOML/);
    writeFileSync(bad, `[[rules]]\nid = "y"\nregex = '''(?<=a)b'''\n`);
    expect(() => loadConfig(bad)).toThrow(/rules\.0\.regex: not a valid RE2 pattern/);
  });

  it('finds .gitleaks.toml at the scan root when there is no .leakradius.yml', async () => {
    const dir = tempDir('lr-gl-');
    const good = CORP('e');
    writeFileSync(join(dir, 'a.txt'), `key: ${good}\n`);
    writeFileSync(
      join(dir, '.gitleaks.toml'),
      `[extend]\nuseDefault = true\n[[rules]]\nid = "corp"\nregex = '''corp_[0-9a-f]{24}'''\nkeywords = ["corp_"]\n`,
    );
    const result = await scan({ paths: [dir], rulesDir: rulesDir(), threads: 1, lookup: false }).result;
    expect(result.findings.map((f) => f.rule)).toContain('gitleaks-corp');
  });
});

describe('detect-secrets baseline', () => {
  it(
    'does not report secrets listed by hashed_secret (sha1), applies file and secret exclusions, names unsupported ' +
      'filters',
    async () => {
      const dir = tempDir('lr-ds-');
      const known = token('{{an:14}}9', 'known');
      const fresh = token('{{an:14}}8', 'fresh');
      writeFileSync(join(dir, 'settings.py'), `DB_PASSWORD = "${known}"\nADMIN_PASSWORD = "${fresh}"\n`);
      mkdirSync(join(dir, 'tests'));
      writeFileSync(join(dir, 'tests', 'conf.py'), `password = "${token('{{an:14}}7', 'test')}"\n`);
      writeFileSync(join(dir, 'other.py'), `password = "skip${token('{{an:10}}6', 'skip')}"\n`);
      const baseline = join(dir, '.secrets.baseline');
      writeFileSync(
        baseline,
        JSON.stringify({
          version: '1.5.0',
          plugins_used: [{ name: 'KeywordDetector' }, { name: 'Base64HighEntropyString', limit: 4.5 }],
          filters_used: [
            { path: 'detect_secrets.filters.allowlist.is_line_allowlisted' },
            { path: 'detect_secrets.filters.heuristic.is_templated_secret' },
            { path: 'detect_secrets.filters.regex.should_exclude_file', pattern: ['^tests/'] },
            { path: 'detect_secrets.filters.regex.should_exclude_secret', pattern: ['^skip'] },
            { path: 'detect_secrets.filters.regex.should_exclude_line', pattern: ['noqa'] },
          ],
          results: {
            'settings.py': [
              {
                type: 'Secret Keyword',
                filename: 'settings.py',
                hashed_secret: detectSecretsHash(known),
                is_verified: false,
                line_number: 1,
              },
            ],
          },
          generated_at: '2025-01-01T00:00:00Z',
        }),
      );
      expect(configKind(baseline, '')).toBe('detect-secrets');
      const { found, warnings } = await run(dir, baseline);
      expect(found.map((f) => f.secret)).toEqual([fresh]);
      expect(warnings.some((w) => w.includes('should_exclude_line'))).toBe(true);
      expect(warnings.some((w) => w.includes('is_templated_secret'))).toBe(false);
    },
  );

  it('is an error naming the file for a malformed hashed_secret', () => {
    const dir = tempDir('lr-ds-');
    const baseline = join(dir, '.secrets.baseline');
    writeFileSync(baseline, JSON.stringify({ results: { 'a.py': [{ hashed_secret: 'nope' }] } }));
    expect(() => loadConfig(baseline)).toThrow(/\.secrets\.baseline: results\["a\.py"\]\[0\]\.hashed_secret/);
  });
});
