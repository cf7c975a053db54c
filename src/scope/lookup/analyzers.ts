// Lookups that take more than one plain request: signing (AWS SigV4, Azure SharedKey, a GCP
// RS256 assertion), pairs of findings (key id + secret), token exchanges, JWKS checks.

import { createHmac, createPublicKey, createSign, verify as verifySignature } from 'node:crypto';
import type { Access, Grant } from '../../types.js';
import { lookupAws } from './aws.js';
import { date, grantsOf, type ScopeMap } from './declarative.js';
import { LookupError } from './http.js';
import type { LookupContext, LookupOutcome } from './types.js';

const AWS_KEY_ID = /^(AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}$/;
const AWS_SECRET = /^[A-Za-z0-9/+]{40}$/;

/** AWS needs the key id and the secret: one lookup per pair, found at the same place. */
export async function lookupAwsPair(ctx: LookupContext): Promise<LookupOutcome> {
  // A composite finding (aws-access-key-pair) carries "keyId\nsecretKey" in one secret.
  const all = [...ctx.secret.split('\n'), ...ctx.nearby.flatMap((f) => f.secret.split('\n'))];
  const accessKeyId = all.find((s) => AWS_KEY_ID.test(s));
  const secretAccessKey = all.find((s) => AWS_SECRET.test(s) && !AWS_KEY_ID.test(s));
  if (!accessKeyId || !secretAccessKey)
    return { status: 'not-checked', facts: [`not looked up: the ${accessKeyId ? 'secret access key' : 'access key id'} was not found next to it`] };
  const sessionToken = accessKeyId.startsWith('ASIA') ? all.find((s) => s.length >= 100 && /^[A-Za-z0-9/+=]+$/.test(s)) : undefined;
  return lookupAws(ctx.http('https://sts.amazonaws.com'), { accessKeyId, secretAccessKey, sessionToken }, ctx.deep, () => ctx.http('https://iam.amazonaws.com', 'aws-iam'));
}

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
  if (!key.client_email || !key.private_key) return { status: 'not-checked', facts: ['not looked up: client_email or private_key missing'] };
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
    { method: 'POST', path: '/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `grant_type=${encodeURIComponent('urn:ietf:params:oauth:grant-type:jwt-bearer')}&assertion=${unsigned}.${signature}` },
    '/token',
  );
  if (res.status === 400 || res.status === 401) {
    const err = String(res.json<{ error?: string }>().error ?? '');
    if (/invalid_grant|invalid_client|unauthorized_client/.test(err) || res.status === 401) return { status: 'revoked', facts: [`token exchange refused (${err || res.status})`] };
  }
  if (res.status !== 200) throw new LookupError(`${tokenHttp.host}: unexpected HTTP ${res.status}`, 'server');
  const access = res.json<{ access_token?: string }>().access_token;
  if (typeof access !== 'string') throw new LookupError(`${tokenHttp.host}: token answer without access_token`, 'malformed');
  const facts = [`service account ${key.client_email}`];
  if (!key.project_id) return { status: 'live', identity: key.client_email, expiresAt: null, facts };
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
  if (probe.status === 200) {
    const held = probe.json<{ permissions?: unknown }>().permissions;
    const list = Array.isArray(held) ? held.filter((p): p is string => typeof p === 'string') : [];
    grants = grantsOf(list, GCP_MAP, `project ${key.project_id}: `);
    facts.push(list.length ? `holds ${list.length} of ${GCP_PROBES.length} probed permissions` : 'holds none of the probed permissions');
  } else facts.push(`testIamPermissions answered HTTP ${probe.status}`);
  return { status: 'live', identity: key.client_email, grants, expiresAt: null, facts };
}

// --- Azure storage account key (SharedKey) ----------------------------------------------------

