// What the token itself says, without any network call: type and class, live vs test mode,
// checksums, embedded ids, JWT claims, SAS parameters, macaroon caveats. Pure functions; these run
// in the pre-commit path too. No fact line may hold the secret (or any secret part of it).

import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import type { Rule } from '../detect/rules.js';
import { basicAuthParts, crc32 } from '../detect/checksum.js';
import type { Access, Grant, Scope } from '../types.js';

/** What offline analysis adds to a scope. */
export interface OfflineFacts {
  identity?: string;
  grants?: Grant[];
  expiresAt?: string | null;
  environment?: 'production' | 'test';
  facts: string[];
  /** A class that has a narrower sibling (classic PAT vs fine-grained) → "granular" violated; true → ok. */
  granular?: { ok: boolean; why: string };
  /** Encrypted private key, public key, ingest-only key: a weaker finding than the rule tier says. */
  weaker?: string;
  /** Admin-class token (service_role, org admin key): stronger than the rule tier says. */
  stronger?: string;
  /** Proven expired by its own claims (unverified: a server could ignore them). */
  expired?: boolean;
  /** A planted canary (honeytoken): who runs it. Never looked up: a call fires the owner's alarm. */
  canary?: string;
}

export function inferScope(
  rule: Pick<Rule, 'name' | 'provider' | 'type'>,
  secret: string,
  checksum?: 'valid' | 'invalid',
  now = Date.now(),
): Scope {
  const facts: string[] = [`${rule.name} (${rule.provider} ${rule.type})`];
  if (checksum === 'valid') facts.push('checksum valid: a well-formed token, not a random look-alike');
  if (checksum === 'invalid') facts.push('checksum does not match: probably not a real token');
  const o = offlineFacts(secret, rule.provider, now);
  let environment = o.environment;
  if (!environment) {
    if (/(?:^|[_-])test(?:[_-]|$)/.test(secret.slice(0, 12))) environment = 'test';
    else if (/(?:^|[_-])live(?:[_-]|$)/.test(secret.slice(0, 12))) environment = 'production';
    if (environment) o.facts.push(environment === 'test' ? 'test-mode key' : 'live-mode key');
  }
  const scope: Scope = {
    status: 'not-checked',
    grants: o.grants ?? [],
    facts: [...facts, ...o.facts.map((f) => scrub(f, secret))],
    environment,
  };
  if (o.identity) scope.identity = scrub(o.identity, secret);
  if (o.expiresAt !== undefined) scope.expiresAt = o.expiresAt;
  const hints: NonNullable<Scope['offline']> = {};
  if (o.granular) hints.granular = o.granular;
  if (o.weaker) hints.weaker = o.weaker;
  if (o.stronger) hints.stronger = o.stronger;
  if (o.expired) hints.expired = true;
  if (o.canary) hints.canary = o.canary;
  if (Object.keys(hints).length) scope.offline = hints;
  return scope;
}

/** Belt and braces: a fact that would quote the secret (or a long part of it) is cut. */
function scrub(line: string, secret: string): string {
  if (secret.length < 8) return line;
  if (line.includes(secret)) return line.split(secret).join('[secret]');
  return line;
}

