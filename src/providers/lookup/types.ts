// The shapes every lookup shares.

import type { Finding, Grant, Scope } from '../../types.js';
import type { ProviderHttp } from './http.js';

/** What one lookup learned. `not-checked`: it needs context (a host, a user) that was not found. */
export interface LookupOutcome {
  readonly status: Scope['status'];
  readonly identity?: string;
  /** Replaces offline grants when present. */
  readonly grants?: Grant[];
  /** Concrete resources reached (organizations, repositories, projects, policies). */
  readonly reached?: Grant[];
  readonly expiresAt?: string | null;
  readonly environment?: 'production' | 'test';
  readonly facts: string[];
}

export interface LookupContext {
  readonly secret: string;
  readonly finding: Finding;
  /** Other findings at the same place (an AWS key id next to its secret, a Twilio SID next to its token). */
  readonly nearby: readonly Finding[];
  /** Lines from this finding to a nearby one (negative: before it). */
  offsetOf(nearby: Finding): number;
  /**
   * Text around the finding (redacted excerpts) and explicit --host/--user values, to find tenant hosts and user
   * names.
   */
  readonly context: readonly string[];
  readonly deep: boolean;
  /** Whether a database lookup may connect to a loopback or private address. */
  readonly privateHosts: boolean;
  /** A client for this provider at its official base (or the environment override). */
  http(official: string, provider?: string): ProviderHttp;
  /** Whether LEAKRADIUS_ENDPOINT_<provider> is set (then no tenant host is needed). */
  overridden(provider: string): boolean;
}

export interface ProviderLookup {
  /** Canonical provider name: rule providers are mapped to it, and LEAKRADIUS_ENDPOINT_<NAME> overrides its base. */
  readonly provider: string;
  /** Human name and the call it makes, for docs and `leakradius lookup`. */
  readonly title: string;
  readonly call: string;
  /** Runs only with --deep-lookup (side effects or audit noise: Okta, Vault, PyPI, JWT). */
  readonly deepOnly?: boolean;
  /** The built-in rules whose findings this lookup takes: the rule that found a token chooses its lookup. */
  readonly rules: readonly string[];
  /** Within those rules, the secrets the call can verify (Slack's legacy rule also finds xoxr- refresh tokens). */
  readonly verifies?: (secret: string) => boolean;
  /**
   * The parts the lookup sends (a key id and its own secret, an account id): its cache key. Default: the
   * secret's parts.
   */
  credential?(ctx: LookupContext): readonly string[];
  run(ctx: LookupContext): Promise<LookupOutcome>;
}
