// Lookups of code hosting, chat, payments, clouds and package registries (GitHub … Hugging Face),
// from the fact sheet (../shared/PROVIDERS.md).

import { strongest, type Access, type Grant } from '../../types.js';
import { basic, bearer, date, grantsOf, jwtClaims, oneRequest } from './declarative.js';
import { awsCredentials, lookupAwsPair } from './aws.js';
import { lookupGcp, lookupGoogleApiKey } from './google.js';
import { azureStorageCredential, lookupAzureSas, lookupAzureStorage, lookupEntra, sasResource } from './microsoft.js';
import type { ProviderLookup } from './types.js';
import { READ_WRITE_ADMIN, csv, grant, list, SLACK_MAP } from './table-parts.js';

export const PLATFORM_LOOKUPS: readonly ProviderLookup[] = [
  oneRequest({
    // Installation tokens answer 403 on /user; their own endpoint lists what the installation reaches.
    provider: 'github',
    title: 'GitHub App installation',
    rules: ['github-app-installation-token', 'github-app-installation-token-stateless'],
    base: 'https://api.github.com',
    path: '/installation/repositories?per_page=100',
    headers: (t) => ({ ...bearer(t), accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' }),
    valid: (j) => Array.isArray(j.repositories),
    identity: (j) => `app installation (${j.repository_selection ?? 'selected'} repositories)`,
    grants: (j) => [
      grant(
        `github app installation: ${j.total_count ?? j.repositories.length} repositories ` +
          `(${j.repository_selection ?? 'selected'})`,
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
    rules: ['github-app-user-token', 'github-classic-pat', 'github-fine-grained-pat', 'github-oauth-token'],
    base: 'https://api.github.com',
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
    rules: ['gitlab-pat', 'gitlab-pat-routable'],
    base: 'https://gitlab.com',
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
    rules: ['slack-bot-token', 'slack-legacy-token', 'slack-rotating-token', 'slack-user-token'],
    base: 'https://slack.com',
    // Not xoxr- refresh tokens of the legacy rule: they are not bearer tokens.
    verifies: (t) => !t.startsWith('xoxr-'),
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
    rules: ['stripe-restricted-key', 'stripe-secret-key', 'stripe-test-restricted-key', 'stripe-test-secret-key'],
    base: 'https://api.stripe.com',
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
    rules: [
      'aws-access-key-id',
      'aws-access-key-pair',
      'aws-secret-access-key',
      'aws-session-token',
      'aws-temporary-access-key-id',
      'aws-temporary-key-pair',
    ],
    call: 'POST https://sts.amazonaws.com/ Action=GetCallerIdentity (SigV4); IAM reads with --deep-lookup',
    credential(ctx) {
      const c = awsCredentials(ctx);
      return 'missing' in c ? [ctx.secret] : [c.accessKeyId, c.secretAccessKey, c.sessionToken ?? ''];
    },
    run: lookupAwsPair,
  },
  {
    provider: 'gcp',
    title: 'GCP service account',
    rules: ['gcp-service-account-key'],
    call: 'POST https://oauth2.googleapis.com/token (JWT bearer), then POST …/v1/projects/{p}:testIamPermissions',
    run: lookupGcp,
  },
  {
    provider: 'azure',
    title: 'Azure storage account key',
    rules: ['azure-storage-account-key', 'azure-storage-identifiable-key'],
    call: 'GET https://{account}.blob.core.windows.net/?comp=list (SharedKey)',
    credential: (ctx) => {
      const c = azureStorageCredential(ctx);
      return c ? [c.account, c.key] : [ctx.secret];
    },
    run: lookupAzureStorage,
  },
  {
    provider: 'azure',
    title: 'Azure SAS URL',
    rules: ['azure-sas-token'],
    call:
      'GET https://{account}.blob.core.windows.net/{container}?restype=container&comp=list&{sas} (or HEAD the ' +
      'blob)',
    credential: (ctx) => {
      const r = sasResource(ctx);
      return [ctx.secret, r ? `${r.account}.${r.service}${r.path}` : ''];
    },
    run: lookupAzureSas,
  },
  {
    provider: 'gcp',
    title: 'Google API key',
    rules: ['google-api-key'],
    call: 'GET one read-only method of Gemini, YouTube Data and Maps Geocoding with ?key=',
    run: lookupGoogleApiKey,
  },
  oneRequest({
    // PATs authenticate as Basic with an empty user
    // (https://learn.microsoft.com/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate).
    provider: 'azure-devops',
    title: 'Azure DevOps',
    rules: ['azure-devops-pat'],
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
    rules: ['azure-client-id', 'azure-entra-app-credentials', 'azure-entra-client-secret', 'azure-tenant-id'],
    call: 'POST https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token (client credentials)',
    run: lookupEntra,
  },
  oneRequest({
    provider: 'npm',
    title: 'npm',
    rules: ['npm-access-token'],
    base: 'https://registry.npmjs.org',
    path: '/-/whoami',
    headers: (t) => bearer(t),
    valid: (j) => typeof j.username === 'string',
    identity: (j) => j.username,
    grants: (j) => [grant(`npm packages of ${j.username} (read/write per token settings)`, 'write')],
  }),
  oneRequest({
    provider: 'pypi',
    title: 'PyPI (upload probe, opt-in)',
    rules: ['pypi-api-token'],
    base: 'https://upload.pypi.org',
    deepOnly: true,
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
    rules: ['docker-hub-oat', 'docker-hub-pat'],
    base: 'https://hub.docker.com',
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
    rules: ['huggingface-org-token', 'huggingface-token'],
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

/** A Docker Hub user name next to the token: user=, DOCKER_USERNAME: or docker login -u. */
const DOCKER_USER = new RegExp(
  String.raw`(?:^user=|DOCKER(?:HUB)?_USER(?:NAME)?["']?\s*[:=]\s*["']?|` +
    'docker login (?:-u|--username)[ =])([a-z0-9][a-z0-9_.-]{1,29})',
  'i',
);

function dockerUser(ctx: { context: readonly string[] }): string | undefined {
  for (const c of ctx.context) {
    const m = DOCKER_USER.exec(c);
    if (m) return m[1];
  }
  return undefined;
}
