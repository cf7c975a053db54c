// A real HTTP server on 127.0.0.1 that answers like each provider's documented API. Tests point
// LEAKRADIUS_ENDPOINT_<PROVIDER> at http://127.0.0.1:<port>/<provider>/<scenario>; the documented
// request path follows, so the server sees exactly what the provider would.

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeReply {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  /** An object is sent as JSON; a string as is. */
  readonly body?: unknown;
}

export interface SeenRequest {
  readonly provider: string;
  readonly scenario: string;
  readonly method: string;
  /** The documented path and query, after the /provider/scenario prefix. */
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A reply, or a function of the request (multi-step lookups: GCP token then permissions). */
export type Answer = FakeReply | ((req: SeenRequest) => FakeReply);

/**
 * Scenarios: any name in `answers` (broad, narrow, revoked…), plus three built on `broad`:
 * `flaky` (429 with Retry-After: 0 first, then broad), `slow` (broad after `slowMs`),
 * `malformed` (200 with an HTML body), and `silent` (never answers).
 */
export class FakeProviders {
  readonly requests: SeenRequest[] = [];
  private server: Server | undefined;
  private port = 0;
  private readonly flakySeen = new Set<string>();
  slowMs = 1500;

  constructor(private readonly answers: Record<string, Record<string, Answer | undefined>>) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const m = /^\/([^/]+)\/([^/]+)(\/.*)?$/.exec(req.url ?? '');
        const provider = m?.[1] ?? '';
        const scenario = m?.[2] ?? '';
        const seen: SeenRequest = {
          provider,
          scenario,
          method: req.method ?? '',
          path: m?.[3] ?? '/',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.requests.push(seen);
        const send = (r: FakeReply) => {
          const body = typeof r.body === 'string' ? r.body : r.body === undefined ? '' : JSON.stringify(r.body);
          res.writeHead(r.status ?? 200, {
            'content-type': typeof r.body === 'string' ? 'text/plain' : 'application/json',
            ...r.headers,
          });
          res.end(body);
        };
        const table = this.answers[provider];
        const answer = (name: string): FakeReply => {
          const a = table?.[name];
          if (!a) return { status: 404, body: { message: `fake: no ${provider}/${name}` } };
          return typeof a === 'function' ? a(seen) : a;
        };
        if (scenario === 'flaky') {
          const key = `${provider}:${seen.path}`;
          if (!this.flakySeen.has(key)) {
            this.flakySeen.add(key);
            return send({ status: 429, headers: { 'retry-after': '0' }, body: { message: 'slow down' } });
          }
          return send(answer('broad'));
        }
        if (scenario === 'slow') {
          const t = setTimeout(() => send(answer('broad')), this.slowMs);
          res.on('close', () => clearTimeout(t));
          return;
        }
        // An endpoint that takes the request and never answers (held until close()).
        if (scenario === 'silent') return;
        if (scenario === 'malformed') return send({ status: 200, body: '<html><body>maintenance</body></html>' });
        send(answer(scenario));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  url(provider: string, scenario: string): string {
    return `http://127.0.0.1:${this.port}/${provider}/${scenario}`;
  }

  seen(provider: string, scenario: string): SeenRequest[] {
    return this.requests.filter((r) => r.provider === provider && r.scenario === scenario);
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
