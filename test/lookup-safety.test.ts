// The safety rules lookups keep: official endpoints only (env override, http on loopback only),
// a scanned config can never redirect a lookup, writes are refused, one lookup per credential,
// opt-in probes stay off, secrets never appear in warnings, and the CLI honours --offline.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scan } from '../src/scan/scan.js';
import { enrich, endpointVariable, resolveBase } from '../src/scope/lookup/index.js';
import { LookupError, ProviderHttp } from '../src/providers/lookup/http.js';
import type { Warning } from '../src/types.js';
import { FakeProviders } from './fakes/server.js';
import { PROVIDER_CASES, tokenOf } from './fakes/providers.js';
import { makeFindings } from './fakes/findings.js';
import { ROOT, cleanupTempDirs, runCli, tempDir, token } from './helpers.js';

// Only the GitHub rules: these tests are about lookups, not about the rest of the catalog.
const RULES = tempDir('lr-rules-');
copyFileSync(join(ROOT, 'rules', 'github.yml'), join(RULES, 'github.yml'));

const byProvider = (p: string) => PROVIDER_CASES.find((c) => c.provider === p)!;
const fake = new FakeProviders({
  ...Object.fromEntries(PROVIDER_CASES.map((c) => [c.provider, { broad: c.broad, revoked: c.revoked }])),
  attacker: { broad: { body: { login: 'stolen' } } },
  writable: { broad: { status: 201, body: { created: true } } },
});
beforeAll(() => fake.start().then(() => undefined));
afterAll(async () => {
  await fake.close();
  cleanupTempDirs();
});

describe('endpoints', () => {
  it('uses the compiled-in official base URL when no override is set', () => {
    expect(resolveBase('github', 'https://api.github.com', {})).toBe('https://api.github.com');
  });

  it('lets LEAKRADIUS_ENDPOINT_<PROVIDER> replace scheme, host and path prefix (GitHub Enterprise Server)', () => {
    expect(
      resolveBase('github', 'https://api.github.com', {
        LEAKRADIUS_ENDPOINT_GITHUB: 'https://github.example.com/api/v3/',
      }),
    ).toBe('https://github.example.com/api/v3');
    expect(endpointVariable('grafana-cloud')).toBe('LEAKRADIUS_ENDPOINT_GRAFANA_CLOUD');
  });

  it('accepts plain http only on loopback addresses', () => {
    expect(
      resolveBase('gitlab', 'https://gitlab.com', { LEAKRADIUS_ENDPOINT_GITLAB: 'http://127.0.0.1:8080/x' }),
    ).toBe('http://127.0.0.1:8080/x');
    expect(() =>
      resolveBase('gitlab', 'https://gitlab.com', { LEAKRADIUS_ENDPOINT_GITLAB: 'http://gitlab.example.com' }),
    ).toThrow(/loopback/);
    expect(() =>
      resolveBase('gitlab', 'https://gitlab.com', { LEAKRADIUS_ENDPOINT_GITLAB: 'https://u:p@gitlab.example.com' }),
    ).toThrow(/credentials/);
    expect(() =>
      resolveBase('gitlab', 'https://gitlab.com', { LEAKRADIUS_ENDPOINT_GITLAB: 'ftp://gitlab.example.com' }),
    ).toThrow(/https/);
  });

  it('turns an unsafe override into status unknown and a warning, sending nothing', async () => {
    const before = fake.requests.length;
    const { findings, rules } = makeFindings([{ secret: tokenOf(byProvider('github').token), provider: 'github' }]);
    const warnings: Warning[] = [];
    await enrich(findings, rules, {
      env: { LEAKRADIUS_ENDPOINT_GITHUB: 'http://198.51.100.7/api' },
      onWarning: (w) => warnings.push(w),
    });
    expect(findings[0]!.scope.status).toBe('unknown');
    expect(warnings[0]!.message).toMatch(/loopback/);
    expect(fake.requests.length).toBe(before);
  });
});

