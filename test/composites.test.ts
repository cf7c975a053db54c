// Composite secrets (several matches that only work together) become ONE candidate; checksums of
// GitLab routable and Cloudflare tokens raise or lower confidence but never drop a match.

import { describe, expect, it } from 'vitest';
import {
  checkUniqueIds,
  defaultRulesDir,
  loadRulesFromDir,
  parseRuleFile,
  verifyExamples,
} from '../src/detect/rules.js';
import { ChunkScanner, Detector, scanBuffer } from '../src/detect/index.js';
import { expandTemplate } from '../src/detect/template.js';
import { cloudflareValid, crc32, gitlabRoutableValid, validate } from '../src/detect/checksum.js';
import { UsageError } from '../src/errors.js';
import { lookupAwsPair } from '../src/providers/lookup/aws.js';
import type { LookupContext } from '../src/providers/lookup/types.js';

const rules = loadRulesFromDir(defaultRulesDir());
const detector = new Detector(rules);
const find = (template: string, seed = 'composite') => scanBuffer(detector, expandTemplate(template, seed));

describe('composite rules', () => {
  it('load from the composites: list of a rule file, with their parts', () => {
    const pair = rules.find((r) => r.id === 'aws-access-key-pair');
    expect(pair?.composite).toEqual({ parts: ['aws-access-key-id', 'aws-secret-access-key'], withinLines: 5 });
    expect(pair?.provider).toBe('aws');
    expect(pair?.tier).toBe('critical');
    for (const id of ['twilio-account-credentials', 'azure-entra-app-credentials', 'username-password-pair'])
      expect(rules.some((r) => r.id === id && r.composite)).toBe(true);
  });

  it(
    'report an AWS key id and secret key as one finding: parts joined by a newline, in parts order, at the first ' +
      'part',
    () => {
      const text = expandTemplate(
        '[default]\nregion = eu-west-1\naws_secret_access_key = {{b64:40}}\naws_access_key_id = {{aws:AKIA}}\n',
        'aws-pair',
      );
      const found = scanBuffer(detector, text);
      expect(found.map((c) => c.ruleId)).toEqual(['aws-access-key-pair']);
      const [secretKey, keyId] = [
        /aws_secret_access_key = (\S+)/.exec(text)![1]!,
        /aws_access_key_id = (\S+)/.exec(text)![1]!,
      ];
      expect(found[0]!.secret).toBe(`${keyId}\n${secretKey}`);
      expect(found[0]!.line).toBe(3); // the secret key comes first in this file
      expect(found[0]!.excerpt).not.toContain(secretKey);
    },
  );

  it('keeps the parts apart when they are further apart than within_lines', () => {
    const found = find(`aws_access_key_id = {{aws:AKIA}}\n${'#\n'.repeat(8)}aws_secret_access_key = {{b64:40}}\n`);
    expect(found.map((c) => c.ruleId).sort()).toEqual(['aws-access-key-id', 'aws-secret-access-key']);
  });

  it('pairs each key id with its own secret when a file holds several profiles', () => {
    const text = expandTemplate(
      '[dev]\naws_access_key_id = {{aws:AKIA}}\naws_secret_access_key = {{b64:40}}\n\n[prod]\naws_access_key_id = ' +
        '{{aws:AKIA}}\naws_secret_access_key = {{b64:40}}\n',
      'profiles',
    );
    const found = scanBuffer(detector, text);
    expect(found.map((c) => c.ruleId)).toEqual(['aws-access-key-pair', 'aws-access-key-pair']);
    const ids = [...text.matchAll(/aws_access_key_id = (\S+)/g)].map((m) => m[1]);
    const keys = [...text.matchAll(/aws_secret_access_key = (\S+)/g)].map((m) => m[1]);
    expect(found.map((c) => c.secret)).toEqual([`${ids[0]}\n${keys[0]}`, `${ids[1]}\n${keys[1]}`]);
  });

  it('reports a Twilio SID only with its token, and the pair as one finding', () => {
    expect(find('TWILIO_ACCOUNT_SID=AC{{hex:32}}\n')).toEqual([]);
    const found = find('TWILIO_ACCOUNT_SID=AC{{hex:32}}\nTWILIO_AUTH_TOKEN={{hex:32}}\n');
    expect(found.map((c) => c.ruleId)).toEqual(['twilio-account-credentials']);
    expect(found[0]!.secret).toMatch(/^AC[0-9a-f]{32}\n[0-9a-f]{32}$/);
  });

  it('joins an Entra client id, client secret and tenant id', () => {
    const found = find(
      'AZURE_TENANT_ID={{uuid}}\nAZURE_CLIENT_ID={{uuid}}\nAZURE_CLIENT_SECRET={{an:3}}{{digits:1}}Q~{{an:34}}\n',
    );
    expect(found.map((c) => c.ruleId)).toEqual(['azure-entra-app-credentials']);
    const [client, secret, tenant] = found[0]!.secret.split('\n');
    expect(client).toMatch(/^[0-9a-f-]{36}$/);
    expect(secret).toContain('Q~');
    expect(tenant).toMatch(/^[0-9a-f-]{36}$/);
    expect(found[0]!.line).toBe(1);
    // Without the ids the secret is still reported on its own.
    expect(find('AZURE_CLIENT_SECRET={{an:3}}{{digits:1}}Q~{{an:34}}\n').map((c) => c.ruleId)).toEqual([
      'azure-entra-client-secret',
    ]);
  });

  it('turns a user name and password in one block into one finding, absorbing the generic match', () => {
    const found = find(
      'smtp:\n  host: mail.internal\n  username: {{lower:8}}\n  password: "{{an:12}}!{{digits:2}}"\n',
    );
    expect(found.map((c) => c.ruleId)).toEqual(['username-password-pair']);
    expect(found[0]!.secret.split('\n')).toHaveLength(2);
    // A password alone stays with the generic rules; a user name alone is not a finding.
    expect(find('  username: {{lower:8}}\n').map((c) => c.ruleId)).toEqual([]);
    expect(find('  password: "{{an:12}}!{{digits:2}}"\n').map((c) => c.ruleId)).not.toContain(
      'username-password-pair',
    );
  });

  it('compose: false reports every part (rule verification)', () => {
    const text = expandTemplate('TWILIO_ACCOUNT_SID=AC{{hex:32}}\nTWILIO_AUTH_TOKEN={{hex:32}}\n', 'parts');
    expect(
      scanBuffer(detector, text, { compose: false })
        .map((c) => c.ruleId)
        .sort(),
    ).toEqual(['twilio-account-sid', 'twilio-auth-token']);
  });

  it('is off when a part rule is disabled', () => {
    const without = new Detector(rules.filter((r) => r.id !== 'aws-secret-access-key'));
    const text = expandTemplate('aws_access_key_id = {{aws:AKIA}}\naws_secret_access_key = {{b64:40}}\n', 'disabled');
    const ids = scanBuffer(without, text).map((c) => c.ruleId);
    expect(ids).toContain('aws-access-key-id');
    expect(ids).not.toContain('aws-access-key-pair');
  });

  it('forms composites in streamed chunks too', () => {
    const text = expandTemplate(
      `${'filler line\n'.repeat(2000)}aws_access_key_id = {{aws:AKIA}}\naws_secret_access_key = {{b64:40}}\n`,
      'chunks',
    );
    const scanner = new ChunkScanner(detector, { overlap: 4096 });
    const buf = Buffer.from(text);
    const out = [...scanner.push(buf.subarray(0, 10000)), ...scanner.push(buf.subarray(10000), true)];
    expect(out.map((c) => c.ruleId)).toEqual(['aws-access-key-pair']);
    expect(out[0]!.line).toBe(2001);
  });

  it('verifies composite examples and rejects unknown parts at load', async () => {
    await expect(
      verifyExamples(rules.filter((r) => r.id === 'aws-access-key-pair' || r.id.startsWith('aws-'))),
    ).resolves.toBeUndefined();
    const bad = parseRuleFile(
      'rules:\n  - id: a-part\n    name: A\n    pattern: "(a{4})"\n    keywords: [aaaa]\n    tier: low\n    ' +
        'examples: ["{{an:1}} aaaa"]\n    negative_examples: ["b"]\ncomposites:\n  - id: a-pair\n    name: A pair\n ' +
        '   parts: [a-part, missing-part]\n    examples: ["{{an:1}}"]\n    negative_examples: ["b"]\n',
      'bad.yml',
    );
    expect(() => checkUniqueIds(bad)).toThrow(UsageError);
    expect(() => checkUniqueIds(bad)).toThrow(/part "missing-part" is not a known rule id/);
    expect(() =>
      parseRuleFile(
        'rules: []\ncomposites:\n  - id: x\n    name: X\n    parts: [only-one]\n    examples: ["a"]\n    ' +
          'negative_examples: ["b"]\n',
        'one.yml',
      ),
    ).toThrow(/at least two parts/);
  });
});

