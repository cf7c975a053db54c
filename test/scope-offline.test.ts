// Offline facts: what a token says about itself, with no network. Tokens and keys are generated
// at test time (seeded templates, node:crypto), never stored.

import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultRulesDir, loadRulesFromDir } from '../src/detect/rules.js';
import { Detector, scanBuffer } from '../src/detect/index.js';
import { expandTemplate } from '../src/detect/template.js';
import { awsAccountId } from '../src/providers/offline/index.js';
import { inferScope } from '../src/scope/offline.js';
import { rankFinding } from '../src/rank/rank.js';
import { fixtureRule } from './fakes/findings.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const t = (template: string, seed = 'offline') => expandTemplate(template, seed);
const jwt = (claims: Record<string, unknown>) => t(`{{jwt:${JSON.stringify(claims)}}}`);
const scopeOf = (secret: string, provider = 'generic') => inferScope(fixtureRule(provider), secret, undefined, NOW);
const rank = (secret: string, provider = 'generic', tier: 'critical' | 'high' | 'medium' | 'low' = 'high') =>
  rankFinding(
    fixtureRule(provider, tier),
    { scope: inferScope(fixtureRule(provider, tier), secret, undefined, NOW), confidence: 'high' },
    NOW,
  );

describe('JWT claims', () => {
  it('reads exp, iat, iss, aud and scopes', () => {
    const s = scopeOf(
      jwt({
        iss: 'https://id.fixture.test',
        aud: 'api',
        iat: 1700000000,
        exp: 1900000000,
        scope: 'read:users write:orders admin:all',
      }),
    );
    expect(s.expiresAt).toBe('2030-03-17T17:46:40.000Z');
    expect(s.facts).toContain('iss: https://id.fixture.test');
    expect(s.facts).toContain('aud: api');
    expect(s.facts.join('\n')).toMatch(/issued 2023-11-14/);
    expect(s.grants).toEqual([
      { resource: 'read:users', access: 'read' },
      { resource: 'write:orders', access: 'write' },
      { resource: 'admin:all', access: 'admin' },
    ]);
  });

  it('ranks an expired JWT low', () => {
    const secret = jwt({ sub: 'u1', exp: 1600000000, scope: 'admin' });
    expect(scopeOf(secret).facts.join('\n')).toMatch(/expired 2020-09-13/);
    expect(rank(secret, 'jwt', 'critical').tier).toBe('low');
  });

  it('knows a Supabase service_role key bypasses row-level security, and anon is public', () => {
    const service = scopeOf(jwt({ iss: 'supabase', role: 'service_role', exp: 2000000000 }));
    expect(service.grants).toContainEqual({
      resource: 'supabase database (bypasses row-level security)',
      access: 'admin',
    });
    expect(
      rank(jwt({ iss: 'supabase', role: 'service_role', exp: 2000000000 }), 'supabase', 'medium').score,
    ).toBeGreaterThan(rank(jwt({ iss: 'supabase', role: 'anon', exp: 2000000000 }), 'supabase', 'medium').score);
    expect(scopeOf(jwt({ role: 'anon' })).facts.join('\n')).toMatch(/anon key: public by design/);
  });

  it('says a JWT without exp never expires, and reads Entra roles', () => {
    const s = scopeOf(jwt({ roles: ['Directory.ReadWrite.All'], scp: 'User.Read' }));
    expect(s.expiresAt).toBeNull();
    expect(s.grants).toContainEqual({ resource: 'Directory.ReadWrite.All', access: 'admin' });
    expect(s.grants).toContainEqual({ resource: 'User.Read', access: 'read' });
  });
});

describe('Azure SAS', () => {
  const sas = (q: string) =>
    `https://fixture.blob.core.windows.net/backups?${q}&sig=${encodeURIComponent(t('{{b64:43}}='))}`;

  it('reads permissions, services, resource types, expiry and IP limits', () => {
    const s = scopeOf(
      sas(
        'sv=2022-11-02&ss=bf&srt=sco&sp=rwdlac&se=2027-01-01T00:00:00Z&st=2026-01-01T00:00:00Z' +
          '&spr=https&sip=10.0.0.1-10.0.0.9',
      ),
      'azure',
    );
    const facts = s.facts.join('\n');
    expect(facts).toMatch(/permissions \(sp=rwdlac\): read, write, delete, list, add, create/);
    expect(facts).toMatch(/services: blob, file \(account SAS\)/);
    expect(facts).toMatch(/resource types: service, container, object/);
    expect(facts).toMatch(/limited to IP addresses 10\.0\.0\.1-10\.0\.0\.9/);
    expect(s.expiresAt).toBe('2027-01-01T00:00:00.000Z');
    expect(s.identity).toBe('storage account fixture');
    expect(s.grants).toContainEqual({ resource: 'blob in fixture: delete', access: 'admin' });
  });

  it('ranks a read-only SAS lower than a delete-capable one, and an expired one low', () => {
    const ro = rank(sas('sv=2022-11-02&sr=c&sp=rl&se=2027-01-01T00:00:00Z'), 'azure');
    const rw = rank(sas('sv=2022-11-02&sr=c&sp=rwdl&se=2027-01-01T00:00:00Z'), 'azure');
    expect(ro.score).toBeLessThan(rw.score);
    expect(rank(sas('sv=2022-11-02&sr=c&sp=rwdl&se=2020-01-01T00:00:00Z'), 'azure').tier).toBe('low');
    expect(scopeOf(sas('sv=2022-11-02&sr=c&sp=r'), 'azure').facts.join('\n')).toMatch(/usable from any IP address/);
  });
});