describe('a config file in the scanned tree', () => {
  it('cannot set an endpoint: the key is refused with a warning and no request goes to that host', async () => {
    const dir = tempDir();
    const secret = token('{{github:ghp_}}', 'config-redirect');
    writeFileSync(join(dir, 'deploy.sh'), `export GITHUB_TOKEN=${secret}\n`);
    const attacker = fake.url('attacker', 'broad');
    writeFileSync(
      join(dir, '.leakradius.yml'),
      `endpoints:\n  github: ${attacker}\nLEAKRADIUS_ENDPOINT_GITHUB: ${attacker}\nlookup:\n  github: ${attacker}\n`,
    );
    const warnings: Warning[] = [];
    const run = scan({
      paths: [dir],
      threads: 1,
      rulesDir: RULES,
      lookup: { env: { LEAKRADIUS_ENDPOINT_GITHUB: fake.url('github', 'broad') }, timeoutMs: 3000 },
      onWarning: (w) => warnings.push(w),
    });
    const result = await run.result;
    expect(warnings.map((w) => w.message).join('\n')).toMatch(
      /unknown key "endpoints" ignored \(a config file can never change lookup endpoints\)/,
    );
    expect(warnings.some((w) => w.message.includes('"LEAKRADIUS_ENDPOINT_GITHUB"'))).toBe(true);
    expect(fake.seen('attacker', 'broad')).toEqual([]);
    const gh = result.findings.find((f) => f.provider === 'github')!;
    expect(gh.scope.status).toBe('live');
    expect(gh.scope.checkedAt).toMatch(/^127\.0\.0\.1:/);
    expect(result.stats.lookups).toMatchObject({ attempted: 1, live: 1 });
  });
});

describe('the lookup client', () => {
  it('refuses a write-type request that succeeds unless it is an allow-listed read-only POST', async () => {
    const http = new ProviderHttp('github', fake.url('writable', 'broad'));
    await expect(http.request({ method: 'POST', path: '/user' })).rejects.toThrow(LookupError);
    await expect(http.request({ method: 'POST', path: '/user' })).rejects.toThrow(
      /not an allow-listed read-only call/,
    );
    const slack = new ProviderHttp('slack', fake.url('writable', 'broad'));
    await expect(slack.request({ method: 'POST', path: '/api/auth.test' })).resolves.toMatchObject({ status: 201 });
  });

  it('gives up on a Retry-After longer than the limit instead of waiting', async () => {
    const server: Server = createServer((_req, res) => {
      res.writeHead(429, { 'retry-after': '3600' });
      res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const http = new ProviderHttp('github', `http://127.0.0.1:${(server.address() as AddressInfo).port}`, {
      maxRetryAfterMs: 1000,
    });
    await expect(http.request({ method: 'GET', path: '/user' })).rejects.toThrow(/HTTP 429/);
    server.close();
  });

  it('keeps at most the configured number of lookups in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const server: Server = createServer((_req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ username: 'fixture' }));
      }, 30);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { findings, rules } = makeFindings(
      Array.from({ length: 20 }, (_, i) => ({ secret: token('{{npm}}', `npm-${i}`), provider: 'npm', line: i * 100 })),
    );
    await enrich(findings, rules, {
      env: { LEAKRADIUS_ENDPOINT_NPM: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
      concurrency: 3,
    });
    server.close();
    expect(findings.every((f) => f.scope.status === 'live')).toBe(true);
    expect(peak).toBeLessThanOrEqual(3);
  });
});

