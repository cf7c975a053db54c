// How each provider answers, shaped from ../shared/PROVIDERS.md ("Fake" lines) and the providers'
// documentation: a broad live token, a narrow one where the provider exposes scopes, a revoked one.
// Tokens come from the seeded generator (src/detect/template.ts), never from literals.

import { createSign, generateKeyPairSync } from 'node:crypto';
import { expandTemplate } from '../../src/detect/template.js';
import { awsApi, azureBlob } from './contracts.js';
import type { Answer, SeenRequest } from './server.js';

export interface ProviderCase {
  /** Lookup provider; LEAKRADIUS_ENDPOINT_<PROVIDER> points at the fake. */
  readonly provider: string;
  /** The rule provider on the finding (default: provider). */
  readonly ruleProvider?: string;
  readonly token: string | (() => string);
  /** Token for the narrow case, when it differs (Stripe rk_, PyPI project token). */
  readonly narrowToken?: string | (() => string);
  /** Other findings at the same place (AWS key id + secret, Twilio SID + token). */
  readonly nearby?: readonly string[];
  /** Excerpts next to the token: tenant ids, user names. */
  readonly context?: readonly string[];
  /** More providers pointed at the same fake (GCP token and resource-manager hosts). */
  readonly alsoEndpoints?: readonly string[];
  readonly deep?: boolean;
  /** A scope or resource the broad case's reasons must name. */
  readonly mentions: string;
  readonly broad: Answer;
  readonly narrow?: Answer;
  readonly revoked: Answer;
}

const gen = (template: string, seed: string) => expandTemplate(template, `fake:${seed}`);
const b64u = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
/** An unsigned-looking JWT with these claims (provider answers only; never a secret under test). */
export const fakeJwt = (claims: Record<string, unknown>) =>
  `${b64u({ alg: 'RS256', typ: 'JWT' })}.${b64u(claims)}.${b64u('sig')}`;
const unauthorized = { status: 401, body: { message: 'Bad credentials' } };

// Keys generated at test time: the GCP service account and the JWT issuer.
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = {
  ...(rsa.publicKey.export({ format: 'jwk' }) as Record<string, unknown>),
  kid: 'k1',
  alg: 'RS256',
  use: 'sig',
};
export const gcpKeyJson = () =>
  JSON.stringify({
    type: 'service_account',
    project_id: 'fixture-project',
    private_key_id: 'k1',
    private_key: rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: 'ci@fixture-project.iam.gserviceaccount.com',
    token_uri: 'https://evil.invalid/token',
  });
export const signedJwt = (scope: string) => {
  const jwtHeader = b64u({ alg: 'RS256', typ: 'JWT', kid: 'k1' });
  const jwtClaims = b64u({ iss: 'https://id.fixture.test', sub: 'svc', scope, exp: 1900000000, iat: 1700000000 });
  const unsigned = `${jwtHeader}.${jwtClaims}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(rsa.privateKey, 'base64url')}`;
};

const gcpAnswer = (permissions: string[]) => (req: SeenRequest) =>
  req.path === '/token' ? { body: { access_token: 'ya29.FAKE', expires_in: 3599 } } : { body: { permissions } };
const jwksAnswer = (kid: string) => (req: SeenRequest) =>
  req.path === '/.well-known/openid-configuration'
    ? { body: { jwks_uri: 'https://id.fixture.test/jwks' } }
    : { body: { keys: [{ ...jwk, kid }] } };
const AWS_KEY_ID = gen('{{aws-account:AKIA/000011112222}}', 'aws');
const AWS_SECRET = gen('{{b64:40}}', 'aws-secret');
// STS and IAM check the SigV4 signature with the secret they hold for the key id (contracts.ts).
const awsAnswer = (policy: string, actions: string[]) =>
  awsApi(
    new Map([
      [
        AWS_KEY_ID,
        {
          secret: AWS_SECRET,
          arn: 'arn:aws:iam::000011112222:user/ci',
          policies: [{ name: policy, document: { Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] } }],
        },
      ],
    ]),
  );