export async function lookupAzureStorage(ctx: LookupContext): Promise<LookupOutcome> {
  const text = [ctx.secret, ...ctx.context].join('\n');
  const account = /AccountName=([a-z0-9]{3,24})/.exec(text)?.[1] ?? /\b([a-z0-9]{3,24})\.blob\.core\.windows\.net/.exec(text)?.[1];
  const key = /AccountKey=([A-Za-z0-9+/]{86}==)/.exec(ctx.secret)?.[1] ?? (/^[A-Za-z0-9+/]{86}==$/.test(ctx.secret) ? ctx.secret : undefined);
  if (!account || !key) return { status: 'not-checked', facts: ['not looked up: the storage account name was not found next to the key'] };
  const http = ctx.http(`https://${account}.blob.core.windows.net`);
  const xmsDate = new Date().toUTCString();
  const version = '2021-08-06';
  const stringToSign = ['GET', '', '', '', '', '', '', '', '', '', '', '', `x-ms-date:${xmsDate}\nx-ms-version:${version}`, `/${account}/\ncomp:list`].join('\n');
  const sig = createHmac('sha256', Buffer.from(key, 'base64')).update(stringToSign, 'utf8').digest('base64');
  const res = await http.request({ method: 'GET', path: '/?comp=list&maxresults=5', headers: { 'x-ms-date': xmsDate, 'x-ms-version': version, authorization: `SharedKey ${account}:${sig}` } });
  if (res.status === 403 || res.status === 401) return { status: 'revoked', facts: [`storage answered ${res.status} ${/<Code>([^<]+)</.exec(res.text)?.[1] ?? ''}`.trim()] };
  if (res.status !== 200) throw new LookupError(`${http.host}: unexpected HTTP ${res.status}`, 'server');
  if (!/<EnumerationResults/.test(res.text)) throw new LookupError(`${http.host}: answer is not a container list`, 'malformed');
  const n = (res.text.match(/<Container>/g) ?? []).length;
  return {
    status: 'live',
    identity: `storage account ${account}`,
    grants: [{ resource: `azure storage account ${account} (every service; signs any SAS)`, access: 'admin' }],
    expiresAt: null,
    facts: [`listed ${n} container(s)`],
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
  if (!tenant || !client) return { status: 'not-checked', facts: ['not looked up: the tenant and client ids were not found next to the secret'] };
  const http = ctx.http('https://login.microsoftonline.com', 'entra');
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: client, client_secret: secret, scope: 'https://graph.microsoft.com/.default' }).toString();
  const res = await http.request({ method: 'POST', path: `/${tenant}/oauth2/v2.0/token`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }, '/{tenant}/oauth2/v2.0/token');
  if (res.status === 400 || res.status === 401) {
    const desc = String(res.json<{ error_description?: string }>().error_description ?? '');
    const code = /AADSTS\d+/.exec(desc)?.[0] ?? '';
    if (/AADSTS(7000215|7000222|700016|90002)/.test(code) || res.status === 401) return { status: 'revoked', facts: [`token exchange refused ${code}`.trim()] };
  }
  if (res.status !== 200) throw new LookupError(`${http.host}: unexpected HTTP ${res.status}`, 'server');
  const token = res.json<{ access_token?: string }>().access_token;
  const claims = typeof token === 'string' ? decodeClaims(token) : undefined;
  if (!claims) throw new LookupError(`${http.host}: token answer without a readable access token`, 'malformed');
  const roles = Array.isArray(claims.roles) ? claims.roles.map(String) : [];
  const map: ScopeMap = [
    [/Directory\.ReadWrite\.All|RoleManagement\.|AppRoleAssignment\.ReadWrite|Application\.ReadWrite\.All|\.ReadWrite\.All$/, 'admin'],
    [/ReadWrite|\.Send|\.Write/, 'write'],
  ];
  return {
    status: 'live',
    identity: `app ${client} in tenant ${tenant}`,
    grants: grantsOf(roles, map, 'graph: '),
    expiresAt: undefined,
    facts: [roles.length ? `application permissions: ${roles.join(', ')}` : 'no application permissions on Microsoft Graph'],
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
  if (!/^(RS|PS|ES)\d{3}$/.test(alg) || !header.kid) return { status: 'not-checked', facts: ['not looked up: only asymmetric JWTs with a kid can be checked'] };
  let issUrl: URL;
  try {
    issUrl = new URL(iss);
  } catch {
    return { status: 'not-checked', facts: ['not looked up: iss is not a URL'] };
  }
  if (issUrl.protocol !== 'https:' || /^(localhost|\d+\.\d+\.\d+\.\d+|\[.*\])$/.test(issUrl.hostname))
    return { status: 'not-checked', facts: ['not looked up: iss is not a public HTTPS host'] };
  const discovery = ctx.http(iss.replace(/\/+$/, ''), 'jwt');
  const conf = await discovery.request({ method: 'GET', path: '/.well-known/openid-configuration', headers: { accept: 'application/json' } });
  if (conf.status !== 200) throw new LookupError(`${discovery.host}: discovery answered HTTP ${conf.status}`, 'server');
  const jwksUri = conf.json<{ jwks_uri?: string }>().jwks_uri;
  let jwks: URL;
  try {
    jwks = new URL(String(jwksUri));
  } catch {
    throw new LookupError(`${discovery.host}: discovery without a jwks_uri`, 'malformed');
  }
  if (jwks.host !== issUrl.host) return { status: 'not-checked', facts: ['not looked up: jwks_uri is on another host than iss'] };
  const keysHttp = ctx.http(issUrl.origin, 'jwt');
  const keys = await keysHttp.request({ method: 'GET', path: jwks.pathname + jwks.search, headers: { accept: 'application/json' } });
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
      : verifySignature(hash, data, alg.startsWith('PS') ? { key, padding: 6, saltLength: Number(alg.slice(2)) / 8 } : key, sig);
  } catch {
    ok = false;
  }
  if (!ok) return { status: 'revoked', facts: ['the signature does not verify against the published key'] };
  const scopes = [...String(claims.scope ?? claims.scp ?? '').split(/\s+/).filter(Boolean)];
  const access = (n: string): Access => (/admin|\*/i.test(n) ? 'admin' : /write/i.test(n) ? 'write' : 'read');
  return {
    status: expired ? 'revoked' : 'live',
    identity: typeof claims.sub === 'string' ? claims.sub : undefined,
    grants: scopes.length ? scopes.map((sc) => ({ resource: sc, access: access(sc) })) : undefined,
    expiresAt: typeof claims.exp === 'number' ? date(claims.exp) : null,
    facts: [expired ? 'signature valid but expired' : `signature verifies against ${issUrl.host}'s published key`],
  };
}
