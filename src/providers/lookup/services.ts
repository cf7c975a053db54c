// Lookups of AI, messaging, infrastructure and SaaS APIs (OpenAI … JWT issuers), from the fact
// sheet (../shared/PROVIDERS.md).

import { basic, bearer, date, oneRequest, pairedPart, tenantHost } from './declarative.js';
import { atlassianEmail, cloudflareAccount, lookupAtlassian, lookupCloudflare, lookupJwt } from './analyzers.js';
import { databaseTarget, lookupDatabase } from './database.js';
import type { LookupContext, ProviderLookup } from './types.js';
import { READ_WRITE_ADMIN, grant, list, TWILIO_KEY_SID } from './table-parts.js';

export const SERVICE_LOOKUPS: readonly ProviderLookup[] = [
  oneRequest({
    provider: 'openai',
    title: 'OpenAI',
    rules: ['openai-admin-key', 'openai-legacy-key', 'openai-project-key', 'openai-service-account-key'],
    base: 'https://api.openai.com',
    path: (t) => (t.startsWith('sk-admin-') ? '/v1/organization/admin_api_keys?limit=1' : '/v1/models'),
    headers: (t) => bearer(t),
    liveNoAccess: [403],
    valid: (j) => Array.isArray(j.data),
    identity: (_j, h) => h.get('openai-organization') ?? undefined,
    grants: (_j, _h, t) => [
      t.startsWith('sk-admin-')
        ? grant('openai organization (keys, users, projects)', 'admin')
        : grant('openai project (every model and endpoint, billed to the owner)', 'write'),
    ],
    expires: () => undefined,
  }),
  oneRequest({
    provider: 'anthropic',
    title: 'Anthropic',
    rules: ['anthropic-admin-key', 'anthropic-api-key'],
    base: 'https://api.anthropic.com',
    path: (t) => (t.startsWith('sk-ant-admin') ? '/v1/organizations/api_keys?limit=1' : '/v1/models'),
    headers: (t) => ({ 'x-api-key': t, 'anthropic-version': '2023-06-01' }),
    valid: (j) => Array.isArray(j.data),
    grants: (_j, _h, t) => [
      t.startsWith('sk-ant-admin')
        ? grant('anthropic organization (admin API)', 'admin')
        : grant('anthropic workspace (every model, billed to the owner)', 'write'),
    ],
    expires: () => null,
  }),
  oneRequest({
    provider: 'sendgrid',
    title: 'SendGrid',
    rules: ['sendgrid-api-key'],
    base: 'https://api.sendgrid.com',
    path: '/v3/scopes',
    headers: (t) => bearer(t),
    valid: (j) => Array.isArray(j.scopes),
    scopes: (j) => list(j.scopes),
    map: READ_WRITE_ADMIN(
      /^(api_keys|teammates|subusers|sso|user\.account|credentials)\./,
      /^mail\.send$|\.(create|update|delete)$/,
    ),
    facts: (j) => [list(j.scopes).includes('user.email.read') && 'user.email.read: hints a full-access key'],
  }),
  oneRequest({
    // API keys (SK…) authenticate as Basic {SK}:{secret} (https://www.twilio.com/docs/iam/api-keys);
    // the account list needs no account SID. 401 (code 20003) is Twilio's answer to bad credentials.
    provider: 'twilio',
    title: 'Twilio API key',
    rules: ['twilio-api-key', 'twilio-api-key-secret'],
    base: 'https://api.twilio.com',
    needs: 'the API key SID (SK…) and its secret were not both found',
    path: '/2010-04-01/Accounts.json?PageSize=20',
    headers: (_t, ctx) => {
      const pair = twilioKeyPair(ctx);
      return pair ? { authorization: basic(pair.sid, pair.secret) } : undefined;
    },
    credential: (ctx) => {
      const pair = twilioKeyPair(ctx);
      return pair ? [pair.sid, pair.secret] : [ctx.secret];
    },
    valid: (j) => Array.isArray(j.accounts),
    identity: (j) => j.accounts[0]?.friendly_name ?? j.accounts[0]?.sid,
    grants: (j) => [
      grant(
        `twilio account${j.accounts.length > 1 ? `s (${j.accounts.length}, with subaccounts)` : ''} (API key: every ` +
          `API unless restricted)`,
        'write',
      ),
    ],
    reach: async (_get, j) => ({
      reached: (j.accounts as Array<{ sid?: string; friendly_name?: string; status?: string }>).map((a) =>
        grant(`twilio account ${a.friendly_name ?? a.sid} (${a.status ?? 'status unknown'})`, 'write'),
      ),
    }),
    expires: () => null,
  }),
  oneRequest({
    provider: 'twilio',
    title: 'Twilio',
    rules: ['twilio-account-credentials', 'twilio-auth-token'],
    base: 'https://api.twilio.com',
    needs: 'the Twilio account SID (AC…) was not found next to the auth token',
    path: (_t, ctx) => {
      const sid = twilioSid(ctx);
      return sid ? `/2010-04-01/Accounts/${sid}.json` : undefined;
    },
    headers: (t, ctx) => {
      const sid = twilioSid(ctx);
      return sid ? { authorization: basic(sid, t.split('\n').pop()!) } : undefined;
    },
    credential: (ctx) => [twilioSid(ctx) ?? '', ctx.secret.split('\n').pop()!],
    valid: (j) => typeof j.status === 'string',
    deadBody: (j) => j.status === 'closed',
    identity: (j) => j.friendly_name ?? j.sid,
    grants: () => [grant('twilio account (auth token: every API)', 'admin')],
    expires: () => null,
    facts: (j) => [
      `account ${j.status}, ${j.type ?? 'unknown'} type`,
      j.status === 'suspended' && 'account suspended',
    ],
  }),
  oneRequest({
    provider: 'mailgun',
    title: 'Mailgun',
    rules: ['mailgun-api-key', 'mailgun-private-api-key', 'mailgun-webhook-signing-key'],
    base: 'https://api.mailgun.net',
    // US and EU accounts are separate; a key answers 401 at the other region
    // (https://documentation.mailgun.com/docs/mailgun/api-reference/).
    regions: [{ provider: 'mailgun-eu', base: 'https://api.eu.mailgun.net' }],
    path: '/v3/domains?limit=10',
    headers: (t) => ({ authorization: basic('api', t) }),
    valid: (j) => Array.isArray(j.items),
    grants: (j) => [grant(`mailgun account (${j.total_count ?? j.items.length} domain(s))`, 'admin')],
    facts: (j) => [
      `domains: ${list(j.items.map((i: { name?: string }) => i.name))
        .slice(0, 5)
        .join(', ')}`,
    ],
  }),
  oneRequest({
    provider: 'shopify',
    title: 'Shopify',
    rules: ['shopify-access-token', 'shopify-custom-app-token', 'shopify-private-app-token'],
    base: 'https://{host}',
    tenant: /[a-z0-9][a-z0-9-]*\.myshopify\.com/,
    needs: 'the shop host ({shop}.myshopify.com) was not found next to the token (use --host)',
    path: '/admin/oauth/access_scopes.json',
    headers: (t) => ({ 'x-shopify-access-token': t }),
    valid: (j) => Array.isArray(j.access_scopes),
    scopes: (j) => list(j.access_scopes),
    map: READ_WRITE_ADMIN(/^write_(orders|customers|payment.*|shopify_payments.*|users|staff.*|themes)$/, /^write_/),
  }),
  oneRequest({
    provider: 'digitalocean',
    title: 'DigitalOcean',
    rules: ['digitalocean-oauth-token', 'digitalocean-pat'],
    base: 'https://api.digitalocean.com',
    path: '/v2/account',
    headers: (t) => bearer(t),
    liveNoAccess: [403],
    valid: (j) => typeof j.account === 'object',
    identity: (j) => j.account.email ?? j.account.uuid,
    grants: (j) => [
      grant(
        `digitalocean ${j.account.team?.name ? `team ${j.account.team.name}` : 'account'} (token scopes not ` +
          `exposed; full access unless custom-scoped)`,
        'write',
      ),
    ],
    facts: (j) => [`account status ${j.account.status}`],
  }),
  oneRequest({
    provider: 'heroku',
    title: 'Heroku',
    rules: ['heroku-api-key', 'heroku-legacy-api-key'],
    base: 'https://api.heroku.com',
    path: '/account',
    headers: (t) => ({ ...bearer(t), accept: 'application/vnd.heroku+json; version=3' }),
    valid: (j) => typeof j.id === 'string' || typeof j.email === 'string',
    identity: (j) => j.email ?? j.id,
    grants: () => [grant('heroku account (global scope assumed: every app of the user)', 'admin')],
  }),
  {
    provider: 'cloudflare',
    title: 'Cloudflare',
    rules: ['cloudflare-account-token', 'cloudflare-api-token-legacy', 'cloudflare-user-token'],
    call:
      'GET https://api.cloudflare.com/client/v4/user/tokens/verify, or /accounts/{account_id}/tokens/verify for ' +
      'account tokens',
    credential: (ctx) => [ctx.secret, cloudflareAccount(ctx) ?? ''],
    run: lookupCloudflare,
  },
  oneRequest({
    provider: 'datadog',
    title: 'Datadog',
    rules: ['datadog-api-key'],
    base: 'https://api.{host}',
    tenant: /(?:us3\.|us5\.|ap1\.|ap2\.|uk1\.)?datadoghq\.(?:com|eu)|ddog-gov\.com/,
    defaultHost: 'datadoghq.com',
    // A key lives on one site (https://docs.datadoghq.com/getting_started/site/); the others answer 401/403.
    regions: [
      { provider: 'datadog-us3', base: 'https://api.us3.datadoghq.com' },
      { provider: 'datadog-us5', base: 'https://api.us5.datadoghq.com' },
      { provider: 'datadog-eu', base: 'https://api.datadoghq.eu' },
      { provider: 'datadog-ap1', base: 'https://api.ap1.datadoghq.com' },
      { provider: 'datadog-ap2', base: 'https://api.ap2.datadoghq.com' },
      { provider: 'datadog-gov', base: 'https://api.ddog-gov.com' },
    ],
    path: '/api/v1/validate',
    headers: (t) => ({ 'dd-api-key': t }),
    dead: [401, 403],
    valid: (j) => j.valid === true,
    grants: () => [grant('datadog intake (submit metrics, logs and events)', 'write')],
  }),
  oneRequest({
    provider: 'vault',
    title: 'HashiCorp Vault (opt-in)',
    rules: [
      'vault-batch-token',
      'vault-legacy-token',
      'vault-recovery-token',
      'vault-service-token',
      'vault-unseal-key',
      'vault-unseal-keys-json',
    ],
    base: 'https://{host}',
    tenant: /vault\.[a-z0-9.-]+\.[a-z]{2,}(?::\d+)?/,
    needs: 'the Vault address is not in the token (set LEAKRADIUS_ENDPOINT_VAULT)',
    deepOnly: true,
    path: '/v1/auth/token/lookup-self',
    headers: (t) => ({ 'x-vault-token': t }),
    dead: [401, 403],
    valid: (j) => typeof j.data === 'object',
    identity: (j) => j.data.display_name ?? j.data.path,
    scopes: (j) => list(j.data.policies),
    map: READ_WRITE_ADMIN(/^root$|admin/, /^(?!default$)/),
    expires: (j) => date(j.data.expire_time) ?? (j.data.ttl === 0 ? null : undefined),
    facts: (j) => [
      `token type ${j.data.type}`,
      j.data.num_uses ? `limited to ${j.data.num_uses} uses` : undefined,
      j.data.ttl ? `ttl ${j.data.ttl} s` : undefined,
    ],
  }),
  {
    provider: 'atlassian',
    title: 'Atlassian',
    rules: ['atlassian-api-token'],
    call:
      'GET https://{site}.atlassian.net/rest/api/3/myself, then ' +
      'https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/myself (Basic email:token)',
    credential: (ctx) => [
      ctx.secret,
      atlassianEmail(ctx)?.email ?? '',
      tenantHost(ctx, /[a-z0-9][a-z0-9-]*\.atlassian\.net/) ?? '',
    ],
    run: lookupAtlassian,
  },
  oneRequest({
    provider: 'linear',
    title: 'Linear',
    rules: ['linear-api-key', 'linear-oauth-token'],
    base: 'https://api.linear.app',
    method: 'POST',
    path: '/graphql',
    headers: (t) => ({
      authorization: t.startsWith('lin_oauth_') ? `Bearer ${t}` : t,
      'content-type': 'application/json',
    }),
    body: () => JSON.stringify({ query: '{ viewer { id name admin owner guest } }' }),
    classify: (status, text) =>
      (status === 400 || status === 401) && /authenticat/i.test(text) ? 'revoked' : undefined,
    dead: [],
    deadBody: (j) => !j.data && /authenticat/i.test(JSON.stringify(j.errors ?? '')),
    valid: (j) => typeof j.data?.viewer === 'object',
    identity: (j) => j.data.viewer?.name ?? j.data.viewer?.id,
    grants: (j) => {
      const v = j.data.viewer ?? {};
      return [grant('linear workspace', v.admin || v.owner ? 'admin' : v.guest ? 'read' : 'write')];
    },
  }),
  oneRequest({
    provider: 'discord',
    title: 'Discord',
    rules: ['discord-bot-token', 'discord-bot-token-bare'],
    base: 'https://discord.com',
    path: '/api/v10/users/@me',
    headers: (t) => ({ authorization: `Bot ${t}` }),
    valid: (j) => typeof j.id === 'string',
    identity: (j) => `${j.username ?? 'bot'} (${j.id})`,
    grants: () => [grant('discord guilds the bot joined (permission bits per guild: deep lookup)', 'write')],
  }),
  oneRequest({
    provider: 'telegram',
    title: 'Telegram',
    rules: ['telegram-bot-token', 'telegram-bot-token-bare'],
    base: 'https://api.telegram.org',
    path: (t) => `/bot${t}/getMe`,
    dead: [401, 404],
    headers: () => ({}),
    deadBody: (j) => j.ok === false,
    valid: (j) => typeof j.result === 'object',
    identity: (j) => `@${j.result.username}`,
    grants: (j) => [
      grant('post as the bot', 'write'),
      ...(j.result.can_read_all_group_messages
        ? [grant('every message in its groups (privacy mode off)', 'read')]
        : []),
    ],
    facts: (j) => [
      j.result.can_join_groups && 'can join groups',
      j.result.can_read_all_group_messages && 'privacy mode off',
    ],
  }),
  oneRequest({
    provider: 'postman',
    title: 'Postman',
    rules: ['postman-api-key'],
    base: 'https://api.getpostman.com',
    regions: [{ provider: 'postman-eu', base: 'https://api.eu.postman.com' }],
    path: '/me',
    headers: (t) => ({ 'x-api-key': t }),
    valid: (j) => typeof j.user === 'object',
    identity: (j) => j.user.username ?? j.user.email,
    grants: (j) => [
      grant(
        `postman workspaces of ${j.user.teamName ?? j.user.username ?? 'the user'}`,
        list(j.user.roles).some((r) => /admin/.test(r)) ? 'admin' : 'write',
      ),
    ],
  }),
  oneRequest({
    provider: 'databricks',
    title: 'Databricks',
    rules: ['databricks-pat'],
    base: 'https://{host}',
    tenant: /[a-z0-9][a-z0-9.-]*\.(?:cloud\.databricks\.com|gcp\.databricks\.com|azuredatabricks\.net)/,
    needs: 'the workspace host was not found next to the token (use --host)',
    path: '/api/2.0/preview/scim/v2/Me',
    headers: (t) => bearer(t),
    classify: (status, text) => (status === 403 && /invalid access token/i.test(text) ? 'revoked' : undefined),
    valid: (j) => typeof j.userName === 'string',
    identity: (j) => j.userName,
    grants: (j) => [
      grant(
        'databricks workspace',
        (j.groups ?? []).some((gr: { display?: string }) => gr.display === 'admins') ? 'admin' : 'write',
      ),
    ],
    facts: (j) => [`groups: ${(j.groups ?? []).map((gr: { display?: string }) => gr.display).join(', ') || 'none'}`],
  }),
  oneRequest({
    provider: 'doppler',
    title: 'Doppler',
    rules: [
      'doppler-audit-token',
      'doppler-cli-token',
      'doppler-personal-token',
      'doppler-scim-token',
      'doppler-service-account-token',
      'doppler-service-token',
    ],
    base: 'https://api.doppler.com',
    path: '/v3/me',
    headers: (t) => bearer(t),
    dead: [401],
    valid: (j) => typeof j.type === 'string' || typeof j.name === 'string',
    identity: (j) => `${j.name ?? 'token'}${j.workplace?.slug ? ` @ ${j.workplace.slug}` : ''}`,
    grants: (j) => [
      grant(
        `doppler ${j.type === 'service_token' ? 'config' : 'workplace'} ${j.workplace?.slug ?? ''}`.trim(),
        /personal|cli/.test(String(j.type)) ? 'admin' : /read/.test(String(j.access ?? '')) ? 'read' : 'write',
      ),
    ],
    facts: (j) => [`token type ${j.type}`],
  }),
  oneRequest({
    provider: 'sentry',
    title: 'Sentry',
    rules: ['sentry-legacy-auth-token', 'sentry-org-token', 'sentry-user-token'],
    base: 'https://sentry.io',
    path: '/api/0/',
    headers: (t) => bearer(t),
    liveNoAccess: [403],
    valid: (j) => typeof j.auth === 'object' && j.auth !== null,
    deadBody: (j) => j.auth === null,
    identity: (j) => j.user?.username ?? j.user?.email,
    scopes: (j) => list(j.auth.scopes),
    map: READ_WRITE_ADMIN(/:admin$/, /:write$|^project:releases$|^org:ci$/),
  }),
  oneRequest({
    provider: 'grafana',
    title: 'Grafana',
    rules: ['grafana-service-account-token'],
    base: 'https://{host}',
    tenant: /[a-z0-9][a-z0-9-]*\.grafana\.net/,
    needs: 'the stack host ({stack}.grafana.net) was not found next to the token (use --host)',
    path: '/api/access-control/user/permissions',
    headers: (t) => bearer(t),
    valid: (j) => !Array.isArray(j),
    scopes: (j) => Object.keys(j),
    map: READ_WRITE_ADMIN(
      /^(accesspolicies|users|teams|serviceaccounts|org\.users|orgs|roles|permissions)[.:]|:admin/,
      /:(write|create|delete|edit)$/,
    ),
  }),
  oneRequest({
    provider: 'grafana-cloud',
    title: 'Grafana Cloud access policy',
    rules: ['grafana-cloud-token'],
    base: 'https://grafana.com',
    path: (t) => `/api/v1/tokens?region=${encodeURIComponent(glcRegion(t) ?? 'prod-us-central-0')}`,
    headers: (t) => bearer(t),
    classify: (status, text) =>
      status === 401 && /InvalidCredentials/i.test(text) && !/required scope/i.test(text)
        ? 'revoked'
        : status === 401 || status === 403
          ? 'live'
          : undefined,
    valid: (j) => typeof j === 'object',
    grants: (j) =>
      Array.isArray(j.items)
        ? [grant('grafana cloud access policies and their tokens (accesspolicies scope)', 'admin')]
        : undefined,
    facts: () => ['valid Grafana Cloud token'],
  }),
  oneRequest({
    provider: 'notion',
    title: 'Notion',
    rules: ['notion-integration-token', 'notion-integration-token-legacy'],
    base: 'https://api.notion.com',
    path: '/v1/users/me',
    headers: (t) => ({ ...bearer(t), 'notion-version': '2022-06-28' }),
    liveNoAccess: [403],
    valid: (j) => typeof j.bot === 'object' || typeof j.id === 'string',
    identity: (j) => j.bot?.workspace_name ?? j.name,
    grants: (j) => [
      grant(`notion pages shared with the integration (${j.bot?.workspace_name ?? 'workspace'})`, 'write'),
    ],
    facts: (j) => [j.bot?.owner?.type && `owned by ${j.bot.owner.type}`],
  }),
  oneRequest({
    provider: 'airtable',
    title: 'Airtable',
    rules: ['airtable-legacy-api-key', 'airtable-pat'],
    base: 'https://api.airtable.com',
    path: '/v0/meta/whoami',
    headers: (t) => bearer(t),
    valid: (j) => typeof j.id === 'string',
    identity: (j) => j.email ?? j.id,
    scopes: (j) => list(j.scopes),
    map: READ_WRITE_ADMIN(/^schema\.bases:write$|^workspacesAndBases:(write|manage)$|^enterprise/, /:write$/),
  }),
  oneRequest({
    provider: 'square',
    title: 'Square',
    rules: ['square-access-token', 'square-legacy-access-token'],
    base: 'https://connect.squareup.com',
    // EAAA does not say production or sandbox; a sandbox token answers 401 in production.
    regions: [{ provider: 'square-sandbox', base: 'https://connect.squareupsandbox.com', environment: 'test' }],
    method: 'POST',
    path: '/oauth2/token/status',
    headers: (t) => ({ ...bearer(t), 'square-version': '2024-01-18', 'content-type': 'application/json' }),
    body: () => '',
    valid: (j) => Array.isArray(j.scopes),
    identity: (j) => j.merchant_id,
    scopes: (j) => list(j.scopes),
    map: READ_WRITE_ADMIN(/^(PAYMENTS_WRITE.*|BANK_ACCOUNTS_WRITE|MERCHANT_PROFILE_WRITE|EMPLOYEES_WRITE)$/, /_WRITE/),
    expires: (j) => date(j.expires_at) ?? null,
  }),
  oneRequest({
    provider: 'mailchimp',
    title: 'Mailchimp',
    rules: ['mailchimp-api-key'],
    base: 'https://{host}',
    tenant: /us\d{1,2}\.api\.mailchimp\.com/,
    hostFromToken: (t) => `${/-(us\d{1,2})$/.exec(t)?.[1] ?? 'invalid'}.api.mailchimp.com`,
    path: '/3.0/',
    headers: (t) => ({ authorization: basic('leakradius', t) }),
    valid: (j) => typeof j.account_id === 'string',
    identity: (j) => j.account_name ?? j.account_id,
    grants: (j) => [
      grant(
        `mailchimp account ${j.account_name ?? ''} (${j.role ?? 'unknown role'})`.replace('  ', ' '),
        /owner|admin/.test(String(j.role)) ? 'admin' : /manager/.test(String(j.role)) ? 'write' : 'read',
      ),
    ],
    facts: (j) => [j.total_subscribers !== undefined && `${j.total_subscribers} subscribers`],
  }),
  oneRequest({
    provider: 'newrelic',
    title: 'New Relic',
    rules: ['new-relic-user-api-key'],
    base: 'https://api.newrelic.com',
    regions: [{ provider: 'newrelic-eu', base: 'https://api.eu.newrelic.com' }],
    method: 'POST',
    path: '/graphql',
    headers: (t) => ({ 'api-key': t, 'content-type': 'application/json' }),
    body: () => JSON.stringify({ query: '{ actor { user { id email } accounts { id name } } }' }),
    deadBody: (j) =>
      !j.data &&
      Array.isArray(j.errors) &&
      j.errors.some((e: { message?: unknown }) => /api key|unauthori[sz]ed|authenticat/i.test(String(e?.message))),
    valid: (j) => typeof j.data?.actor === 'object',
    identity: (j) => j.data.actor.user?.email ?? String(j.data.actor.user?.id ?? ''),
    grants: (j) =>
      (j.data.actor.accounts ?? []).map((a: { name?: string; id?: number }) =>
        grant(`new relic account ${a.name ?? a.id}`, 'write'),
      ),
  }),
  oneRequest({
    provider: 'okta',
    title: 'Okta (opt-in: any call renews the token)',
    rules: ['okta-api-token'],
    base: 'https://{host}',
    tenant: /[a-z0-9][a-z0-9-]*\.(?:okta|oktapreview|okta-emea)\.com/,
    needs: 'the Okta org host was not found next to the token (use --host)',
    deepOnly: true,
    path: '/api/v1/users/me',
    headers: (t) => ({ authorization: `SSWS ${t}`, accept: 'application/json' }),
    valid: (j) => typeof j.id === 'string',
    identity: (j) => j.profile?.login ?? j.id,
    grants: () => [grant('okta org (its creator’s admin role)', 'admin')],
  }),
  {
    provider: 'database',
    title: 'Database (Postgres, MySQL/MariaDB, MongoDB, Redis; opt-in: connects to it)',
    rules: ['mongodb-uri-password', 'mysql-uri-password', 'postgres-uri-password', 'redis-uri-password'],
    call:
      'one read-only session: pg_roles and has_*_privilege / SHOW GRANTS / connectionStatus / ACL WHOAMI and ' +
      'ACL GETUSER',
    deepOnly: true,
    credential: (ctx) => {
      const d = databaseTarget(ctx);
      return [ctx.secret, d ? `${d.scheme}://${d.user}@${d.host}:${d.port}/${d.database ?? ''}` : ''];
    },
    run: (ctx) => lookupDatabase(ctx, ctx.privateHosts),
  },
  {
    provider: 'jwt',
    title: 'JWT issuer key check (opt-in)',
    rules: ['jwt', 'jwt-unsigned'],
    call: 'GET {iss}/.well-known/openid-configuration, then the same-host jwks_uri',
    deepOnly: true,
    run: lookupJwt,
  },
];

