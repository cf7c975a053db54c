// The lookup table: one safe read-only identity/scope call per provider (../shared/PROVIDERS.md).
// Facts marked "unconfirmed" there stay soft here: unknown shapes give `unknown`, never a guess.

import type { Access, Grant } from '../../types.js';
import { strongest } from '../../types.js';
import {
  basic,
  bearer,
  date,
  grantsOf,
  oneRequest,
  pairedPart,
  tenantHost,
  type Json,
  type ScopeMap,
} from './declarative.js';
import {
  atlassianEmail,
  azureStorageCredential,
  cloudflareAccount,
  lookupAtlassian,
  lookupAzureSas,
  lookupAzureStorage,
  lookupCloudflare,
  lookupGoogleApiKey,
  sasResource,
  lookupEntra,
  lookupGcp,
  lookupJwt,
} from './analyzers.js';
import { awsCredentials, lookupAwsPair } from './aws.js';
import { databaseTarget, lookupDatabase } from './database.js';
import type { LookupContext, ProviderLookup } from './types.js';

const READ_WRITE_ADMIN = (admin: RegExp, write: RegExp): ScopeMap => [
  [admin, 'admin'],
  [write, 'write'],
];
const grant = (resource: string, access: Access): Grant => ({ resource, access });
const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : String((x as { handle?: unknown })?.handle ?? x))) : [];
const csv = (h: string | null): string[] | undefined =>
  h === null
    ? undefined
    : h
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

const TWILIO_KEY_SID = /^SK[0-9a-f]{32}$/;
const SLACK_MAP = READ_WRITE_ADMIN(/^admin/, /:write|^incoming-webhook$|^chat:write|^files:write/);