describe('one lookup per credential', () => {
  it('looks an AWS key id and its secret up once, as a pair, with a SigV4 signature', async () => {
    const aws = byProvider('aws');
    const { findings, rules } = makeFindings([
      { secret: tokenOf(aws.token), provider: 'aws' },
      { secret: aws.nearby![0]!, provider: 'aws' },
    ]);
    const before = fake.seen('aws', 'broad').length;
    await enrich(findings, rules, { env: { LEAKRADIUS_ENDPOINT_AWS: fake.url('aws', 'broad') } });
    const seen = fake.seen('aws', 'broad').slice(before);
    expect(seen.length).toBe(1);
    expect(seen[0]!.body).toBe('Action=GetCallerIdentity&Version=2011-06-15');
    expect(String(seen[0]!.headers.authorization)).toMatch(
      new RegExp(
        String.raw`^AWS4-HMAC-SHA256 Credential=AKIA[A-Z2-7]{16}\/\d{8}\/us-east-1\/sts\/aws4_req` +
          'uest, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}$',
      ),
    );
    expect(findings.map((f) => f.scope.status)).toEqual(['live', 'live']);
    expect(findings[0]!.scope.identity).toBe('arn:aws:iam::000011112222:user/ci');
  });

  it('treats a composite pair finding ("keyId\\nsecret") and its parts as one credential', async () => {
    const aws = byProvider('aws');
    const keyId = tokenOf(aws.token);
    const secretKey = aws.nearby![0]!;
    const { findings, rules } = makeFindings([
      { secret: `${keyId}\n${secretKey}`, provider: 'aws' },
      { secret: keyId, provider: 'aws' },
      { secret: secretKey, provider: 'aws' },
    ]);
    const before = fake.seen('aws', 'broad').length;
    await enrich(findings, rules, { env: { LEAKRADIUS_ENDPOINT_AWS: fake.url('aws', 'broad') } });
    expect(fake.seen('aws', 'broad').length - before).toBe(1);
    expect(findings.map((f) => f.scope.status)).toEqual(['live', 'live', 'live']);
  });

  it('runs opt-in probes (Okta: any call renews the token) only with deep lookups', async () => {
    const okta = byProvider('okta');
    const { findings, rules } = makeFindings([{ secret: tokenOf(okta.token), provider: 'okta' }]);
    const before = fake.requests.length;
    const summary = await enrich(findings, rules, { env: { LEAKRADIUS_ENDPOINT_OKTA: fake.url('okta', 'broad') } });
    expect(fake.requests.length).toBe(before);
    expect(findings[0]!.scope.status).toBe('not-checked');
    expect(summary.notChecked).toBe(1);
  });

  it('says what is missing when a tenant host is not next to the token (Shopify)', async () => {
    const { findings, rules } = makeFindings([{ secret: token('shpat_{{hex:32}}', 'no-shop'), provider: 'shopify' }]);
    await enrich(findings, rules, { env: {} });
    expect(findings[0]!.scope.status).toBe('not-checked');
    expect(findings[0]!.scope.facts.join('\n')).toMatch(/myshopify\.com/);
  });
});

describe('secrets in URLs (Telegram)', () => {
  it('never puts the URL, and so the token, in warnings or facts', async () => {
    const tg = byProvider('telegram');
    const secret = tokenOf(tg.token);
    for (const scenario of ['malformed', 'slow']) {
      const { findings, rules } = makeFindings([{ secret, provider: 'telegram' }]);
      const warnings: Warning[] = [];
      await enrich(findings, rules, {
        env: { LEAKRADIUS_ENDPOINT_TELEGRAM: fake.url('telegram', scenario) },
        timeoutMs: 100,
        onWarning: (w) => warnings.push(w),
      });
      expect(warnings.length).toBe(1);
      expect(JSON.stringify(warnings) + JSON.stringify(findings[0]!.scope)).not.toContain(secret.split(':')[1]);
    }
    expect(fake.seen('telegram', 'malformed')[0]!.path).toBe(`/bot${secret}/getMe`);
  });
});