describe('PyPI macaroon caveats', () => {
  it('finds the project scope and expiry of a project token', () => {
    const s = scopeOf(t('{{pypi:[[1,["requests","urllib3"]],[0,1900000000,1700000000]]}}'), 'pypi');
    expect(s.facts.join('\n')).toMatch(/upload to project\(s\): requests, urllib3/);
    expect(s.expiresAt).toBe('2030-03-17T17:46:40.000Z');
    expect(s.grants.map((g) => g.access)).toEqual(['write', 'write']);
  });

  it('flags a user-wide token with no expiry', () => {
    const secret = t('{{pypi}}');
    const s = scopeOf(secret, 'pypi');
    expect(s.facts.join('\n')).toMatch(/user-wide: can upload to every project/);
    expect(s.expiresAt).toBeNull();
    const b = rank(secret, 'pypi');
    expect(b.practices.granular).toBe('violated');
    expect(b.practices.expiring).toBe('violated');
  });
});

describe('AWS access key ids', () => {
  it('decode to the account id', () => {
    const id = t('{{aws-account:AKIA/123456789012}}');
    expect(awsAccountId(id)).toBe('123456789012');
    const s = scopeOf(id, 'aws');
    expect(s.identity).toBe('aws account 123456789012');
    expect(s.expiresAt).toBeNull();
    expect(s.facts.join('\n')).toMatch(/long-term access key/);
  });

  it('know temporary keys and the older format that encodes no account', () => {
    expect(scopeOf(t('{{aws-account:ASIA/000011112222}}'), 'aws').facts.join('\n')).toMatch(/temporary \(STS\)/);
    expect(awsAccountId(`AKIAI${t('{{b32:15}}')}`)).toBeUndefined();
  });
});

describe('AWS canary tokens', () => {
  it('ranks a key of a known canary account info, offline, saying not to use it', () => {
    for (const account of ['052310077262', '717712589309', '044858866125']) {
      const r = rank(t(`{{aws-account:AKIA/${account}}}`, `canary-${account}`), 'aws', 'critical');
      expect(r.tier).toBe('info');
      expect(r.reasons[0]).toMatch(/^canary token: someone planted this to detect scanners; do not use/);
    }
    expect(rank(t('{{aws-account:AKIA/000011112222}}', 'not-canary'), 'aws', 'critical').tier).not.toBe('info');
  });

  it('knows the canary in a composite key pair too', () => {
    const pair = `${t('{{aws-account:AKIA/171436882533}}', 'canary-pair')}\n${t('{{b64:40}}', 'canary-pair-secret')}`;
    expect(scopeOf(pair, 'aws').offline?.canary).toBe('canarytokens.org (Thinkst)');
  });
});

describe('token classes', () => {
  it('GitHub: classic PAT is not granular, fine-grained is', () => {
    expect(rank(t('{{github:ghp_}}'), 'github').practices.granular).toBe('violated');
    expect(rank(t('github_pat_{{an:22}}_{{an:59}}'), 'github').practices.granular).toBe('ok');
    expect(scopeOf(t('{{github:ghs_}}'), 'github').facts.join('\n')).toMatch(/expires 1 hour after issue/);
  });

  it('Stripe: live secret key is account-wide production, test keys rank lower, restricted keys are granular', () => {
    const live = scopeOf(t('sk_live_{{an:24}}'), 'stripe');
    expect(live.environment).toBe('production');
    expect(live.grants[0]!.access).toBe('admin');
    expect(rank(t('sk_test_{{an:24}}'), 'stripe', 'critical').score).toBeLessThan(
      rank(t('sk_live_{{an:24}}'), 'stripe', 'critical').score,
    );
    expect(rank(t('rk_live_{{an:24}}'), 'stripe').practices.granular).toBe('ok');
    expect(rank(t('pk_live_{{an:24}}'), 'stripe', 'high').tier).not.toBe('high');
  });

  it('Slack: bot vs user vs session tokens', () => {
    expect(scopeOf(t('xoxb-{{digits:12}}-{{digits:13}}-{{an:24}}'), 'slack').facts.join('\n')).toMatch(/bot token/);
    expect(rank(t('xoxp-{{digits:12}}-{{digits:13}}-{{an:24}}'), 'slack').practices.granular).toBe('violated');
    expect(scopeOf(t('xoxc-{{digits:12}}-{{an:40}}'), 'slack').facts.join('\n')).toMatch(/session token/);
  });

  it('GitLab routable tokens: embedded ids and a valid checksum; a changed character breaks it', () => {
    const secret = t('{{gitlab-routable:o:1\\nu:7b}}');
    const facts = scopeOf(secret, 'gitlab').facts.join('\n');
    expect(facts).toMatch(/length and CRC32 valid/);
    expect(facts).toMatch(/embedded ids: organization 1, user 263/);
    const broken = secret.slice(0, 10) + (secret[10] === 'A' ? 'B' : 'A') + secret.slice(11);
    expect(scopeOf(broken, 'gitlab').facts.join('\n')).toMatch(/does not match/);
  });

  it('Sentry org tokens and Grafana Cloud tokens show their JSON, not their key', () => {
    const sentry = scopeOf(t('{{sentry:acme}}'), 'sentry');
    expect(sentry.identity).toBe('org acme');
    expect(sentry.facts.join('\n')).toMatch(/Sentry SaaS/);
    const glcToken = t('{{glc:prod-eu-west-2}}');
    const glc = scopeOf(glcToken, 'grafana');
    expect(glc.facts.join('\n')).toMatch(/region prod-eu-west-2/);
    const key = JSON.parse(Buffer.from(glcToken.slice(4), 'base64').toString()).k as string;
    expect(JSON.stringify(glc)).not.toContain(key);
  });
});

