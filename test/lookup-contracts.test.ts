// Lookups against fakes that follow each provider's documented contract (test/fakes/contracts.ts):
// neighbouring credentials each get their own answer, signatures are checked with the real
// algorithms, and `revoked` comes only from the provider's definitive signal for that token class.

import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scan } from '../src/scan/scan.js';
import { enrich, endpointVariable } from '../src/scope/lookup/index.js';
import { rerank } from '../src/rank/rank.js';
import type { Finding, Warning } from '../src/types.js';
import {
  atlassianApi,
  awsApi,
  azureBlob,
  azureDevOps,
  azureSas,
  cloudflareApi,
  datadogSite,
  entraApi,
  gcpApi,
  githubApi,
  gitlabApi,
  googleApi,
  mailgunRegion,
  slackApi,
  twilioKeys,
  type AwsPrincipal,
  type GitHubToken,
} from './fakes/contracts.js';
import { makeFindings, type Placed } from './fakes/findings.js';
import { FakeProviders, type SeenRequest } from './fakes/server.js';
import { ROOT, cleanupTempDirs, runCli, tempDir, token } from './helpers.js';

const t = (template: string, seed: string) => token(template, `contract:${seed}`);
const admin = (s: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: s, Resource: '*' }] });

// --- the providers' "databases" --------------------------------------------------------------

const gh = {
  oldRevoked: t('{{github:ghp_}}', 'gh-old'),
  liveAdmin: t('{{github:ghp_}}', 'gh-admin'),
  oneLineA: t('{{github:ghp_}}', 'gh-a'),
  oneLineB: t('{{github:ghp_}}', 'gh-b'),
  fineGrained: `github_pat_${t('{{an:22}}', 'gh-fg1')}_${t('{{an:59}}', 'gh-fg2')}`,
  installation: t('{{github:ghs_}}', 'gh-ghs'),
};
const orgRepos = [
  {
    full_name: 'acme/api',
    owner: { login: 'acme', type: 'Organization' as const },
    permissions: { admin: true, push: true, pull: true },
  },
  {
    full_name: 'acme/web',
    owner: { login: 'acme', type: 'Organization' as const },
    permissions: { admin: false, push: true, pull: true },
  },
  {
    full_name: 'dev/dotfiles',
    owner: { login: 'dev', type: 'User' as const },
    permissions: { admin: true, push: true, pull: true },
  },
];
const githubTokens = new Map<string, GitHubToken>([
  [gh.liveAdmin, { login: 'admin-user', scopes: 'repo, admin:org', repos: orgRepos }],
  [gh.oneLineA, { login: 'user-a', scopes: 'read:user' }],
  [gh.oneLineB, { login: 'user-b', scopes: 'repo' }],
  [gh.fineGrained, { login: 'fg-user', expiration: '2027-03-19 00:00:00 -0500', repos: [] }],
  [gh.installation, { installation: true, repos: orgRepos.slice(0, 2) }],
]);

const stripe = { test: t('sk_test_{{an:24}}', 'stripe-test'), live: t('sk_live_{{an:24}}', 'stripe-live') };
/** https://docs.stripe.com/api/accounts/retrieve; 401 for an unknown key (https://docs.stripe.com/api/errors). */
const stripeApi = (req: SeenRequest) => {
  const key = String(req.headers.authorization).replace(/^Bearer /, '');
  const id = key === stripe.test ? 'acct_TEST' : key === stripe.live ? 'acct_LIVE' : undefined;
  return id
    ? { body: { id, charges_enabled: true, payouts_enabled: true } }
    : { status: 401, body: { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } } };
};

const awsKey = (account: string, seed: string) => t(`{{aws-account:AKIA/${account}}}`, seed);
const aws = Array.from({ length: 4 }, (_, i) => ({
  id: awsKey('000011112222', `aws-${i}`),
  secret: t('{{b64:40}}', `aws-secret-${i}`),
  arn: `arn:aws:iam::000011112222:user/ci-${i}`,
}));
const principals = new Map<string, AwsPrincipal>(aws.map((k) => [k.id, { secret: k.secret, arn: k.arn }]));

const twilio = [0, 1].map((i) => ({
  sid: t('AC{{hex:32}}', `tw-sid-${i}`),
  token: t('{{hex:32}}', `tw-token-${i}`),
  name: `Fixture ${i}`,
}));
/**
 * https://www.twilio.com/docs/iam/api/account#fetch-an-account-resource: Basic SID:token, 401 code 20003
 * otherwise.
 */
const twilioApi = (req: SeenRequest) => {
  const [user, pass] = Buffer.from(String(req.headers.authorization).replace(/^Basic /, ''), 'base64')
    .toString()
    .split(':');
  const acct = twilio.find(
    (a) => a.sid === user && a.token === pass && req.path === `/2010-04-01/Accounts/${a.sid}.json`,
  );
  return acct
    ? { body: { sid: acct.sid, friendly_name: acct.name, status: 'active', type: 'Full' } }
    : { status: 401, body: { code: 20003, message: 'Authenticate', status: 401 } };
};

const fake = new FakeProviders({
  github: { contract: githubApi(githubTokens) },
  stripe: { contract: stripeApi },
  aws: { contract: awsApi(principals) },
  'aws-iam': { contract: awsApi(principals) },
  twilio: { contract: twilioApi },
});
const RULES = tempDir('lr-contract-rules-');
for (const f of ['github.yml', 'stripe.yml', 'aws.yml', 'twilio.yml', 'cloudflare.yml', 'atlassian.yml'])
  copyFileSync(join(ROOT, 'rules', f), join(RULES, f));

beforeAll(() => fake.start().then(() => undefined));
afterAll(async () => {
  await fake.close();
  cleanupTempDirs();
});

const envFor = (...providers: string[]): NodeJS.ProcessEnv =>
  Object.fromEntries(providers.map((p) => [endpointVariable(p), fake.url(p, 'contract')]));

