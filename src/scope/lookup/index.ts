// The lookup stage: after a scan, ask each provider's read-only API what each secret can do,
// then re-rank. One lookup per distinct credential, bounded concurrency, failures → `unknown`.

import { createHash } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import type { Rule } from '../../detect/rules.js';
import {
  LookupError,
  ProviderHttp,
  endpointVariable,
  resolveBase,
  type HttpOptions,
} from '../../providers/lookup/http.js';
import type { LookupContext, LookupOutcome } from '../../providers/lookup/types.js';
import { canonicalProvider, chooseLookup } from '../../providers/registry.js';
import type { Finding, Location, Scope, Warning } from '../../types.js';
import { providerText, secretForms, untrustedOutcome } from './untrusted.js';

export { LOOKUPS } from '../../providers/registry.js';
export { endpointVariable, resolveBase, LookupError } from '../../providers/lookup/http.js';
export type { LookupOutcome, ProviderLookup } from '../../providers/lookup/types.js';

export interface LookupOptions extends HttpOptions {
  /** Opt-in probes (IAM enumeration, Okta, Vault, PyPI upload probe, JWKS, database connections). */
  readonly deep?: boolean;
  /** Database lookups may connect to loopback and private addresses (--lookup-private-hosts). */
  readonly privateHosts?: boolean;
  /** Lookups in flight at once (default 8). */
  readonly concurrency?: number;
  /** Look up findings of rules that are not built in even when no built-in rule accepts their match. */
  readonly userRules?: boolean;
  /** Total time for all lookups of a run, in milliseconds (default 120 000); what is left is `unknown`. */
  readonly budgetMs?: number;
  /** Consecutive timeouts or server errors after which a provider is not called again in this run (default 3). */
  readonly breakerAfter?: number;
  /** Extra context: tenant hosts, user names or emails (from `lookup --host/--user`). */
  readonly context?: readonly string[];
  readonly onWarning?: (w: Warning) => void;
  readonly env?: NodeJS.ProcessEnv;
}

export interface LookupSummary {
  /** Findings whose provider has a lookup and that were sent to it. */
  attempted: number;
  live: number;
  revoked: number;
  unknown: number;
  /** Findings without a lookup, or needing context that was not there. */
  notChecked: number;
  /** Hosts contacted. */
  hosts: string[];
}

export const DEFAULT_LOOKUP_BUDGET_MS = 120_000;
const DEFAULT_BREAKER_AFTER = 3;
/**
 * Failures that say the provider is not answering and cost time (not that this token is bad); a
 * network error is quick and may be one tenant's host, so it does not count.
 */
const UNANSWERED: ReadonlySet<LookupError['kind']> = new Set(['timeout', 'server', 'rate-limited']);

const placeKey = (l: Location) =>
  l.kind === 'file'
    ? `f:${l.path}`
    : l.kind === 'git'
      ? `g:${l.commit}:${l.path}`
      : l.kind === 'archive'
        ? `a:${l.chain.join('!')}`
        : 's';

/** Nearby = another finding of the same provider within a few lines of the same file or blob, nearest first. */
function nearbyIndex(all: readonly Finding[]): (f: Finding) => Array<{ f: Finding; offset: number }> {
  const byPlace = new Map<string, Array<{ f: Finding; line: number; column: number }>>();
  for (const f of all)
    for (const l of f.locations) {
      const k = `${canonicalProvider(f.provider)}\0${placeKey(l)}`;
      let list = byPlace.get(k);
      if (!list) byPlace.set(k, (list = []));
      list.push({ f, line: l.line, column: l.column });
    }
  return (f) => {
    const out = new Map<Finding, { offset: number; columns: number }>();
    for (const l of f.locations)
      for (const o of byPlace.get(`${canonicalProvider(f.provider)}\0${placeKey(l)}`) ?? []) {
        const offset = o.line - l.line;
        const columns = Math.abs(o.column - l.column);
        const had = out.get(o.f);
        if (o.f !== f && Math.abs(offset) <= 6 && (!had || Math.abs(offset) < Math.abs(had.offset)))
          out.set(o.f, { offset, columns });
      }
    return [...out]
      .sort(([, a], [, b]) => Math.abs(a.offset) - Math.abs(b.offset) || a.columns - b.columns)
      .map(([n, { offset }]) => ({ f: n, offset }));
  };
}

