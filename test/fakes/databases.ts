// Real database servers for the database lookups, started in temp dirs on 127.0.0.1 by the tests:
// Debian's postgresql, mariadb-server and redis-server (.ci/run installs them). A server whose
// binary is missing makes its tests skip, saying which package to install.

import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

function which(name: string, extra: string[] = []): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':'), ...extra])
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}
const pgBins = existsSync('/usr/lib/postgresql')
  ? readdirSync('/usr/lib/postgresql').map((v) => `/usr/lib/postgresql/${v}/bin`)
  : [];

export const BINARIES = {
  postgres: which('postgres', pgBins),
  initdb: which('initdb', pgBins),
  mariadbd: which('mariadbd', ['/usr/sbin']) ?? which('mysqld', ['/usr/sbin']),
  mariadbInstall: which('mariadb-install-db') ?? which('mysql_install_db'),
  redis: which('redis-server'),
};

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Root cannot run postgres or mariadbd as itself: run them as their packages' service user. */
function account(name: string): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  return r.status === 0 ? { uid: Number(r.stdout), gid: Number(g.stdout) } : { uid: 65534, gid: 65534 };
}

function own(dir: string, who: { uid?: number; gid?: number }): void {
  if (who.uid !== undefined) chownSync(dir, who.uid, who.gid!);
}

async function waitFor(
  check: () => Promise<boolean>,
  what: string,
  child: ChildProcess,
  log: () => string,
): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited: ${log().slice(-800)}`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start in 15 s: ${log().slice(-800)}`);
}

export interface Running {
  readonly port: number;
  /** What the server logged (Postgres: every statement, prefixed with its user). */
  log(): string;
  stop(): Promise<void>;
}

function runner(child: ChildProcess, port: number, log: () => string = () => ''): Running {
  return {
    port,
    log,
    stop: () =>
      new Promise<void>((r) => {
        if (child.exitCode !== null) return r();
        child.once('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}

/** Postgres with scram-sha-256 for every TCP connection; the superuser "postgres" has `superPassword`. */
export async function startPostgres(dir: string, superPassword: string): Promise<Running> {
  const who = account('postgres');
  const data = join(dir, 'pg');
  mkdirSync(data);
  own(dir, who);
  own(data, who);
  writeFileSync(join(dir, 'pw'), superPassword);
  own(join(dir, 'pw'), who);
  execFileSync(
    BINARIES.initdb!,
    ['-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${join(dir, 'pw')}`, '-E', 'UTF8', '--no-sync'],
    { ...who, stdio: 'pipe' },
  );
  const port = await freePort();
  let log = '';
  const child = spawn(
    BINARIES.postgres!,
    [
      '-D',
      data,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${dir}`,
      '-c',
      'fsync=off',
      '-c',
      'log_statement=all',
      '-c',
      'log_line_prefix=%u: ',
    ],
    { ...who, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stderr!.on('data', (d) => (log += d));
  const { default: pg } = await import('pg');
  await waitFor(
    async () => {
      const c = new pg.Client({
        host: '127.0.0.1',
        port,
        user: 'postgres',
        password: superPassword,
        database: 'postgres',
        connectionTimeoutMillis: 1000,
      });
      c.on('error', () => undefined);
      await c.connect();
      await c.end();
      return true;
    },
    'postgres',
    child,
    () => log,
  );
  return runner(child, port, () => log);
}

/** MariaDB with root reachable over its socket in `dir` (no password), TCP on 127.0.0.1. */
export async function startMariadb(dir: string): Promise<Running & { socket: string }> {
  const who = account('mysql');
  const data = join(dir, 'data');
  mkdirSync(data);
  own(dir, who);
  own(data, who);
  chmodSync(dir, 0o755);
  const user = who.uid !== undefined ? ['--user=mysql'] : [];
  execFileSync(
    BINARIES.mariadbInstall!,
    ['--no-defaults', `--datadir=${data}`, ...user, '--auth-root-authentication-method=normal', '--skip-test-db'],
    { stdio: 'pipe' },
  );
  const port = await freePort();
  const socket = join(dir, 'sock');
  let log = '';
  const child = spawn(
    BINARIES.mariadbd!,
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--skip-name-resolve',
      `--pid-file=${join(dir, 'pid')}`,
      ...user,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stderr!.on('data', (d) => (log += d));
  const { createConnection } = await import('mysql2/promise');
  await waitFor(
    async () => {
      const c = await createConnection({ socketPath: socket, user: 'root', connectTimeout: 1000 });
      await c.end();
      return true;
    },
    'mariadbd',
    child,
    () => log,
  );
  return { ...runner(child, port), socket };
}

/** Redis with ACL users from `acl` lines ("user reader on >pw ~* +@read"). */
export async function startRedis(dir: string, acl: readonly string[]): Promise<Running> {
  const port = await freePort();
  writeFileSync(
    join(dir, 'redis.conf'),
    [`port ${port}`, 'bind 127.0.0.1', 'save ""', 'appendonly no', `dir ${dir}`, ...acl].join('\n') + '\n',
  );
  let log = '';
  const child = spawn(BINARIES.redis!, [join(dir, 'redis.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (log += d));
  const { createConnection } = await import('node:net');
  await waitFor(
    () =>
      new Promise<boolean>((resolve) => {
        const s = createConnection(port, '127.0.0.1', () => {
          s.end();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      }),
    'redis-server',
    child,
    () => log,
  );
  return runner(child, port);
}