export const LOOKUPS: readonly ProviderLookup[] = [
  oneRequest({
    // Installation tokens answer 403 on /user; their own endpoint lists what the installation reaches.
    provider: 'github',
    title: 'GitHub App installation',
    base: 'https://api.github.com',
    match: /^ghs_/,
    path: '/installation/repositories?per_page=100',
    headers: (t) => ({ ...bearer(t), accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' }),
    valid: (j) => Array.isArray(j.repositories),
    identity: (j) => `app installation (${j.repository_selection ?? 'selected'} repositories)`,
    grants: (j) => [
      grant(
        `github app installation: ${j.total_count ?? j.repositories.length} repositories (${j.repository_selection ?? 'selected'})`,
        'write',
      ),
    ],
    reach: async (_get, j) => ({ reached: githubRepos(j.repositories) }),
    expires: () => undefined,
    facts: () => ['installation access token: expires one hour after it was issued'],
  }),
  oneRequest({
    provider: 'github',
    title: 'GitHub',
    base: 'https://api.github.com',
    match: /^(gh[pou]_|github_pat_)/, // not ghr_: refresh tokens are not bearer tokens
    path: '/user',
    headers: (t) => ({ ...bearer(t), accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' }),
    identity: (j) => j.login,
    scopes: (_j, h) => csv(h.get('x-oauth-scopes')),
    map: READ_WRITE_ADMIN(
      /^(repo|delete_repo|admin:.*|site_admin|write:org)$/,
      /^(public_repo|gist|workflow|write:.*|user|repo:.*|codespace)$/,
    ),
    grants: (j) => (j.site_admin ? [grant('GitHub Enterprise (site admin)', 'admin')] : undefined),
    // Absent header: a classic token without expiry (fine-grained tokens always carry it). A header
    // that does not parse is "not known", never "never".
    expires: (_j, h) => {
      const header = h.get('github-authentication-token-expiration');
      if (header) return date(header);
      return h.get('x-oauth-scopes') !== null ? null : undefined;
    },
    facts: (j, h) => {
      const header = h.get('github-authentication-token-expiration');
      return [
        j.site_admin && 'site administrator',
        typeof j.type === 'string' && `account type ${j.type}`,
        header && date(header) === undefined && `expiry header not understood: "${header.slice(0, 40)}"`,
      ];
    },
    reach: async (get) => {
      const res = await get('/user/repos?per_page=100&sort=pushed');
      if (res.status !== 200) return { reached: [], facts: [`repositories not listed (HTTP ${res.status})`] };
      const repos = res.json<unknown[]>();
      return Array.isArray(repos) ? { reached: githubRepos(repos), facts: [githubRepoSummary(repos)] } : undefined;
    },
  }),
  oneRequest({
    provider: 'gitlab',
    title: 'GitLab',
    base: 'https://gitlab.com',
    match: /^glpat-/,
    path: '/api/v4/personal_access_tokens/self',
    headers: (t) => ({ 'private-token': t }),
    deadBody: (j) => j.active === false || j.revoked === true,
    valid: (j) => Array.isArray(j.scopes),
    identity: (j) => (j.user_id !== undefined ? `user ${j.user_id}${j.name ? ` (token "${j.name}")` : ''}` : j.name),
    scopes: (j) => list(j.scopes),
    map: READ_WRITE_ADMIN(/^(api|sudo|admin_mode)$/, /^(write_.*|create_runner|manage_runner|k8s_proxy)$/),
    expires: (j) => (j.expires_at === null ? null : date(j.expires_at)),
    facts: (j) => [
      j.created_at && `created ${String(j.created_at).slice(0, 10)}`,
      j.last_used_at && `last used ${String(j.last_used_at).slice(0, 10)}`,
    ],
    // Groups and projects the token reaches, with the access level in each (GitLab 17.4+).
    reach: async (get) => {
      const res = await get('/api/v4/personal_access_tokens/self/associations?per_page=100');
      if (res.status !== 200) return { reached: [], facts: [`groups and projects not listed (HTTP ${res.status})`] };
      const j = res.json<{ groups?: unknown[]; projects?: unknown[] }>();
      const level = (a: unknown): number =>
        typeof a === 'number'
          ? a
          : a && typeof a === 'object'
            ? Math.max(0, ...Object.values(a).filter((v): v is number => typeof v === 'number'))
            : 0;
      const access = (n: number): Access => (n >= 40 ? 'admin' : n >= 30 ? 'write' : 'read');
      const role = (n: number) =>
        ({ 50: 'owner', 40: 'maintainer', 30: 'developer', 20: 'reporter', 10: 'guest', 5: 'planner' })[n] ??
        `level ${n}`;
      type Assoc = { name?: string; full_path?: string; path_with_namespace?: string; access_levels?: unknown };
      const reached = [
        ...((j.groups ?? []) as Assoc[]).map((gr) =>
          grant(
            `gitlab group ${gr.full_path ?? gr.name} (${role(level(gr.access_levels))})`,
            access(level(gr.access_levels)),
          ),
        ),
        ...((j.projects ?? []) as Assoc[]).map((pr) =>
          grant(
            `gitlab project ${pr.path_with_namespace ?? pr.name} (${role(level(pr.access_levels))})`,
            access(level(pr.access_levels)),
          ),
        ),
      ];
      return {
        reached,
        facts: [`reaches ${j.groups?.length ?? 0} group(s) and ${j.projects?.length ?? 0} project(s)`],
      };
    },
  }),
  oneRequest({
    provider: 'slack',
    title: 'Slack',
    base: 'https://slack.com',
    match: /^(xox[bpaso]-|xoxe\.xox[bp]-)/, // not refresh (xoxe-, xoxr-), session (xoxc/xoxd: need a cookie) or app-level tokens
    method: 'POST',
    path: '/api/auth.test',
    headers: (t) => ({ ...bearer(t), 'content-type': 'application/x-www-form-urlencoded' }),
    body: () => '',
    deadBody: (j) =>
      j.ok === false && /invalid_auth|not_authed|token_revoked|account_inactive|token_expired/.test(String(j.error)),
    valid: (j) => j.ok === true,
    identity: (j) => [j.team ?? j.team_id, j.user ?? j.user_id].filter(Boolean).join(' / '),
    scopes: (_j, h) => csv(h.get('x-oauth-scopes')),
    map: SLACK_MAP,
    facts: (j) => [
      j.enterprise_id && `Enterprise Grid ${j.enterprise_id}`,
      j.bot_id && `bot ${j.bot_id}`,
      j.url && `workspace ${j.url}`,
    ],
    // The workspace is what a Slack token reaches; its scopes say how far.
    reach: async (_get, j, h) => {
      const scopes = csv(h.get('x-oauth-scopes')) ?? [];
      const access = strongest(grantsOf(scopes, SLACK_MAP));
      const who = j.bot_id ? `bot ${j.bot_id}` : `user ${j.user ?? j.user_id}`;
      return {
        reached: [
          grant(
            `slack workspace ${j.team ?? j.team_id}${j.url ? ` (${j.url})` : ''} as ${who}: ${scopes.length} scope(s)`,
            access ?? 'read',
          ),
        ],
      };
    },
  }),
  oneRequest({
    provider: 'stripe',
    title: 'Stripe',
    base: 'https://api.stripe.com',
    match: /^(sk|rk)_(live|test)_/,
    path: '/v1/account',
    headers: (t) => bearer(t),
    liveNoAccess: [403],
    valid: (j) => typeof j.id === 'string',
    identity: (j) => j.id,
    grants: (_j, _h, t) =>
      t.startsWith('sk_')
        ? [grant(`stripe account (all resources${t.includes('_test_') ? ', test mode' : ''})`, 'admin')]
        : undefined,
    expires: () => null,
    environment: (_j, t) => (t.includes('_live_') ? 'production' : 'test'),
    facts: (j) => [
      `charges ${j.charges_enabled ? 'enabled' : 'disabled'}, payouts ${j.payouts_enabled ? 'enabled' : 'disabled'}`,
    ],
  }),
  {
    provider: 'aws',
    title: 'AWS',
    call: 'POST https://sts.amazonaws.com/ Action=GetCallerIdentity (SigV4); IAM reads with --deep-lookup',
    applies: () => true,
    credential(ctx) {
      const c = awsCredentials(ctx);
      return 'missing' in c ? [ctx.secret] : [c.accessKeyId, c.secretAccessKey, c.sessionToken ?? ''];
    },
    run: lookupAwsPair,
  },
  {
    provider: 'gcp',
    title: 'GCP service account',
    call: 'POST https://oauth2.googleapis.com/token (JWT bearer), then POST …/v1/projects/{p}:testIamPermissions',
    applies: (s) => s.includes('service_account') || s.includes('private_key'),
    run: lookupGcp,
  },
  {
    provider: 'azure',
    title: 'Azure storage account key',
    call: 'GET https://{account}.blob.core.windows.net/?comp=list (SharedKey)',
    applies: (s) => /AccountKey=|^[A-Za-z0-9+/]{86}==$/.test(s),
    credential: (ctx) => {
      const c = azureStorageCredential(ctx);
      return c ? [c.account, c.key] : [ctx.secret];
    },
    run: lookupAzureStorage,
  },
  {
    provider: 'azure',
    title: 'Azure SAS URL',
    call: 'GET https://{account}.blob.core.windows.net/{container}?restype=container&comp=list&{sas} (or HEAD the blob)',
    applies: (s) => /(?:^|[?&])sig=/.test(s),
    credential: (ctx) => {
      const r = sasResource(ctx);
      return [ctx.secret, r ? `${r.account}.${r.service}${r.path}` : ''];
    },
    run: lookupAzureSas,
  },
  {
    provider: 'gcp',
    title: 'Google API key',
    call: 'GET one read-only method of Gemini, YouTube Data and Maps Geocoding with ?key=',
    applies: (s) => s.startsWith('AIza'),
    run: lookupGoogleApiKey,
  },
  oneRequest({
    // PATs authenticate as Basic with an empty user (https://learn.microsoft.com/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate).
    provider: 'azure-devops',
    title: 'Azure DevOps',
    base: 'https://app.vssps.visualstudio.com',
    path: '/_apis/profile/profiles/me?api-version=7.1',
    headers: (t) => ({ authorization: basic('', t) }),
    valid: (j) => typeof j.id === 'string',
    identity: (j) => j.emailAddress ?? j.displayName ?? j.id,
    grants: () => [grant('azure devops organizations of the user (per the PAT scopes)', 'write')],
    // The organizations the user belongs to, from the same host.
    reach: async (get, j) => {
      const res = await get(`/_apis/accounts?memberId=${encodeURIComponent(j.publicAlias ?? j.id)}&api-version=7.1`);
      if (res.status !== 200) return { reached: [], facts: [`organizations not listed (HTTP ${res.status})`] };
      const orgs = res.json<{ value?: Array<{ accountName?: string }> }>().value ?? [];
      return { reached: orgs.map((o) => grant(`azure devops organization ${o.accountName}`, 'write')) };
    },
  }),
  {
    provider: 'entra',
    title: 'Entra ID client secret',
    call: 'POST https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token (client credentials)',
    applies: () => true,
    run: lookupEntra,
  },
  oneRequest({
    provider: 'npm',
    title: 'npm',
    base: 'https://registry.npmjs.org',
    match: /^npm_/,
    path: '/-/whoami',
    headers: (t) => bearer(t),
    valid: (j) => typeof j.username === 'string',
    identity: (j) => j.username,
    grants: (j) => [grant(`npm packages of ${j.username} (read/write per token settings)`, 'write')],
  }),
  oneRequest({
    provider: 'pypi',
    title: 'PyPI (upload probe, opt-in)',
    base: 'https://upload.pypi.org',
    deepOnly: true,
    match: /^pypi-AgEIcHlwaS5vcmc/, // macaroons for pypi.org, not test.pypi.org
    method: 'POST',
    path: '/legacy/',
    headers: (t) => ({
      authorization: basic('__token__', t),
      'content-type': 'multipart/form-data; boundary=leakradius',
    }),
    body: () => '--leakradius--\r\n',
    // 403 also answers a valid token that may not upload to a project: only this text says invalid.
    classify: (status, text) =>
      status === 403 && /Invalid or non-existent authentication information/i.test(text) ? 'revoked' : undefined,
    liveNoAccess: [400],
    text: true,
  }),
  oneRequest({
    provider: 'docker',
    title: 'Docker Hub',
    base: 'https://hub.docker.com',
    match: /^dckr_(pat|oat)_/,
    needs: 'the Docker Hub user name was not found next to the token (use --user)',
    method: 'POST',
    path: '/v2/auth/token',
    headers: (_t, ctx) => (dockerUser(ctx) ? { 'content-type': 'application/json' } : undefined),
    body: (t, ctx) => JSON.stringify({ identifier: dockerUser(ctx), secret: t }),
    valid: (j) => typeof j.access_token === 'string',
    identity: (j) => jwtClaims(j.access_token)?.['https://hub.docker.com']?.username,
    scopes: (j) =>
      String(jwtClaims(j.access_token)?.scope ?? '')
        .split(/\s+/)
        .filter(Boolean),
    map: READ_WRITE_ADMIN(/admin/, /write|push|delete/),
    expires: () => undefined,
  }),
  oneRequest({
    provider: 'huggingface',
    title: 'Hugging Face',
    base: 'https://huggingface.co',
    path: '/api/whoami-v2',
    headers: (t) => bearer(t),
    valid: (j) => typeof j.auth === 'object' || typeof j.name === 'string',
    identity: (j) => j.name,
    grants: (j) => {
      const role = j.auth?.accessToken?.role;
      const out: Grant[] = [];
      if (role === 'fineGrained') {
        for (const s of j.auth.accessToken.fineGrained?.scoped ?? [])
          for (const p of list(s.permissions))
            out.push(
              grant(
                `${s.entity?.name ?? s.entity?.type ?? 'entity'}: ${p}`,
                /write|manage|admin/.test(p) ? 'write' : 'read',
              ),
            );
      } else if (role === 'read' || role === 'write') {
        out.push(grant(`repositories of ${j.name ?? 'the user'}`, role));
        for (const o of j.orgs ?? []) {
          const inOrg = o.roleInOrg;
          const access: Access = role === 'read' || inOrg === 'read' ? 'read' : inOrg === 'admin' ? 'admin' : 'write';
          out.push(grant(`organization ${o.name} (${inOrg})`, access));
        }
      }
      return out;
    },
    facts: (j) => [j.auth?.accessToken?.role && `token role ${j.auth.accessToken.role}`],
  }),
  oneRequest({
    provider: 'openai',
    title: 'OpenAI',
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
    base: 'https://api.twilio.com',
    match: TWILIO_KEY_SID,
    types: ['api-key-secret'],
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
        `twilio account${j.accounts.length > 1 ? `s (${j.accounts.length}, with subaccounts)` : ''} (API key: every API unless restricted)`,
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
    base: 'https://api.twilio.com',
    match: /^(?:AC[0-9a-f]{32}\n)?[0-9a-f]{32}$/, // the auth token, or the composite "SID\ntoken"
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
    base: 'https://api.mailgun.net',
    // US and EU accounts are separate; a key answers 401 at the other region (https://documentation.mailgun.com/docs/mailgun/api-reference/).
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
    base: 'https://{host}',
    tenant: /[a-z0-9][a-z0-9-]*\.myshopify\.com/,
    needs: 'the shop host ({shop}.myshopify.com) was not found next to the token (use --host)',
    match: /^shp(at|ca|pa)_/,
    path: '/admin/oauth/access_scopes.json',
    headers: (t) => ({ 'x-shopify-access-token': t }),
    valid: (j) => Array.isArray(j.access_scopes),
    scopes: (j) => list(j.access_scopes),
    map: READ_WRITE_ADMIN(/^write_(orders|customers|payment.*|shopify_payments.*|users|staff.*|themes)$/, /^write_/),
  }),
  oneRequest({
    provider: 'digitalocean',
    title: 'DigitalOcean',
    base: 'https://api.digitalocean.com',
    match: /^do[op]_v1_/,
    path: '/v2/account',
    headers: (t) => bearer(t),
    liveNoAccess: [403],
    valid: (j) => typeof j.account === 'object',
    identity: (j) => j.account.email ?? j.account.uuid,
    grants: (j) => [
      grant(
        `digitalocean ${j.account.team?.name ? `team ${j.account.team.name}` : 'account'} (token scopes not exposed; full access unless custom-scoped)`,
        'write',
      ),
    ],
    facts: (j) => [`account status ${j.account.status}`],
  }),
  oneRequest({
    provider: 'heroku',
    title: 'Heroku',
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
    call: 'GET https://api.cloudflare.com/client/v4/user/tokens/verify, or /accounts/{account_id}/tokens/verify for account tokens',
    applies: (s) => /^(cfut_|cfat_)|^[A-Za-z0-9_-]{40}$/.test(s),
    credential: (ctx) => [ctx.secret, cloudflareAccount(ctx) ?? ''],
    run: lookupCloudflare,
  },
  oneRequest({
    provider: 'datadog',
    title: 'Datadog',
    base: 'https://api.{host}',
    tenant: /(?:us3\.|us5\.|ap1\.|ap2\.|uk1\.)?datadoghq\.(?:com|eu)|ddog-gov\.com/,
    match: /^[0-9a-f]{32}$/, // API keys; application keys need an API key beside them
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
    call: 'GET https://{site}.atlassian.net/rest/api/3/myself, then https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/myself (Basic email:token)',
    applies: (s) => s.startsWith('ATATT'),
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
    base: 'https://discord.com',
    match: /^[A-Za-z0-9_-]{20,30}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,40}$/, // bot tokens, not webhook URLs
    path: '/api/v10/users/@me',
    headers: (t) => ({ authorization: `Bot ${t}` }),
    valid: (j) => typeof j.id === 'string',
    identity: (j) => `${j.username ?? 'bot'} (${j.id})`,
    grants: () => [grant('discord guilds the bot joined (permission bits per guild: deep lookup)', 'write')],
  }),
  oneRequest({
    provider: 'telegram',
    title: 'Telegram',
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
    base: 'https://sentry.io',
    match: /^sntry[su]_|^[0-9a-f]{64}$/,
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
    base: 'https://{host}',
    tenant: /[a-z0-9][a-z0-9-]*\.grafana\.net/,
    needs: 'the stack host ({stack}.grafana.net) was not found next to the token (use --host)',
    match: /^glsa_/,
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
    base: 'https://grafana.com',
    match: /^glc_/,
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
    base: 'https://connect.squareup.com',
    // EAAA does not say production or sandbox; a sandbox token answers 401 in production.
    regions: [{ provider: 'square-sandbox', base: 'https://connect.squareupsandbox.com', environment: 'test' }],
    match: /^(EAAA|sq0atp-)/,
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
    base: 'https://{host}',
    tenant: /us\d{1,2}\.api\.mailchimp\.com/,
    hostFromToken: (t) => `${/-(us\d{1,2})$/.exec(t)?.[1] ?? 'invalid'}.api.mailchimp.com`,
    match: /-us\d{1,2}$/,
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
    base: 'https://api.newrelic.com',
    regions: [{ provider: 'newrelic-eu', base: 'https://api.eu.newrelic.com' }],
    match: /^NRAK-/,
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
    call: 'one read-only session: pg_roles and has_*_privilege / SHOW GRANTS / connectionStatus / ACL WHOAMI and ACL GETUSER',
    deepOnly: true,
    applies: (_s, f) => /^(postgres|mysql|mongodb|redis)$/.test(f.type),
    credential: (ctx) => {
      const d = databaseTarget(ctx);
      return [ctx.secret, d ? `${d.scheme}://${d.user}@${d.host}:${d.port}/${d.database ?? ''}` : ''];
    },
    run: (ctx) => lookupDatabase(ctx, ctx.privateHosts),
  },
  {
    provider: 'jwt',
    title: 'JWT issuer key check (opt-in)',
    call: 'GET {iss}/.well-known/openid-configuration, then the same-host jwks_uri',
    deepOnly: true,
    applies: (s) => s.startsWith('eyJ'),
    run: lookupJwt,
  },
  // Providers beyond the fact sheet (response shapes unconfirmed: unknown shapes give `unknown`).
  oneRequest({
    provider: 'vercel',
    title: 'Vercel',
    base: 'https://api.vercel.com',
    // Not vck_ (API keys), vca_/vcr_ (app access and refresh tokens): /v2/user is no verdict on them.
    match: /^(?!vc[kar]_)/,
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
    'https://api.netlify.com',
    '/api/v1/user',
    (j) => j.email ?? j.full_name,
    'netlify sites of the user',
    'admin',
  ),
  oneRequest({
    provider: 'circleci',
    title: 'CircleCI',
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
    'https://app.terraform.io',
    '/api/v2/account/details',
    (j) => j.data?.attributes?.username,
    'terraform organizations of the user (state and variables)',
    'admin',
  ),
  oneRequest({
    provider: 'pulumi',
    title: 'Pulumi',
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
    'https://app.asana.com',
    '/api/1.0/users/me',
    (j) => j.data?.email ?? j.data?.name,
    'asana workspaces of the user',
    'write',
  ),
  oneRequest({
    provider: 'fastly',
    title: 'Fastly',
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
    base: 'https://api.mapbox.com',
    match: /^[ps]k\./,
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
    'https://api.replicate.com',
    '/v1/account',
    (j) => j.username,
    'replicate account (runs models, billed to the owner)',
    'write',
  ),
  oneRequest({
    provider: 'pagerduty',
    title: 'PagerDuty',
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
    base: 'https://api.dropboxapi.com',
    match: /^sl\./,
    method: 'POST',
    path: '/2/users/get_current_account',
    headers: (t) => ({ ...bearer(t), 'content-type': 'application/json' }),
    body: () => 'null',
    valid: (j) => typeof j.account_id === 'string',
    identity: (j) => j.email ?? j.account_id,
    grants: () => [grant('dropbox files of the user (per app permission)', 'write')],
  }),
  oneRequest({
    // App passwords authenticate as Basic {username}:{password} (https://support.atlassian.com/bitbucket-cloud/docs/using-app-passwords/).
    provider: 'bitbucket',
    title: 'Bitbucket',
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
    base: 'https://api.supabase.com',
    match: /^sbp_/, // personal access tokens; project secret keys (sb_secret_) are for one project's API
    path: '/v1/projects',
    headers: (t) => bearer(t),
    valid: (j) => Array.isArray(j),
    identity: (j) => `${j.length} project(s)`,
    grants: () => [grant('supabase projects of the account (management API)', 'admin')],
  }),
  simpleIdentity(
    'cohere',
    'Cohere',
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
    'https://api.hetzner.cloud',
    '/v1/servers?per_page=1',
    (j) => `${j.meta?.pagination?.total_entries ?? j.servers.length} server(s)`,
    'hetzner cloud project (read/write unless a read-only token)',
    'write',
    (j) => Array.isArray(j.servers),
  ),
];

type GitHubRepo = {
  full_name?: string;
  owner?: { login?: string; type?: string };
  permissions?: { admin?: boolean; push?: boolean; maintain?: boolean };
};

/** Organizations first (with the strongest access in each), then the repositories with admin. */
function githubRepos(list: unknown): Grant[] {
  const repos = (Array.isArray(list) ? list : []) as GitHubRepo[];
  const access = (r: GitHubRepo): Access =>
    r.permissions?.admin ? 'admin' : r.permissions?.push || r.permissions?.maintain ? 'write' : 'read';
  const orgs = new Map<string, { access: Access; push: number; admin: number }>();
  for (const r of repos) {
    if (r.owner?.type !== 'Organization' || !r.owner.login) continue;
    const o = orgs.get(r.owner.login) ?? { access: 'read' as Access, push: 0, admin: 0 };
    const a = access(r);
    if (a === 'admin') o.admin++;
    if (a !== 'read') o.push++;
    if (a === 'admin' || (a === 'write' && o.access === 'read')) o.access = a;
    orgs.set(r.owner.login, o);
  }
  const out = [...orgs].map(([name, o]) =>
    grant(`github organization ${name}: push to ${o.push}, admin on ${o.admin} repositories`, o.access),
  );
  for (const r of repos.filter((x) => x.permissions?.admin).slice(0, 10))
    out.push(grant(`github repository ${r.full_name} (admin)`, 'admin'));
  return out;
}

function githubRepoSummary(list: unknown[]): string {
  const repos = list as GitHubRepo[];
  const push = repos.filter((r) => r.permissions?.push || r.permissions?.admin).length;
  const admin = repos.filter((r) => r.permissions?.admin).length;
  return `reaches ${repos.length}${repos.length === 100 ? '+' : ''} repositories: push to ${push}, admin on ${admin}`;
}

function simpleIdentity(
  provider: string,
  title: string,
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
    base,
    path,
    dead,
    headers: (t) => bearer(t),
    valid: valid ?? ((j) => typeof j === 'object' && !Array.isArray(j) && Object.keys(j).length > 0 && !j.error),
    identity,
    grants: () => [grant(resource, access)],
  });
}

function jwtClaims(token: unknown): Json {
  if (typeof token !== 'string') return undefined;
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

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

function dockerUser(ctx: { context: readonly string[] }): string | undefined {
  for (const c of ctx.context) {
    const m =
      /(?:^user=|DOCKER(?:HUB)?_USER(?:NAME)?["']?\s*[:=]\s*["']?|docker login (?:-u|--username)[ =])([a-z0-9][a-z0-9_.-]{1,29})/i.exec(
        c,
      );
    if (m) return m[1];
  }
  return undefined;
}

/** The lookup for a finding: by canonical provider, then by the secret's shape. */
export function lookupFor(provider: string, secret: string, type = ''): ProviderLookup | undefined {
  const candidates = LOOKUPS.filter(
    (l) => l.provider === provider || (provider === 'grafana' && l.provider === 'grafana-cloud'),
  );
  return candidates.find((l) => l.applies(secret, { provider, type }));
}

export { tenantHost };