/** Lines around a finding in a scanned file on disk, read again (bounded) for ids and hosts on nearby lines. */
const NEIGHBOURHOOD_LINES = 6;
const MAX_REREAD_BYTES = 8 * 1024 * 1024;
function neighbourhoodReader(): (f: Finding) => string[] {
  // A few files at a time: findings arrive grouped by file, and a file is read at most once per run of them.
  const files = new Map<string, string[] | null>();
  const linesOf = (path: string): string[] | null => {
    if (files.has(path)) return files.get(path)!;
    let lines: string[] | null = null;
    try {
      // Only the plain file that was scanned: a symlink put there since is not followed.
      const st = lstatSync(path);
      if (st.isFile() && st.size <= MAX_REREAD_BYTES) lines = readFileSync(path, 'utf8').split(/\r?\n/);
    } catch {
      lines = null; // gone, unreadable or not a plain file: the excerpt is all there is
    }
    if (files.size >= 8) files.delete(files.keys().next().value!);
    files.set(path, lines);
    return lines;
  };
  return (f) => {
    const out: string[] = [];
    for (const l of f.locations.slice(0, 3)) {
      if (l.kind !== 'file') continue;
      const lines = linesOf(l.path);
      if (lines)
        out.push(lines.slice(Math.max(0, l.line - 1 - NEIGHBOURHOOD_LINES), l.line + NEIGHBOURHOOD_LINES).join('\n'));
    }
    return out;
  };
}

function applyOutcome(scope: Scope, o: LookupOutcome, host: string | undefined): Scope {
  const next: Scope = { ...scope, status: o.status, facts: [...scope.facts, ...o.facts] };
  if (host) next.checkedAt = host;
  if (o.identity) next.identity = o.identity;
  if (o.grants) next.grants = o.grants;
  if (o.reached) next.reached = o.reached;
  if (o.status === 'unknown' && o.facts[0]) next.noVerdict = o.facts[0];
  if (o.expiresAt !== undefined) next.expiresAt = o.expiresAt;
  if (o.environment) next.environment = o.environment;
  return next;
}