/** Dispatch on the shape of the token first (JWT, PEM, URI, SAS), then on the provider's prefixes. */
export function offlineFacts(secret: string, provider = '', now = Date.now()): OfflineFacts {
  const s = secret.trim();
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/.test(s) || s.startsWith('PuTTY-User-Key-File-'))
    return privateKeyFacts(s);
  if (/^[a-z][a-z0-9+.-]*:\/\/[^\s/@]*:[^\s@]*@/i.test(s)) return uriFacts(s);
  if (/(?:^|[?&])sig=/.test(s) && /(?:^|[?&])(?:sp|se|sv)=/.test(s)) return sasFacts(s, now);
  if (/^"?\{/.test(s) && s.includes('service_account')) return gcpFacts(s);
  if (/^(?:eyJ|ewog)[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(s)) return jwtFacts(s, now);
  const p = PREFIX_FACTS.find(([re]) => re.test(s));
  if (p) return p[1](s, now);
  if (/^(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}$/.test(s)) return awsKeyIdFacts(s);
  if (/^(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\n/.test(s)) return awsKeyIdFacts(s.slice(0, 20)); // composite key pair
  const byProvider = PROVIDER_FACTS[provider.toLowerCase()];
  return byProvider ? byProvider(s, now) : { facts: [] };
}

const g = (resource: string, access: Access): Grant => ({ resource, access });

// --- GitHub, Stripe, Slack, and other prefix-typed tokens -------------------------------------

type FactFn = (s: string, now: number) => OfflineFacts;

const PREFIX_FACTS: Array<[RegExp, FactFn]> = [
  [
    /^ghp_/,
    () => ({
      facts: ['classic personal access token: scopes are chosen per token and often broad (repo, admin:org)'],
      granular: { ok: false, why: 'classic PAT where a fine-grained PAT exists' },
    }),
  ],
  [
    /^github_pat_/,
    () => ({
      facts: ['fine-grained personal access token: limited to chosen repositories and permissions'],
      granular: { ok: true, why: 'fine-grained PAT' },
    }),
  ],
  [
    /^gho_/,
    () => ({
      facts: ['OAuth app token: carries the scopes the user granted the app'],
      granular: { ok: false, why: 'OAuth app scopes are coarse; a GitHub App is finer' },
    }),
  ],
  [
    /^ghu_/,
    () => ({
      facts: ['GitHub App user-to-server token: expires 8 hours after issue'],
      granular: { ok: true, why: 'GitHub App permissions' },
    }),
  ],
  [
    /^ghs_/,
    () => ({
      facts: ['GitHub App installation token: expires 1 hour after issue'],
      granular: { ok: true, why: 'GitHub App permissions' },
    }),
  ],
  [/^ghr_/, () => ({ facts: ['GitHub App refresh token: mints user tokens for up to 6 months'] })],
  [/^glpat-/, gitlabFacts],
  [
    /^gldt-/,
    () => ({
      facts: ['GitLab deploy token: registry and repository access only; no REST API'],
      granular: { ok: true, why: 'deploy token' },
    }),
  ],
  [/^glrt-/, () => ({ facts: ['GitLab runner token: only the runner API (job payloads may still hold secrets)'] })],
  [/^glcbt-/, () => ({ facts: ['GitLab CI job token: valid while its job runs'] })],
  [
    /^sk_live_/,
    () => ({
      environment: 'production',
      grants: [g('stripe account (all resources)', 'admin')],
      expiresAt: null,
      facts: ['Stripe secret key, live mode: full access to the whole account; never expires'],
      granular: { ok: false, why: 'secret key where a restricted key exists' },
    }),
  ],
  [
    /^sk_test_/,
    () => ({
      environment: 'test',
      grants: [g('stripe account (test mode)', 'admin')],
      expiresAt: null,
      facts: ['Stripe secret key, test mode: no access to live data'],
      granular: { ok: false, why: 'secret key where a restricted key exists' },
    }),
  ],
  [
    /^rk_live_/,
    () => ({
      environment: 'production',
      expiresAt: null,
      facts: ['Stripe restricted key, live mode: rights set per resource'],
      granular: { ok: true, why: 'restricted key' },
    }),
  ],
  [
    /^rk_test_/,
    () => ({
      environment: 'test',
      expiresAt: null,
      facts: ['Stripe restricted key, test mode'],
      granular: { ok: true, why: 'restricted key' },
    }),
  ],
  [
    /^pk_(live|test)_/,
    (s) => ({
      environment: s.startsWith('pk_live') ? 'production' : 'test',
      weaker: 'publishable key: meant to be public',
      facts: ['Stripe publishable key: public by design (client-side)'],
    }),
  ],
  [
    /^xoxb-/,
    () => ({
      facts: ['Slack bot token: the app’s bot scopes in one workspace'],
      granular: { ok: true, why: 'bot token' },
    }),
  ],
  [
    /^xoxp-/,
    () => ({
      facts: ['Slack user token: acts as the user who installed the app, in every channel they can see'],
      granular: { ok: false, why: 'user token where a bot token would do' },
    }),
  ],
  [/^xapp-/, () => ({ facts: ['Slack app-level token: connections (Socket Mode) and app configuration'] })],
  [/^xoxe\.xox[bp]-/, () => ({ facts: ['Slack rotating access token: expires 12 hours after issue'] })],
  [/^xoxe-/, () => ({ facts: ['Slack refresh token: mints new rotating tokens'] })],
  [
    /^xox[cd]-/,
    () => ({
      stronger: 'browser session token',
      facts: ['Slack session token (xoxc/xoxd): a logged-in browser session, every right of the user'],
      granular: { ok: false, why: 'session token' },
    }),
  ],
  [
    /^xox[arso]-/,
    () => ({ facts: ['Slack legacy token type (deprecated)'], granular: { ok: false, why: 'legacy token' } }),
  ],
  [
    /^https:\/\/hooks\.slack\.com\/services\//,
    (s) => ({
      identity: /\/services\/(T[A-Z0-9]+)\//.exec(s)?.[1],
      grants: [g('one Slack channel', 'write')],
      facts: ['Slack incoming webhook: posts messages to one channel'],
    }),
  ],
  [
    /^npm_/,
    () => ({ facts: ['npm granular access token (classic tokens were revoked on 2025-11-05); rights not encoded'] }),
  ],
  [/^pypi-/, pypiFacts],
  [/^dckr_pat_/, () => ({ facts: ['Docker Hub personal access token: reaches every repository its user can'] })],
  [
    /^dckr_oat_/,
    () => ({
      facts: ['Docker Hub organization access token: per-repository scopes'],
      granular: { ok: true, why: 'organization access token' },
    }),
  ],
  [/^hf_/, () => ({ facts: ['Hugging Face user access token (role read, write or fine-grained)'] })],
  [/^api_org_/, () => ({ facts: ['Hugging Face organization API token (deprecated)'] })],
  [
    /^sk-admin-/,
    () => ({
      stronger: 'organization admin key',
      grants: [g('openai organization', 'admin')],
      facts: ['OpenAI admin key: manages the whole organization (keys, users, projects)'],
      granular: { ok: false, why: 'admin key' },
    }),
  ],
  [/^sk-proj-/, () => ({ facts: ['OpenAI project key: one project'] })],
  [
    /^sk-svcacct-/,
    () => ({
      facts: ['OpenAI service-account key: one project, not tied to a person'],
      granular: { ok: true, why: 'service-account key' },
    }),
  ],
  [
    /^sk-ant-admin01-/,
    () => ({
      stronger: 'organization admin key',
      grants: [g('anthropic organization', 'admin')],
      expiresAt: null,
      facts: ['Anthropic Admin API key: manages the organization'],
      granular: { ok: false, why: 'admin key' },
    }),
  ],
  [
    /^sk-ant-api03-/,
    () => ({
      grants: [g('anthropic workspace', 'write')],
      expiresAt: null,
      facts: ['Anthropic API key: the whole workspace; never expires'],
    }),
  ],
  [
    /^sk-[A-Za-z0-9]{20}T3BlbkFJ/,
    () => ({
      facts: ['OpenAI legacy user key: every project of the user'],
      granular: { ok: false, why: 'legacy user key' },
    }),
  ],
  [
    /^SG\.[A-Za-z0-9_-]{16,32}\./,
    () => ({ facts: ['SendGrid API key: scopes are set per key (full access is common)'] }),
  ],
  [/^AC[0-9a-f]{32}$/, () => ({ facts: ['Twilio account SID (an identifier; the secret is its Auth Token)'] })],
  [/^SK[0-9a-f]{32}$/, () => ({ facts: ['Twilio API key SID'] })],
  [/^pubkey-/, () => ({ weaker: 'public validation key', facts: ['Mailgun public validation key'] })],
  [
    /^key-[0-9a-f]{32}$/,
    () => ({
      expiresAt: null,
      facts: ['Mailgun legacy primary API key: full account access'],
      granular: { ok: false, why: 'primary account key' },
    }),
  ],
  [/^shpat_/, () => ({ facts: ['Shopify admin API access token (custom app)'] })],
  [/^shpca_/, () => ({ facts: ['Shopify custom app access token'] })],
  [/^shppa_/, () => ({ facts: ['Shopify private app access token'] })],
  [/^shpss_/, () => ({ facts: ['Shopify app shared secret: signs webhooks and OAuth'] })],
  [/^dop_v1_/, () => ({ facts: ['DigitalOcean personal access token'] })],
  [/^doo_v1_/, () => ({ facts: ['DigitalOcean OAuth token'] })],
  [
    /^dor_v1_/,
    () => ({ facts: ['DigitalOcean refresh token (never exchanged during analysis: that would rotate the pair)'] }),
  ],
  [/^HRKU-/, () => ({ facts: ['Heroku API key'] })],
  [/^cfut_/, () => ({ facts: ['Cloudflare user API token'] })],
  [/^cfat_/, () => ({ facts: ['Cloudflare account API token'], granular: { ok: true, why: 'account-owned token' } })],
  [
    /^cfk_/,
    () => ({
      stronger: 'global API key',
      grants: [g('cloudflare user (every account and zone)', 'admin')],
      expiresAt: null,
      facts: ['Cloudflare global API key: everything its user can do'],
      granular: { ok: false, why: 'global key where scoped tokens exist' },
    }),
  ],
  [/^hvs\./, () => ({ facts: ['Vault service token (the Vault address is not part of it)'] })],
  [/^hvb\./, () => ({ facts: ['Vault batch token: short-lived, not renewable'] })],
  [/^hvr\./, () => ({ stronger: 'recovery token', facts: ['Vault recovery token'] })],
  [
    /^ATCTT3/,
    () => ({
      stronger: 'organization admin key',
      grants: [g('atlassian organization', 'admin')],
      facts: ['Atlassian organization admin API key'],
    }),
  ],
  [/^ATATT3/, () => ({ facts: ['Atlassian user API token: the rights of its user on one site'] })],
  [/^lin_api_/, () => ({ facts: ['Linear personal API key: capped by its user’s role'] })],
  [/^PMAK-/, () => ({ facts: ['Postman API key: reaches everything its user can'] })],
  [/^dapi[0-9a-f]{32}/, () => ({ facts: ['Databricks personal access token: works only on its workspace'] })],
  [/^dp\.(pt|ct|st|sa|scim|audit)\./, dopplerFacts],
  [/^sntrys_/, sentryFacts],
  [/^sntryu_/, () => ({ facts: ['Sentry user auth token'] })],
  [/^glsa_/, () => ({ facts: ['Grafana service account token'] })],
  [/^glc_/, grafanaCloudFacts],
  [
    /^ntn_|^secret_[A-Za-z0-9]{43}$/,
    () => ({ facts: ['Notion integration token: pages shared with the integration'] }),
  ],
  [/^pat[A-Za-z0-9]{14}\.[0-9a-f]{64}$/, () => ({ facts: ['Airtable personal access token'] })],
  [/^(EAAA|sq0atp-)/, () => ({ facts: ['Square access token (EAAA does not tell sandbox from production)'] })],
  [/^sq0csp-/, () => ({ facts: ['Square application secret'] })],
  [/^sandbox-sq0/, () => ({ environment: 'test', facts: ['Square sandbox credential'] })],
  [
    /^[0-9a-f]{32}-us\d{1,2}$/,
    (s) => ({ facts: [`Mailchimp API key for data center ${/-(us\d{1,2})$/.exec(s)![1]}`] }),
  ],
  [/^NRAK-/, () => ({ facts: ['New Relic user API key: its user’s rights'] })],
  [
    /^NRII-|^NRJS-|^NRIQ-/,
    (s) => ({
      weaker: 'ingest or query key',
      facts: [s.startsWith('NRIQ') ? 'New Relic query key: read-only' : 'New Relic ingest key: can only send data'],
    }),
  ],
  [/^[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,40}$/, discordFacts],
  [
    /^\d{5,16}:[A-Za-z0-9_-]{35}$/,
    (s) => ({ identity: `bot ${s.split(':')[0]}`, facts: [`Telegram bot token for bot id ${s.split(':')[0]}`] }),
  ],
];

const PROVIDER_FACTS: Record<string, FactFn> = {
  okta: () => ({ facts: ['Okta API token: its creator’s admin role; not looked up by default (any call renews it)'] }),
  datadog: (s) => ({
    facts: [
      s.length === 40
        ? 'Datadog application key: acts as its owner (with an API key)'
        : 'Datadog API key: submits metrics, logs and events (data injection), reads nothing alone',
    ],
  }),
  azure: (s) =>
    s.length >= 86 && s.endsWith('==')
      ? {
          grants: [g('azure storage account (all services)', 'admin')],
          expiresAt: null,
          facts: ['Azure storage account key: full control of the account; never expires'],
          granular: { ok: false, why: 'account key where Entra RBAC or a user-delegation SAS exists' },
        }
      : { facts: [] },
  entra: () => ({ facts: ['Entra ID client secret: app-only access with the app’s application permissions'] }),
  docker: (s) => {
    // A Docker config's "auth": base64("user:password"), sent as HTTP basic auth to its registry.
    const basic = basicAuthParts(s);
    if (!basic) return { facts: [] };
    return { identity: basic.user, facts: [`registry user ${basic.user} (decoded from the base64 auth entry)`] };
  },
};

// --- GitLab routable tokens -------------------------------------------------------------------

const GITLAB_KEYS: Record<string, string> = {
  o: 'organization',
  u: 'user',
  g: 'group',
  p: 'project',
  c: 'cell',
  t: 'type',
};

export function gitlabFacts(s: string): OfflineFacts {
  const m = /^(glpat-)([A-Za-z0-9_-]{27,300})\.([0-9a-z]{2})([0-9a-z]{7})$/.exec(s);
  if (!m) return { facts: ['GitLab personal, project or group access token (legacy format: no embedded ids)'] };
  const [, prefix, payload, len, crc] = m as unknown as [string, string, string, string, string];
  const facts: string[] = [];
  const lengthOk = parseInt(len, 36) === payload.length;
  const crcOk = crc32(`${prefix}${payload}.${len}`).toString(36).padStart(7, '0') === crc;
  facts.push(
    lengthOk && crcOk
      ? 'routable token: length and CRC32 valid'
      : 'routable token: length or CRC32 does not match (probably not a real token)',
  );
  // payload = routing lines + random bytes + one byte holding the random length.
  const bytes = Buffer.from(payload, 'base64url');
  const randomLength = bytes[bytes.length - 1] ?? 0;
  const text = bytes.subarray(0, Math.max(0, bytes.length - 1 - randomLength)).toString('latin1');
  const ids: string[] = [];
  for (const line of text.split('\n')) {
    const kv = /^([cgoput]):([0-9a-z]{1,20})$/.exec(line);
    if (kv) ids.push(`${GITLAB_KEYS[kv[1]!]} ${parseInt(kv[2]!, 36)}`);
  }
  if (ids.length) facts.push(`embedded ids: ${ids.join(', ')}`);
  const user = ids.find((i) => i.startsWith('user '));
  return { facts, identity: user };
}

// --- JWT --------------------------------------------------------------------------------------

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const ADMIN_WORD =
  /(^|[^a-z])(admin|owner|root|superuser|sudo|manage|full|all|\*)([^a-z]|$)|service_role|ReadWrite\.All|RoleManagement|Directory\.ReadWrite/i;
const WRITE_WORD = /write|create|update|delete|edit|post|send|push|publish|upload|modify/i;

/** Generic scope-name mapping for claims whose vocabulary is not one provider's. */
export function accessOfName(name: string): Access {
  if (ADMIN_WORD.test(name)) return 'admin';
  if (WRITE_WORD.test(name)) return 'write';
  return 'read';
}

function list(v: unknown): string[] {
  if (typeof v === 'string') return v.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(v))
    return v.filter((x): x is string | number => typeof x === 'string' || typeof x === 'number').map(String);
  return [];
}

const iso = (sec: number) => new Date(sec * 1000).toISOString();

export function jwtFacts(token: string, now = Date.now()): OfflineFacts {
  const [h, p] = token.split('.');
  const header = decodeJson(h ?? '');
  const claims = decodeJson(p ?? '');
  if (!header || !claims) return { facts: ['JWT-shaped string whose header or claims do not decode'] };
  const facts: string[] = [];
  const alg = typeof header.alg === 'string' ? header.alg : '?';
  facts.push(
    `JWT alg ${alg}${header.kid ? ', kid present' : ''}${alg === 'none' ? ' (unsigned: accepted only by broken verifiers)' : alg.startsWith('HS') ? ' (shared secret: cannot be verified offline)' : ''}`,
  );
  const out: OfflineFacts = { facts };
  for (const k of ['iss', 'sub', 'aud', 'azp'] as const) {
    const v = claims[k];
    if (typeof v === 'string' || Array.isArray(v)) facts.push(`${k}: ${list(v).join(', ').slice(0, 200)}`);
  }
  if (typeof claims.iat === 'number') facts.push(`issued ${iso(claims.iat)}`);
  if (typeof claims.exp === 'number') {
    out.expiresAt = iso(claims.exp);
    if (claims.exp * 1000 < now) {
      out.expired = true;
      facts.push(`expired ${iso(claims.exp)} (per its exp claim)`);
    } else facts.push(`expires ${iso(claims.exp)}`);
  } else {
    out.expiresAt = null;
    facts.push('no exp claim: never expires');
  }
  const grants: Grant[] = [];
  const scopes = [...list(claims.scope), ...list(claims.scp)];
  if (scopes.length) facts.push(`scopes: ${scopes.join(' ').slice(0, 300)}`);
  for (const s of scopes) grants.push(g(s, accessOfName(s)));
  const roles = list(claims.roles);
  if (roles.length) facts.push(`roles: ${roles.join(', ').slice(0, 300)}`);
  for (const r of roles) grants.push(g(r, accessOfName(r)));
  const wids = list(claims.wids);
  if (wids.length) {
    facts.push(`Entra directory roles (wids): ${wids.length}`);
    grants.push(g('Entra directory roles', 'admin'));
  }
  if (claims.role === 'service_role') {
    out.stronger = 'Supabase service_role';
    grants.push(g('supabase database (bypasses row-level security)', 'admin'));
    facts.push('Supabase service_role key: bypasses row-level security');
  } else if (claims.role === 'anon') {
    out.weaker = 'Supabase anon key: public by design';
    facts.push('Supabase anon key: public by design; row-level security applies');
  } else if (typeof claims.role === 'string') {
    grants.push(g(claims.role, accessOfName(claims.role)));
    facts.push(`role: ${claims.role}`);
  }
  if (grants.length) out.grants = grants;
  return out;
}

// --- Azure SAS --------------------------------------------------------------------------------

const SAS_SERVICES: Record<string, string> = { b: 'blob', f: 'file', q: 'queue', t: 'table' };
const SAS_TYPES: Record<string, string> = { s: 'service', c: 'container', o: 'object' };
const SAS_PERMS: Record<string, [string, Access]> = {
  r: ['read', 'read'],
  l: ['list', 'read'],
  f: ['filter', 'read'],
  w: ['write', 'write'],
  a: ['add', 'write'],
  c: ['create', 'write'],
  u: ['update', 'write'],
  p: ['process', 'write'],
  t: ['tag', 'write'],
  i: ['set immutability', 'write'],
  m: ['move', 'write'],
  e: ['execute', 'write'],
  d: ['delete', 'admin'],
  x: ['delete version', 'admin'],
  y: ['permanent delete', 'admin'],
  o: ['change owner', 'admin'],
};

export function sasFacts(s: string, now = Date.now()): OfflineFacts {
  const query = s.includes('?') ? s.slice(s.indexOf('?') + 1) : s;
  const q = new URLSearchParams(query.replace(/^[;&]+/, ''));
  const facts: string[] = ['Azure shared access signature'];
  const out: OfflineFacts = { facts };
  const host = /^https?:\/\/([a-z0-9-]+)\.(blob|file|queue|table|dfs)\.core\.windows\.net/i.exec(s);
  if (host) out.identity = `storage account ${host[1]}`;
  const resource = host ? `${host[2]} in ${host[1]}` : 'storage';
  const sp = q.get('sp') ?? '';
  const perms = [...sp].map((c) => SAS_PERMS[c]).filter((x): x is [string, Access] => Boolean(x));
  if (sp) facts.push(`permissions (sp=${sp}): ${perms.map((p) => p[0]).join(', ') || 'none known'}`);
  out.grants = perms.map(([name, access]) => g(`${resource}: ${name}`, access));
  const ss = q.get('ss');
  if (ss) facts.push(`services: ${[...ss].map((c) => SAS_SERVICES[c] ?? c).join(', ')} (account SAS)`);
  const srt = q.get('srt');
  if (srt) facts.push(`resource types: ${[...srt].map((c) => SAS_TYPES[c] ?? c).join(', ')}`);
  const sr = q.get('sr');
  if (sr) facts.push(`signed resource: ${sr}`);
  const st = q.get('st');
  if (st) facts.push(`valid from ${st}`);
  const se = q.get('se');
  if (se) {
    const t = Date.parse(se);
    out.expiresAt = Number.isNaN(t) ? se : new Date(t).toISOString();
    if (!Number.isNaN(t) && t < now) {
      out.expired = true;
      facts.push(`expired ${se}`);
    } else facts.push(`expires ${se}`);
  } else if (!q.get('si')) {
    out.expiresAt = null;
    facts.push('no expiry (se) and no stored access policy');
  }
  if (q.get('si')) facts.push('bound to a stored access policy (revocable by deleting the policy)');
  const sip = q.get('sip');
  facts.push(sip ? `limited to IP addresses ${sip}` : 'usable from any IP address');
  if (q.get('spr') === 'https') facts.push('HTTPS only');
  if (q.get('skoid')) facts.push('user-delegation SAS (signed with an Entra ID key)');
  return out;
}

// --- PyPI macaroons ---------------------------------------------------------------------------

/** Caveat identifiers of a libmacaroons v2 binary macaroon; undefined when it is not one. */
export function macaroonCaveats(bytes: Buffer): string[] | undefined {
  if (bytes[0] !== 2) return undefined;
  let pos = 1;
  const varint = (): number => {
    let v = 0;
    let shift = 0;
    for (;;) {
      if (pos >= bytes.length) throw new Error('truncated');
      const b = bytes[pos++]!;
      v += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return v;
      shift += 7;
    }
  };
  const section = (): Array<[number, Buffer]> => {
    const fields: Array<[number, Buffer]> = [];
    for (;;) {
      const tag = varint();
      if (tag === 0) return fields;
      const len = varint();
      if (pos + len > bytes.length) throw new Error('truncated');
      fields.push([tag, bytes.subarray(pos, pos + len)]);
      pos += len;
    }
  };
  try {
    section(); // location, identifier
    const caveats: string[] = [];
    for (;;) {
      const fields = section();
      if (fields.length === 0) break;
      const id = fields.find(([t]) => t === 2);
      if (id) caveats.push(id[1].toString('utf8'));
    }
    return caveats;
  } catch {
    return undefined;
  }
}

export function pypiFacts(s: string, now = Date.now()): OfflineFacts {
  const bytes = Buffer.from(s.slice('pypi-'.length), 'base64url');
  const caveats = macaroonCaveats(bytes);
  if (!caveats) return { facts: ['PyPI API token whose macaroon does not decode'] };
  const facts: string[] = [
    `PyPI API token (macaroon with ${caveats.length} caveat${caveats.length === 1 ? '' : 's'})`,
  ];
  const out: OfflineFacts = { facts, expiresAt: null };
  let projects: string[] | undefined;
  let userWide = false;
  for (const raw of caveats) {
    let c: unknown;
    try {
      c = JSON.parse(raw);
    } catch {
      continue;
    }
    if (Array.isArray(c)) {
      const [kind, a, b] = c as [number, unknown, unknown];
      if (kind === 0 && typeof a === 'number') {
        out.expiresAt = iso(a);
        if (a * 1000 < now) out.expired = true;
        facts.push(
          `${a * 1000 < now ? 'expired' : 'expires'} ${iso(a)}${typeof b === 'number' ? `, not before ${iso(b)}` : ''}`,
        );
      } else if (kind === 1 && Array.isArray(a)) projects = [...(projects ?? []), ...a.map(String)];
      else if (kind === 2 && Array.isArray(a)) facts.push(`limited to ${a.length} project id(s)`), (projects ??= []);
      else if (kind === 3) facts.push('bound to one user id');
      else if (kind === 4) facts.push('minted by Trusted Publishing (OIDC)');
    } else if (c && typeof c === 'object') {
      const o = c as { permissions?: unknown; exp?: unknown; expiry?: unknown };
      if (o.permissions === 'user') userWide = true;
      else if (o.permissions && typeof o.permissions === 'object')
        projects = [...(projects ?? []), ...list((o.permissions as { projects?: unknown }).projects)];
      const exp = typeof o.exp === 'number' ? o.exp : typeof o.expiry === 'number' ? o.expiry : undefined;
      if (exp !== undefined) {
        out.expiresAt = iso(exp);
        if (exp * 1000 < now) out.expired = true;
        facts.push(`${exp * 1000 < now ? 'expired' : 'expires'} ${iso(exp)}`);
      }
    }
  }
  if (projects) {
    facts.push(`upload to project(s): ${projects.join(', ') || '(by id)'}`);
    out.grants = (projects.length ? projects : ['listed project ids']).map((p) => g(`pypi project ${p}`, 'write'));
    out.granular = { ok: true, why: 'project-scoped token' };
  } else {
    facts.push(
      userWide ? 'user-wide: can upload to every project of its user' : 'no project caveat: every project of its user',
    );
    out.grants = [g('every PyPI project of the user', 'admin')];
    out.granular = { ok: false, why: 'user-wide token where a project token exists' };
  }
  if (out.expiresAt === null) facts.push('no expiry caveat: never expires');
  return out;
}

// --- AWS --------------------------------------------------------------------------------------

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The 12-digit account id encoded in a newer access key id (not AKIAI…/AKIAJ…). */
export function awsAccountId(keyId: string): string | undefined {
  if (!/^[A-Z]{4}[A-Z2-7]{16}$/.test(keyId) || /^A[KS]IA[IJ]/.test(keyId)) return undefined;
  let bits = 0n;
  for (const ch of keyId.slice(4)) bits = (bits << 5n) | BigInt(B32.indexOf(ch));
  const first6 = bits >> (80n - 48n); // 16 chars = 80 bits; the first 6 bytes
  const account = (first6 & 0x7fffffffff80n) >> 7n;
  return account.toString().padStart(12, '0');
}

/**
 * AWS accounts that issue canary keys (facts as listed in TruffleHog's AWS detector, canary.go):
 * canarytokens.org by Thinkst, then services modelled on it.
 */
const AWS_CANARY_ACCOUNTS: ReadonlyMap<string, string> = new Map([
  ...[
    '052310077262',
    '171436882533',
    '266735846894',
    '534261010715',
    '595918472158',
    '717712589309',
    '730335385048',
    '819147034852',
    '893192397702',
    '992382622183',
  ].map((a) => [a, 'canarytokens.org (Thinkst)'] as const),
  ...[
    '044858866125',
    '251535659677',
    '344043088457',
    '351906852752',
    '390477818340',
    '426127672474',
    '427150556519',
    '439872796651',
    '445142720921',
    '465867158099',
    '637958123769',
    '693412236332',
    '732624840810',
    '735421457923',
    '959235150393',
    '982842642351',
  ].map((a) => [a, 'a canary service modelled on canarytokens.org'] as const),
]);

/** The canary service behind an AWS key id, when its account is a known canary account. */
export function awsCanary(keyId: string): string | undefined {
  const account = awsAccountId(keyId);
  return account ? AWS_CANARY_ACCOUNTS.get(account) : undefined;
}

export function awsKeyIdFacts(s: string): OfflineFacts {
  const temp = s.startsWith('ASIA');
  const facts = [
    temp
      ? 'temporary (STS) access key: expires with its session (needs the session token)'
      : 'long-term access key: never expires until deleted',
  ];
  const account = awsAccountId(s);
  if (account) facts.push(`AWS account ${account} (decoded from the key id)`);
  else facts.push('older key id format: account not encoded');
  const canary = awsCanary(s);
  if (canary)
    facts.push(
      `canary token: someone planted this to detect scanners; do not use (account ${account} belongs to ${canary})`,
    );
  return {
    facts,
    identity: account ? `aws account ${account}` : undefined,
    expiresAt: temp ? undefined : null,
    granular: temp
      ? { ok: true, why: 'temporary role credentials' }
      : { ok: false, why: 'long-term IAM user key where roles or OIDC exist' },
    canary,
  };
}

// --- Private keys -----------------------------------------------------------------------------

export function privateKeyFacts(s: string): OfflineFacts {
  const facts: string[] = [];
  const out: OfflineFacts = { facts, expiresAt: null };
  const label = /-----BEGIN ([A-Z0-9 ]+?)-----/.exec(s)?.[1] ?? (s.startsWith('PuTTY') ? 'PuTTY' : 'PRIVATE KEY');
  let encrypted = /ENCRYPTED/.test(label) || /Proc-Type:\s*4,ENCRYPTED/.test(s);
  let algorithm: string | undefined;
  let bits: number | undefined;
  let fp: string | undefined;
  if (label === 'OPENSSH PRIVATE KEY') {
    const o = parseOpenSsh(s);
    if (o) ({ algorithm, bits, encrypted, fingerprint: fp } = o);
  } else if (label.startsWith('PuTTY')) {
    algorithm = /^PuTTY-User-Key-File-\d+:\s*(\S+)/.exec(s)?.[1];
    encrypted = !/^Encryption:\s*none/m.test(s);
  } else if (label.includes('PGP')) {
    algorithm = 'PGP';
  } else if (!encrypted) {
    try {
      const key = createPrivateKey({ key: s, format: 'pem' });
      algorithm = key.asymmetricKeyType;
      const d = key.asymmetricKeyDetails;
      bits = d?.modulusLength;
      if (d?.namedCurve) algorithm += ` ${d.namedCurve}`;
      const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
      fp = `SHA256:${createHash('sha256').update(spki).digest('base64').replace(/=+$/, '')}`;
    } catch {
      facts.push('PEM body does not parse as a key');
    }
  }
  if (!algorithm) algorithm = /^(RSA|EC|DSA)\b/.exec(label)?.[1] ?? undefined;
  facts.push(`private key${algorithm ? ` (${algorithm}${bits ? `, ${bits} bits` : ''})` : ''}: ${label}`);
  if (fp) facts.push(`public key fingerprint ${fp}`);
  if (encrypted) {
    facts.push('encrypted with a passphrase: useless without it (still rotate)');
    out.weaker = 'encrypted private key';
  } else facts.push('not encrypted: usable as is');
  if (bits && bits < 2048 && algorithm?.startsWith('rsa')) facts.push(`weak key size: ${bits} bits`);
  return out;
}

/** Reads SSH wire-format strings (uint32 length + bytes) one after another; `fixed` reads that many bytes. */
function sshStrings(buf: Buffer, start: number): (fixed?: number) => Buffer {
  let pos = start;
  return (fixed) => {
    const len = fixed ?? buf.readUInt32BE(pos);
    if (fixed === undefined) pos += 4;
    const v = buf.subarray(pos, pos + len);
    pos += len;
    return v;
  };
}

function parseOpenSsh(
  pem: string,
): { algorithm?: string; bits?: number; encrypted: boolean; fingerprint?: string } | undefined {
  const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const buf = Buffer.from(body, 'base64');
  const magic = 'openssh-key-v1\0';
  if (buf.subarray(0, magic.length).toString('latin1') !== magic) return undefined;
  try {
    const str = sshStrings(buf, magic.length);
    const cipher = str().toString();
    str(); // kdf name
    str(); // kdf options
    str(4); // number of keys
    const pub = str();
    const pstr = sshStrings(pub, 0);
    const algorithm = pstr().toString();
    let bits: number | undefined;
    if (algorithm === 'ssh-rsa') {
      pstr(); // e
      const n = pstr();
      bits = (n.length - (n[0] === 0 ? 1 : 0)) * 8;
    } else if (algorithm === 'ssh-ed25519') bits = 256;
    const fingerprint = `SHA256:${createHash('sha256').update(pub).digest('base64').replace(/=+$/, '')}`;
    return { algorithm, bits, encrypted: cipher !== 'none', fingerprint };
  } catch {
    return undefined;
  }
}

// --- Connection strings and URLs with credentials ---------------------------------------------

const SUPERUSERS = new Set([
  'postgres',
  'root',
  'sa',
  'admin',
  'doadmin',
  'administrator',
  'rdsadmin',
  'azure_superuser',
  'mysql',
  'system',
  'sys',
]);
const PROD_HOST =
  /\.rds\.amazonaws\.com$|\.mongodb\.net$|\.database\.windows\.net$|\.redis\.cache\.windows\.net$|\.db\.ondigitalocean\.com$|\.supabase\.co$|\.neon\.tech$|\.cloudsql|\.postgres\.database\.azure\.com$|(^|[.-])prod(uction)?([.-]|$)/i;
const LOCAL_HOST =
  /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\]|0\.0\.0\.0|db|postgres|mysql|redis|mongo|host\.docker\.internal)$|\.local$|\.test$|\.example(\.com)?$/i;

