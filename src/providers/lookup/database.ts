// Database credentials (--deep-lookup only: it connects to the database). One connection with a
// short timeout, a read-only session, and nothing but the privilege queries: Postgres pg_roles and
// has_*_privilege, MySQL/MariaDB SHOW GRANTS, Redis ACL WHOAMI / ACL GETUSER. A host that resolves
// to a loopback or private address is refused unless --lookup-private-hosts: the scanning machine's
// own network is not the leak's blast radius. Drivers load only when a lookup needs them.

import { BlockList, isIP } from 'node:net';
import { lookup as resolve } from 'node:dns/promises';
import type { Access, Grant } from '../../types.js';
import type { LookupContext, LookupOutcome } from './types.js';

export interface DatabaseTarget {
  readonly scheme: 'postgres' | 'mysql' | 'redis' | 'mongodb';
  readonly tls: boolean;
  readonly user: string;
  readonly host: string;
  readonly port: number;
  readonly database?: string;
  /** MongoDB: every host of the seed list ("h1:27017,h2"), a +srv name, and the URI's options. */
  readonly mongo?: { readonly hosts: readonly string[]; readonly srv: boolean; readonly params: string };
}

const TIMEOUT_MS = 5000;
const URI = new RegExp(
  String.raw`\b(postgres(?:ql)?|mysql|mariadb|rediss?)(?:\+[a-z0-9]+)?:\/\/([^:/@\s]*):([^@` +
    String.raw`]*?)@(\[[0-9a-f:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?(\/[^\s?#"'<>]*)?(\?[^\s"` +
    "'<>]*)?",
  'gi',
);
/** MongoDB seed lists hold several hosts ("h1:27017,h2"); +srv names one SRV record. */
const MONGO_URI =
  /\bmongodb(\+srv)?:\/\/([^:/@\s]*):([^@]*?)@([A-Za-z0-9._,:[\]-]+)(\/[^\s?#"'<>]*)?(\?[^\s"'<>]*)?/gi;

function parseTargets(text: string): Array<{ target: DatabaseTarget; password: string }> {
  const out: Array<{ target: DatabaseTarget; password: string; at: number }> = [];
  for (const mg of text.matchAll(MONGO_URI)) {
    const hosts = mg[4]!.split(',').filter(Boolean);
    const params = new URLSearchParams((mg[6] ?? '').slice(1));
    const [host, port] = hosts[0]!.split(':');
    const target: DatabaseTarget = {
      scheme: 'mongodb',
      tls: Boolean(mg[1]) || params.get('tls') === 'true' || params.get('ssl') === 'true',
      user: safeDecode(mg[2]!),
      host: host!,
      port: Number(port ?? 27017),
      database: safeDecode((mg[5] ?? '').slice(1)) || undefined,
      mongo: { hosts, srv: Boolean(mg[1]), params: params.toString() },
    };
    out.push({ target, password: mg[3]!, at: mg.index });
  }
  for (const m of text.matchAll(URI)) {
    const raw = m[1]!.toLowerCase();
    const scheme = raw.startsWith('postgres') ? 'postgres' : raw.startsWith('redis') ? 'redis' : 'mysql';
    const params = new URLSearchParams((m[7] ?? '').slice(1));
    const target: DatabaseTarget = {
      scheme,
      tls:
        raw === 'rediss' ||
        /^(require|verify-ca|verify-full)$/.test(params.get('sslmode') ?? '') ||
        params.get('ssl') === 'true' ||
        params.get('tls') === 'true',
      user: safeDecode(m[2]!),
      host: m[4]!.replace(/^\[|\]$/g, ''),
      port: Number(m[5] ?? (scheme === 'postgres' ? 5432 : scheme === 'redis' ? 6379 : 3306)),
      database: scheme === 'redis' ? undefined : safeDecode((m[6] ?? '').slice(1)) || undefined,
    };
    out.push({ target, password: m[3]!, at: m.index });
  }
  return out.sort((x, y) => x.at - y.at);
}

const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/**
 * The URI the password was written in: the one around the lines that holds this very password,
 * else the first in the finding's own (redacted) excerpt.
 */
export function databaseTarget(ctx: Pick<LookupContext, 'context' | 'secret'>): DatabaseTarget | undefined {
  const all = ctx.context.map(parseTargets);
  const own = all.flat().find((c) => c.password === ctx.secret || safeDecode(c.password) === ctx.secret);
  return own?.target ?? all[0]?.[0]?.target;
}

const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::1', 128],
  ['::', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv6');

/** Loopback, private, link-local or shared (CGNAT) addresses, IPv4-mapped ones included. */
export function isPrivateAddress(address: string): boolean {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (v4) return PRIVATE.check(v4, 'ipv4');
  return PRIVATE.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

type Privileges = { grants: Grant[]; facts: string[]; identity: string };
type Verdict = { dead: string } | { unknown: string } | Privileges;

export async function lookupDatabase(ctx: LookupContext, privateHosts: boolean): Promise<LookupOutcome> {
  const target = databaseTarget(ctx);
  if (!target)
    return {
      status: 'not-checked',
      facts: ['not looked up: a Postgres, MySQL/MariaDB, MongoDB or Redis URI was not found around the password'],
    };
  // Resolve once and connect to that address, so a second answer cannot point elsewhere (MongoDB
  // checks every host of its seed list, or of its SRV record, and lets the driver connect).
  let addresses: string[];
  try {
    addresses = await addressesOf(target);
  } catch {
    return { status: 'unknown', facts: [`not looked up: ${target.host} does not resolve`] };
  }
  if (addresses.some(isPrivateAddress) && !privateHosts)
    return {
      status: 'not-checked',
      facts: [`not looked up: ${target.host} is a loopback or private address (--lookup-private-hosts to allow)`],
    };
  const address = addresses[0]!;
  const at = `${target.scheme} ${target.user}@${target.host}:${target.port}`;
  let verdict: Verdict;
  try {
    // A URI percent-encodes what the server sees decoded.
    const password = safeDecode(ctx.secret);
    verdict =
      target.scheme === 'postgres'
        ? await postgres(target, address, password)
        : target.scheme === 'mysql'
          ? await mysql(target, address, password)
          : target.scheme === 'redis'
            ? await redis(target, address, password)
            : await mongodb(target, password);
  } catch (err) {
    return {
      status: 'unknown',
      facts: [
        `${at}: ${String((err as Error)?.message ?? err)
          .replaceAll(ctx.secret, '[secret]')
          .slice(0, 160)}`,
      ],
    };
  }
  if ('dead' in verdict) return { status: 'revoked', facts: [`${at}: ${verdict.dead}`] };
  if ('unknown' in verdict) return { status: 'unknown', facts: [`${at}: ${verdict.unknown}`] };
  return {
    status: 'live',
    identity: verdict.identity,
    grants: verdict.grants,
    reached: verdict.grants,
    expiresAt: null,
    facts: [`connected to ${at}: privilege queries only`, ...verdict.facts],
  };
}

async function addressesOf(t: DatabaseTarget): Promise<string[]> {
  const one = async (host: string) => (isIP(host) ? host : (await resolve(host, { verbatim: true })).address);
  if (!t.mongo) return [await one(t.host)];
  if (t.mongo.srv) {
    const { resolveSrv } = await import('node:dns/promises');
    return Promise.all((await resolveSrv(`_mongodb._tcp.${t.host}`)).map((r) => one(r.name)));
  }
  return Promise.all(t.mongo.hosts.map((h) => one(h.replace(/:\d+$/, '').replace(/^\[|\]$/g, ''))));
}

// --- Postgres -------------------------------------------------------------------------------------

async function postgres(t: DatabaseTarget, address: string, password: string): Promise<Verdict> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({
    host: address,
    port: t.port,
    user: t.user,
    password,
    database: t.database ?? t.user,
    ssl: t.tls ? { servername: isIP(t.host) ? undefined : t.host, rejectUnauthorized: false } : false,
    connectionTimeoutMillis: TIMEOUT_MS,
    query_timeout: TIMEOUT_MS,
    // Every statement of this session is read-only, whatever the role may do.
    options: `-c default_transaction_read_only=on -c statement_timeout=${TIMEOUT_MS}`,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    const code = (err as { code?: string }).code;
    // 28P01 invalid_password: the server matched the role and refused the password.
    if (code === '28P01') return { dead: 'password authentication failed (28P01)' };
    return { unknown: `connection refused${code ? ` (${code})` : ''}: not a verdict on the password` };
  }
  try {
    const role = (
      await client.query(
        'SELECT current_user AS name, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE ' +
          'rolname = current_user',
      )
    ).rows[0] as Record<string, unknown>;
    const dbs = (
      await client.query(
        "SELECT datname, has_database_privilege(datname, 'CREATE') AS can_create FROM pg_database WHERE NOT " +
          "datistemplate AND has_database_privilege(datname, 'CONNECT') ORDER BY datname",
      )
    ).rows as Array<{ datname: string; can_create: boolean }>;
    const tables = (
      await client.query(
        `SELECT count(*) FILTER (WHERE has_table_privilege(c.oid, 'INSERT,UPDATE,DELETE,TRUNCATE'))::int AS writable,
                count(*) FILTER (WHERE has_table_privilege(c.oid, 'SELECT'))::int AS readable, current_database() AS db
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')`,
      )
    ).rows[0] as { writable: number; readable: number; db: string };
    const grants: Grant[] = [];
    const facts: string[] = [];
    if (role.rolsuper)
      grants.push({
        resource: `postgres ${t.host}: superuser (every database, can run programs on the server)`,
        access: 'admin',
      });
    if (role.rolcreaterole)
      grants.push({ resource: `postgres ${t.host}: can create roles (privilege escalation)`, access: 'admin' });
    if (role.rolbypassrls) facts.push('bypasses row-level security');
    const here: Access | undefined = tables.writable ? 'write' : tables.readable ? 'read' : undefined;
    if (here)
      grants.push({
        resource:
          `postgres database ${tables.db}: ` +
          `${tables.writable ? `writes ${tables.writable}` : `reads ${tables.readable}`} table(s)`,
        access: here,
      });
    for (const d of dbs)
      if (d.datname !== tables.db)
        grants.push({
          resource: `postgres database ${d.datname}: connect${d.can_create ? ', create schemas' : ''}`,
          access: d.can_create ? 'write' : 'read',
        });
    const roleName = String(role.name);
    const attributes = [
      role.rolsuper && 'superuser',
      role.rolcreaterole && 'createrole',
      role.rolcreatedb && 'createdb',
    ]
      .filter(Boolean)
      .join(', ');
    facts.push(`role ${roleName}: ${attributes || 'no role attributes'}`);
    return { identity: `${String(role.name)}@${t.host}`, grants, facts };
  } finally {
    await client.end().catch(() => undefined);
  }
}

// --- MySQL / MariaDB ------------------------------------------------------------------------------

const MYSQL_ADMIN = /\b(ALL PRIVILEGES|SUPER|CREATE USER|GRANT OPTION|FILE|SHUTDOWN|RELOAD|PROCESS)\b/;
const MYSQL_WRITE =
  /\b(INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|INDEX|REFERENCES|TRIGGER|EXECUTE|LOCK TABLES|CREATE VIEW|EVENT)\b/;

async function mysql(t: DatabaseTarget, address: string, password: string): Promise<Verdict> {
  const { createConnection } = await import('mysql2/promise');
  let conn: Awaited<ReturnType<typeof createConnection>>;
  try {
    conn = await createConnection({
      host: address,
      port: t.port,
      user: t.user,
      password,
      database: t.database,
      connectTimeout: TIMEOUT_MS,
      ssl: t.tls ? { rejectUnauthorized: false } : undefined,
    });
  } catch (err) {
    const code = (err as { code?: string }).code;
    // 1045 also answers a right password from a host the account is not allowed from: no verdict.
    const why =
      code === 'ER_ACCESS_DENIED_ERROR'
        ? 'access denied from this host (a wrong password, or an account limited to other hosts)'
        : 'not a verdict on the password';
    return { unknown: `${code ?? 'connection failed'}: ${why}` };
  }
  try {
    await conn.query('SET SESSION TRANSACTION READ ONLY');
    const [rows] = await conn.query('SHOW GRANTS FOR CURRENT_USER()');
    const lines = (rows as Array<Record<string, string>>).map((r) => Object.values(r)[0]!);
    const grants: Grant[] = [];
    for (const line of lines) {
      const m = /^GRANT (.+?) ON (\S+) TO /.exec(line);
      if (!m || /^USAGE$/.test(m[1]!)) continue;
      const privs = `${m[1]}${/WITH GRANT OPTION/.test(line) ? ' GRANT OPTION' : ''}`;
      const on = m[2]!.replace(/`/g, '');
      const access: Access = MYSQL_ADMIN.test(privs) ? 'admin' : MYSQL_WRITE.test(privs) ? 'write' : 'read';
      grants.push({
        resource: `mysql ${on === '*.*' ? `every database on ${t.host}` : on}: ${privs.slice(0, 80)}`,
        access,
      });
    }
    return { identity: `${t.user}@${t.host}`, grants, facts: [`${lines.length} GRANT line(s)`] };
  } finally {
    await conn.end().catch(() => undefined);
  }
}

// --- Redis ----------------------------------------------------------------------------------------

async function redis(t: DatabaseTarget, address: string, password: string): Promise<Verdict> {
  const { Redis } = await import('ioredis');
  const client = new Redis({
    host: address,
    port: t.port,
    tls: t.tls ? { servername: isIP(t.host) ? undefined : t.host, rejectUnauthorized: false } : undefined,
    connectTimeout: TIMEOUT_MS,
    commandTimeout: TIMEOUT_MS,
    lazyConnect: true,
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    try {
      await client.connect();
    } catch (err) {
      return {
        unknown:
          `${String((err as Error)?.message ?? 'connection failed').slice(0, 80)}: not a verdict on the ` + `password`,
      };
    }
    // AUTH ourselves, so its answer is this call's error (the driver would only emit it).
    try {
      await client.call('AUTH', ...(t.user ? [t.user, password] : [password]));
    } catch (err) {
      const msg = String((err as Error)?.message ?? '');
      // Redis ACL: WRONGPASS for a wrong pair or a disabled user; before Redis 6, "invalid password".
      if (/WRONGPASS|invalid password|invalid username-password/i.test(msg))
        return { dead: 'WRONGPASS (wrong password or disabled user)' };
      return {
        unknown: `AUTH failed (${msg.replaceAll(password, '[secret]').slice(0, 60)}): not a verdict on the password`,
      };
    }
    // Before Redis 6 there are no ACLs: the password opens every command.
    const user = await client.call('ACL', 'WHOAMI').then(String, () => undefined);
    if (user === undefined)
      return {
        identity: `default@${t.host}`,
        grants: [{ resource: `redis ${t.host}:${t.port}: every command (no ACLs)`, access: 'admin' }],
        facts: ['no ACL support'],
      };
    const info = (await client.call('ACL', 'GETUSER', user).catch(() => undefined)) as unknown[] | undefined;
    const field = (name: string) => {
      const i = info?.indexOf(name) ?? -1;
      return i >= 0 ? info![i + 1] : undefined;
    };
    const commands = String(field('commands') ?? '');
    const keys = String(field('keys') ?? '');
    // A user not allowed to read its own rules may still write: say write, and that it is not known.
    const access: Access = !info
      ? 'write'
      : /\+@all|allcommands|\+@admin|\+@dangerous/.test(commands)
        ? 'admin'
        : /\+@write|\+set\b/.test(commands)
          ? 'write'
          : 'read';
    const what = info
      ? `commands ${commands || 'none'}, keys ${keys || 'none'}`
      : 'ACL GETUSER denied: its own rules not readable';
    return {
      identity: `${user}@${t.host}`,
      grants: [{ resource: `redis ${t.host}:${t.port} as ${user}: ${what}`, access }],
      facts: [`ACL user ${user}`],
    };
  } finally {
    client.disconnect();
  }
}

// --- MongoDB --------------------------------------------------------------------------------------

const MONGO_ADMIN = new RegExp(
  '^(root|__system|dbOwner|userAdmin|userAdminAnyDatabase|' +
    'dbAdminAnyDatabase|clusterAdmin|clusterManager|' +
    'restore|backup)$',
);
const MONGO_WRITE = /^(readWrite|readWriteAnyDatabase|dbAdmin|enableSharding)$/;

async function mongodb(t: DatabaseTarget, password: string): Promise<Verdict> {
  const { MongoClient } = await import('mongodb');
  const m = t.mongo!;
  const scheme = `mongodb${m.srv ? '+srv' : ''}`;
  const userInfo = `${encodeURIComponent(t.user)}:${encodeURIComponent(password)}`;
  const hosts = m.hosts.join(',');
  const dbAndParams = `${encodeURIComponent(t.database ?? '')}${m.params ? `?${m.params}` : ''}`;
  const uri = `${scheme}://${userInfo}@${hosts}/${dbAndParams}`;
  const client = new MongoClient(uri, {
    serverSelectionTimeoutMS: TIMEOUT_MS,
    connectTimeoutMS: TIMEOUT_MS,
    socketTimeoutMS: TIMEOUT_MS,
    maxPoolSize: 1,
    directConnection: !m.srv && m.hosts.length === 1 && !/replicaSet=/.test(m.params),
    tlsAllowInvalidCertificates: t.tls || undefined,
  });
  try {
    try {
      await client.connect();
    } catch (err) {
      // 18 AuthenticationFailed: the user in its authentication database refused the password.
      if ((err as { code?: number }).code === 18) return { dead: 'AuthenticationFailed (18)' };
      return { unknown: `${String((err as Error)?.name ?? 'connection failed')}: not a verdict on the password` };
    }
    const status = await client.db('admin').command({ connectionStatus: 1, showPrivileges: true });
    const info = (status.authInfo ?? {}) as {
      authenticatedUsers?: Array<{ user: string; db: string }>;
      authenticatedUserRoles?: Array<{ role: string; db: string }>;
    };
    const me = info.authenticatedUsers?.[0];
    const grants: Grant[] = (info.authenticatedUserRoles ?? []).map((r) => {
      const scope = /AnyDatabase$|^root$|^cluster/.test(r.role) ? `every database on ${t.host}` : `database ${r.db}`;
      return {
        resource: `mongodb ${scope}: role ${r.role}`,
        access: MONGO_ADMIN.test(r.role) ? 'admin' : MONGO_WRITE.test(r.role) ? 'write' : 'read',
      };
    });
    return {
      identity: `${me?.user ?? t.user}@${t.host}`,
      grants,
      facts: [`authenticated against ${me?.db ?? 'its database'}`],
    };
  } finally {
    await client.close().catch(() => undefined);
  }
}
