// Lookups that take more than one plain request: signing (AWS SigV4, Azure SharedKey, a GCP
// RS256 assertion), pairs of findings (key id + secret), token exchanges, JWKS checks.

import { createHmac, createPublicKey, createSign, verify as verifySignature } from 'node:crypto';
import type { Access, Grant } from '../../types.js';
import { date, grantsOf, tenantHost, type ScopeMap } from './declarative.js';
import { LookupError } from './http.js';
import type { LookupContext, LookupOutcome } from './types.js';

// --- GCP --------------------------------------------------------------------------------------

const GCP_PROBES = [
  'resourcemanager.projects.setIamPolicy',
  'iam.serviceAccountKeys.create',
  'iam.serviceAccounts.getAccessToken',
  'storage.buckets.list',
  'storage.objects.get',
  'storage.objects.create',
  'compute.instances.list',
  'compute.instances.create',
  'secretmanager.versions.access',
  'bigquery.datasets.get',
  'cloudsql.instances.list',
];
const GCP_MAP: ScopeMap = [
  [/setIamPolicy$|serviceAccountKeys\.create$|getAccessToken$/, 'admin'],
  [/\.(create|update|delete|access|setMetadata)$/, 'write'],
];

export async function lookupGcp(ctx: LookupContext): Promise<LookupOutcome> {
  let key: { client_email?: string; private_key?: string; private_key_id?: string; project_id?: string };
  try {
    key = JSON.parse(ctx.secret);
  } catch {
    return { status: 'not-checked', facts: ['not looked up: the service account JSON is not whole'] };
  }
  if (!key.client_email || !key.private_key)
    return { status: 'not-checked', facts: ['not looked up: client_email or private_key missing'] };
  const now = Math.floor(Date.now() / 1000);
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  // The compiled-in token endpoint, never the token_uri written in the (leaked, attacker-editable) file.
  const aud = 'https://oauth2.googleapis.com/token';
  const unsigned = `${b64({ alg: 'RS256', typ: 'JWT', kid: key.private_key_id })}.${b64({ iss: key.client_email, scope: 'https://www.googleapis.com/auth/cloud-platform', aud, iat: now, exp: now + 600 })}`;
  let signature: string;
  try {
    signature = createSign('RSA-SHA256').update(unsigned).sign(key.private_key, 'base64url');
  } catch {
    return { status: 'not-checked', facts: ['not looked up: the private key does not load'] };
  }
  const tokenHttp = ctx.http('https://oauth2.googleapis.com', 'gcp');
  const res = await tokenHttp.request(
    {
      method: 'POST',
      path: '/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=${encodeURIComponent('urn:ietf:params:oauth:grant-type:jwt-bearer')}&assertion=${unsigned}.${signature}`,
    },
    '/token',
  );
  if (res.status === 400 || res.status === 401) {
    const j = res.json<{ error?: string; error_description?: string }>();
    const err = `${j.error ?? res.status}${j.error_description ? `: ${String(j.error_description).slice(0, 80)}` : ''}`;
    // Google's definitive answers: the key was deleted (signature no longer verifies), or the account is gone or disabled.
    if (
      j.error === 'invalid_grant' &&
      /Invalid JWT Signature|account not found|disabled/i.test(String(j.error_description))
    )
      return { status: 'revoked', facts: [`token exchange refused (${err})`] };
    return { status: 'unknown', facts: [`token exchange refused (${err}): not a verdict on the key`] };
  }
  if (res.status !== 200) throw new LookupError(`${tokenHttp.host}: unexpected HTTP ${res.status}`, 'server');
  const access = res.json<{ access_token?: string }>().access_token;
  if (typeof access !== 'string')
    throw new LookupError(`${tokenHttp.host}: token answer without access_token`, 'malformed');
  const facts = [`service account ${key.client_email}`];
  // The token endpoint overridden alone (a test, a proxy): the real resource manager is not asked.
  if (!key.project_id || (ctx.overridden('gcp') && !ctx.overridden('gcp-crm')))
    return { status: 'live', identity: key.client_email, expiresAt: null, facts };
  const crm = ctx.http('https://cloudresourcemanager.googleapis.com', 'gcp-crm');
  const probe = await crm.request(
    {
      method: 'POST',
      path: `/v1/projects/${encodeURIComponent(key.project_id)}:testIamPermissions`,
      headers: { authorization: `Bearer ${access}`, 'content-type': 'application/json' },
      body: JSON.stringify({ permissions: GCP_PROBES }),
    },
    '/v1/projects/{project}:testIamPermissions',
  );
  let grants: Grant[] | undefined;
  let reached: Grant[] | undefined;
  if (probe.status === 200) {
    const held = probe.json<{ permissions?: unknown }>().permissions;
    const list = Array.isArray(held) ? held.filter((p): p is string => typeof p === 'string') : [];
    grants = grantsOf(list, GCP_MAP, `project ${key.project_id}: `);
    facts.push(
      list.length
        ? `holds ${list.length} of ${GCP_PROBES.length} probed permissions`
        : 'holds none of the probed permissions',
    );
    const top = grants.some((gr) => gr.access === 'admin')
      ? 'admin'
      : grants.some((gr) => gr.access === 'write')
        ? 'write'
        : 'read';
    reached = [
      {
        resource: `gcp project ${key.project_id}: ${list.length ? list.join(', ') : 'none of the probed permissions'}`,
        access: top,
      },
    ];
  } else facts.push(`testIamPermissions answered HTTP ${probe.status}`);
  return { status: 'live', identity: key.client_email, grants, reached, expiresAt: null, facts };
}

