// Lookups of providers beyond the fact sheet: response shapes unconfirmed, so unknown shapes give
// `unknown`, never a guess.

import type { Access } from '../../types.js';
import { basic, bearer, date, oneRequest, type Json } from './declarative.js';
import type { ProviderLookup } from './types.js';
import { READ_WRITE_ADMIN, csv, grant, list } from './table-parts.js';

export const UNCONFIRMED_LOOKUPS: readonly ProviderLookup[] = [
  oneRequest({
    provider: 'vercel',
    title: 'Vercel',
    rules: ['vercel-token'],
    base: 'https://api.vercel.com',
    // Not vck_ (API keys), vca_/vcr_ (app access and refresh tokens): /v2/user is no verdict on them.
    verifies: (t) => !/^vc[kar]_/.test(t),
    path: '/v2/user',
    headers: (t) => bearer(t),
    // 403 also means "expired" or "no access to this scope" (Vercel SDK docs, Troubleshooting): no verdict.
    valid: (j) => typeof j.user === 'object',
    identity: (j) => j.user?.username ?? j.user?.email,
    grants: () => [grant('vercel account and teams', 'admin')],
  }),
  simpleIdentity(
    'netlify',
    'Netlify',
    ['netlify-access-token'],
    'https://api.netlify.com',
    '/api/v1/user',
    (j) => j.email ?? j.full_name,
    'netlify sites of the user',
    'admin',
  ),
  oneRequest({
    provider: 'circleci',
    title: 'CircleCI',
    rules: ['circleci-personal-token', 'circleci-token-legacy'],
    base: 'https://circleci.com',
    path: '/api/v2/me',
    headers: (t) => ({ 'circle-token': t }),
    valid: (j) => typeof j.id === 'string',
    identity: (j) => j.login ?? j.name,
    grants: () => [grant('circleci projects of the user (env vars, pipelines)', 'write')],
  }),
  oneRequest({
    provider: 'buildkite',
    title: 'Buildkite',
    rules: ['buildkite-api-token'],
    base: 'https://api.buildkite.com',
    path: '/v2/access-token',
    headers: (t) => bearer(t),
    valid: (j) => Array.isArray(j.scopes),
    identity: (j) => j.user?.email ?? j.uuid,
    scopes: (j) => list(j.scopes),
    map: READ_WRITE_ADMIN(/^(write_organizations|write_teams|write_suites)$/, /^write_/),
  }),
  simpleIdentity(
    'terraform',
    'HCP Terraform',
    ['terraform-cloud-token'],
    'https://app.terraform.io',
    '/api/v2/account/details',
    (j) => j.data?.attributes?.username,
    'terraform organizations of the user (state and variables)',
    'admin',
  ),
  oneRequest({
    provider: 'pulumi',
    title: 'Pulumi',
    rules: ['pulumi-access-token'],
    base: 'https://api.pulumi.com',
    path: '/api/user',
    headers: (t) => ({ authorization: `token ${t}`, accept: 'application/vnd.pulumi+8' }),
    valid: (j) => typeof j.githubLogin === 'string' || typeof j.name === 'string',
    identity: (j) => j.githubLogin ?? j.name,
    grants: () => [grant('pulumi stacks of the user (state, secrets)', 'admin')],
  }),
  simpleIdentity(
    'asana',
    'Asana',
    ['asana-personal-access-token'],
    'https://app.asana.com',
    '/api/1.0/users/me',
    (j) => j.data?.email ?? j.data?.name,
    'asana workspaces of the user',
    'write',
  ),
  oneRequest({
    provider: 'fastly',
    title: 'Fastly',
    rules: ['fastly-api-token', 'fastly-api-token-context'],
    base: 'https://api.fastly.com',
    path: '/tokens/self',
    headers: (t) => ({ 'fastly-key': t }),
    valid: (j) => typeof j.scope === 'string' || typeof j.id === 'string',
    identity: (j) => j.name ?? j.user_id,
    scopes: (j) =>
      String(j.scope ?? '')
        .split(/\s+/)
        .filter(Boolean),
    map: [
      [/^global$/, 'admin'],
      [/^purge_|^global:write/, 'write'],
    ],
    expires: (j) => date(j.expires_at) ?? null,
  }),
  oneRequest({
    provider: 'mapbox',
    title: 'Mapbox',
    rules: ['mapbox-secret-token'],
    base: 'https://api.mapbox.com',
    path: (t) => `/tokens/v2?access_token=${encodeURIComponent(t)}`,
    headers: () => ({}),
    deadBody: (j) => j.code && j.code !== 'TokenValid',
    valid: (j) => j.code === 'TokenValid',
    identity: (j) => j.token?.user,
    grants: (j) => [grant(`mapbox account ${j.token?.user ?? ''}`.trim(), j.token?.usage === 'sk' ? 'write' : 'read')],
  }),
  simpleIdentity(
    'replicate',
    'Replicate',
    ['replicate-api-token'],
    'https://api.replicate.com',
    '/v1/account',
    (j) => j.username,
    'replicate account (runs models, billed to the owner)',
    'write',
  ),
  oneRequest({
    provider: 'pagerduty',
    title: 'PagerDuty',
    rules: ['pagerduty-api-key', 'pagerduty-routing-key'],
    base: 'https://api.pagerduty.com',
    path: '/abilities',
    headers: (t) => ({ authorization: `Token token=${t}`, accept: 'application/vnd.pagerduty+json;version=2' }),
    valid: (j) => Array.isArray(j.abilities),
    grants: () => [grant('pagerduty account (REST API key)', 'admin')],
    facts: (j) => [`abilities: ${list(j.abilities).slice(0, 8).join(', ')}`],
  }),
  simpleIdentity(
    'groq',
    'Groq',
    ['groq-api-key'],
    'https://api.groq.com',
    '/openai/v1/models',
    () => undefined,
    'groq organization (every model, billed to the owner)',
    'write',
    (j) => Array.isArray(j.data),
  ),
  simpleIdentity(
    'mistral',
    'Mistral',
    ['mistral-api-key'],
    'https://api.mistral.ai',
    '/v1/models',
    () => undefined,
    'mistral workspace (every model, billed to the owner)',
    'write',
    (j) => Array.isArray(j.data),
  ),
  oneRequest({
    provider: 'dropbox',
    title: 'Dropbox',
    rules: ['dropbox-access-token'],
    base: 'https://api.dropboxapi.com',
    method: 'POST',
    path: '/2/users/get_current_account',
    headers: (t) => ({ ...bearer(t), 'content-type': 'application/json' }),
    body: () => 'null',
    valid: (j) => typeof j.account_id === 'string',
    identity: (j) => j.email ?? j.account_id,
    grants: () => [grant('dropbox files of the user (per app permission)', 'write')],
  }),
  oneRequest({
    // App passwords authenticate as Basic {username}:{password}
    // (https://support.atlassian.com/bitbucket-cloud/docs/using-app-passwords/).
    provider: 'bitbucket',
    title: 'Bitbucket',
    rules: ['bitbucket-access-token', 'bitbucket-app-password'],
    base: 'https://api.bitbucket.org',
    needs: 'the Bitbucket user name was not found next to the app password (use --user)',
    path: '/2.0/user',
    headers: (t, ctx) => {
      const user = bitbucketUser(ctx);
      return user ? { authorization: basic(user, t) } : undefined;
    },
    credential: (ctx) => [ctx.secret, bitbucketUser(ctx) ?? ''],
    valid: (j) => typeof j.uuid === 'string' || typeof j.username === 'string',
    identity: (j) => j.username ?? j.display_name,
    grants: () => [grant('bitbucket repositories of the user (per app password permissions)', 'write')],
  }),
  oneRequest({
    provider: 'snyk',
    title: 'Snyk',
    rules: ['snyk-api-token'],
    base: 'https://api.snyk.io',
    path: '/v1/user/me',
    headers: (t) => ({ authorization: `token ${t}` }),
    valid: (j) => typeof j.id === 'string',
    identity: (j) => j.username ?? j.email,
    grants: () => [grant('snyk organizations of the user', 'write')],
  }),
  simpleIdentity(
    'render',
    'Render',
    ['render-api-key'],
    'https://api.render.com',
    '/v1/owners?limit=1',
    (j) => (Array.isArray(j) ? j[0]?.owner?.email : undefined),
    'render services of the owner (env vars, deploys)',
    'admin',
    (j) => Array.isArray(j),
  ),
  oneRequest({
    provider: 'supabase',
    title: 'Supabase management API',
    rules: ['supabase-access-token'],
    base: 'https://api.supabase.com',
    path: '/v1/projects',
    headers: (t) => bearer(t),
    valid: (j) => Array.isArray(j),
    identity: (j) => `${j.length} project(s)`,
    grants: () => [grant('supabase projects of the account (management API)', 'admin')],
  }),
  simpleIdentity(
    'cohere',
    'Cohere',
    ['cohere-api-key'],
    'https://api.cohere.com',
    '/v1/models?page_size=1',
    () => undefined,
    'cohere account (every model, billed to the owner)',
    'write',
    (j) => Array.isArray(j.models),
  ),
  oneRequest({
    provider: 'linode',
    title: 'Linode (Akamai)',
    rules: ['linode-api-token'],
    base: 'https://api.linode.com',
    path: '/v4/profile',
    headers: (t) => bearer(t),
    valid: (j) => typeof j.username === 'string',
    identity: (j) => j.username,
    scopes: (_j, h) =>
      csv(h.get('x-oauth-scopes'))
        ?.flatMap((x) => x.split(/\s+/))
        .filter(Boolean),
    map: [
      [/^\*$|^account:read_write$/, 'admin'],
      [/:read_write$/, 'write'],
    ],
  }),
  oneRequest({
    provider: 'vultr',
    title: 'Vultr',
    rules: ['vultr-api-key'],
    base: 'https://api.vultr.com',
    path: '/v2/account',
    headers: (t) => bearer(t),
    valid: (j) => typeof j.account === 'object',
    identity: (j) => j.account.email ?? j.account.name,
    scopes: (j) => list(j.account.acls),
    map: [
      [/^(manage_users|billing|subscriptions)$/, 'admin'],
      [/^(?!.*(read|view))/, 'write'],
    ],
  }),
  simpleIdentity(
    'hetzner',
    'Hetzner Cloud',
    ['hetzner-cloud-token'],
    'https://api.hetzner.cloud',
    '/v1/servers?per_page=1',
    (j) => `${j.meta?.pagination?.total_entries ?? j.servers.length} server(s)`,
    'hetzner cloud project (read/write unless a read-only token)',
    'write',
    (j) => Array.isArray(j.servers),
  ),
];

function simpleIdentity(
  provider: string,
  title: string,
  rules: readonly string[],
  base: string,
  path: string,
  identity: (j: Json) => string | undefined,
  resource: string,
  access: Access,
  valid?: (j: Json) => boolean,
  dead?: number[],
): ProviderLookup {
  return oneRequest({
    provider,
    title,
    rules,
    base,
    path,
    dead,
    headers: (t) => bearer(t),
    valid: valid ?? ((j) => typeof j === 'object' && !Array.isArray(j) && Object.keys(j).length > 0 && !j.error),
    identity,
    grants: () => [grant(resource, access)],
  });
}

function bitbucketUser(ctx: { context: readonly string[] }): string | undefined {
  for (const c of ctx.context) {
    const m =
      /(?:BITBUCKET_USER(?:NAME)?["']?\s*[:=]\s*["']?|https?:\/\/)([a-z0-9][a-z0-9_-]{0,29})(?:["'\s]|:ATBB|$)/i.exec(
        c,
      ) ?? /^([a-z0-9][a-z0-9_-]{0,29})$/i.exec(c.trim());
    if (m) return m[1];
  }
  return undefined;
}
