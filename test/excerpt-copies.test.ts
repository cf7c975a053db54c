// Issue 17.3: an excerpt masks every copy of a secret on the line it shows, not only the match:
// `password=X confirm=X`, `export AWS_SECRET_ACCESS_KEY=X; echo X` and `# was: X` showed the second X
// in clear in text, JSON and SARIF, and an encoded copy (base64, percent) as well.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretForms } from '../src/secret/redact.js';
import { cleanupTempDirs, runCli, tempDir, token } from './helpers.js';

afterAll(cleanupTempDirs);

const password = token('{{an:10}}{{digits:3}}!', 'copies-password');
const awsSecret = token('{{b64:40}}', 'aws-x3');
const apiKey = token('{{hex:32}}', 'copies-api-key');
const base64 = Buffer.from(awsSecret).toString('base64');
const percent = encodeURIComponent(awsSecret);

describe('excerpts through the CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
    writeFileSync(join(dir, 'settings.env'), `password=${password} confirm=${password}\n`);
    writeFileSync(
      join(dir, 'deploy.sh'),
      [
        `export AWS_SECRET_ACCESS_KEY=${awsSecret}; echo ${awsSecret}`,
        `export AWS_SECRET_ACCESS_KEY=${awsSecret} # ${base64}`,
        `export AWS_SECRET_ACCESS_KEY=${awsSecret} # ${percent}`,
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'app.ini'), `api_key = ${apiKey}  # was: ${apiKey}\n`);
  });

  it.each(['text', 'json', 'sarif'])('shows no copy of a secret in %s, plain or encoded', async (format) => {
    expect(percent).not.toBe(awsSecret); // the test needs a secret that percent-encoding changes
    const r = await runCli(['scan', dir, '--format', format, '--offline']);
    expect(r.code, r.stderr).toBe(1);
    // The excerpts are there, with each copy masked where it stood.
    expect(r.stdout).toContain('confirm=…(14 chars)');
    expect(r.stdout).toMatch(/; echo tI…\(40 chars\)/);
    expect(r.stdout).toMatch(/# was: \w\w…\(32 chars\)/);
    for (const secret of [password, awsSecret, apiKey, base64, percent]) {
      expect(r.stdout).not.toContain(secret);
      expect(r.stdout).not.toContain(secret.slice(0, 12)); // nor a copy cut at the excerpt's edge
    }
  });
});

describe('secretForms', () => {
  it('gives the secret and its cheap encodings: base64 (padded, bare, URL-safe), percent, JSON-escaped', () => {
    const forms = secretForms('a/b+c"d\\e?');
    expect(forms).toEqual(
      expect.arrayContaining([
        'a/b+c"d\\e?',
        Buffer.from('a/b+c"d\\e?').toString('base64'),
        Buffer.from('a/b+c"d\\e?').toString('base64url'),
        'a%2Fb%2Bc%22d%5Ce%3F',
        'a%2fb%2bc%22d%5ce%3f',
        'a/b+c\\"d\\\\e?',
      ]),
    );
    expect(secretForms('')).toEqual([]);
  });
});