// --- Azure storage account key (SharedKey) ----------------------------------------------------

/** Account name and key of a connection string, or a bare key with the account named next to it. */
export function azureStorageCredential(
  ctx: Pick<LookupContext, 'secret' | 'context'>,
): { account: string; key: string } | undefined {
  const own = /AccountName=([a-z0-9]{3,24})/.exec(ctx.secret)?.[1];
  const text = ctx.context.join('\n');
  const account =
    own ??
    /AccountName=([a-z0-9]{3,24})/.exec(text)?.[1] ??
    /\b([a-z0-9]{3,24})\.blob\.core\.windows\.net/.exec(text)?.[1];
  const key =
    /AccountKey=([A-Za-z0-9+/]{86}==)/.exec(ctx.secret)?.[1] ??
    (/^[A-Za-z0-9+/]{86}==$/.test(ctx.secret) ? ctx.secret : undefined);
  return account && key ? { account, key } : undefined;
}

/**
 * Shared Key signature of a GET (https://learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key):
 * twelve standard header lines, the x-ms- headers sorted, then the resource with every query
 * parameter, lower-cased and sorted, as "name:value".
 */
export function sharedKeyGet(
  account: string,
  key: string,
  path: string,
  query: Record<string, string>,
  msHeaders: Record<string, string>,
): string {
  const headers = Object.keys(msHeaders)
    .map((k) => k.toLowerCase())
    .sort()
    .map((k) => `${k}:${msHeaders[k]!.trim()}`)
    .join('\n');
  const params = Object.keys(query)
    .map((k) => [k.toLowerCase(), query[k]!] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const resource = [`/${account}${path}`, ...params.map(([k, v]) => `${k}:${v}`)].join('\n');
  const stringToSign = ['GET', '', '', '', '', '', '', '', '', '', '', '', headers, resource].join('\n');
  return createHmac('sha256', Buffer.from(key, 'base64')).update(stringToSign, 'utf8').digest('base64');
}

export async function lookupAzureStorage(ctx: LookupContext): Promise<LookupOutcome> {
  const cred = azureStorageCredential(ctx);
  if (!cred)
    return { status: 'not-checked', facts: ['not looked up: the storage account name was not found next to the key'] };
  const { account, key } = cred;
  const http = ctx.http(`https://${account}.blob.core.windows.net`);
  const ms = { 'x-ms-date': new Date().toUTCString(), 'x-ms-version': '2021-08-06' };
  const query = { comp: 'list', maxresults: '5' };
  const sig = sharedKeyGet(account, key, '/', query, ms);
  const res = await http.request({
    method: 'GET',
    path: `/?${new URLSearchParams(query)}`,
    headers: { ...ms, authorization: `SharedKey ${account}:${sig}` },
  });
  const code = /<Code>([^<]+)</.exec(res.text)?.[1] ?? '';
  // AuthenticationFailed = this key is not one of the account's two keys; AuthorizationFailure or
  // KeyBasedAuthenticationNotPermitted say a firewall or a policy refused a key that may be valid.
  if (res.status === 403 && code === 'AuthenticationFailed')
    return {
      status: 'revoked',
      facts: [`storage answered 403 AuthenticationFailed: not a current key of account ${account}`],
    };
  if (res.status === 403 || res.status === 401)
    return {
      status: 'unknown',
      facts: [`storage answered ${res.status} ${code || 'without an error code'}: not a verdict on the key`],
    };
  if (res.status !== 200) throw new LookupError(`${http.host}: unexpected HTTP ${res.status}`, 'server');
  if (!/<EnumerationResults/.test(res.text))
    throw new LookupError(`${http.host}: answer is not a container list`, 'malformed');
  const containers = [...res.text.matchAll(/<Container>\s*<Name>([^<]+)<\/Name>/g)].map((m) => m[1]!);
  const more = /<NextMarker>[^<]+<\/NextMarker>/.test(res.text);
  return {
    status: 'live',
    identity: `storage account ${account}`,
    grants: [{ resource: `azure storage account ${account} (every service; signs any SAS)`, access: 'admin' }],
    reached: containers.map((c) => ({ resource: `blob container ${account}/${c}`, access: 'admin' as const })),
    expiresAt: null,
    facts: [`listed ${containers.length}${more ? '+' : ''} container(s)`],
  };
}

// --- Entra ID client secret (client-credentials exchange) -------------------------------------

const GUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

export async function lookupEntra(ctx: LookupContext): Promise<LookupOutcome> {
  const text = ctx.context.join('\n');
  // A composite finding (azure-entra-app-credentials) carries "clientId\nsecret\ntenantId".
  const [cid, csecret, tid] = ctx.secret.split('\n');
  const whole = tid !== undefined;
  const secret = whole ? csecret! : ctx.secret;
  const tenant = whole ? tid : new RegExp(`tenant[_-]?id\\W{1,6}(${GUID})`, 'i').exec(text)?.[1];
  const client = whole ? cid : new RegExp(`(?:client|app(?:lication)?)[_-]?id\\W{1,6}(${GUID})`, 'i').exec(text)?.[1];
  if (!tenant || !client)
    return {
      status: 'not-checked',
      facts: ['not looked up: the tenant and client ids were not found next to the secret'],
    };
  const http = ctx.http('https://login.microsoftonline.com', 'entra');
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: client,
    client_secret: secret,
    scope: 'https://graph.microsoft.com/.default',
  }).toString();
  const res = await http.request(
    {
      method: 'POST',
      path: `/${tenant}/oauth2/v2.0/token`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    },
    '/{tenant}/oauth2/v2.0/token',
  );
  if (res.status === 400 || res.status === 401) {
    const desc = String(res.json<{ error_description?: string }>().error_description ?? '');
    const code = /AADSTS\d+/.exec(desc)?.[0] ?? '';
    // 7000215 wrong secret, 7000222 expired secret; 700016 (no such app) is definitive only for ids stated with the secret.
    if (/^AADSTS(7000215|7000222)$/.test(code) || (code === 'AADSTS700016' && whole))
      return { status: 'revoked', facts: [`token exchange refused ${code}`] };
    return {
      status: 'unknown',
      facts: [
        `token exchange refused ${code || `HTTP ${res.status}`}: the tenant or client id found next to the secret may be another app's`,
      ],
    };
  }
  if (res.status !== 200) throw new LookupError(`${http.host}: unexpected HTTP ${res.status}`, 'server');
  const token = res.json<{ access_token?: string }>().access_token;
  const claims = typeof token === 'string' ? decodeClaims(token) : undefined;
  if (!claims) throw new LookupError(`${http.host}: token answer without a readable access token`, 'malformed');
  const roles = Array.isArray(claims.roles) ? claims.roles.map(String) : [];
  const map: ScopeMap = [
    [
      /Directory\.ReadWrite\.All|RoleManagement\.|AppRoleAssignment\.ReadWrite|Application\.ReadWrite\.All|\.ReadWrite\.All$/,
      'admin',
    ],
    [/ReadWrite|\.Send|\.Write/, 'write'],
  ];
  return {
    status: 'live',
    identity: `app ${client} in tenant ${tenant}`,
    grants: grantsOf(roles, map, 'graph: '),
    expiresAt: undefined,
    facts: [
      roles.length ? `application permissions: ${roles.join(', ')}` : 'no application permissions on Microsoft Graph',
    ],
  };
}

