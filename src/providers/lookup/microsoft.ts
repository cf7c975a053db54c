// Microsoft lookups: an Azure storage account key (SharedKey), an Entra ID client secret
// (client-credentials exchange) and an Azure SAS URL.

import { createHmac } from 'node:crypto';
import { grantsOf, jwtClaims, type ScopeMap } from './declarative.js';
import { LookupError } from './http.js';
import type { LookupContext, LookupOutcome } from './types.js';

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

/** Graph application roles that administer the tenant or its applications. */
const GRAPH_ADMIN = new RegExp(
  String.raw`Directory\.ReadWrite\.All|RoleManagement\.|AppRoleAssignment\.ReadWrite|` +
    String.raw`Application\.ReadWrite\.All|\.ReadWrite\.All$`,
);
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
    // 7000215 wrong secret, 7000222 expired secret; 700016 (no such app) is definitive only for ids stated with the
    // secret.
    if (/^AADSTS(7000215|7000222)$/.test(code) || (code === 'AADSTS700016' && whole))
      return { status: 'revoked', facts: [`token exchange refused ${code}`] };
    return {
      status: 'unknown',
      facts: [
        `token exchange refused ${code || `HTTP ${res.status}`}: the tenant or client id found next to the secret ` +
          `may be another app's`,
      ],
    };
  }
  if (res.status !== 200) throw new LookupError(`${http.host}: unexpected HTTP ${res.status}`, 'server');
  const token = res.json<{ access_token?: string }>().access_token;
  const claims = typeof token === 'string' ? jwtClaims(token) : undefined;
  if (!claims) throw new LookupError(`${http.host}: token answer without a readable access token`, 'malformed');
  const roles = Array.isArray(claims.roles) ? claims.roles.map(String) : [];
  const map: ScopeMap = [
    [GRAPH_ADMIN, 'admin'],
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
        'storage answered 403 AuthenticationFailed: the signature no longer verifies (key rotated, policy removed ' +
          'or expired)',
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