export function uriFacts(s: string): OfflineFacts {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^\s:/@]*):([^\s@]*)@([^\s/?#:,]+)(?::(\d+))?([^\s]*)/i.exec(s);
  if (!m) return { facts: ['URL with credentials'] };
  const [, scheme, user, , host] = m as unknown as [string, string, string, string, string];
  const rest = m[6] ?? '';
  const facts: string[] = [];
  const out: OfflineFacts = { facts, expiresAt: null };
  const decodedUser = safeDecode(user);
  const isDb =
    /^(postgres(ql)?|mysql|mariadb|mongodb(\+srv)?|redis|rediss|amqps?|mssql|sqlserver|jdbc:.*|clickhouse|cockroachdb)$/i.test(
      scheme,
    );
  facts.push(`${isDb ? 'database' : scheme} credentials for user "${decodedUser}" on host ${host}`);
  out.identity = `${decodedUser}@${host}`;
  const admin = SUPERUSERS.has(decodedUser.toLowerCase()) || /authSource=admin/i.test(rest);
  if (admin) facts.push(`"${decodedUser}" is a superuser/admin account name`);
  out.grants = [g(isDb ? `database on ${host}` : host, admin ? 'admin' : isDb ? 'write' : 'write')];
  if (LOCAL_HOST.test(host)) {
    out.environment = 'test';
    facts.push('host is local or an example: likely a development credential');
  } else if (PROD_HOST.test(host)) {
    out.environment = 'production';
    facts.push('host looks like a production or managed cloud database');
  }
  if (/^(rediss|amqps)$/i.test(scheme) || /sslmode=(require|verify-ca|verify-full)|tls=true|ssl=true/i.test(rest))
    facts.push('TLS required');
  else if (scheme === 'http') facts.push('plain http: the credentials travel in cleartext');
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// --- JSON-bearing tokens ----------------------------------------------------------------------

function gcpFacts(s: string): OfflineFacts {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(s.replace(/^"|"$/g, '')) as Record<string, unknown>;
  } catch {
    return { facts: ['GCP service account key (JSON does not parse)'] };
  }
  const email = typeof j.client_email === 'string' ? j.client_email : undefined;
  const facts = [
    `GCP service account key${typeof j.project_id === 'string' ? ` for project ${j.project_id}` : ''}: never expires until deleted`,
  ];
  const out: OfflineFacts = {
    facts,
    identity: email,
    expiresAt: null,
    granular: { ok: false, why: 'a long-lived key where impersonation or Workload Identity Federation exist' },
  };
  if (email && /-compute@developer\.gserviceaccount\.com$|@appspot\.gserviceaccount\.com$/.test(email)) {
    facts.push('default service account: typically holds Editor on the project');
    out.grants = [g(`gcp project ${String(j.project_id ?? '')}`, 'admin')];
  }
  return out;
}

function sentryFacts(s: string): OfflineFacts {
  const parts = s.split('_');
  const j =
    parts.length === 3 ? decodeJson(parts[1]!.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')) : undefined;
  if (!j) return { facts: ['Sentry organization token (payload does not decode)'] };
  const facts = ['Sentry organization auth token (CI: releases and source maps)'];
  if (typeof j.org === 'string') facts.push(`organization ${j.org}`);
  if (typeof j.url === 'string')
    facts.push(
      /^https:\/\/([a-z0-9-]+\.)*sentry\.io\/?$/.test(j.url)
        ? `Sentry SaaS (${j.url})`
        : `self-hosted Sentry at ${j.url}`,
    );
  if (typeof j.region_url === 'string') facts.push(`region ${j.region_url}`);
  if (typeof j.iat === 'number') facts.push(`issued ${iso(j.iat)}`);
  return {
    facts,
    identity: typeof j.org === 'string' ? `org ${j.org}` : undefined,
    granular: { ok: true, why: 'organization token' },
  };
}

function grafanaCloudFacts(s: string): OfflineFacts {
  const j = decodeJson(s.slice(4).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
  if (!j) return { facts: ['Grafana Cloud access policy token (payload does not decode)'] };
  const facts = ['Grafana Cloud access policy token'];
  const name = typeof j.n === 'string' ? j.n : undefined;
  if (j.o !== undefined) facts.push(`organization id ${String(j.o)}`);
  if (name)
    facts.push(
      `token name ${name}${/write/.test(name) ? ' (suggests write access)' : /read/.test(name) ? ' (suggests read access)' : ''}`,
    );
  const region = (j.m as { r?: unknown } | undefined)?.r;
  if (typeof region === 'string') facts.push(`region ${region}`);
  return { facts, identity: j.o !== undefined ? `grafana cloud org ${String(j.o)}` : undefined };
}

function dopplerFacts(s: string): OfflineFacts {
  const kind = s.split('.')[1];
  const map: Record<string, [string, Access | undefined, boolean | undefined]> = {
    pt: ['personal token: read/write on every workplace resource of its user', 'admin', false],
    ct: ['CLI token: read/write on every workplace resource of its user', 'admin', false],
    st: ['service token: one config', undefined, true],
    sa: ['service account token: granular roles', undefined, true],
    scim: ['SCIM token: manages users and groups', 'admin', undefined],
    audit: ['audit token: reads the workplace audit log', 'read', undefined],
  };
  const [text, access, granular] = map[kind ?? ''] ?? ['token', undefined, undefined];
  const out: OfflineFacts = { facts: [`Doppler ${text}`] };
  if (access) out.grants = [g(`doppler ${kind === 'scim' ? 'users and groups' : 'workplace'}`, access)];
  if (granular !== undefined) out.granular = { ok: granular, why: `Doppler ${kind} token` };
  if (/^dp\.st\.(prd|prod|production)\./.test(s)) {
    out.environment = 'production';
    out.facts.push('service token for a production config (naming convention)');
  } else if (/^dp\.st\.(dev|stg|staging|test)\./.test(s)) out.environment = 'test';
  return out;
}

function discordFacts(s: string): OfflineFacts {
  const first = s.split('.')[0]!;
  const id = Buffer.from(first, 'base64url').toString('utf8');
  if (!/^\d{15,21}$/.test(id)) return { facts: [] };
  return { identity: `bot ${id}`, facts: [`Discord bot token for bot id ${id}`] };
}
