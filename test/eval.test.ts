// The evaluation harness (src/eval) and the false-positive filters it measures.

import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateCorpus, scoreFindings, type Predicted } from '../src/eval/run.js';
import { writeCorpus, type Label } from '../src/eval/corpus/index.js';
import { isPlaceholder, rejectInContext } from '../src/detect/filters.js';
import { ROOT, cleanupTempDirs, tempDir, token } from './helpers.js';

afterAll(cleanupTempDirs);

describe('scoreFindings', () => {
  const L = (file: string, line: number): Label => ({ file, line, family: 'password', what: '' });
  const P = (file: string, line: number, extra: Partial<Predicted> = {}): Predicted => ({
    file,
    line,
    rule: 'generic-password',
    family: 'password',
    excerpt: '',
    ...extra,
  });

  it(
    'counts a reported line with a label as a true positive, without one as a false positive, a missed label as a ' +
      'false negative',
    () => {
      const r = scoreFindings(
        [L('a', 1), L('a', 5), L('b', 2)],
        [P('a', 1), P('a', 1, { rule: 'other' }), P('a', 9), P('b', 2, { family: 'secret' })],
      );
      expect(r.overall).toMatchObject({ tp: 2, fp: 1, fn: 1 });
      expect(r.overall.precision).toBeCloseTo(2 / 3);
      expect(r.overall.recall).toBeCloseTo(2 / 3);
      expect(r.familyMismatches).toBe(1);
      expect(r.falseNegatives.map((l) => l.line)).toEqual([5]);
      expect(r.falsePositives.map((p) => p.line)).toEqual([9]);
    },
  );

  it('lets a multi-line finding (a composite, a PEM block) cover the labels on its lines', () => {
    const r = scoreFindings([L('a', 3)], [P('a', 2, { lines: [2, 3] })]);
    expect(r.overall).toMatchObject({ tp: 1, fp: 0, fn: 0 });
  });
});

describe('filters', () => {
  const generic = { provider: 'generic', type: 'password' };
  const secretRule = { provider: 'generic', type: 'secret' };

  it('drops placeholders, references, digests, documentation tokens and type names', () => {
    for (const v of [
      'changeme',
      'your_api_key_here',
      'put your unique phrase here',
      'vault:secret/data/app#key',
      'ssm:/prod/db/password',
      '@Microsoft.KeyVault(SecretUri=https://kv/secrets/x)',
      `sha512-${token('{{b64:86}}', 'i')}==`,
      'SuperSecretToken',
      'boolean',
      'string;',
    ])
      expect(isPlaceholder(v), v).toBe(true);
    const jwtIo = ['{"alg":"HS256","typ":"JWT"}', '{"sub":"1234567890","name":"John Doe","iat":1516239022}']
      .map((s) => Buffer.from(s).toString('base64url'))
      .join('.');
    expect(isPlaceholder(`${jwtIo}.${token('{{b64url:43}}', 'j')}`)).toBe(true);
    expect(isPlaceholder(token('{{an:20}}', 'real'))).toBe(false);
    expect(isPlaceholder('Winter2024!')).toBe(false);
  });

  it('judges a value by its key and line: code, public keys, paths, identifiers, documentation hosts', () => {
    expect(rejectInContext(generic, 'contextToken', 'password: ', 'password: contextToken,')).toBe(true);
    expect(rejectInContext(generic, 'self.password', 'password = ', 'password = self.password')).toBe(true);
    expect(rejectInContext(generic, 'DB_PASSWORD', 'password: ', 'password: DB_PASSWORD')).toBe(true);
    expect(rejectInContext(secretRule, token('{{b64:44}}', 'p'), 'publicKey: "', '')).toBe(true);
    expect(rejectInContext(secretRule, 'config/service-account.json', 'credentials: "', '')).toBe(true);
    expect(
      rejectInContext(secretRule, 'Access-Control-Allow-Headers', "'Access-Control-Allow-Credentials', '", ''),
    ).toBe(true);
    // Password-shaped values come from the seeded generator, with a fixed shape (mixed case and digits).
    const short = token('{{upper:2}}{{digits:2}}{{lower:4}}', 'eval-short');
    const long = token('{{upper:2}}{{digits:2}}{{lower:4}}{{digits:2}}{{upper:2}}', 'eval-long');
    const word = token('{{lower:6}}{{digits:2}}', 'eval-word');
    expect(
      rejectInContext(
        { provider: 'url', type: 'basic-auth' },
        short,
        'https://a:',
        `https://a:${short}@example.com/x`,
      ),
    ).toBe(true);
    // …and keeps what is a value.
    expect(rejectInContext(generic, long, 'DB_PASSWORD=', `DB_PASSWORD=${long}`)).toBe(false);
    expect(rejectInContext(generic, word, 'password = "', `password = "${word}"`)).toBe(false);
    expect(
      rejectInContext(
        { provider: 'url', type: 'basic-auth' },
        short,
        'https://a:',
        `https://a:${short}@git.internal/x`,
      ),
    ).toBe(false);
  });
});

describe('evaluation corpus', () => {
  it('is generated from a seed: the same seed writes the same files and labels', () => {
    const a = tempDir('lr-eval-');
    const b = tempDir('lr-eval-');
    const ca = writeCorpus(a, { copies: 1, seed: 's' });
    const cb = writeCorpus(b, { copies: 1, seed: 's' });
    expect(ca.labels).toEqual(cb.labels);
    const f = ca.labels[0]!.file;
    expect(readFileSync(join(a, f), 'utf8')).toBe(readFileSync(join(b, f), 'utf8'));
    expect(new Set(ca.labels.map((l) => l.family)).size).toBeGreaterThanOrEqual(6);
  });

  it(
    'scores precision and recall of at least 0.97 with the ' + 'generic, config, connection-string and key rules',
    async () => {
      const rules = tempDir('lr-eval-rules-');
      for (const name of [
        'generic.yml',
        'config-files.yml',
        'database.yml',
        'url-auth.yml',
        'private-key.yml',
        'github.yml',
        'npm.yml',
      ])
        if (existsSync(join(ROOT, 'rules', name))) copyFileSync(join(ROOT, 'rules', name), join(rules, name));
      const r = await evaluateCorpus({ copies: 1, seed: 'vitest', rulesDir: rules });
      const report = [
        ...r.falsePositives.map((p) => `FP ${p.file}:${p.line} ${p.rule}`),
        ...r.falseNegatives.map((l) => `FN ${l.file}:${l.line} ${l.what}`),
      ].join('\n');
      expect(r.overall.precision, report).toBeGreaterThanOrEqual(0.97);
      expect(r.overall.recall, report).toBeGreaterThanOrEqual(0.97);
    },
  );
});