describe('AWS lookup with a composite secret', () => {
  it('splits "keyId\\nsecretKey" into the pair it signs with', async () => {
    const keyId = expandTemplate('{{aws:AKIA}}', 'lk');
    const secretKey = expandTemplate('{{b64:40}}', 'lk2');
    let seen: { url?: string; auth?: string } = {};
    const ctx = {
      secret: `${keyId}\n${secretKey}`,
      nearby: [],
      context: [],
      deep: false,
      http: () => ({
        host: 'sts.amazonaws.com',
        base: 'https://sts.amazonaws.com',
        request: async (req: { headers?: Record<string, string> }) => {
          seen = { auth: req.headers?.authorization ?? req.headers?.Authorization };
          return {
            status: 403,
            headers: new Headers(),
            text: '<Error><Code>InvalidClientTokenId</Code></Error>',
            json: () => ({}),
          };
        },
      }),
      overridden: () => false,
    } as unknown as LookupContext;
    const outcome = await lookupAwsPair(ctx).catch((e: Error) => ({ status: 'error', facts: [e.message] }));
    expect(outcome.status).toBe('revoked');
    expect(seen.auth ?? '').toContain(keyId);
  });
});

describe('checksum validators', () => {
  it('GitLab routable tokens: CRC-32 of prefix, payload, "." and length, in base36', () => {
    const token = expandTemplate('{{gitlab-routable:o:1\\nu:2s}}', 'gl');
    expect(gitlabRoutableValid(token)).toBe(true);
    expect(validate('gitlab', token)).toBe(true);
    const flipped = token.slice(0, 10) + (token[10] === 'A' ? 'B' : 'A') + token.slice(11);
    expect(gitlabRoutableValid(flipped)).toBe(false);
    expect(gitlabRoutableValid('glpat-' + 'a'.repeat(20))).toBe(false);
  });

  it('Cloudflare cfut_/cfat_/cfk_: CRC-32 of the 40 characters as 8 hex', () => {
    for (const prefix of ['cfut_', 'cfat_', 'cfk_']) {
      const token = expandTemplate(`{{cloudflare:${prefix}}}`, prefix);
      expect(cloudflareValid(token)).toBe(true);
      const body = token.slice(prefix.length, prefix.length + 40);
      expect(token.endsWith(crc32(body).toString(16).padStart(8, '0'))).toBe(true);
      expect(cloudflareValid(token.slice(0, -1) + (token.endsWith('0') ? '1' : '0'))).toBe(false);
    }
  });

  it('a failed checksum lowers confidence but keeps the finding', () => {
    const good = find('CLOUDFLARE_API_TOKEN={{cloudflare:cfut_}}', 'cf-good');
    expect(good.map((c) => [c.ruleId, c.checksum])).toEqual([['cloudflare-user-token', 'valid']]);
    const bad = find('CLOUDFLARE_API_TOKEN=cfut_{{an:40}}{{hex:8}}', 'cf-bad');
    expect(bad.map((c) => [c.ruleId, c.checksum])).toEqual([['cloudflare-user-token', 'invalid']]);
    const gl = find('GITLAB_TOKEN={{gitlab-routable:o:1\\nu:2s}}', 'gl-good');
    expect(gl.map((c) => [c.ruleId, c.checksum])).toEqual([['gitlab-pat-routable', 'valid']]);
  });
});
