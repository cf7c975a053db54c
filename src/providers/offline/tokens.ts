// Facts decoded from structured tokens: GitLab routable tokens, JWTs, Azure SAS, PyPI macaroons,
// and JSON-bearing tokens (GCP key files, Sentry, Grafana Cloud, Doppler, Discord).

import { crc32 } from '../../detect/checksum.js';
import type { Access, Grant } from '../../types.js';
import { g, type OfflineFacts } from './types.js';

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

const ADMIN_WORD = new RegExp(
  '(^|[^a-z])(admin|owner|root|superuser|sudo|manage|' +
    String.raw`full|all|\*)([^a-z]|$)|service_role|ReadWrite\.All|` +
    String.raw`RoleManagement|Directory\.ReadWrite`,
  'i',
);
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
  const kid = header.kid ? ', kid present' : '';
  const algNote =
    alg === 'none'
      ? ' (unsigned: accepted only by broken verifiers)'
      : alg.startsWith('HS')
        ? ' (shared secret: cannot be verified offline)'
        : '';
  facts.push(`JWT alg ${alg}${kid}${algNote}`);
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
          `${a * 1000 < now ? 'expired' : 'expires'} ` +
            `${iso(a)}${typeof b === 'number' ? `, not before ${iso(b)}` : ''}`,
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

// --- JSON-bearing tokens ----------------------------------------------------------------------

export function gcpFacts(s: string): OfflineFacts {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(s.replace(/^"|"$/g, '')) as Record<string, unknown>;
  } catch {
    return { facts: ['GCP service account key (JSON does not parse)'] };
  }
  const email = typeof j.client_email === 'string' ? j.client_email : undefined;
  const facts = [
    `GCP service account key${typeof j.project_id === 'string' ? ` for project ${j.project_id}` : ''}: never ` +
      `expires until deleted`,
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

export function sentryFacts(s: string): OfflineFacts {
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

export function grafanaCloudFacts(s: string): OfflineFacts {
  const j = decodeJson(s.slice(4).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
  if (!j) return { facts: ['Grafana Cloud access policy token (payload does not decode)'] };
  const facts = ['Grafana Cloud access policy token'];
  const name = typeof j.n === 'string' ? j.n : undefined;
  if (j.o !== undefined) facts.push(`organization id ${String(j.o)}`);
  if (name) {
    const access = /write/.test(name)
      ? ' (suggests write access)'
      : /read/.test(name)
        ? ' (suggests read access)'
        : '';
    facts.push(`token name ${name}${access}`);
  }
  const region = (j.m as { r?: unknown } | undefined)?.r;
  if (typeof region === 'string') facts.push(`region ${region}`);
  return { facts, identity: j.o !== undefined ? `grafana cloud org ${String(j.o)}` : undefined };
}

export function dopplerFacts(s: string): OfflineFacts {
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

export function discordFacts(s: string): OfflineFacts {
  const first = s.split('.')[0]!;
  const id = Buffer.from(first, 'base64url').toString('utf8');
  if (!/^\d{15,21}$/.test(id)) return { facts: [] };
  return { identity: `bot ${id}`, facts: [`Discord bot token for bot id ${id}`] };
}
