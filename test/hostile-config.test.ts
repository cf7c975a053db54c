// Issue 17 (hostile input): config and baseline files that a scanned repository holds. A committed
// symlink to the runner's credentials is not read (17.16), no config error quotes the file's text
// (17.16), and an auto-loaded config has a size limit (17.28). Real files, the real CLI.

import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupTempDirs, runCli, tempDir, token } from './helpers.js';

afterAll(cleanupTempDirs);

const keyId = token('{{aws:AKIA}}', 'cfg-key-id');
const secretKey = token('{{b64:40}}', 'cfg-secret');
/** The runner's own credentials file, as the AWS CLI writes it. */
const credentials = `[default]\naws_access_key_id = ${keyId}\naws_secret_access_key = ${secretKey}\n`;

/** No part of the credentials in what the CLI printed: not the key id, not the secret's first 8 characters. */
function expectNoCredential(text: string): void {
  expect(text).not.toContain(keyId);
  expect(text).not.toContain(keyId.slice(4, 12));
  expect(text).not.toContain(secretKey.slice(0, 8));
}

/** A repository directory with one clean file, and a home directory beside it. */
function layout(prefix: string): { repo: string; home: string } {
  const dir = tempDir(prefix);
  const repo = join(dir, 'repo');
  const home = join(dir, 'home');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(join(home, '.aws'), { recursive: true });
  writeFileSync(join(repo, 'readme.txt'), 'nothing secret\n');
  writeFileSync(join(home, '.aws', 'credentials'), credentials);
  return { repo, home };
}

describe('config files a repository holds (17.16, 17.28)', () => {
  for (const name of ['.leakradius.yml', '.gitleaks.toml', '.secrets.baseline']) {
    it(`does not read a committed ${name} that links to a file outside the repository`, async () => {
      const { repo, home } = layout('lr-cfg-link-');
      symlinkSync(join(home, '.aws', 'credentials'), join(repo, name));
      const r = await runCli(['scan', repo]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(name);
      expect(r.stderr).toContain('symbolic link to a file outside');
      expectNoCredential(r.stdout + r.stderr);
    });
  }

  it('does not read a baseline that links outside the repository (--baseline, the Action input)', async () => {
    const { repo, home } = layout('lr-baseline-link-');
    symlinkSync(join(home, '.aws', 'credentials'), join(repo, '.leakradius-baseline.json'));
    const r = await runCli(['scan', repo, '--baseline', join(repo, '.leakradius-baseline.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('symbolic link to a file outside');
    expectNoCredential(r.stdout + r.stderr);
  });

  it('reads a config that links to a file inside the same repository', async () => {
    const { repo } = layout('lr-cfg-inside-');
    mkdirSync(join(repo, 'config'));
    writeFileSync(join(repo, 'config', 'leakradius.yml'), 'exclude: ["*.txt"]\n');
    symlinkSync('config/leakradius.yml', join(repo, '.leakradius.yml'));
    const r = await runCli(['scan', repo]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^0 findings in /);
  });

  // Each: a broken config holding a credential, and what the error must still say.
  const broken: Array<[string, string, string, RegExp]> = [
    ['YAML syntax', '.leakradius.yml', credentials, /\.leakradius\.yml: invalid YAML at line 2, column 1/],
    ['TOML syntax', '.gitleaks.toml', credentials, /\.gitleaks\.toml: invalid TOML at line 2/],
    [
      'JSON syntax',
      '.secrets.baseline',
      `{"results": {"a": [${keyId}]}}`,
      /\.secrets\.baseline: invalid JSON at line 1/,
    ],
    [
      'a schema value',
      '.leakradius.yml',
      "rules:\n  - id: mine\n    name: Mine\n    pattern: 'x(y+)'\n" +
        `    tier: ${keyId}\n    examples: [xyy]\n    negative_examples: [x]\n`,
      /rule "mine": tier: expected one of critical, high, medium, low, info/,
    ],
    [
      'a rule example',
      '.leakradius.yml',
      "rules:\n  - id: mine\n    name: Mine\n    pattern: 'corp_[0-9]{30}'\n    keywords: [corp_]\n" +
        `    examples: ['${keyId}']\n    negative_examples: [x]\n`,
      /rule "mine": example 1 does not match; fix the pattern/,
    ],
    [
      'an allow regex',
      '.leakradius.yml',
      `allow:\n  regexes: ['${keyId}(']\n`,
      /allow\.regexes\.0: not a valid RE2 pattern \(missing \)\)/,
    ],
    [
      'a gitleaks regex',
      '.gitleaks.toml',
      `[[rules]]\nid = "x"\nregex = '''${keyId}('''\n`,
      /rules\.0\.regex: not a valid RE2/,
    ],
  ];
  for (const [what, name, text, says] of broken) {
    it(`names the file and place of ${what} error, never the value`, async () => {
      const { repo } = layout('lr-cfg-error-');
      writeFileSync(join(repo, name), text);
      const r = await runCli(['scan', repo]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(says);
      expectNoCredential(r.stdout + r.stderr);
    });
  }

  it('names the place of a JSON error in a --baseline file, never its text', async () => {
    const { repo } = layout('lr-baseline-error-');
    writeFileSync(join(repo, 'baseline.json'), `{"findings": [${keyId}]}`);
    const r = await runCli(['scan', repo, '--baseline', join(repo, 'baseline.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/baseline\.json: invalid JSON at line 1, column 15/);
    expectNoCredential(r.stderr);
  });

  it('refuses an auto-loaded config over 1 MiB before parsing it', async () => {
    const { repo } = layout('lr-cfg-size-');
    writeFileSync(join(repo, '.leakradius.yml'), `# padding\n${'exclude: []\n'.repeat(100_000)}`);
    const started = Date.now();
    const r = await runCli(['scan', repo]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.leakradius\.yml: .*at most 1048576 bytes/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