async function lookUp(items: Placed[], env: NodeJS.ProcessEnv, deep = false) {
  const { findings, rules } = makeFindings(items);
  const warnings: Warning[] = [];
  await enrich(findings, rules, { env, deep, timeoutMs: 3000, backoffMs: 5, onWarning: (w) => warnings.push(w) });
  rerank(findings, new Map(rules.map((r) => [r.id, r]))); // the pipeline ranks once, after scope
  return { findings, warnings };
}

describe('neighbouring credentials each get their own answer', () => {
  it('in every form the scanner pairs: adjacent lines, one line, composite pairs', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'settings.env'),
      [
        `GITHUB_TOKEN_OLD=${gh.oldRevoked}`,
        `GITHUB_TOKEN=${gh.liveAdmin}`,
        `tokens: ${gh.oneLineA} ${gh.oneLineB}`,
        `STRIPE_TEST_KEY=${stripe.test}`,
        `STRIPE_KEY=${stripe.live}`,
        `aws_access_key_id = ${aws[0]!.id}`,
        `aws_secret_access_key = ${aws[0]!.secret}`,
        `aws_access_key_id = ${aws[1]!.id}`,
        `aws_secret_access_key = ${aws[1]!.secret}`,
        `[{"AccessKeyId": "${aws[2]!.id}", "SecretAccessKey": "${aws[2]!.secret}"}, {"AccessKeyId": ` +
          `"${aws[3]!.id}", "SecretAccessKey": "${aws[3]!.secret}"}]`,
        `TWILIO_ACCOUNT_SID=${twilio[0]!.sid}`,
        `TWILIO_AUTH_TOKEN=${twilio[0]!.token}`,
        `TWILIO_ACCOUNT_SID=${twilio[1]!.sid}`,
        `TWILIO_AUTH_TOKEN=${twilio[1]!.token}`,
        '',
      ].join('\n'),
    );
    const run = scan({
      paths: [dir],
      threads: 1,
      rulesDir: RULES,
      lookup: { env: envFor('github', 'stripe', 'aws', 'twilio'), timeoutMs: 3000, backoffMs: 5 },
    });
    const { findings } = await run.result;
    const of = (secret: string): Finding => {
      const f = findings.find((x) => x.secret.split('\n').includes(secret));
      if (!f) throw new Error(`no finding for ${secret.slice(0, 6)}…`);
      return f;
    };
    expect(of(gh.oldRevoked).scope.status).toBe('revoked');
    expect(of(gh.liveAdmin).scope).toMatchObject({ status: 'live', identity: 'admin-user' });
    expect(['critical', 'high']).toContain(of(gh.liveAdmin).blast.tier);
    expect(of(gh.oneLineA).scope.identity).toBe('user-a');
    expect(of(gh.oneLineB).scope.identity).toBe('user-b');
    expect(of(stripe.test).scope).toMatchObject({ identity: 'acct_TEST', environment: 'test' });
    expect(of(stripe.live).scope).toMatchObject({ identity: 'acct_LIVE', environment: 'production' });
    expect(of(stripe.live).blast.score).toBeGreaterThan(of(stripe.test).blast.score);
    for (const k of aws) expect(of(k.id).scope).toMatchObject({ status: 'live', identity: k.arn });
    for (const a of twilio) expect(of(a.sid).scope).toMatchObject({ status: 'live', identity: a.name });
  });
});