function glcRegion(t: string): string | undefined {
  try {
    return JSON.parse(Buffer.from(t.slice(4), 'base64').toString('utf8'))?.m?.r;
  } catch {
    return undefined;
  }
}

const TWILIO_KEY_SECRET = /^[A-Za-z0-9]{32}$/;

/** An API key SID with its secret: the finding itself and the nearest part of the other kind. */
function twilioKeyPair(
  ctx: Pick<LookupContext, 'secret' | 'nearby' | 'offsetOf'>,
): { sid: string; secret: string } | undefined {
  const own = ctx.secret;
  const sid = TWILIO_KEY_SID.test(own) ? own : pairedPart(ctx, (s) => TWILIO_KEY_SID.test(s), false);
  const secret = TWILIO_KEY_SID.test(own)
    ? pairedPart(ctx, (s) => TWILIO_KEY_SECRET.test(s) && !/^[0-9a-f]{32}$/.test(s), true)
    : own;
  return sid && secret && TWILIO_KEY_SECRET.test(secret) ? { sid, secret } : undefined;
}

function twilioSid(ctx: Pick<LookupContext, 'secret' | 'nearby' | 'offsetOf' | 'context'>): string | undefined {
  const own = /^(AC[0-9a-f]{32})\n/.exec(ctx.secret); // composite twilio-account-credentials
  if (own) return own[1];
  const paired = pairedPart(ctx, (s) => /^AC[0-9a-f]{32}$/.test(s), false);
  if (paired) return paired;
  for (const c of ctx.context) {
    const m = /\bAC[0-9a-f]{32}\b/.exec(c);
    if (m) return m[0];
  }
  return undefined;
}