describe('private keys', () => {
  it('reads type and size of an unencrypted key, with its public fingerprint', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const s = scopeOf(pem, 'private-key');
    expect(s.facts.join('\n')).toMatch(/private key \(rsa, 2048 bits\)/);
    expect(s.facts.join('\n')).toMatch(/public key fingerprint SHA256:/);
    expect(s.facts.join('\n')).toMatch(/not encrypted/);
  });

  it('ranks an encrypted key lower than a clear one', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const clear = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const enc = privateKey
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'fixture' })
      .toString();
    expect(scopeOf(clear, 'private-key').facts.join('\n')).toMatch(/ec prime256v1/);
    expect(scopeOf(enc, 'private-key').facts.join('\n')).toMatch(/encrypted with a passphrase/);
    expect(rank(enc, 'private-key').score).toBeLessThan(rank(clear, 'private-key').score);
  });

  it('reads an OpenSSH key’s algorithm, fingerprint and cipher', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
    const str = (b: Buffer | string) => {
      const buf = Buffer.from(b);
      const len = Buffer.alloc(4);
      len.writeUInt32BE(buf.length);
      return Buffer.concat([len, buf]);
    };
    const pub = Buffer.concat([str('ssh-ed25519'), str(raw)]);
    const body = Buffer.concat([
      Buffer.from('openssh-key-v1\0'),
      str('aes256-ctr'),
      str('bcrypt'),
      str(Buffer.alloc(24)),
      Buffer.from([0, 0, 0, 1]),
      str(pub),
      str(Buffer.alloc(64)),
    ]);
    // Built here from a fresh public key and a zero-filled encrypted part: only the armour lines are literal.
    const pem =
      `-----BEGIN OPENSSH PRIVATE KEY-----\n${body.toString('base64').replace(/.{70}/g, '$&\n')}\n` +
      `-----END OPENSSH PRIVATE KEY-----`;
    const facts = scopeOf(pem, 'private-key').facts.join('\n');
    expect(facts).toMatch(/ssh-ed25519, 256 bits/);
    expect(facts).toMatch(/SHA256:[A-Za-z0-9+/]{43}/);
    expect(facts).toMatch(/encrypted with a passphrase/);
  });
});

describe('database URIs', () => {
  it('flag superusers on production hosts', () => {
    const s = scopeOf(
      `postgres://postgres:${t('{{an:20}}')}@orders.abc123.eu-west-1.rds.amazonaws.com:5432/orders?sslmode=require`,
      'database',
    );
    expect(s.facts.join('\n')).toMatch(/"postgres" is a superuser/);
    expect(s.environment).toBe('production');
    expect(s.grants[0]!.access).toBe('admin');
    expect(s.facts.join('\n')).toMatch(/TLS required/);
  });

  it('treat localhost credentials as development', () => {
    const secret = `mysql://app:${t('{{an:16}}')}@localhost:3306/app`;
    expect(scopeOf(secret, 'database').environment).toBe('test');
    expect(rank(secret, 'database').tier).toBe('low');
  });
});

describe('facts never hold the secret', () => {
  const rules = loadRulesFromDir(defaultRulesDir());
  const detector = new Detector(rules);
  const byId = new Map(rules.map((r) => [r.id, r]));
  it('for every example of every rule', () => {
    let checked = 0;
    for (const rule of rules)
      rule.examples.forEach((example, i) => {
        for (const c of scanBuffer(detector, expandTemplate(example, `${rule.id}#${i}`))) {
          const scope = inferScope(byId.get(c.ruleId)!, c.secret, c.checksum);
          const text = JSON.stringify(scope);
          expect(text.includes(c.secret), `${c.ruleId}: ${text}`).toBe(false);
          checked++;
        }
      });
    expect(checked).toBeGreaterThan(20);
  });
});