describe('AWS (SigV4 checked by the fake)', () => {
  const env = () => envFor('aws', 'aws-iam');

  it('does not look up a temporary ASIA key without its session token', async () => {
    const id = t('{{aws:ASIA}}', 'asia');
    const secret = t('{{b64:40}}', 'asia-secret');
    principals.set(id, {
      secret,
      arn: 'arn:aws:sts::000011112222:assumed-role/ci/session',
      sessionToken: t('IQoJb3JpZ2luX2Vj{{b64:300}}', 'asia-token'),
    });
    const before = fake.seen('aws', 'contract').length;
    const { findings } = await lookUp([{ secret: `${id}\n${secret}`, provider: 'aws' }], env());
    expect(findings[0]!.scope.status).toBe('not-checked');
    expect(findings[0]!.scope.facts.join('\n')).toMatch(/session token/);
    expect(fake.seen('aws', 'contract').length).toBe(before);
  });

  it('looks an ASIA key up with the session token found next to it', async () => {
    const id = t('{{aws:ASIA}}', 'asia');
    const secret = t('{{b64:40}}', 'asia-secret');
    const { findings } = await lookUp(
      [
        { secret: `${id}\n${secret}`, provider: 'aws' },
        { secret: principals.get(id)!.sessionToken!, provider: 'aws' },
      ],
      env(),
    );
    expect(findings[0]!.scope).toMatchObject({
      status: 'live',
      identity: 'arn:aws:sts::000011112222:assumed-role/ci/session',
    });
  });

  it('retries a new key’s SignatureDoesNotMatch once, then finds it live', async () => {
    const k = { id: awsKey('000011112222', 'aws-fresh'), secret: t('{{b64:40}}', 'aws-fresh-secret') };
    principals.set(k.id, { secret: k.secret, arn: 'arn:aws:iam::000011112222:user/new', fresh: 1 });
    const { findings } = await lookUp([{ secret: `${k.id}\n${k.secret}`, provider: 'aws' }], env());
    expect(findings[0]!.scope.status).toBe('live');
  });

  it('says unknown, not revoked, when the secret next to a live key id is not its secret', async () => {
    const { findings } = await lookUp(
      [{ secret: `${aws[0]!.id}\n${t('{{b64:40}}', 'aws-wrong')}`, provider: 'aws' }],
      env(),
    );
    expect(findings[0]!.scope.status).toBe('unknown');
    expect(findings[0]!.scope.facts.join('\n')).toMatch(/SignatureDoesNotMatch twice/);
  });

  it('says revoked on InvalidClientTokenId (the key id no longer exists)', async () => {
    const { findings } = await lookUp(
      [
        {
          secret: `${awsKey('000011112222', 'aws-deleted')}\n${t('{{b64:40}}', 'aws-deleted-secret')}`,
          provider: 'aws',
        },
      ],
      env(),
    );
    expect(findings[0]!.scope.status).toBe('revoked');
    expect(findings[0]!.blast.tier).toBe('info');
  });

  it('says revoked on ExpiredToken (an ASIA session that has ended)', async () => {
    const id = t('{{aws:ASIA}}', 'asia-expired');
    const secret = t('{{b64:40}}', 'asia-expired-secret');
    const sessionToken = t('IQoJb3JpZ2luX2Vj{{b64:300}}', 'asia-expired-token');
    const expired = new FakeProviders({
      aws: {
        contract: () => ({
          status: 403,
          body:
            '<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>The security token ' +
            'included in the request is expired</Message></Error></ErrorResponse>',
        }),
      },
    });
    await expired.start();
    const { findings } = await lookUp(
      [
        { secret: `${id}\n${secret}`, provider: 'aws' },
        { secret: sessionToken, provider: 'aws' },
      ],
      { LEAKRADIUS_ENDPOINT_AWS: expired.url('aws', 'contract') },
    );
    await expired.close();
    expect(findings[0]!.scope.status).toBe('revoked');
  });

  it('never calls a canary account: reported as a canary token, tier info', async () => {
    const id = awsKey('052310077262', 'canary');
    principals.set(id, {
      secret: t('{{b64:40}}', 'canary-secret'),
      arn: 'arn:aws:iam::052310077262:user/canarytokens',
    });
    const before = fake.requests.length;
    const { findings } = await lookUp(
      [{ secret: `${id}\n${principals.get(id)!.secret}`, provider: 'aws', tier: 'critical' }],
      env(),
    );
    expect(fake.requests.length).toBe(before);
    expect(findings[0]!.blast.tier).toBe('info');
    expect(findings[0]!.blast.reasons[0]).toMatch(
      /^canary token: someone planted this to detect scanners; do not use/,
    );
  });

  it(
    'with --deep-lookup summarises attached and inline policies: ' + 'admin, privilege escalation, write, read',
    async () => {
      const k = { id: awsKey('000011112222', 'aws-deep'), secret: t('{{b64:40}}', 'aws-deep-secret') };
      principals.set(k.id, {
        secret: k.secret,
        arn: 'arn:aws:iam::000011112222:user/deploy',
        policies: [
          { name: 'AdministratorAccess', document: admin('*') },
          {
            name: 'AmazonS3ReadOnlyAccess',
            document: { Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: '*' }] },
          },
        ],
        inline: [
          {
            name: 'pass-role',
            document: { Statement: { Effect: 'Allow', Action: ['iam:PassRole', 'ec2:Describe*'], Resource: '*' } },
          },
          {
            name: 'deploy',
            document: { Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::site/*' }] },
          },
        ],
      });
      const { findings } = await lookUp([{ secret: `${k.id}\n${k.secret}`, provider: 'aws' }], env(), true);
      const reached = findings[0]!.scope.reached!.map((r) => `${r.resource} [${r.access}]`);
      expect(reached).toEqual([
        'policy AdministratorAccess: admin (Action "*") [admin]',
        'policy AmazonS3ReadOnlyAccess: read (2 read action(s)) [read]',
        'policy inline pass-role: privilege escalation (iam:PassRole) [admin]',
        'policy inline deploy: write (s3:PutObject) [write]',
      ]);
      expect(findings[0]!.scope.facts).toContain('IAM: 1 admin, 1 privilege escalation, 1 write, 1 read');
    },
  );
});

describe('Azure storage (Shared Key checked by the fake)', () => {
  const key = t('{{b64:86}}==', 'azure-key');
  const other = new FakeProviders({
    azure: { contract: azureBlob(new Map([['fixture', { key, containers: ['backups', 'logs'] }]])) },
  });
  beforeAll(() => other.start().then(() => undefined));
  afterAll(() => other.close());

  it('signs every query parameter, so a current key is live', async () => {
    const { findings, warnings } = await lookUp(
      [{ secret: `DefaultEndpointsProtocol=https;AccountName=fixture;AccountKey=${key}`, provider: 'azure' }],
      { LEAKRADIUS_ENDPOINT_AZURE: other.url('azure', 'contract') },
    );
    expect(warnings).toEqual([]);
    expect(findings[0]!.scope.status).toBe('live');
    expect(findings[0]!.scope.reached!.map((r) => r.resource)).toEqual([
      'blob container fixture/backups',
      'blob container fixture/logs',
    ]);
  });

  it('says revoked only on AuthenticationFailed for the named account', async () => {
    const { findings } = await lookUp(
      [{ secret: `AccountName=fixture;AccountKey=${t('{{b64:86}}==', 'azure-rotated')}`, provider: 'azure' }],
      { LEAKRADIUS_ENDPOINT_AZURE: other.url('azure', 'contract') },
    );
    expect(findings[0]!.scope.status).toBe('revoked');
  });
});

describe('Cloudflare (user and account tokens)', () => {
  const account = t('{{hex:32}}', 'cf-account');
  const cf = {
    user: t('{{cloudflare:cfut_}}', 'cf-user'),
    account: t('{{cloudflare:cfat_}}', 'cf-acct'),
    legacyAccount: t('{{an:40}}', 'cf-legacy'),
  };
  const other = new FakeProviders({
    cloudflare: {
      contract: cloudflareApi(
        new Map([
          [cf.user, { id: 'u1' }],
          [cf.account, { id: 'a1', account }],
          [cf.legacyAccount, { id: 'a2', account }],
        ]),
      ),
    },
  });
  beforeAll(() => other.start().then(() => undefined));
  afterAll(() => other.close());
  const env = () => ({ LEAKRADIUS_ENDPOINT_CLOUDFLARE: other.url('cloudflare', 'contract') });

  it('verifies an account token at its account, with the account id found next to it', async () => {
    const { findings } = await lookUp(
      [{ secret: cf.account, provider: 'cloudflare', excerpt: `CLOUDFLARE_ACCOUNT_ID=${account}` }],
      env(),
    );
    expect(findings[0]!.scope).toMatchObject({ status: 'live', identity: 'account token a1' });
  });

  it('finds the account id on a line next to the token in a scanned file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.env'), `CLOUDFLARE_API_TOKEN=${cf.account}\nCLOUDFLARE_ACCOUNT_ID=${account}\n`);
    const { findings } = await scan({
      paths: [dir],
      threads: 1,
      rulesDir: RULES,
      lookup: { env: env(), timeoutMs: 3000 },
    }).result;
    expect(findings.find((f) => f.secret === cf.account)!.scope).toMatchObject({
      status: 'live',
      identity: 'account token a1',
    });
  });

  it('does not call an account token revoked when no account id is known', async () => {
    const { findings } = await lookUp([{ secret: cf.account, provider: 'cloudflare' }], env());
    expect(findings[0]!.scope.status).toBe('not-checked');
    const legacy = await lookUp([{ secret: cf.legacyAccount, provider: 'cloudflare' }], env());
    expect(legacy.findings[0]!.scope.status).toBe('unknown');
    expect(legacy.findings[0]!.scope.facts.join('\n')).toMatch(/account-owned token answers the same/);
    // The reason is in the blast radius too, where a reader of the report sees it.
    expect(legacy.findings[0]!.blast.reasons[0]).toMatch(/no verdict from the lookup \(401 at \/user\/tokens\/verify/);
  });

  it('says revoked for a user token the user endpoint refuses', async () => {
    const { findings } = await lookUp(
      [{ secret: t('{{cloudflare:cfut_}}', 'cf-dead'), provider: 'cloudflare' }],
      env(),
    );
    expect(findings[0]!.scope.status).toBe('revoked');
    const live = await lookUp([{ secret: cf.user, provider: 'cloudflare' }], env());
    expect(live.findings[0]!.scope.status).toBe('live');
  });
});

describe('GitHub', () => {
  it('reads the expiry header with a numeric offset, and never turns an unreadable one into "never"', async () => {
    const { findings } = await lookUp([{ secret: gh.fineGrained, provider: 'github' }], envFor('github'));
    expect(findings[0]!.scope.expiresAt).toBe('2027-03-19T05:00:00.000Z');
    githubTokens.set(gh.fineGrained, { login: 'fg-user', expiration: 'next spring' });
    const odd = await lookUp([{ secret: gh.fineGrained, provider: 'github' }], envFor('github'));
    expect(odd.findings[0]!.scope.expiresAt).toBeUndefined();
    expect(odd.findings[0]!.blast.practices.expiring).not.toBe('violated');
    expect(odd.findings[0]!.scope.facts.join('\n')).toMatch(/expiry header not understood/);
  });

  it('looks an App installation token (ghs_) up at /installation/repositories: /user answers 403 for it', async () => {
    const { findings, warnings } = await lookUp([{ secret: gh.installation, provider: 'github' }], envFor('github'));
    expect(warnings).toEqual([]);
    expect(findings[0]!.scope.status).toBe('live');
    expect(findings[0]!.scope.reached!.map((r) => r.resource)).toContain(
      'github organization acme: push to 2, admin on 1 repositories',
    );
  });

  it('lists the organizations and repositories a live token reaches', async () => {
    const { findings } = await lookUp([{ secret: gh.liveAdmin, provider: 'github' }], envFor('github'));
    expect(findings[0]!.scope.reached).toEqual([
      { resource: 'github organization acme: push to 2, admin on 1 repositories', access: 'admin' },
      { resource: 'github repository acme/api (admin)', access: 'admin' },
      { resource: 'github repository dev/dotfiles (admin)', access: 'admin' },
    ]);
    expect(findings[0]!.scope.facts).toContain('reaches 3 repositories: push to 3, admin on 2');
  });

  it('does not lower a token the provider accepted because its checksum failed', async () => {
    const { findings } = await lookUp([{ secret: gh.liveAdmin, provider: 'github' }], envFor('github'));
    const f = findings[0]!;
    const low = { ...f, confidence: 'low' as const };
    const { rankFinding } = await import('../src/rank/rank.js');
    const rule = { name: 'GitHub token', provider: 'github', tier: 'high' as const };
    expect(rankFinding(rule, low).score).toBe(rankFinding(rule, f).score);
    expect(rankFinding(rule, { ...low, scope: { ...f.scope, status: 'not-checked' } }).score).toBeLessThan(
      rankFinding(rule, { ...f, scope: { ...f.scope, status: 'not-checked' } }).score,
    );
  });
});

describe('hosts, regions and partners that were guessed', () => {
  const ddKeys = new Map([[t('{{hex:32}}', 'dd-eu'), 'eu']]);
  const mgKeys = new Map([[t('key-{{hex:32}}', 'mg-eu'), 'eu']]);
  const atl = {
    classic: t('ATATT3{{b64url:180}}={{hex:8}}', 'atl-classic'),
    scoped: t('ATATT3{{b64url:180}}={{hex:8}}', 'atl-scoped'),
  };
  const cloudId = '11111111-2222-4333-8444-555555555555';
  const regional = new FakeProviders({
    datadog: { us1: datadogSite('us1', ddKeys) },
    'datadog-eu': { eu: datadogSite('eu', ddKeys) },
    'datadog-us3': { us3: datadogSite('us3', ddKeys) },
    mailgun: { us: mailgunRegion('us', mgKeys) },
    'mailgun-eu': { eu: mailgunRegion('eu', mgKeys) },
    atlassian: {
      contract: atlassianApi(
        cloudId,
        new Map([
          [atl.classic, { email: 'dev@fixture.test', scoped: false }],
          [atl.scoped, { email: 'dev@fixture.test', scoped: true }],
        ]),
      ),
    },
  });
  beforeAll(() => regional.start().then(() => undefined));
  afterAll(() => regional.close());
  const ddEnv = () => ({
    LEAKRADIUS_ENDPOINT_DATADOG: regional.url('datadog', 'us1'),
    LEAKRADIUS_ENDPOINT_DATADOG_EU: regional.url('datadog-eu', 'eu'),
    LEAKRADIUS_ENDPOINT_DATADOG_US3: regional.url('datadog-us3', 'us3'),
  });

  it('Datadog: tries the documented sites in turn when no site is next to the key', async () => {
    const { findings } = await lookUp([{ secret: [...ddKeys.keys()][0]!, provider: 'datadog' }], ddEnv());
    expect(findings[0]!.scope.status).toBe('live');
    expect(findings[0]!.scope.facts.join('\n')).toMatch(/answered by api\.datadoghq\.eu/);
    expect(regional.seen('datadog', 'us1').length).toBe(1);
    const dead = await lookUp([{ secret: t('{{hex:32}}', 'dd-dead'), provider: 'datadog' }], ddEnv());
    expect(dead.findings[0]!.scope.status).toBe('revoked');
    expect(dead.findings[0]!.scope.facts.join('\n')).toMatch(/rejected at every documented host/);
  });

  it('Datadog: a site named next to the key is the only one asked; refused there is revoked', async () => {
    const key = [...ddKeys.keys()][0]!;
    const before = regional.seen('datadog', 'us1').length;
    const { findings } = await lookUp(
      [{ secret: key, provider: 'datadog', excerpt: 'DD_SITE=datadoghq.eu' }],
      ddEnv(),
    );
    expect(findings[0]!.scope.status).toBe('live');
    expect(regional.seen('datadog', 'us1').length).toBe(before);
    const us3 = await lookUp([{ secret: key, provider: 'datadog', excerpt: 'DD_SITE=us3.datadoghq.com' }], ddEnv());
    expect(us3.findings[0]!.scope.status).toBe('revoked');
  });

  it('Mailgun: a key of an EU account is live, not revoked', async () => {
    const env = {
      LEAKRADIUS_ENDPOINT_MAILGUN: regional.url('mailgun', 'us'),
      LEAKRADIUS_ENDPOINT_MAILGUN_EU: regional.url('mailgun-eu', 'eu'),
    };
    const { findings } = await lookUp([{ secret: [...mgKeys.keys()][0]!, provider: 'mailgun' }], env);
    expect(findings[0]!.scope.status).toBe('live');
  });

  it(
    'Atlassian: a scoped token (401 at the site) is live through api.atlassian.com; a guessed e-mail is never a ' +
      'verdict',
    async () => {
      const env = {
        LEAKRADIUS_ENDPOINT_ATLASSIAN: regional.url('atlassian', 'contract'),
        LEAKRADIUS_ENDPOINT_ATLASSIAN_API: regional.url('atlassian', 'contract'),
      };
      const site = 'JIRA_URL=https://acme.atlassian.net JIRA_EMAIL=dev@fixture.test';
      const scoped = await lookUp([{ secret: atl.scoped, provider: 'atlassian', excerpt: site }], env);
      expect(scoped.findings[0]!.scope.status).toBe('live');
      const classic = await lookUp([{ secret: atl.classic, provider: 'atlassian', excerpt: site }], env);
      expect(classic.findings[0]!.scope.status).toBe('live');
      const guessed = await lookUp(
        [
          {
            secret: atl.classic,
            provider: 'atlassian',
            excerpt: 'https://acme.atlassian.net owner: ops@fixture.test',
          },
        ],
        env,
      );
      expect(guessed.findings[0]!.scope.status).toBe('unknown');
      const dead = await lookUp(
        [{ secret: t('ATATT3{{b64url:180}}={{hex:8}}', 'atl-dead'), provider: 'atlassian', excerpt: site }],
        env,
      );
      expect(dead.findings[0]!.scope.status).toBe('revoked');
    },
  );

  it('Atlassian: the site and the e-mail on the lines around the token in a scanned file', async () => {
    const env = {
      LEAKRADIUS_ENDPOINT_ATLASSIAN: regional.url('atlassian', 'contract'),
      LEAKRADIUS_ENDPOINT_ATLASSIAN_API: regional.url('atlassian', 'contract'),
    };
    const dir = tempDir();
    writeFileSync(
      join(dir, 'jira.env'),
      `JIRA_URL=https://acme.atlassian.net\nJIRA_EMAIL=dev@fixture.test\nJIRA_API_TOKEN=${atl.scoped}\n`,
    );
    const { findings } = await scan({ paths: [dir], threads: 1, rulesDir: RULES, lookup: { env, timeoutMs: 3000 } })
      .result;
    expect(findings.find((f) => f.secret === atl.scoped)!.scope.status).toBe('live');
  });

  it('Vercel: vck_, vca_ and vcr_ tokens are not sent to /v2/user', async () => {
    const before = regional.requests.length + fake.requests.length;
    const { findings } = await lookUp([{ secret: t('vck_{{an:56}}', 'vck'), provider: 'vercel' }], {
      LEAKRADIUS_ENDPOINT_VERCEL: fake.url('vercel', 'contract'),
    });
    expect(findings[0]!.scope.status).toBe('not-checked');
    expect(regional.requests.length + fake.requests.length).toBe(before);
  });
});

describe('the blast-radius section of every report', () => {
  it('shows the resources a live token reaches in text, JSON and SARIF', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'deploy.sh'), `export GITHUB_TOKEN=${gh.liveAdmin}\n`);
    const env = { LEAKRADIUS_OFFLINE: '', LEAKRADIUS_ENDPOINT_GITHUB: fake.url('github', 'contract') };
    const text = await runCli(['scan', dir, '--threads', '1', '--rules', RULES], { env });
    expect(text.stdout).toContain('  reaches:  github organization acme: push to 2, admin on 1 repositories [admin]');
    expect(text.stdout).toContain('  reaches:  github repository acme/api (admin) [admin]');
    const json = JSON.parse(
      (await runCli(['scan', dir, '--threads', '1', '--rules', RULES, '--format', 'json'], { env })).stdout,
    );
    expect(json.findings[0].blast.reached[0]).toEqual({
      resource: 'github organization acme: push to 2, admin on 1 repositories',
      access: 'admin',
    });
    const sarif = JSON.parse(
      (await runCli(['scan', dir, '--threads', '1', '--rules', RULES, '--format', 'sarif'], { env })).stdout,
    );
    const result = sarif.runs[0].results[0];
    expect(result.properties.reached).toContain('github repository acme/api (admin) [admin]');
    expect(result.message.text).toContain(
      'Reaches: github organization acme: push to 2, admin on 1 repositories [admin]',
    );
    const one = await runCli(['lookup', '--rules', RULES], { input: `${gh.liveAdmin}\n`, env });
    expect(one.stdout).toContain(
      '  reaches:\n              github organization acme: push to 2, admin on 1 repositories → admin',
    );
    for (const out of [text.stdout, JSON.stringify(json), JSON.stringify(sarif), one.stdout])
      expect(out).not.toContain(gh.liveAdmin);
  });
});

describe('GitLab, Slack, GCP, Entra, Square (contract fakes)', () => {
  const glpat = t('glpat-{{an:20}}', 'gl');
  const slackBot = t('xoxb-{{digits:12}}-{{digits:13}}-{{an:24}}', 'slack');
  const sa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const saJson = (email: string, key = sa.privateKey) =>
    JSON.stringify({
      type: 'service_account',
      project_id: 'fixture-project',
      private_key_id: 'k1',
      private_key: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: email,
    });
  const entra = {
    tenant: '00000000-0000-4000-8000-00000000000a',
    client: '00000000-0000-4000-8000-00000000000b',
    secret: t('{{an:3}}8Q~{{an:34}}', 'entra'),
  };
  const square = t('EAAA{{b64url:60}}', 'square-sandbox');
  /**
   * https://developer.squareup.com/reference/square/o-auth-api/retrieve-token-status: 401 AUTHENTICATION_ERROR
   * for a token of the other environment.
   */
  const squareEnv = (token: string) => (req: SeenRequest) =>
    String(req.headers.authorization) === `Bearer ${token}`
      ? { body: { scopes: ['PAYMENTS_READ'], expires_at: '', merchant_id: 'MSANDBOX' } }
      : { status: 401, body: { errors: [{ category: 'AUTHENTICATION_ERROR', code: 'UNAUTHORIZED' }] } };
  const other = new FakeProviders({
    gitlab: {
      contract: gitlabApi(
        new Map([
          [
            glpat,
            {
              self: {
                name: 'ci',
                user_id: 7,
                active: true,
                revoked: false,
                scopes: ['api'],
                expires_at: null,
                created_at: '2025-01-02T00:00:00Z',
                last_used_at: '2026-11-30T10:00:00Z',
              },
              groups: [{ id: 1, name: 'Platform', full_path: 'acme/platform', access_levels: 50 }],
              projects: [
                {
                  id: 2,
                  name: 'api',
                  path_with_namespace: 'acme/api',
                  access_levels: { project_access_level: 30, group_access_level: null },
                },
              ],
            },
          ],
        ]),
      ),
    },
    slack: {
      contract: slackApi(
        new Map([
          [
            slackBot,
            { team: 'Acme', url: 'https://acme.slack.com/', botId: 'B0FAKE', scopes: 'chat:write,channels:read' },
          ],
        ]),
      ),
    },
    gcp: {
      contract: gcpApi(
        new Map([
          [
            'ci@fixture-project.iam.gserviceaccount.com',
            { publicKey: sa.publicKey, held: ['storage.buckets.list', 'iam.serviceAccountKeys.create'] },
          ],
        ]),
      ),
    },
    'gcp-skew': {
      contract: gcpApi(
        new Map([['ci@fixture-project.iam.gserviceaccount.com', { publicKey: sa.publicKey, held: [] }]]),
        7200,
      ),
    },
    entra: {
      contract: entraApi(
        new Map([[entra.client, { tenant: entra.tenant, secret: entra.secret, roles: ['User.Read.All'] }]]),
      ),
    },
    square: { contract: squareEnv('none') },
    'square-sandbox': { contract: squareEnv(square) },
  });
  beforeAll(() => other.start().then(() => undefined));
  afterAll(() => other.close());
  const at = (p: string, as = p) => ({ [endpointVariable(as)]: other.url(p, 'contract') });

  it('GitLab: groups and projects with their access level, created and last used', async () => {
    const { findings } = await lookUp([{ secret: glpat, provider: 'gitlab' }], at('gitlab'));
    expect(findings[0]!.scope.reached).toEqual([
      { resource: 'gitlab group acme/platform (owner)', access: 'admin' },
      { resource: 'gitlab project acme/api (developer)', access: 'write' },
    ]);
    expect(findings[0]!.scope.facts).toEqual(expect.arrayContaining(['created 2025-01-02', 'last used 2026-11-30']));
  });

  it('Slack: the workspace the bot reaches, with its scopes', async () => {
    const { findings } = await lookUp([{ secret: slackBot, provider: 'slack' }], at('slack'));
    expect(findings[0]!.scope.reached).toEqual([
      { resource: 'slack workspace Acme (https://acme.slack.com/) as bot B0FAKE: 2 scope(s)', access: 'write' },
    ]);
  });

  it(
    'GCP: the testIamPermissions result for the project; a deleted ' + 'key is revoked; a clock error is no verdict',
    async () => {
      const env = { ...at('gcp'), ...at('gcp', 'gcp-crm') };
      const live = await lookUp(
        [{ secret: saJson('ci@fixture-project.iam.gserviceaccount.com'), provider: 'gcp' }],
        env,
      );
      expect(live.findings[0]!.scope.reached).toEqual([
        {
          resource: 'gcp project fixture-project: iam.serviceAccountKeys.create, storage.buckets.list',
          access: 'admin',
        },
      ]);
      const deleted = await lookUp(
        [
          {
            secret: saJson(
              'ci@fixture-project.iam.gserviceaccount.com',
              generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
            ),
            provider: 'gcp',
          },
        ],
        env,
      );
      expect(deleted.findings[0]!.scope.status).toBe('revoked');
      const skewed = await lookUp(
        [{ secret: saJson('ci@fixture-project.iam.gserviceaccount.com'), provider: 'gcp' }],
        {
          ...at('gcp-skew', 'gcp'),
          ...at('gcp-skew', 'gcp-crm'),
        },
      );
      expect(skewed.findings[0]!.scope.status).toBe('unknown');
    },
  );

  it('Entra: a wrong secret is revoked; an app missing from a tenant guessed from the text is not', async () => {
    const wrong = await lookUp(
      [{ secret: `${entra.client}\n${t('{{an:3}}8Q~{{an:34}}', 'entra-wrong')}\n${entra.tenant}`, provider: 'entra' }],
      at('entra'),
    );
    expect(wrong.findings[0]!.scope.status).toBe('revoked');
    const otherTenant = '00000000-0000-4000-8000-00000000000c';
    const guessed = await lookUp(
      [
        {
          secret: entra.secret,
          provider: 'entra',
          excerpt: `AZURE_TENANT_ID=${entra.tenant} AZURE_CLIENT_ID=${otherTenant}`,
        },
      ],
      at('entra'),
    );
    expect(guessed.findings[0]!.scope.status).toBe('unknown');
    const live = await lookUp(
      [
        {
          secret: entra.secret,
          provider: 'entra',
          excerpt: `AZURE_TENANT_ID=${entra.tenant} AZURE_CLIENT_ID=${entra.client}`,
        },
      ],
      at('entra'),
    );
    expect(live.findings[0]!.scope.status).toBe('live');
  });

  it('Square: a sandbox token (401 in production) is live in the sandbox, test mode', async () => {
    const { findings } = await lookUp([{ secret: square, provider: 'square' }], {
      ...at('square'),
      ...at('square-sandbox'),
    });
    expect(findings[0]!.scope).toMatchObject({ status: 'live', environment: 'test', identity: 'MSANDBOX' });
  });
});

describe('keys that had no lookup: Twilio API keys, Google API keys, Azure SAS URLs, Azure DevOps PATs', () => {
  const sk = [0, 1].map((i) => ({
    sid: t('SK{{hex:32}}', `sk-${i}`),
    secret: t('{{an:32}}', `sk-secret-${i}`),
    account: `Fixture ${i}`,
  }));
  const aiza = {
    maps: t('AIza{{b64url:35}}', 'aiza-maps'),
    gemini: t('AIza{{b64url:35}}', 'aiza-gemini'),
    none: t('AIza{{b64url:35}}', 'aiza-none'),
  };
  const googleKeys = new Map<string, ReadonlySet<string>>([
    [aiza.maps, new Set(['maps'])],
    [aiza.gemini, new Set(['gemini', 'youtube'])],
    [aiza.none, new Set()],
  ]);
  const sasSig = t('{{b64:43}}=', 'sas-sig');
  const pat = t('{{an:76}}AZDO{{an:4}}', 'azdo');
  const other = new FakeProviders({
    twilio: { contract: twilioKeys(new Map(sk.map((k) => [k.sid, { secret: k.secret, account: k.account }]))) },
    'google-gemini': { contract: googleApi('gemini', googleKeys) },
    'google-youtube': { contract: googleApi('youtube', googleKeys) },
    'google-maps': { contract: googleApi('maps', googleKeys) },
    azure: { contract: azureSas(new Map([[sasSig, { permissions: 'rl' }]])) },
    'azure-devops': {
      contract: azureDevOps(new Map([[pat, { email: 'dev@fixture.test', orgs: ['acme', 'acme-labs'] }]])),
    },
  });
  beforeAll(() => other.start().then(() => undefined));
  afterAll(() => other.close());
  const at = (...ps: string[]) => Object.fromEntries(ps.map((p) => [endpointVariable(p), other.url(p, 'contract')]));

  it('Twilio: two API keys with their secrets on adjacent lines each get their own account', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, '.env'),
      sk.map((k) => `TWILIO_API_KEY=${k.sid}\nTWILIO_API_SECRET=${k.secret}\n`).join(''),
    );
    const { findings } = await scan({
      paths: [dir],
      threads: 1,
      rulesDir: RULES,
      lookup: { env: at('twilio'), timeoutMs: 3000 },
    }).result;
    for (const k of sk) {
      expect(findings.find((f) => f.secret === k.sid)!.scope).toMatchObject({ status: 'live', identity: k.account });
      expect(findings.find((f) => f.secret === k.secret)!.scope).toMatchObject({
        status: 'live',
        identity: k.account,
      });
    }
    const wrong = await lookUp(
      [
        { secret: sk[0]!.sid, provider: 'twilio' },
        { secret: t('{{an:32}}', 'sk-wrong'), provider: 'twilio' },
      ],
      at('twilio'),
    );
    expect(wrong.findings[0]!.scope.status).toBe('revoked');
  });

  it('Google: lists the APIs a key answers; API_KEY_INVALID everywhere is revoked', async () => {
    const env = at('google-gemini', 'google-youtube', 'google-maps');
    const gemini = await lookUp([{ secret: aiza.gemini, provider: 'google' }], env);
    expect(gemini.findings[0]!.scope.status).toBe('live');
    expect(gemini.findings[0]!.scope.reached!.map((r) => r.resource)).toEqual([
      'google Gemini (Generative Language) API',
      'google YouTube Data API',
    ]);
    const maps = await lookUp([{ secret: aiza.maps, provider: 'google' }], env);
    expect(maps.findings[0]!.scope.facts.join('\n')).toMatch(/answers: Maps Geocoding/);
    const none = await lookUp([{ secret: aiza.none, provider: 'google' }], env);
    expect(none.findings[0]!.scope.status).toBe('live');
    expect(none.findings[0]!.scope.facts.join('\n')).toMatch(/none of the probed APIs is enabled/);
    const dead = await lookUp([{ secret: t('AIza{{b64url:35}}', 'aiza-dead'), provider: 'google' }], env);
    expect(dead.findings[0]!.scope.status).toBe('revoked');
  });

  it(
    'Azure SAS: reads with the SAS at the URL it was written with; a ' +
      'signature that no longer verifies is revoked',
    async () => {
      const url = 'https://fixture.blob.core.windows.net/backups';
      const sas = (sig: string, sp: string) =>
        `sv=2022-11-02&sr=c&sp=${sp}&se=2031-01-01T00:00:00Z&sig=${encodeURIComponent(sig)}`;
      const live = await lookUp(
        [{ secret: sas(sasSig, 'rl'), provider: 'azure', excerpt: `BACKUP_URL=${url}?sv=…` }],
        at('azure'),
      );
      expect(live.findings[0]!.scope).toMatchObject({ status: 'live', identity: 'storage account fixture' });
      expect(other.seen('azure', 'contract').at(-1)!.path).toMatch(
        /^\/backups\?restype=container&comp=list&maxresults=1&sv=/,
      );
      const rotated = await lookUp(
        [{ secret: sas(t('{{b64:43}}=', 'sas-rotated'), 'rl'), provider: 'azure', excerpt: `BACKUP_URL=${url}?sv=…` }],
        at('azure'),
      );
      expect(rotated.findings[0]!.scope.status).toBe('revoked');
      const nowhere = await lookUp([{ secret: sas(sasSig, 'rl'), provider: 'azure' }], {});
      expect(nowhere.findings[0]!.scope.status).toBe('not-checked');
    },
  );

  it('Azure DevOps: the user and the organizations a PAT reaches; 401 is revoked', async () => {
    const { findings } = await lookUp([{ secret: pat, provider: 'azure-devops' }], at('azure-devops'));
    expect(findings[0]!.scope).toMatchObject({ status: 'live', identity: 'dev@fixture.test' });
    expect(findings[0]!.scope.reached!.map((r) => r.resource)).toEqual([
      'azure devops organization acme',
      'azure devops organization acme-labs',
    ]);
    const dead = await lookUp(
      [{ secret: t('{{an:76}}AZDO{{an:4}}', 'azdo-dead'), provider: 'azure-devops' }],
      at('azure-devops'),
    );
    expect(dead.findings[0]!.scope.status).toBe('revoked');
  });
});

describe('EU regions: Postman, New Relic', () => {
  const postman = t('PMAK-{{hex:24}}-{{hex:34}}', 'pm-eu');
  const nrak = t('NRAK-{{uppernum:27}}', 'nr-eu');
  /**
   * Postman's EU data center is its own API host
   * (https://learning.postman.com/docs/developer/postman-api/authentication/); elsewhere 401
   * AuthenticationError.
   */
  const postmanAt = (region: string) => (req: SeenRequest) =>
    region === 'eu' && req.headers['x-api-key'] === postman
      ? { body: { user: { username: 'eu-user', roles: ['user'] } } }
      : {
          status: 401,
          body: {
            error: {
              name: 'AuthenticationError',
              message: 'Invalid API Key. Every request requires a valid API Key to be sent.',
            },
          },
        };
  /**
   * NerdGraph keys are bound to their region's endpoint
   * (https://docs.newrelic.com/docs/apis/nerdgraph/get-started/introduction-new-relic-nerdgraph/).
   */
  const newrelicAt = (region: string) => (req: SeenRequest) =>
    region === 'eu' && req.headers['api-key'] === nrak
      ? {
          body: {
            data: { actor: { user: { id: 1, email: 'eu@fixture.test' }, accounts: [{ id: 7, name: 'EU prod' }] } },
          },
        }
      : { status: 401, body: { errors: [{ message: 'Invalid API key' }] } };
  const other = new FakeProviders({
    postman: { us: postmanAt('us') },
    'postman-eu': { eu: postmanAt('eu') },
    newrelic: { us: newrelicAt('us') },
    'newrelic-eu': { eu: newrelicAt('eu') },
  });
  beforeAll(() => other.start().then(() => undefined));
  afterAll(() => other.close());

  it('finds an EU key live at the EU host instead of calling it revoked', async () => {
    const pm = await lookUp([{ secret: postman, provider: 'postman' }], {
      LEAKRADIUS_ENDPOINT_POSTMAN: other.url('postman', 'us'),
      LEAKRADIUS_ENDPOINT_POSTMAN_EU: other.url('postman-eu', 'eu'),
    });
    expect(pm.findings[0]!.scope).toMatchObject({ status: 'live', identity: 'eu-user' });
    const nr = await lookUp([{ secret: nrak, provider: 'newrelic' }], {
      LEAKRADIUS_ENDPOINT_NEWRELIC: other.url('newrelic', 'us'),
      LEAKRADIUS_ENDPOINT_NEWRELIC_EU: other.url('newrelic-eu', 'eu'),
    });
    expect(nr.findings[0]!.scope).toMatchObject({ status: 'live', identity: 'eu@fixture.test' });
  });
});
