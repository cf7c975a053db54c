// The one way lookups reach the network: compiled-in HTTPS endpoints (or a LEAKRADIUS_ENDPOINT_*
// override, http only on loopback), timeouts, bounded retries on 429/5xx honouring Retry-After,
// and a guard that turns a successful write-type request into an error. Errors never carry URLs:
// some providers put the secret in the path (Telegram).

export class LookupError extends Error {
  constructor(
    message: string,
    readonly kind:
      | 'network'
      | 'timeout'
      | 'rate-limited'
      | 'server'
      | 'malformed'
      | 'endpoint'
      | 'write-guard'
      | 'context'
      | 'budget',
  ) {
    super(message);
    this.name = 'LookupError';
  }
}

export interface HttpRequest {
  readonly method: 'GET' | 'HEAD' | 'POST' | 'DELETE';
  /** The documented path (and query), appended to the base URL. */
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** Parsed JSON body; throws LookupError('malformed') when it is not JSON. */
  json<T = unknown>(): T;
}

export interface HttpOptions {
  /** Per attempt, in milliseconds (default 10 000). */
  readonly timeoutMs?: number;
  /** Retries after 429/5xx (default 2). */
  readonly retries?: number;
  /** A Retry-After longer than this gives up instead of waiting (default 30 s). */
  readonly maxRetryAfterMs?: number;
  /** Backoff unit when the server sends no Retry-After (default 500 ms). */
  readonly backoffMs?: number;
  /** For tests that must not touch the network at all (default: the global fetch). */
  readonly fetch?: typeof fetch;
  /** Only `leakradius revoke`, after the user confirmed: lets its one write succeed. Lookups never set it. */
  readonly confirmedWrite?: boolean;
  /** Aborted when the run's total lookup budget is spent: requests in flight and retry waits stop. */
  readonly signal?: AbortSignal;
}

/** POSTs that only read: allowed to return 2xx. Keyed by provider and documented path. */
const READ_ONLY_POSTS: ReadonlySet<string> = new Set([
  'slack /api/auth.test',
  'aws /',
  'aws-iam /',
  'gcp /token',
  'gcp-crm /v1/projects/{project}:testIamPermissions',
  'entra /{tenant}/oauth2/v2.0/token',
  'docker /v2/auth/token',
  'square /oauth2/token/status',
  'square-sandbox /oauth2/token/status',
  'linear /graphql',
  'newrelic /graphql',
  'newrelic-eu /graphql',
  'dropbox /2/users/get_current_account',
]);

export const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]|localhost)$/i;

/** LEAKRADIUS_ENDPOINT_GITHUB and the like: the name of a provider's override variable. */
export function endpointVariable(provider: string): string {
  return `LEAKRADIUS_ENDPOINT_${provider.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

/**
 * The base URL a lookup may use: the override from the environment (never from a config file), or
 * the compiled-in official one. Throws LookupError('endpoint') for an unsafe override.
 */
export function resolveBase(provider: string, official: string, env: NodeJS.ProcessEnv = process.env): string {
  const name = endpointVariable(provider);
  const override = env[name];
  if (!override) return official.replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(override);
  } catch {
    throw new LookupError(`${name} is not a URL`, 'endpoint');
  }
  if (url.username || url.password) throw new LookupError(`${name} must not carry credentials`, 'endpoint');
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname))
    throw new LookupError(`${name}: plain http is allowed only for loopback addresses`, 'endpoint');
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new LookupError(`${name}: only https (or http on loopback) is allowed`, 'endpoint');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Waits, or stops early when the budget runs out. */
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

function retryAfterMs(h: string | null, fallback: number): number {
  if (!h) return fallback;
  const secs = Number(h);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const t = Date.parse(h);
  return Number.isNaN(t) ? fallback : Math.max(0, t - Date.now());
}

/** A client bound to one provider and one base URL. */
export class ProviderHttp {
  /** Hosts actually contacted (for the summary). */
  readonly hosts = new Set<string>();
  constructor(
    readonly provider: string,
    readonly base: string,
    private readonly opts: HttpOptions = {},
  ) {}

  /** Backoff unit, also the pause before a provider-specific retry (AWS SignatureDoesNotMatch). */
  get backoffMs(): number {
    return this.opts.backoffMs ?? 500;
  }

  get host(): string {
    return new URL(this.base).host;
  }

  async request(req: HttpRequest, templatePath = req.path): Promise<HttpResponse> {
    const timeoutMs = this.opts.timeoutMs ?? 10_000;
    const retries = this.opts.retries ?? 2;
    const url = this.base + req.path;
    const host = new URL(url).host;
    const budget = this.opts.signal;
    const spent = () => new LookupError(`${host}: not asked, the lookup budget is spent`, 'budget');
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      let text: string;
      if (budget?.aborted) throw spent();
      this.hosts.add(host);
      try {
        const timeout = AbortSignal.timeout(timeoutMs);
        res = await (this.opts.fetch ?? fetch)(url, {
          method: req.method,
          headers: req.headers,
          body: req.body,
          redirect: 'manual',
          signal: budget ? AbortSignal.any([timeout, budget]) : timeout,
        });
        text = await res.text();
      } catch (err) {
        const e = err as Error;
        if (budget?.aborted) throw spent();
        if (e.name === 'TimeoutError' || e.name === 'AbortError')
          throw new LookupError(`${host}: no answer within ${timeoutMs} ms`, 'timeout');
        const code = (e as { cause?: { code?: string } }).cause?.code;
        throw new LookupError(`${host}: network error${code ? ` (${code})` : ''}`, 'network');
      }
      if (res.status === 429 || res.status >= 500) {
        const wait = retryAfterMs(res.headers.get('retry-after'), (this.opts.backoffMs ?? 500) * 2 ** attempt);
        if (attempt >= retries || wait > (this.opts.maxRetryAfterMs ?? 30_000)) {
          throw new LookupError(
            `${host}: HTTP ${res.status} after ${attempt + 1} attempt${attempt ? 's' : ''}`,
            res.status === 429 ? 'rate-limited' : 'server',
          );
        }
        await sleep(wait, budget);
        continue;
      }
      if (
        !this.opts.confirmedWrite &&
        req.method !== 'GET' &&
        req.method !== 'HEAD' &&
        res.status >= 200 &&
        res.status < 300 &&
        !READ_ONLY_POSTS.has(`${this.provider} ${templatePath}`)
      ) {
        throw new LookupError(
          `${host}: a ${req.method} request succeeded although it is not an allow-listed read-only call; stopping`,
          'write-guard',
        );
      }
      return {
        status: res.status,
        headers: res.headers,
        text,
        json<T>(): T {
          try {
            return JSON.parse(text) as T;
          } catch {
            throw new LookupError(`${host}: HTTP ${res.status} with a body that is not JSON`, 'malformed');
          }
        },
      };
    }
  }
}