/** Run lookups for every finding that has one (ranking follows, in the pipeline). Never throws for a lookup. */
export async function enrich(
  findings: readonly Finding[],
  // Unused since ranking moved to the pipeline (src/scan/pipeline.ts); kept so callers stay as they are.
  _rules: readonly Pick<Rule, 'id' | 'name' | 'provider' | 'tier' | 'remediation'>[],
  opts: LookupOptions = {},
): Promise<LookupSummary> {
  const summary: LookupSummary = { attempted: 0, live: 0, revoked: 0, unknown: 0, notChecked: 0, hosts: [] };
  const hosts = new Set<string>();
  const cache = new Map<string, Promise<{ outcome: LookupOutcome; host?: string }>>();
  const warned = new Set<string>();
  const nearbyOf = nearbyIndex(findings);
  const around = neighbourhoodReader();
  const warn = (subject: string, message: string) => {
    const k = `${subject}\0${message}`;
    if (warned.has(k)) return;
    warned.add(k);
    opts.onWarning?.({ subject, message });
  };

  // One budget for the whole run, and a breaker per provider: an endpoint that never answers costs
  // at most a few timeouts, and a PR with 5,000 tokens ends in bounded time.
  const budgetMs = opts.budgetMs ?? DEFAULT_LOOKUP_BUDGET_MS;
  const budget = new AbortController();
  const budgetTimer = setTimeout(() => budget.abort(), budgetMs);
  budgetTimer.unref?.();
  const http: HttpOptions = { ...opts, signal: budget.signal };
  const breakerAfter = Math.max(1, opts.breakerAfter ?? DEFAULT_BREAKER_AFTER);
  const unanswered = new Map<string, number>();
  let overBudget = 0;
  const unknown = (fact: string) => ({ outcome: { status: 'unknown', facts: [fact] } as LookupOutcome });

  const run = (f: Finding): Promise<{ outcome: LookupOutcome; host?: string }> | undefined => {
    const choice = chooseLookup({ id: f.rule, provider: f.provider }, f.secret, opts.userRules);
    if (!choice) return undefined;
    if ('refused' in choice) return Promise.resolve({ outcome: { status: 'not-checked', facts: [choice.refused] } });
    const { lookup } = choice;
    if (lookup.deepOnly && !opts.deep)
      return Promise.resolve({
        outcome: { status: 'not-checked', facts: [`${lookup.title}: looked up only with --deep-lookup`] },
      });
    if (budget.signal.aborted) {
      overBudget++;
      return Promise.resolve(unknown(`not looked up: the lookup budget of ${budgetMs / 1000} s was spent`));
    }
    if ((unanswered.get(lookup.provider) ?? 0) >= breakerAfter)
      return Promise.resolve(
        unknown(`not looked up: ${lookup.title} did not answer ${breakerAfter} times in a row; no more calls to it`),
      );
    const near = nearbyOf(f);
    const offsets = new Map(near.map((n) => [n.f, n.offset]));
    const clients: ProviderHttp[] = [];
    const ctx: LookupContext = {
      secret: f.secret,
      finding: f,
      nearby: near.map((n) => n.f),
      offsetOf: (n) => offsets.get(n) ?? 0,
      // The excerpt first (the finding's own line), then the lines around it, then --host/--user.
      context: [...f.locations.map((l) => l.excerpt ?? '').filter(Boolean), ...around(f), ...(opts.context ?? [])],
      deep: Boolean(opts.deep),
      privateHosts: Boolean(opts.privateHosts),
      http(official, name = lookup.provider) {
        const client = new ProviderHttp(name, resolveBase(name, official, opts.env ?? process.env), http);
        clients.push(client);
        return client;
      },
      overridden: (name) => Boolean((opts.env ?? process.env)[endpointVariable(name)]),
    };
    // One lookup per credential: the parts this lookup would send (a pair's own id and secret, the
    // account id it was paired with), never every token that happens to stand next to it.
    const parts = lookup.credential?.(ctx) ?? f.secret.split('\n');
    const key = `${lookup.provider}\0${createHash('sha256')
      .update([...parts].join('\0'))
      .digest('hex')}`;
    const cached = cache.get(key);
    if (cached) return cached;
    // The secret as found and the long parts the lookup sends (a paired secret key), never ids and names.
    const forms = secretForms([f.secret, ...parts.filter((x) => x.length > 24)]);
    const p = lookup
      .run(ctx)
      .then((outcome) => {
        unanswered.set(lookup.provider, 0);
        return { outcome: untrustedOutcome(outcome, forms), host: clients.map((c) => c.host).join(', ') || undefined };
      })
      .catch((err: unknown) => {
        const raw =
          err instanceof LookupError ? err.message : `lookup failed: ${(err as Error)?.message ?? String(err)}`;
        const msg = providerText(raw, forms);
        if (err instanceof LookupError && err.kind === 'budget') {
          overBudget++;
          return unknown(`not looked up: the lookup budget of ${budgetMs / 1000} s was spent`);
        }
        if (err instanceof LookupError && UNANSWERED.has(err.kind)) {
          const n = (unanswered.get(lookup.provider) ?? 0) + 1;
          unanswered.set(lookup.provider, n);
          if (n === breakerAfter)
            warn(
              `lookup ${lookup.title}`,
              `no answer ${n} times in a row: not called again in this run (its other tokens: status unknown)`,
            );
        } else unanswered.set(lookup.provider, 0);
        warn(`lookup ${lookup.title}`, `${msg}; status unknown`);
        return {
          outcome: { status: 'unknown', facts: [`lookup failed: ${msg}`] } as LookupOutcome,
          host: clients.map((c) => c.host).join(', ') || undefined,
        };
      })
      .finally(() => clients.forEach((c) => c.hosts.forEach((h) => hosts.add(h))));
    cache.set(key, p);
    return p;
  };

  let next = 0;
  const limit = Math.max(1, opts.concurrency ?? 8);
  const worker = async () => {
    for (let f = findings[next++]; f; f = findings[next++]) {
      const pending = run(f);
      if (!pending) {
        summary.notChecked++;
        continue;
      }
      const { outcome, host } = await pending;
      f.scope = applyOutcome(f.scope, outcome, outcome.status === 'not-checked' ? undefined : host);
      if (outcome.status === 'not-checked') summary.notChecked++;
      else {
        summary.attempted++;
        if (outcome.status === 'live') summary.live++;
        else if (outcome.status === 'revoked') summary.revoked++;
        else summary.unknown++;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(limit, findings.length || 1) }, worker));
  } finally {
    clearTimeout(budgetTimer);
  }
  if (overBudget)
    warn(
      'lookups',
      `the lookup budget of ${budgetMs / 1000} s was spent: ${overBudget} token(s) not looked up, status unknown ` +
        '(raise it with --lookup-budget SECONDS or LEAKRADIUS_LOOKUP_BUDGET)',
    );
  summary.hosts = [...hosts].sort();
  return summary;
}
