// One-request lookups as data: method, documented path, auth header, dead signals, and where
// identity, scopes and expiry sit in the answer. Multi-step ones are analyzers (aws.ts, cloud.ts).

import type { Access, Grant } from '../../types.js';
import { LookupError, type HttpResponse } from './http.js';
import type { LookupContext, LookupOutcome, ProviderLookup } from './types.js';

export type ScopeMap = ReadonlyArray<readonly [RegExp, Access]>;
// Provider answers are untyped JSON: every reader below uses optional chaining and `valid` checks.
type Json = any;

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
  /** Secret shapes this lookup handles (default: every secret of the provider). */
  readonly match?: RegExp;
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
    applies: (secret) => !spec.match || spec.match.test(secret),
    async run(ctx) {
      const t = ctx.secret;
      let base = spec.base;
      if (base.includes('{host}')) {
        const own = spec.hostFromToken?.(t);
        const host = spec.tenant ? (own && new RegExp(`^(?:${spec.tenant.source})$`, 'i').test(own) ? own : tenantHost(ctx, spec.tenant) ?? spec.defaultHost) : undefined;
        if (!host && !ctx.overridden(spec.provider))
          return { status: 'not-checked', facts: [`not looked up: ${spec.needs ?? 'the tenant host was not found next to the token'}`] };
        base = base.replace('{host}', host ?? 'tenant.invalid');
      }
      const path = typeof spec.path === 'string' ? spec.path : spec.path(t, ctx);
      const headers = spec.headers?.(t, ctx);
      if (path === undefined || headers === undefined) return { status: 'not-checked', facts: [`not looked up: ${spec.needs ?? 'missing context'}`] };
      const http = ctx.http(base, spec.provider);
      const res = await http.request(
        { method: spec.method ?? 'GET', path, headers: { 'user-agent': 'leakradius', accept: 'application/json', ...headers }, body: spec.body?.(t, ctx) },
        typeof spec.path === 'string' ? spec.path : undefined,
      );
      return interpret(spec, res, t, http.host);
    },
  };
}

function interpret(spec: OneRequest, res: HttpResponse, t: string, host: string): LookupOutcome {
  const verdict = spec.classify?.(res.status, res.text);
  if (verdict === 'revoked') return { status: 'revoked', facts: [`${host} answered HTTP ${res.status}: invalid credentials`] };
  if (verdict === 'live') return { status: 'live', facts: [`${host} answered HTTP ${res.status}: valid, but lacks the scope to read this`] };
  if ((spec.dead ?? [401]).includes(res.status)) return { status: 'revoked', facts: [`${host} answered HTTP ${res.status}`] };
  if (spec.liveNoAccess?.includes(res.status)) return { status: 'live', facts: [`${host} answered HTTP ${res.status}: valid, but not allowed to read this resource`] };
  if (res.status < 200 || res.status >= 300) throw new LookupError(`${host}: unexpected HTTP ${res.status}`, 'server');
  const j: Json = spec.text ? res.text : res.json();
  if (!spec.text && (j === null || typeof j !== 'object')) throw new LookupError(`${host}: HTTP ${res.status} with an answer that is not an object`, 'malformed');
  if (spec.deadBody?.(j)) return { status: 'revoked', facts: [`${host} rejected the token (${shortError(j)})`] };
  if (spec.valid && !spec.valid(j)) throw new LookupError(`${host}: HTTP ${res.status} with an answer of unexpected shape`, 'malformed');
  const scopes = spec.scopes?.(j, res.headers);
  const grants = [...(scopes ? grantsOf(scopes, spec.map) : []), ...(spec.grants?.(j, res.headers, t) ?? [])];
  const facts = (spec.facts?.(j, res.headers) ?? []).filter((f): f is string => typeof f === 'string' && f.length > 0);
  if (scopes) facts.unshift(scopes.length ? `scopes: ${scopes.join(', ')}` : 'no scopes granted');
  const out: { -readonly [K in keyof LookupOutcome]: LookupOutcome[K] } = { status: 'live', facts };
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

/** Basic authentication header value. */
export const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
export const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
export const date = (v: unknown): string | null | undefined => {
  if (v === null || v === '' || v === 0) return null;
  if (typeof v === 'number') return new Date(v < 1e12 ? v * 1000 : v).toISOString();
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v.replace(' UTC', 'Z').replace(/^(\d{4}-\d\d-\d\d) /, '$1T'));
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
};
