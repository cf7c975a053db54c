// One-request lookups as data: method, documented path, auth header, dead signals, and where
// identity, scopes and expiry sit in the answer. Multi-step ones are analyzers (aws.ts, google.ts,
// microsoft.ts, analyzers.ts).

import type { Access, Finding, Grant } from '../../types.js';
import { LookupError, type HttpResponse } from './http.js';
import type { LookupContext, LookupOutcome, ProviderLookup } from './types.js';

export type ScopeMap = ReadonlyArray<readonly [RegExp, Access]>;
// Provider answers are untyped JSON: every reader below uses optional chaining and `valid` checks.
// biome-ignore lint/suspicious/noExplicitAny: provider answers are read defensively, field by field
export type Json = any;

export interface OneRequest {
  readonly provider: string;
  readonly title: string;
  /** Official base URL. `{host}` is filled from context and must match `tenant`. */
  readonly base: string;
  readonly tenant?: RegExp;
  /** The tenant host the token itself names (Mailchimp's data center), checked against `tenant`. */
  readonly hostFromToken?: (t: string) => string | undefined;
  /** The host to use when none is found (Datadog US1). */
  readonly defaultHost?: string;
  /** What to say when the tenant host is missing. */
  readonly needs?: string;
  readonly deepOnly?: boolean;
  /** The built-in rules whose findings this lookup takes (see ProviderLookup.rules). */
  readonly rules: readonly string[];
  readonly verifies?: (secret: string) => boolean;
  readonly method?: 'GET' | 'POST';
  readonly path: string | ((t: string, ctx: LookupContext) => string | undefined);
  readonly headers?: (t: string, ctx: LookupContext) => Record<string, string> | undefined;
  readonly body?: (t: string, ctx: LookupContext) => string;
  /** Status-and-body verdicts checked first (Grafana Cloud: 401 naming a scope = live). */
  readonly classify?: (status: number, text: string) => 'revoked' | 'live' | undefined;
  /** HTTP statuses that mean revoked/invalid (default [401]). */
  readonly dead?: readonly number[];
  /** Statuses that mean "live, but not allowed to read this" (e.g. Stripe restricted keys: 403). */
  readonly liveNoAccess?: readonly number[];
  /** Body-level dead signal (Slack ok:false, GraphQL without data). */
  readonly deadBody?: (j: Json) => boolean;
  /** Body-level "this is not an answer we understand": unknown. */
  readonly valid?: (j: Json) => boolean;
  readonly identity?: (j: Json, h: Headers) => string | undefined;
  readonly scopes?: (j: Json, h: Headers) => readonly string[] | undefined;
  readonly map?: ScopeMap;
  /** Grants beyond mapped scopes (roles, account-wide access). */
  readonly grants?: (j: Json, h: Headers, t: string) => Grant[] | undefined;
  readonly expires?: (j: Json, h: Headers) => string | null | undefined;
  readonly environment?: (j: Json, t: string) => 'production' | 'test' | undefined;
  readonly facts?: (j: Json, h: Headers) => Array<string | false | undefined>;
  /** The answer is not JSON (XML, plain text). */
  readonly text?: boolean;
  /**
   * Other documented hosts of the provider (EU region, sandbox, other sites), tried in turn when the
   * token's own host is not known: a dead answer from one of them is no verdict, from all of them is.
   */
  readonly regions?: ReadonlyArray<{
    readonly provider: string;
    readonly base: string;
    readonly environment?: 'production' | 'test';
  }>;
  /** The parts sent (the token and the id it was paired with): the lookup's cache key. */
  readonly credential?: (ctx: LookupContext) => readonly string[];
  /** A follow-up read after a live answer: the concrete resources the token reaches. */
  readonly reach?: (
    get: (path: string) => Promise<HttpResponse>,
    j: Json,
    h: Headers,
  ) => Promise<{ reached: Grant[]; facts?: string[] } | undefined>;
}

export function mapScope(map: ScopeMap | undefined, scope: string): Access {
  for (const [re, access] of map ?? []) if (re.test(scope)) return access;
  return 'read';
}

export function grantsOf(scopes: readonly string[], map: ScopeMap | undefined, prefix = ''): Grant[] {
  return scopes.map((s) => ({ resource: `${prefix}${s}`, access: mapScope(map, s) }));
}