function decodeClaims(jwt: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

// --- JWT: is the signing key still published? (opt-in) ----------------------------------------

export async function lookupJwt(ctx: LookupContext): Promise<LookupOutcome> {
  const [h, p, s] = ctx.secret.split('.');
  const header = decodeClaims(`x.${h}`);
  const claims = decodeClaims(`x.${p}`);
  if (!header || !claims || !s) return { status: 'not-checked', facts: ['not looked up: not a decodable JWT'] };
  const alg = String(header.alg ?? '');
  const iss = typeof claims.iss === 'string' ? claims.iss : '';
  if (!/^(RS|PS|ES)\d{3}$/.test(alg) || !header.kid)
    return { status: 'not-checked', facts: ['not looked up: only asymmetric JWTs with a kid can be checked'] };
  let issUrl: URL;
  try {
    issUrl = new URL(iss);
  } catch {
    return { status: 'not-checked', facts: ['not looked up: iss is not a URL'] };
  }
  if (issUrl.protocol !== 'https:' || /^(localhost|\d+\.\d+\.\d+\.\d+|\[.*\])$/.test(issUrl.hostname))
    return { status: 'not-checked', facts: ['not looked up: iss is not a public HTTPS host'] };
  const discovery = ctx.http(iss.replace(/\/+$/, ''), 'jwt');
  const conf = await discovery.request({
    method: 'GET',
    path: '/.well-known/openid-configuration',
    headers: { accept: 'application/json' },
  });
  if (conf.status !== 200)
    throw new LookupError(`${discovery.host}: discovery answered HTTP ${conf.status}`, 'server');
  const jwksUri = conf.json<{ jwks_uri?: string }>().jwks_uri;
  let jwks: URL;
  try {
    jwks = new URL(String(jwksUri));
  } catch {
    throw new LookupError(`${discovery.host}: discovery without a jwks_uri`, 'malformed');
  }
  if (jwks.host !== issUrl.host)
    return { status: 'not-checked', facts: ['not looked up: jwks_uri is on another host than iss'] };
  const keysHttp = ctx.http(issUrl.origin, 'jwt');
  const keys = await keysHttp.request({
    method: 'GET',
    path: jwks.pathname + jwks.search,
    headers: { accept: 'application/json' },
  });
  const list = keys.json<{ keys?: Array<Record<string, unknown>> }>().keys;
  if (!Array.isArray(list)) throw new LookupError(`${keysHttp.host}: JWKS without keys`, 'malformed');
  const jwk = list.find((k) => k.kid === header.kid);
  if (!jwk) return { status: 'revoked', facts: ['the signing key (kid) is no longer published: rotated'] };
  const expired = typeof claims.exp === 'number' && claims.exp * 1000 < Date.now();
  let ok = false;
  try {
    const key = createPublicKey({ key: jwk as never, format: 'jwk' });
    const hash = `sha${alg.slice(2)}`;
    const data = Buffer.from(`${h}.${p}`);
    const sig = Buffer.from(s, 'base64url');
    ok = alg.startsWith('ES')
      ? verifySignature(hash, data, { key, dsaEncoding: 'ieee-p1363' }, sig)
      : verifySignature(
          hash,
          data,
          alg.startsWith('PS') ? { key, padding: 6, saltLength: Number(alg.slice(2)) / 8 } : key,
          sig,
        );
  } catch {
    ok = false;
  }
  if (!ok) return { status: 'revoked', facts: ['the signature does not verify against the published key'] };
  const scopes = [
    ...String(claims.scope ?? claims.scp ?? '')
      .split(/\s+/)
      .filter(Boolean),
  ];
  const access = (n: string): Access => (/admin|\*/i.test(n) ? 'admin' : /write/i.test(n) ? 'write' : 'read');
  return {
    status: expired ? 'revoked' : 'live',
    identity: typeof claims.sub === 'string' ? claims.sub : undefined,
    grants: scopes.length ? scopes.map((sc) => ({ resource: sc, access: access(sc) })) : undefined,
    expiresAt: typeof claims.exp === 'number' ? date(claims.exp) : null,
    facts: [expired ? 'signature valid but expired' : `signature verifies against ${issUrl.host}'s published key`],
  };
}

// --- Cloudflare API tokens: user-owned vs account-owned ---------------------------------------

const CF_ACCOUNT = /(?:account[_-]?id|accounts\/)["'`]?\s{0,4}[:=/]?\s{0,4}["'`]?([0-9a-f]{32})\b/i;

export const cloudflareAccount = (ctx: Pick<LookupContext, 'context'>): string | undefined => {
  for (const c of ctx.context) {
    const m = CF_ACCOUNT.exec(c);
    if (m) return m[1]!.toLowerCase();
  }
  return undefined;
};

/**
 * User tokens verify at /user/tokens/verify, account-owned ones (cfat_, and some legacy 40-char
 * tokens) only at /accounts/{id}/tokens/verify: the user endpoint answers 401 for them
 * (https://developers.cloudflare.com/api/resources/accounts/subresources/tokens/methods/verify).
 */
export async function lookupCloudflare(ctx: LookupContext): Promise<LookupOutcome> {
  const t = ctx.secret;
  const account = cloudflareAccount(ctx);
  const http = ctx.http('https://api.cloudflare.com');
  const verify = async (path: string) => {
    const res = await http.request({
      method: 'GET',
      path,
      headers: { authorization: `Bearer ${t}`, accept: 'application/json' },
    });
    if (res.status === 401) return 'rejected' as const;
    if (res.status !== 200) throw new LookupError(`${http.host}: unexpected HTTP ${res.status}`, 'server');
    const j = res.json<{ success?: boolean; result?: { id?: string; status?: string; expires_on?: string } }>();
    if (!j.result || typeof j.result !== 'object')
      throw new LookupError(`${http.host}: verify answer without a result`, 'malformed');
    return j.result;
  };
  const outcome = (r: { id?: string; status?: string; expires_on?: string }, owner: string): LookupOutcome => {
    if (r.status === 'disabled' || r.status === 'expired')
      return { status: 'revoked', facts: [`Cloudflare says the ${owner} token is ${r.status}`] };
    return {
      status: 'live',
      identity: r.id ? `${owner} token ${r.id}` : undefined,
      expiresAt: date(r.expires_on) ?? null,
      facts: [`token status ${r.status}`, `${owner}-owned token`, 'policies need "API Tokens Read" (deep lookup)'],
    };
  };
  const atAccount = async (): Promise<LookupOutcome> => {
    const r = await verify(`/client/v4/accounts/${account}/tokens/verify`);
    return r === 'rejected'
      ? { status: 'revoked', facts: [`${http.host} answered 401 at the account endpoint of account ${account}`] }
      : outcome(r, 'account');
  };
  if (t.startsWith('cfat_')) {
    if (!account)
      return {
        status: 'not-checked',
        facts: [
          'not looked up: an account token verifies only with its account id, which was not found next to it (CLOUDFLARE_ACCOUNT_ID)',
        ],
      };
    return atAccount();
  }
  const r = await verify('/client/v4/user/tokens/verify');
  if (r !== 'rejected') return outcome(r, 'user');
  if (t.startsWith('cfut_')) return { status: 'revoked', facts: [`${http.host} answered 401: invalid user token`] };
  if (account) return atAccount();
  return {
    status: 'unknown',
    facts: [
      '401 at /user/tokens/verify: an account-owned token answers the same, and no account id was found next to it',
    ],
  };
}

// --- Atlassian API tokens: classic (site) and scoped (api.atlassian.com) ------------------------

const EMAIL = '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}';

/** The account e-mail: given with --user, or labelled as the Atlassian user; else the first one seen (a guess). */
export function atlassianEmail(ctx: Pick<LookupContext, 'context'>): { email: string; guessed: boolean } | undefined {
  const labelled = new RegExp(
    `(?:jira|atlassian|confluence|bitbucket)[\\w.-]{0,20}?(?:email|user(?:name)?|login)["'\`]?\\s{0,4}[:=]\\s{0,4}["'\`]?(${EMAIL})`,
    'i',
  );
  for (const c of ctx.context) {
    const m = labelled.exec(c) ?? new RegExp(`^(${EMAIL})$`).exec(c.trim());
    if (m) return { email: m[1]!, guessed: false };
  }
  for (const c of ctx.context) {
    const m = new RegExp(EMAIL).exec(c);
    if (m) return { email: m[0], guessed: true };
  }
  return undefined;
}

/**
 * Classic API tokens work at https://{site}.atlassian.net; scoped tokens only through
 * https://api.atlassian.com/ex/jira/{cloudId} (https://developer.atlassian.com/cloud/jira/platform/scopes-for-oauth-2-3LO-and-forge-apps/),
 * and a wrong e-mail answers 401 like a dead token: revoked only when both refuse a stated e-mail.
 */
export async function lookupAtlassian(ctx: LookupContext): Promise<LookupOutcome> {
  const site = tenantHost(ctx, /[a-z0-9][a-z0-9-]*\.atlassian\.net/);
  const user = atlassianEmail(ctx);
  if ((!site && !ctx.overridden('atlassian')) || !user)
    return {
      status: 'not-checked',
      facts: [
        'not looked up: the site ({site}.atlassian.net) or the account email was not found next to the token (use --host and --user)',
      ],
    };
  const headers = {
    authorization: `Basic ${Buffer.from(`${user.email}:${ctx.secret}`).toString('base64')}`,
    accept: 'application/json',
  };
  const http = ctx.http(`https://${site ?? 'site.invalid'}`, 'atlassian');
  const live = (
    j: { accountId?: string; emailAddress?: string; displayName?: string; active?: boolean },
    how: string,
  ): LookupOutcome => {
    if (typeof j.accountId !== 'string')
      throw new LookupError(`${http.host}: /myself answer without accountId`, 'malformed');
    if (j.active === false) return { status: 'revoked', facts: ['the account is deactivated'] };
    return {
      status: 'live',
      identity: j.emailAddress ?? j.accountId,
      grants: [
        {
          resource: `atlassian site ${site ?? ''} (every project ${j.displayName ?? 'the user'} can reach)`.replace(
            '  ',
            ' ',
          ),
          access: 'write',
        },
      ],
      facts: [how],
    };
  };
  const classic = await http.request({ method: 'GET', path: '/rest/api/3/myself', headers });
  if (classic.status === 200) return live(classic.json(), 'classic API token');
  if (classic.status !== 401)
    return { status: 'unknown', facts: [`${http.host} answered HTTP ${classic.status}: not a verdict on the token`] };
  const info = await http.request({
    method: 'GET',
    path: '/_edge/tenant_info',
    headers: { accept: 'application/json' },
  });
  const cloudId = info.status === 200 ? info.json<{ cloudId?: unknown }>().cloudId : undefined;
  if (typeof cloudId !== 'string' || !/^[0-9a-f-]{36}$/.test(cloudId))
    return {
      status: 'unknown',
      facts: ['401 at the site, and its cloud id is unknown: a scoped token cannot be tried'],
    };
  // An override for the site alone (a test, a proxy) never sends the token on to the real gateway.
  if (ctx.overridden('atlassian') && !ctx.overridden('atlassian-api'))
    return { status: 'unknown', facts: ['401 at the site; api.atlassian.com not tried (the site is overridden)'] };
  const api = ctx.http('https://api.atlassian.com', 'atlassian-api');
  const scoped = await api.request({ method: 'GET', path: `/ex/jira/${cloudId}/rest/api/3/myself`, headers });
  if (scoped.status === 200) return live(scoped.json(), 'scoped API token (works only through api.atlassian.com)');
  if (scoped.status === 401 && !user.guessed)
    return { status: 'revoked', facts: [`401 at ${http.host} and at ${api.host} for ${user.email}`] };
  return {
    status: 'unknown',
    facts: [
      `${scoped.status} at ${api.host}${user.guessed ? `; the e-mail ${user.email} was a guess (the first one next to the token)` : ''}`,
    ],
  };
}

// --- Google API keys (AIza…): which APIs answer ------------------------------------------------

/**
 * One read-only call per API. Google answers a key that does not exist with 400 API_KEY_INVALID
 * (https://cloud.google.com/apis/design/errors; Maps: REQUEST_DENIED "The provided API key is
 * invalid."); a valid key an API refuses (not enabled, restricted) gets 403 or REQUEST_DENIED with
 * another message: live, not allowed there.
 */
const GOOGLE_KEY_PROBES = [
  {
    provider: 'google-gemini',
    api: 'Gemini (Generative Language)',
    base: 'https://generativelanguage.googleapis.com',
    path: '/v1beta/models?pageSize=1&key=',
  },
  {
    provider: 'google-youtube',
    api: 'YouTube Data',
    base: 'https://www.googleapis.com',
    path: '/youtube/v3/i18nLanguages?part=snippet&key=',
  },
  {
    provider: 'google-maps',
    api: 'Maps Geocoding',
    base: 'https://maps.googleapis.com',
    path: '/maps/api/geocode/json?address=1600+Amphitheatre+Parkway&key=',
  },
] as const;

export async function lookupGoogleApiKey(ctx: LookupContext): Promise<LookupOutcome> {
  const answered: string[] = [];
  const refused: string[] = [];
  let invalid = 0;
  // Overrides for some of the APIs (a test) never send the key on to the other, real ones.
  const overridden = GOOGLE_KEY_PROBES.some((p) => ctx.overridden(p.provider));
  for (const probe of GOOGLE_KEY_PROBES) {
    if (overridden && !ctx.overridden(probe.provider)) continue;
    const http = ctx.http(probe.base, probe.provider);
    const res = await http.request({
      method: 'GET',
      path: probe.path + encodeURIComponent(ctx.secret),
      headers: { accept: 'application/json' },
    });
    const text = res.text;
    const mapsStatus = /"status"\s*:\s*"([A-Z_]+)"/.exec(text)?.[1];
    if (/API_KEY_INVALID|provided API key is invalid|API key not valid/i.test(text)) invalid++;
    else if (res.status === 200 && (mapsStatus === undefined || mapsStatus === 'OK' || mapsStatus === 'ZERO_RESULTS'))
      answered.push(probe.api);
    else if (res.status === 403 || res.status === 200) refused.push(probe.api);
    else throw new LookupError(`${http.host}: unexpected HTTP ${res.status}`, 'server');
  }
  const probed = answered.length + refused.length + invalid;
  if (probed && invalid === probed)
    return { status: 'revoked', facts: [`every probed API answered API_KEY_INVALID (${probed})`] };
  if (!answered.length && !refused.length) return { status: 'unknown', facts: ['no Google API answered'] };
  return {
    status: 'live',
    grants: answered.map((api) => ({
      resource: `google ${api} API (billed to the key's project)`,
      access: 'write' as const,
    })),
    reached: answered.map((api) => ({ resource: `google ${api} API`, access: 'write' as const })),
    expiresAt: null,
    facts: [
      answered.length ? `answers: ${answered.join(', ')}` : 'valid key; none of the probed APIs is enabled for it',
      ...(refused.length ? [`refused (not enabled or restricted): ${refused.join(', ')}`] : []),
    ],
  };
}

// --- Azure SAS URLs --------------------------------------------------------------------------------

const SAS_HOST = /https:\/\/([a-z0-9]{3,24})\.(blob|file|queue|table|dfs)\.core\.windows\.net(\/[^?\s"'<>]*)?/;

/** The storage URL a SAS was written with (it signs for that account only). */
export function sasResource(
  ctx: Pick<LookupContext, 'secret' | 'context'>,
): { account: string; service: string; path: string } | undefined {
  for (const text of [ctx.secret, ...ctx.context]) {
    const m = SAS_HOST.exec(text);
    if (m) return { account: m[1]!, service: m[2]!, path: m[3] && m[3] !== '/' ? m[3] : '/' };
  }
  return undefined;
}

/**
 * One read the SAS allows (https://learn.microsoft.com/rest/api/storageservices/create-service-sas):
 * list a container or the account, or read a blob's properties. 403 AuthenticationFailed means
 * the signature no longer verifies (key rotated, policy removed, expired): dead; an authorization
 * error or 404 comes after authentication: live.
 */
export async function lookupAzureSas(ctx: LookupContext): Promise<LookupOutcome> {
  const where = sasResource(ctx);
  if (!where && !ctx.overridden('azure'))
    return {
      status: 'not-checked',
      facts: ['not looked up: the storage URL the SAS belongs to was not found next to it'],
    };
  const sas = ctx.secret.slice(ctx.secret.indexOf('?') + 1);
  const params = new URLSearchParams(sas);
  const account = where?.account ?? 'account';
  const http = ctx.http(`https://${account}.${where?.service ?? 'blob'}.core.windows.net`, 'azure');
  const segments = (where?.path ?? '/').split('/').filter(Boolean);
  const sr = params.get('sr');
  const query =
    sr === 'b' || segments.length > 1
      ? ''
      : segments.length === 1 || sr === 'c'
        ? 'restype=container&comp=list&maxresults=1&'
        : 'comp=list&maxresults=1&';
  const res = await http.request({
    method: sr === 'b' || segments.length > 1 ? 'HEAD' : 'GET',
    path: `${where?.path ?? '/'}?${query}${sas}`,
    headers: { 'x-ms-version': '2021-08-06' },
  });
  const code = res.headers.get('x-ms-error-code') ?? /<Code>([^<]+)</.exec(res.text)?.[1] ?? '';
  if (res.status === 403 && code === 'AuthenticationFailed')
    return {
      status: 'revoked',
      facts: [
        'storage answered 403 AuthenticationFailed: the signature no longer verifies (key rotated, policy removed or expired)',
      ],
    };
  if (res.status === 200 || res.status === 404 || (res.status === 403 && /^Authorization/.test(code)))
    return {
      status: 'live',
      identity: `storage account ${account}`,
      reached: [
        {
          resource: `azure ${where?.service ?? 'blob'} ${account}${where?.path ?? '/'} (per the SAS permissions)`,
          access: /[wdca]/.test(params.get('sp') ?? '') ? 'write' : 'read',
        },
      ],
      facts: [
        res.status === 200
          ? 'the SAS read succeeded'
          : `storage answered ${res.status}${code ? ` ${code}` : ''} after accepting the signature`,
      ],
    };
  return {
    status: 'unknown',
    facts: [`storage answered ${res.status}${code ? ` ${code}` : ''}: not a verdict on the SAS`],
  };
}
