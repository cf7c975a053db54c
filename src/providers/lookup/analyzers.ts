// Lookups that take more than one plain request and belong to no cloud family: JWT issuer keys
// (JWKS), Cloudflare (user vs account tokens), Atlassian (site vs scoped tokens). Signing and token
// exchanges of the clouds are in aws.ts, google.ts and microsoft.ts.

import { createPublicKey, verify as verifySignature } from 'node:crypto';
import type { Access } from '../../types.js';
import { date, jwtClaims, tenantHost } from './declarative.js';
import { LookupError } from './http.js';
import type { LookupContext, LookupOutcome } from './types.js';

// --- JWT: is the signing key still published? (opt-in) ----------------------------------------

export async function lookupJwt(ctx: LookupContext): Promise<LookupOutcome> {
  const [h, p, s] = ctx.secret.split('.');
  const header = jwtClaims(`x.${h}`);
  const claims = jwtClaims(`x.${p}`);
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
          'not looked up: an account token verifies only with its account id, which was not found next to it ' +
            '(CLOUDFLARE_ACCOUNT_ID)',
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
    `(?:jira|atlassian|confluence|bitbucket)[\\w.-]{0,20}?(?:email|user(?:name)?|login)` +
      `["'\`]?\\s{0,4}[:=]\\s{0,4}["'\`]?(${EMAIL})`,
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
 * https://api.atlassian.com/ex/jira/{cloudId}
 * (https://developer.atlassian.com/cloud/jira/platform/scopes-for-oauth-2-3LO-and-forge-apps/),
 * and a wrong e-mail answers 401 like a dead token: revoked only when both refuse a stated e-mail.
 */
export async function lookupAtlassian(ctx: LookupContext): Promise<LookupOutcome> {
  const site = tenantHost(ctx, /[a-z0-9][a-z0-9-]*\.atlassian\.net/);
  const user = atlassianEmail(ctx);
  if ((!site && !ctx.overridden('atlassian')) || !user)
    return {
      status: 'not-checked',
      facts: [
        'not looked up: the site ({site}.atlassian.net) or the account email was not found next to the token (use ' +
          '--host and --user)',
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
      `${scoped.status} at ` +
        `${api.host}${user.guessed ? `; the e-mail ${user.email} was a guess (the first one next to the token)` : ''}`,
    ],
  };
}