const AZURE_KEY = `${gen('{{b64:86}}', 'azure-key')}==`;
const GUID_T = '00000000-0000-4000-8000-00000000000a';
const GUID_C = '00000000-0000-4000-8000-00000000000b';

export const PROVIDER_CASES: readonly ProviderCase[] = [
  {
    provider: 'github',
    token: gen('{{github:ghp_}}', 'github'),
    mentions: 'admin:org',
    broad: { headers: { 'x-oauth-scopes': 'repo, admin:org' }, body: { login: 'fixture', site_admin: false } },
    // GitHub sends the expiry with a numeric offset (contracts.ts, GitHubToken.expiration).
    narrow: {
      headers: {
        'x-oauth-scopes': 'read:user',
        'github-authentication-token-expiration': '2031-02-03 04:05:06 -0500',
      },
      body: { login: 'fixture', site_admin: false },
    },
    revoked: unauthorized,
  },
  {
    provider: 'gitlab',
    token: gen('glpat-{{an:20}}', 'gitlab'),
    mentions: 'api',
    broad: {
      body: {
        name: 'ci',
        user_id: 7,
        active: true,
        revoked: false,
        scopes: ['api', 'write_repository'],
        expires_at: null,
      },
    },
    narrow: {
      body: { name: 'ci', user_id: 7, active: true, revoked: false, scopes: ['read_api'], expires_at: '2031-06-30' },
    },
    revoked: { status: 401, body: { message: '401 Unauthorized' } },
  },
  {
    provider: 'slack',
    token: gen('xoxb-{{digits:12}}-{{digits:13}}-{{an:24}}', 'slack'),
    mentions: 'admin',
    broad: {
      headers: { 'x-oauth-scopes': 'admin,chat:write,channels:read' },
      body: { ok: true, team_id: 'T0FAKE', user_id: 'U0FAKE', bot_id: 'B0FAKE' },
    },
    narrow: {
      headers: { 'x-oauth-scopes': 'channels:read' },
      body: { ok: true, team_id: 'T0FAKE', bot_id: 'B0FAKE' },
    },
    revoked: { body: { ok: false, error: 'invalid_auth' } },
  },
  {
    provider: 'stripe',
    token: gen('sk_live_{{an:24}}', 'stripe'),
    narrowToken: gen('rk_live_{{an:24}}', 'stripe-rk'),
    mentions: 'stripe account',
    broad: { body: { id: 'acct_FAKE', charges_enabled: true, payouts_enabled: false } },
    narrow: { status: 403, body: { error: { type: 'invalid_request_error', message: 'restricted key' } } },
    revoked: { status: 401, body: { error: { type: 'invalid_request_error' } } },
  },
  {
    provider: 'aws',
    token: AWS_KEY_ID,
    nearby: [AWS_SECRET],
    alsoEndpoints: ['aws-iam'],
    deep: true,
    mentions: 'AdministratorAccess',
    broad: awsAnswer('AdministratorAccess', ['*']),
    narrow: awsAnswer('ReadOnlyAccess', ['s3:Get*', 'ec2:Describe*']),
    revoked: {
      status: 403,
      body: '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code></Error></ErrorResponse>',
    },
  },
  {
    provider: 'gcp',
    token: gcpKeyJson,
    alsoEndpoints: ['gcp-crm'],
    mentions: 'setIamPolicy',
    broad: gcpAnswer(['resourcemanager.projects.setIamPolicy', 'storage.buckets.list']),
    narrow: gcpAnswer(['storage.buckets.list']),
    revoked: { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } },
  },
  {
    provider: 'azure',
    // The key as the azure-storage-account-key rule finds it; the account name sits beside it.
    token: AZURE_KEY,
    context: ['DefaultEndpointsProtocol=https;AccountName=fixture;AccountKey=[redacted]'],
    mentions: 'azure storage account fixture',
    broad: azureBlob(new Map([['fixture', { key: AZURE_KEY, containers: ['backups'] }]])),
    revoked: { status: 403, body: '<?xml version="1.0"?><Error><Code>AuthenticationFailed</Code></Error>' },
  },
  {
    provider: 'entra',
    token: gen('{{an:3}}8Q~{{an:34}}', 'entra'),
    context: [`AZURE_TENANT_ID=${GUID_T}`, `AZURE_CLIENT_ID=${GUID_C}`],
    mentions: 'Directory.ReadWrite.All',
    broad: {
      body: {
        token_type: 'Bearer',
        expires_in: 3599,
        access_token: fakeJwt({ roles: ['Directory.ReadWrite.All', 'User.Read.All'] }),
      },
    },
    narrow: { body: { token_type: 'Bearer', expires_in: 3599, access_token: fakeJwt({ roles: ['User.Read.All'] }) } },
    revoked: {
      status: 401,
      body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' },
    },
  },
  {
    provider: 'npm',
    token: gen('{{npm}}', 'npm'),
    mentions: 'npm packages',
    broad: { body: { username: 'fixture' } },
    revoked: unauthorized,
  },
  {
    provider: 'pypi',
    token: gen('{{pypi}}', 'pypi'),
    narrowToken: gen('{{pypi:[[1,["fixture"]],[0,1900000000,1700000000]]}}', 'pypi-narrow'),
    deep: true,
    mentions: 'every PyPI project',
    broad: { status: 400, body: 'Include at least one message digest.' },
    narrow: { status: 400, body: 'Include at least one message digest.' },
    revoked: { status: 403, body: 'Invalid or non-existent authentication information.' },
  },
  {
    provider: 'docker',
    token: gen('dckr_pat_{{b64url:27}}', 'docker'),
    context: ['DOCKERHUB_USERNAME=fixture'],
    mentions: 'repo:admin',
    broad: {
      body: { access_token: fakeJwt({ scope: 'repo:admin', 'https://hub.docker.com': { username: 'fixture' } }) },
    },
    narrow: {
      body: { access_token: fakeJwt({ scope: 'repo:read', 'https://hub.docker.com': { username: 'fixture' } }) },
    },
    revoked: { status: 401, body: { detail: 'incorrect username or password' } },
  },
  {
    provider: 'huggingface',
    token: gen('hf_{{an:34}}', 'hf'),
    mentions: 'organization acme',
    broad: {
      body: {
        name: 'fixture',
        orgs: [{ name: 'acme', roleInOrg: 'admin' }],
        auth: { accessToken: { role: 'write' } },
      },
    },
    narrow: {
      body: { name: 'fixture', orgs: [{ name: 'acme', roleInOrg: 'write' }], auth: { accessToken: { role: 'read' } } },
    },
    revoked: unauthorized,
  },
  {
    provider: 'openai',
    token: gen('sk-proj-{{an:74}}T3BlbkFJ{{an:74}}', 'openai'),
    mentions: 'openai project',
    broad: { body: { object: 'list', data: [{ id: 'model-fake' }] } },
    revoked: unauthorized,
  },
  {
    provider: 'anthropic',
    token: gen('sk-ant-api03-{{b64url:93}}AA', 'anthropic'),
    mentions: 'anthropic workspace',
    broad: { body: { data: [{ id: 'model-fake', type: 'model' }] } },
    revoked: { status: 401, body: { error: { type: 'authentication_error', message: 'invalid x-api-key' } } },
  },
  {
    provider: 'sendgrid',
    token: gen('SG.{{b64url:22}}.{{b64url:43}}', 'sendgrid'),
    mentions: 'api_keys.create',
    broad: { body: { scopes: ['api_keys.create', 'mail.send', 'user.email.read'] } },
    narrow: { body: { scopes: ['alerts.read'] } },
    revoked: { status: 401, body: { errors: [{ message: 'authorization required' }] } },
  },
  {
    provider: 'twilio',
    token: gen('{{hex:32}}', 'twilio'),
    nearby: [gen('AC{{hex:32}}', 'twilio-sid')],
    mentions: 'twilio account',
    broad: {
      body: { sid: 'ACfake', status: 'active', type: 'Full', owner_account_sid: 'ACfake', friendly_name: 'Fixture' },
    },
    revoked: unauthorized,
  },
  {
    provider: 'mailgun',
    token: gen('key-{{hex:32}}', 'mailgun'),
    mentions: 'mailgun account',
    broad: { body: { total_count: 1, items: [{ name: 'mg.fixture.test' }] } },
    revoked: unauthorized,
  },
  {
    provider: 'shopify',
    token: gen('shpat_{{hex:32}}', 'shopify'),
    mentions: 'write_orders',
    broad: { body: { access_scopes: [{ handle: 'write_orders' }, { handle: 'read_products' }] } },
    narrow: { body: { access_scopes: [{ handle: 'read_products' }] } },
    revoked: { status: 401, body: { errors: '[API] Invalid API key or access token' } },
  },
  {
    provider: 'digitalocean',
    token: gen('dop_v1_{{hex:64}}', 'do'),
    mentions: 'digitalocean account',
    broad: { body: { account: { uuid: 'fake', status: 'active', email: 'd@fixture.test' } } },
    revoked: unauthorized,
  },
  {
    provider: 'heroku',
    token: gen('HRKU-AA{{b64url:58}}', 'heroku'),
    mentions: 'heroku account',
    broad: { body: { id: 'fake-uuid', email: 'd@fixture.test' } },
    revoked: unauthorized,
  },
  {
    provider: 'cloudflare',
    token: gen('cfut_{{an:40}}{{hex:8}}', 'cf'),
    mentions: 'scopes not exposed',
    broad: { body: { success: true, result: { id: 'fake', status: 'active' } } },
    revoked: { status: 401, body: { success: false, errors: [{ code: 1000, message: 'Invalid API Token' }] } },
  },
  {
    provider: 'datadog',
    token: gen('{{hex:32}}', 'dd'),
    mentions: 'datadog intake',
    broad: { body: { valid: true } },
    revoked: { status: 403, body: { errors: ['Forbidden'] } },
  },
  {
    provider: 'vault',
    token: gen('hvs.{{b64url:90}}', 'vault'),
    deep: true,
    mentions: 'root',
    broad: { body: { data: { policies: ['root'], type: 'service', ttl: 0, num_uses: 0, display_name: 'token' } } },
    narrow: {
      body: {
        data: { policies: ['default'], type: 'service', ttl: 3000, num_uses: 0, expire_time: '2031-01-01T00:00:00Z' },
      },
    },
    revoked: { status: 403, body: { errors: ['permission denied'] } },
  },
  {
    provider: 'atlassian',
    token: gen('ATATT3{{b64url:180}}={{hex:8}}', 'atl'),
    context: ['JIRA_EMAIL=dev@fixture.test'],
    alsoEndpoints: ['atlassian-api'],
    mentions: 'atlassian site',
    broad: { body: { accountId: '5fake', active: true, emailAddress: 'dev@fixture.test' } },
    // Refused at the site and through api.atlassian.com; the site's cloud id is public.
    revoked: (req) =>
      req.path === '/_edge/tenant_info' ? { body: { cloudId: '11111111-2222-4333-8444-555555555555' } } : unauthorized,
  },
  {
    provider: 'linear',
    token: gen('lin_api_{{an:40}}', 'linear'),
    mentions: 'linear workspace',
    broad: { body: { data: { viewer: { id: 'u1', admin: true, owner: false, guest: false } } } },
    narrow: { body: { data: { viewer: { id: 'u1', admin: false, owner: false, guest: true } } } },
    revoked: { status: 400, body: { errors: [{ message: 'Authentication required, not authenticated' }] } },
  },
  {
    provider: 'discord',
    token: gen('{{discord}}', 'discord'),
    mentions: 'discord guilds',
    broad: { body: { id: '100000000000000001', username: 'fixture' } },
    revoked: { status: 401, body: { message: '401: Unauthorized', code: 0 } },
  },
  {
    provider: 'telegram',
    token: gen('{{digits:10}}:{{b64url:35}}', 'tg'),
    mentions: 'post as the bot',
    broad: {
      body: {
        ok: true,
        result: { id: 1234, is_bot: true, username: 'fixture_bot', can_read_all_group_messages: true },
      },
    },
    revoked: { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } },
  },
  {
    provider: 'postman',
    token: gen('PMAK-{{hex:24}}-{{hex:34}}', 'postman'),
    mentions: 'postman workspaces',
    broad: { body: { user: { username: 'fixture', roles: ['admin'] } } },
    narrow: { body: { user: { username: 'fixture', roles: ['user'] } } },
    revoked: unauthorized,
  },
  {
    provider: 'databricks',
    token: gen('dapi{{hex:32}}', 'databricks'),
    mentions: 'databricks workspace',
    broad: { body: { userName: 'svc@fixture.test', groups: [{ display: 'admins' }] } },
    narrow: { body: { userName: 'svc@fixture.test', groups: [{ display: 'users' }] } },
    revoked: { status: 403, body: { error_code: '403', message: 'Invalid access token.' } },
  },
  {
    provider: 'doppler',
    token: gen('dp.pt.{{an:43}}', 'doppler'),
    mentions: 'doppler workplace',
    broad: { body: { name: 'ci', type: 'personal', workplace: { slug: 'fixture' } } },
    narrow: { body: { name: 'ci', type: 'service_token', access: 'read', workplace: { slug: 'fixture' } } },
    revoked: unauthorized,
  },
  {
    provider: 'sentry',
    token: gen('sntryu_{{hex:64}}', 'sentry'),
    mentions: 'org:admin',
    broad: { body: { version: '0', auth: { scopes: ['org:admin', 'project:write'] }, user: { username: 'fixture' } } },
    narrow: { body: { version: '0', auth: { scopes: ['org:read'] }, user: null } },
    revoked: { status: 401, body: { detail: 'Invalid token' } },
  },
  {
    provider: 'grafana',
    token: gen('{{grafana}}', 'grafana'),
    mentions: 'users:write',
    broad: { body: { 'users:write': ['users:*'], 'dashboards:read': ['dashboards:*'] } },
    narrow: { body: { 'dashboards:read': ['dashboards:*'] } },
    revoked: { status: 401, body: { message: 'invalid API key' } },
  },
  {
    provider: 'grafana-cloud',
    ruleProvider: 'grafana',
    token: gen('{{glc:prod-us-east-0}}', 'glc'),
    mentions: 'access policies',
    broad: { body: { items: [{ id: '1', name: 'stack-fixture-hm-read' }] } },
    revoked: { status: 401, body: { code: 'InvalidCredentials', message: 'Token invalid' } },
  },
  {
    provider: 'notion',
    token: gen('ntn_{{digits:11}}{{an:35}}', 'notion'),
    mentions: 'notion pages',
    broad: { body: { type: 'bot', bot: { owner: { type: 'workspace' }, workspace_name: 'Fixture' } } },
    revoked: { status: 401, body: { code: 'unauthorized' } },
  },
  {
    provider: 'airtable',
    token: gen('pat{{an:14}}.{{hex:64}}', 'airtable'),
    mentions: 'schema.bases:write',
    broad: { body: { id: 'usrFAKE', scopes: ['schema.bases:write', 'data.records:read'] } },
    narrow: { body: { id: 'usrFAKE', scopes: ['data.records:read'] } },
    revoked: unauthorized,
  },
  {
    provider: 'square',
    token: gen('EAAA{{b64url:60}}', 'square'),
    mentions: 'PAYMENTS_WRITE',
    broad: { body: { scopes: ['PAYMENTS_WRITE', 'PAYMENTS_READ'], expires_at: '', merchant_id: 'MFAKE' } },
    narrow: { body: { scopes: ['PAYMENTS_READ'], expires_at: '2031-01-01T00:00:00Z', merchant_id: 'MFAKE' } },
    revoked: { status: 401, body: { errors: [{ category: 'AUTHENTICATION_ERROR' }] } },
  },
  {
    provider: 'mailchimp',
    token: gen('{{hex:32}}-us6', 'mailchimp'),
    mentions: 'mailchimp account',
    broad: { body: { account_id: 'fake', account_name: 'Fixture', role: 'owner' } },
    narrow: { body: { account_id: 'fake', account_name: 'Fixture', role: 'viewer' } },
    revoked: { status: 401, body: { title: 'API Key Invalid' } },
  },
  {
    provider: 'newrelic',
    token: gen('NRAK-{{uppernum:27}}', 'nr'),
    mentions: 'new relic account Prod',
    broad: {
      body: { data: { actor: { user: { id: 1, email: 'a@fixture.test' }, accounts: [{ id: 100, name: 'Prod' }] } } },
    },
    revoked: unauthorized,
  },
  {
    provider: 'okta',
    token: gen('00{{b64url:40}}', 'okta'),
    deep: true,
    mentions: 'okta org',
    broad: { body: { id: '00uFAKE', profile: { login: 'a@fixture.test' } } },
    revoked: { status: 401, body: { errorCode: 'E0000011' } },
  },
  {
    provider: 'jwt',
    token: () => signedJwt('admin:all write:things'),
    narrowToken: () => signedJwt('read:things'),
    deep: true,
    mentions: 'admin:all',
    broad: jwksAnswer('k1'),
    narrow: jwksAnswer('k1'),
    revoked: jwksAnswer('rotated-away'),
  },
  {
    provider: 'vercel',
    token: gen('{{an:24}}', 'vercel'),
    mentions: 'vercel account',
    broad: { body: { user: { username: 'fixture' } } },
    revoked: { status: 401, body: { error: { code: 'unauthorized', message: 'Not authorized' } } },
  },
  {
    provider: 'netlify',
    token: gen('nfp_{{an:36}}', 'netlify'),
    mentions: 'netlify sites',
    broad: { body: { email: 'a@fixture.test', full_name: 'Fixture' } },
    revoked: unauthorized,
  },
  {
    provider: 'circleci',
    token: gen('CCIPAT_{{an:22}}_{{hex:40}}', 'circleci'),
    mentions: 'circleci projects',
    broad: { body: { id: 'u1', login: 'fixture', name: 'Fixture' } },
    revoked: unauthorized,
  },
  {
    provider: 'buildkite',
    token: gen('bkua_{{hex:40}}', 'buildkite'),
    mentions: 'write_organizations',
    broad: { body: { uuid: 'u', scopes: ['write_organizations', 'read_builds'] } },
    narrow: { body: { uuid: 'u', scopes: ['read_builds'] } },
    revoked: unauthorized,
  },
  {
    provider: 'terraform',
    token: gen('{{an:14}}.atlasv1.{{an:67}}', 'tf'),
    mentions: 'terraform organizations',
    broad: { body: { data: { attributes: { username: 'fixture' } } } },
    revoked: unauthorized,
  },
  {
    provider: 'pulumi',
    token: gen('pul-{{hex:40}}', 'pulumi'),
    mentions: 'pulumi stacks',
    broad: { body: { githubLogin: 'fixture', name: 'Fixture' } },
    revoked: unauthorized,
  },
  {
    provider: 'asana',
    token: gen('2/{{digits:16}}/{{digits:16}}:{{hex:32}}', 'asana'),
    mentions: 'asana workspaces',
    broad: { body: { data: { name: 'Fixture', email: 'a@fixture.test' } } },
    revoked: unauthorized,
  },
  {
    provider: 'fastly',
    token: gen('{{b64url:32}}', 'fastly'),
    mentions: 'global',
    broad: { body: { id: 't', name: 'ci', scope: 'global', expires_at: null } },
    narrow: { body: { id: 't', name: 'ci', scope: 'global:read', expires_at: '2031-01-01T00:00:00Z' } },
    revoked: unauthorized,
  },
  {
    provider: 'mapbox',
    token: gen('sk.eyJ1Ijoi{{b64url:40}}.{{b64url:22}}', 'mapbox'),
    // No narrow case: public pk. tokens are meant to be public, and no rule sends them to a lookup.
    mentions: 'mapbox account',
    broad: { body: { code: 'TokenValid', token: { usage: 'sk', user: 'fixture' } } },
    revoked: { status: 401, body: { code: 'TokenInvalid' } },
  },
  {
    provider: 'replicate',
    token: gen('r8_{{an:37}}', 'replicate'),
    mentions: 'replicate account',
    broad: { body: { type: 'user', username: 'fixture' } },
    revoked: unauthorized,
  },
  {
    provider: 'pagerduty',
    token: gen('u+{{b64url:18}}', 'pd'),
    mentions: 'pagerduty account',
    broad: { body: { abilities: ['teams', 'sso'] } },
    revoked: unauthorized,
  },
  {
    provider: 'groq',
    token: gen('gsk_{{an:52}}', 'groq'),
    mentions: 'groq organization',
    broad: { body: { object: 'list', data: [{ id: 'model-fake' }] } },
    revoked: unauthorized,
  },
  {
    provider: 'mistral',
    token: gen('{{an:32}}', 'mistral'),
    mentions: 'mistral workspace',
    broad: { body: { object: 'list', data: [{ id: 'model-fake' }] } },
    revoked: unauthorized,
  },
  {
    provider: 'dropbox',
    token: gen('sl.{{b64url:140}}', 'dropbox'),
    mentions: 'dropbox files',
    broad: { body: { account_id: 'dbid:fake', email: 'a@fixture.test' } },
    revoked: { status: 401, body: { error_summary: 'invalid_access_token/' } },
  },
  {
    provider: 'bitbucket',
    token: gen('ATBB{{an:32}}', 'bitbucket'),
    context: ['BITBUCKET_USERNAME=fixture'],
    mentions: 'bitbucket repositories',
    broad: { body: { uuid: '{fake}', username: 'fixture', display_name: 'Fixture' } },
    revoked: unauthorized,
  },
  {
    provider: 'snyk',
    token: gen('{{uuid}}', 'snyk'),
    mentions: 'snyk organizations',
    broad: { body: { id: 'u1', username: 'fixture' } },
    revoked: unauthorized,
  },
  {
    provider: 'render',
    token: gen('rnd_{{an:32}}', 'render'),
    mentions: 'render services',
    broad: { body: [{ owner: { email: 'a@fixture.test', type: 'user' } }] },
    revoked: unauthorized,
  },
  {
    provider: 'supabase',
    token: gen('sbp_{{hex:40}}', 'supabase'),
    mentions: 'supabase projects',
    broad: { body: [{ id: 'p1', name: 'fixture' }] },
    revoked: unauthorized,
  },
  {
    provider: 'cohere',
    token: gen('{{an:40}}', 'cohere'),
    mentions: 'cohere account',
    broad: { body: { models: [{ name: 'model-fake' }] } },
    revoked: { status: 401, body: { message: 'invalid api token' } },
  },
  {
    provider: 'linode',
    token: gen('{{hex:64}}', 'linode'),
    mentions: '*',
    broad: { headers: { 'x-oauth-scopes': '*' }, body: { username: 'fixture' } },
    narrow: { headers: { 'x-oauth-scopes': 'linodes:read_only domains:read_only' }, body: { username: 'fixture' } },
    revoked: { status: 401, body: { errors: [{ reason: 'Invalid Token' }] } },
  },
  {
    provider: 'vultr',
    token: gen('{{uppernum:36}}', 'vultr'),
    mentions: 'manage_users',
    broad: {
      body: {
        account: { name: 'Fixture', email: 'a@fixture.test', acls: ['manage_users', 'subscriptions', 'provisioning'] },
      },
    },
    narrow: { body: { account: { name: 'Fixture', email: 'a@fixture.test', acls: ['subscriptions_view'] } } },
    revoked: unauthorized,
  },
  {
    provider: 'azure-devops',
    token: gen('{{an:76}}AZDO{{an:4}}', 'azdo'),
    mentions: 'azure devops organizations',
    broad: { body: { displayName: 'Fixture', publicAlias: 'a1', emailAddress: 'dev@fixture.test', id: 'a1' } },
    revoked: { status: 401, body: '' },
  },
  {
    provider: 'hetzner',
    token: gen('{{an:64}}', 'hetzner'),
    mentions: 'hetzner cloud project',
    broad: { body: { servers: [], meta: { pagination: { total_entries: 0 } } } },
    revoked: { status: 401, body: { error: { code: 'unauthorized' } } },
  },
];

export const tokenOf = (t: string | (() => string)) => (typeof t === 'function' ? t() : t);