/** The first tenant host in the context that matches, e.g. "acme.myshopify.com". */
export function tenantHost(ctx: LookupContext, tenant: RegExp): string | undefined {
  const re = new RegExp(tenant.source, tenant.flags.replace('g', '') + 'g');
  for (const text of ctx.context) {
    for (const m of text.matchAll(re)) {
      const host = m[0].toLowerCase().replace(/^https?:\/\//, '');
      if (new RegExp(`^(?:${tenant.source})$`, 'i').test(host)) return host;
    }
  }
  return undefined;
}

export function oneRequest(spec: OneRequest): ProviderLookup {
  return {
    provider: spec.provider,
    title: spec.title,
    call: `${spec.method ?? 'GET'} ${spec.base}${typeof spec.path === 'string' ? spec.path : ' …'}`,
    deepOnly: spec.deepOnly,
    credential: spec.credential,
    rules: spec.rules,
    verifies: spec.verifies,
    async run(ctx) {
      const t = ctx.secret;
      let base = spec.base;
      let host: string | undefined;
      if (base.includes('{host}')) {
        const own = spec.hostFromToken?.(t);
        const found = spec.tenant
          ? own && new RegExp(`^(?:${spec.tenant.source})$`, 'i').test(own)
            ? own
            : tenantHost(ctx, spec.tenant)
          : undefined;
        host = found ?? (spec.regions ? undefined : spec.defaultHost);
        if (!host && !spec.regions && !ctx.overridden(spec.provider))
          return {
            status: 'not-checked',
            facts: [`not looked up: ${spec.needs ?? 'the tenant host was not found next to the token'}`],
          };
        base = base.replace('{host}', host ?? 'tenant.invalid');
      }
      const path = typeof spec.path === 'string' ? spec.path : spec.path(t, ctx);
      const headers = spec.headers?.(t, ctx);
      if (path === undefined || headers === undefined)
        return { status: 'not-checked', facts: [`not looked up: ${spec.needs ?? 'missing context'}`] };
      const ask = async (at: string, provider: string): Promise<LookupOutcome> => {
        const http = ctx.http(at, provider);
        const request = (p: string) =>
          http.request(
            {
              method: spec.method ?? 'GET',
              path: p,
              headers: { 'user-agent': 'leakradius', accept: 'application/json', ...headers },
              body: spec.body?.(t, ctx),
            },
            typeof spec.path === 'string' && p === spec.path ? spec.path : undefined,
          );
        const outcome = interpret(spec, await request(path), t, http.host);
        if (outcome.status !== 'live' || !spec.reach || outcome.json === undefined) return outcome;
        const get = (p: string) =>
          http.request({
            method: 'GET',
            path: p,
            headers: { 'user-agent': 'leakradius', accept: 'application/json', ...headers },
          });
        const reach = await spec.reach(get, outcome.json, outcome.headers ?? new Headers()).catch((err: unknown) => ({
          reached: [],
          facts: [`resources not listed: ${err instanceof LookupError ? err.message : 'the follow-up read failed'}`],
        }));
        return reach
          ? { ...outcome, reached: reach.reached, facts: [...outcome.facts, ...(reach.facts ?? [])] }
          : outcome;
      };
      // A named site that is one of the documented regions keeps that region's endpoint name.
      const region = spec.regions?.find((r) => new URL(r.base).host === new URL(base).host);
      if (host || !spec.regions) return strip(await ask(base, region?.provider ?? spec.provider));
      return strip(await acrossRegions(spec, ctx, ask));
    },
  };
}

type Asked = LookupOutcome & { json?: Json; headers?: Headers };
const strip = ({ json: _json, headers: _headers, ...o }: Asked): LookupOutcome => o;

/** Each documented host in turn: live at one is live; dead at every one is dead; else unknown. */
async function acrossRegions(
  spec: OneRequest,
  ctx: LookupContext,
  ask: (base: string, provider: string) => Promise<Asked>,
): Promise<Asked> {
  const regions = [
    { provider: spec.provider, base: spec.base.replace('{host}', spec.defaultHost ?? '') },
    ...spec.regions!,
  ];
  const rejected: string[] = [];
  const failed: string[] = [];
  let error: LookupError | undefined;
  // Overrides for some of the hosts (a test, an enterprise proxy): the others are not contacted.
  const overridden = regions.some((r) => ctx.overridden(r.provider));
  for (const r of regions) {
    if (overridden && !ctx.overridden(r.provider)) continue;
    try {
      const o = await ask(r.base, r.provider);
      if (o.status === 'live')
        return {
          ...o,
          environment: o.environment ?? r.environment,
          facts: [...o.facts, `answered by ${new URL(r.base).host}`],
        };
      if (o.status === 'revoked') rejected.push(new URL(r.base).host);
      else failed.push(`${new URL(r.base).host}: ${o.facts[0] ?? o.status}`);
    } catch (err) {
      if (!(err instanceof LookupError)) throw err;
      error ??= err;
      failed.push(err.message);
    }
  }
  if (!failed.length && rejected.length)
    return { status: 'revoked', facts: [`rejected at every documented host: ${rejected.join(', ')}`] };
  const why = `${rejected.length ? `rejected at ${rejected.join(', ')}; ` : ''}no verdict from ${failed.join('; ')}`;
  // A network failure stays a warning, as for a single host.
  if (error) throw new LookupError(why, error.kind);
  return { status: 'unknown', facts: [why] };
}

function interpret(spec: OneRequest, res: HttpResponse, t: string, host: string): Asked {
  const verdict = spec.classify?.(res.status, res.text);
  if (verdict === 'revoked')
    return { status: 'revoked', facts: [`${host} answered HTTP ${res.status}: invalid credentials`] };
  if (verdict === 'live')
    return { status: 'live', facts: [`${host} answered HTTP ${res.status}: valid, but lacks the scope to read this`] };
  if ((spec.dead ?? [401]).includes(res.status))
    return { status: 'revoked', facts: [`${host} answered HTTP ${res.status}`] };
  if (spec.liveNoAccess?.includes(res.status))
    return {
      status: 'live',
      facts: [`${host} answered HTTP ${res.status}: valid, but not allowed to read this resource`],
    };
  if (res.status < 200 || res.status >= 300) throw new LookupError(`${host}: unexpected HTTP ${res.status}`, 'server');
  const j: Json = spec.text ? res.text : res.json();
  if (!spec.text && (j === null || typeof j !== 'object'))
    throw new LookupError(`${host}: HTTP ${res.status} with an answer that is not an object`, 'malformed');
  if (spec.deadBody?.(j)) return { status: 'revoked', facts: [`${host} rejected the token (${shortError(j)})`] };
  if (spec.valid && !spec.valid(j))
    throw new LookupError(`${host}: HTTP ${res.status} with an answer of unexpected shape`, 'malformed');
  const scopes = spec.scopes?.(j, res.headers);
  const grants = [...(scopes ? grantsOf(scopes, spec.map) : []), ...(spec.grants?.(j, res.headers, t) ?? [])];
  const facts = (spec.facts?.(j, res.headers) ?? []).filter((f): f is string => typeof f === 'string' && f.length > 0);
  if (scopes) facts.unshift(scopes.length ? `scopes: ${scopes.join(', ')}` : 'no scopes granted');
  const out: { -readonly [K in keyof Asked]: Asked[K] } = { status: 'live', facts, json: j, headers: res.headers };
  const identity = spec.identity?.(j, res.headers);
  if (identity) out.identity = String(identity);
  if (scopes || grants.length) out.grants = grants;
  const expires = spec.expires?.(j, res.headers);
  if (expires !== undefined) out.expiresAt = expires;
  const env = spec.environment?.(j, t);
  if (env) out.environment = env;
  return out;
}

function shortError(j: Json): string {
  const e = j?.error ?? j?.errors?.[0]?.message ?? j?.description ?? j?.message;
  return typeof e === 'string' ? e.slice(0, 80) : typeof e?.message === 'string' ? e.message.slice(0, 80) : 'rejected';
}

/**
 * The other half of a pair, among single findings next to this one: the nearest, and at equal
 * distance the one on the expected side (an id looks forward for its secret, a secret back for its
 * id), so two pairs on adjacent lines never cross.
 */
export function pairedPart(
  ctx: Pick<LookupContext, 'nearby' | 'offsetOf'>,
  test: (s: string) => boolean,
  forward: boolean,
): string | undefined {
  const wrongSide = (n: Finding) => Number(forward ? ctx.offsetOf(n) < 0 : ctx.offsetOf(n) > 0);
  const found = ctx.nearby.filter((n) => !n.secret.includes('\n') && test(n.secret));
  found.sort((a, b) => Math.abs(ctx.offsetOf(a)) - Math.abs(ctx.offsetOf(b)) || wrongSide(a) - wrongSide(b));
  return found[0]?.secret;
}

/** Basic authentication header value. */
export const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
export const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
/**
 * An ISO date, epoch seconds or ms, or "2027-03-19 00:00:00 -0500" / "… UTC"; null for "never"; undefined when
 * unreadable.
 */
export const date = (v: unknown): string | null | undefined => {
  if (v === null || v === '' || v === 0) return null;
  if (typeof v === 'number') return new Date(v < 1e12 ? v * 1000 : v).toISOString();
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d(?::\d\d(?:\.\d+)?)?)\s*(UTC|GMT|Z|[+-]\d\d:?\d\d)?$/i.exec(v.trim());
  const iso = m
    ? `${m[1]}T${m[2]}${!m[3] || /^(UTC|GMT|Z)$/i.test(m[3]) ? 'Z' : m[3].replace(/^([+-]\d\d)(\d\d)$/, '$1:$2')}`
    : v;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
};

/** The claims of a JWT (its second part), unverified; undefined when it is not one. */
export function jwtClaims(token: unknown): Json {
  if (typeof token !== 'string') return undefined;
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}
