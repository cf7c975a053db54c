// Google lookups: a GCP service account key (RS256 assertion, token exchange, testIamPermissions)
// and an API key (AIza…: which APIs answer).

import { createSign } from 'node:crypto';
import type { Grant } from '../../types.js';
import { grantsOf, type ScopeMap } from './declarative.js';
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
  const jwtHeader = b64({ alg: 'RS256', typ: 'JWT', kid: key.private_key_id });
  const scope = 'https://www.googleapis.com/auth/cloud-platform';
  const jwtClaims = b64({ iss: key.client_email, scope, aud, iat: now, exp: now + 600 });
  const unsigned = `${jwtHeader}.${jwtClaims}`;
  let signature: string;
  try {
    signature = createSign('RSA-SHA256').update(unsigned).sign(key.private_key, 'base64url');
  } catch {
    return { status: 'not-checked', facts: ['not looked up: the private key does not load'] };
  }
  const grantType = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
  const tokenHttp = ctx.http('https://oauth2.googleapis.com', 'gcp');
  const res = await tokenHttp.request(
    {
      method: 'POST',
      path: '/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=${encodeURIComponent(grantType)}&assertion=${unsigned}.${signature}`,
    },
    '/token',
  );
  if (res.status === 400 || res.status === 401) {
    const j = res.json<{ error?: string; error_description?: string }>();
    const code = j.error ?? res.status;
    const detail = j.error_description ? `: ${String(j.error_description).slice(0, 80)}` : '';
    const err = `${code}${detail}`;
    // Google's definitive answers: the key was deleted (signature no longer verifies), or the account is gone or
    // disabled.
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