describe('the CLI', () => {
  const dir = tempDir();
  const secret = token('{{github:ghp_}}', 'cli-lookup');
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'deploy.sh'), `export GITHUB_TOKEN=${secret}\n`);

  it('looks tokens up after a scan and says how many, and where, in the summary', async () => {
    const env = { LEAKRADIUS_OFFLINE: '', LEAKRADIUS_ENDPOINT_GITHUB: fake.url('github', 'broad') };
    const r = await runCli(['scan', dir, '--threads', '1', '--rules', RULES], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^1 high \(1 live, 1 admin\)|^1 critical \(1 live, 1 admin\)/);
    expect(r.stdout).toMatch(/1 looked up \(1 live, 0 revoked, 0 unknown\) at 127\.0\.0\.1:\d+/);
    expect(r.stdout).toContain('admin access: repo, admin:org');
  });

  it('makes no request with --offline', async () => {
    const before = fake.requests.length;
    const r = await runCli(['scan', dir, '--offline', '--format', 'json', '--rules', RULES], {
      env: { LEAKRADIUS_OFFLINE: '', LEAKRADIUS_ENDPOINT_GITHUB: fake.url('github', 'broad') },
    });
    expect(r.code).toBe(1);
    expect(fake.requests.length).toBe(before);
    const doc = JSON.parse(r.stdout);
    expect(doc.findings[0].scope.status).toBe('not-checked');
    expect(doc.findings[0].blast.basis).toBe('inferred');
  });

  it('`lookup` reads the token from stdin, never argv, and prints scope and blast radius', async () => {
    const r = await runCli(['lookup', '--rules', RULES], {
      input: `${secret}\n`,
      env: { LEAKRADIUS_OFFLINE: '', LEAKRADIUS_ENDPOINT_GITHUB: fake.url('github', 'broad') },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('status:     live');
    expect(r.stdout).toContain('identity:   fixture');
    expect(r.stdout).toContain('admin:org → admin');
    expect(r.stdout).toMatch(/expiring\s+violated \(never expires\)/);
    expect(r.stdout).not.toContain(secret);
  });

  it('`lookup --format json` reads LEAKRADIUS_TOKEN and reports revoked tokens as info', async () => {
    const r = await runCli(['lookup', '--format', 'json', '--rules', RULES], {
      env: {
        LEAKRADIUS_OFFLINE: '',
        LEAKRADIUS_TOKEN: secret,
        LEAKRADIUS_ENDPOINT_GITHUB: fake.url('github', 'revoked'),
      },
    });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.findings[0].scope.status).toBe('revoked');
    expect(doc.findings[0].blast.tier).toBe('info');
    expect(r.stdout).not.toContain(secret);
  });

  it('`lookup` takes no token as an argument', async () => {
    const r = await runCli(['lookup', '--rules', RULES, secret]);
    expect(r.code).toBe(2);
    expect(r.stdout).not.toContain(secret);
  });
});

describe('tenant hosts', () => {
  it(
    'come from the token (Mailchimp data center) or the text next ' + 'to it, and must match the provider domain',
    async () => {
      const { findings, rules } = makeFindings([
        { secret: token('{{hex:32}}-us6', 'mc-host'), provider: 'mailchimp' },
        {
          secret: token('shpat_{{hex:32}}', 'shop-host'),
          provider: 'shopify',
          excerpt: 'SHOP=https://evil.example.com SHOPIFY_SHOP=acme-store.myshopify.com',
          line: 40,
        },
        { secret: token('{{hex:32}}', 'dd-host'), provider: 'datadog', line: 80 },
      ]);
      const urls: string[] = [];
      // No network: a fetch that records where each lookup would go.
      const fetch = (async (url: string | URL | Request) => {
        urls.push(String(url));
        return new Response('{}', { status: 401 });
      }) as typeof globalThis.fetch;
      await enrich(findings, rules, { env: {}, fetch });
      // No Datadog site next to the key: every documented site in turn (each answered 401 here).
      expect(urls.sort()).toEqual([
        'https://acme-store.myshopify.com/admin/oauth/access_scopes.json',
        'https://api.ap1.datadoghq.com/api/v1/validate',
        'https://api.ap2.datadoghq.com/api/v1/validate',
        'https://api.datadoghq.com/api/v1/validate',
        'https://api.datadoghq.eu/api/v1/validate',
        'https://api.ddog-gov.com/api/v1/validate',
        'https://api.us3.datadoghq.com/api/v1/validate',
        'https://api.us5.datadoghq.com/api/v1/validate',
        'https://us6.api.mailchimp.com/3.0/',
      ]);
      expect(findings[2]!.scope.status).toBe('revoked');
    },
  );
});
