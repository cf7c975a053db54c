// Database credentials, looked up with --deep-lookup against real servers started here (Debian's
// postgresql, mariadb-server, redis-server): privilege queries only, in a read-only session, and
// never to a loopback or private host unless --lookup-private-hosts.

import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scan } from '../src/scan/scan.js';
import type { Finding } from '../src/types.js';
import { BINARIES, startMariadb, startPostgres, startRedis, type Running } from './fakes/databases.js';
import { FakeMongo } from './fakes/mongo.js';
import { ROOT, cleanupTempDirs, runCli, tempDir, token } from './helpers.js';

const RULES = tempDir('lr-db-rules-');
copyFileSync(join(ROOT, 'rules', 'database.yml'), join(RULES, 'database.yml'));
const pw = (seed: string) => token('{{an:20}}', `db:${seed}`);
afterAll(() => cleanupTempDirs());

/** Scan one file of URIs with deep lookups; the finding of each password, in order. */
async function lookUp(uris: string[], opts: { privateHosts?: boolean; deep?: boolean } = {}): Promise<Finding[]> {
  const dir = tempDir();
  writeFileSync(join(dir, 'settings.env'), uris.map((u, i) => `DATABASE_URL_${i}=${u}\n`).join(''));
  const { findings } = await scan({
    paths: [dir],
    threads: 1,
    rulesDir: RULES,
    lookup: { deep: opts.deep ?? true, privateHosts: opts.privateHosts ?? true, timeoutMs: 5000, env: {} },
  }).result;
  return uris.map((u) => findings.find((f) => u.includes(`:${f.secret}@`))!);
}

const missing = (what: string, pkg: string) =>
  `skipped: ${what} is not installed (apt-get install ${pkg}, as .ci/run does)`;

describe.skipIf(!BINARIES.postgres || !BINARIES.initdb)(
  `Postgres ${!BINARIES.postgres ? missing('postgres', 'postgresql') : ''}`,
  () => {
    const superPw = pw('pg-super');
    const roles = {
      boss: pw('pg-boss'),
      writer: pw('pg-writer'),
      reader: pw('pg-reader'),
      admin: pw('pg-createrole'),
    };
    let server: Running;
    /** A connection as the superuser, to set the server up and to watch it. */
    const asSuperuser = async (database: string) => {
      const { default: pg } = await import('pg');
      const c = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'postgres', password: superPw, database });
      await c.connect();
      return c;
    };
    beforeAll(async () => {
      server = await startPostgres(tempDir('lr-pg-'), superPw);
      const c = await asSuperuser('postgres');
      await c.query('CREATE DATABASE appdb');
      await c.query(`CREATE ROLE boss LOGIN SUPERUSER PASSWORD '${roles.boss}'`);
      await c.query(`CREATE ROLE writer LOGIN PASSWORD '${roles.writer}'`);
      await c.query(`CREATE ROLE reader LOGIN PASSWORD '${roles.reader}'`);
      await c.query(`CREATE ROLE useradmin LOGIN CREATEROLE PASSWORD '${roles.admin}'`);
      await c.end();
      const app = await asSuperuser('appdb');
      await app.query('CREATE TABLE orders (id int); CREATE TABLE customers (id int)');
      await app.query('GRANT SELECT, INSERT, UPDATE ON orders TO writer; GRANT SELECT ON orders, customers TO reader');
      await app.end();
    }, 60_000);
    afterAll(() => server?.stop());

    it('reports superuser, can-create-roles, write and read per database; a wrong password is revoked', async () => {
      const u = (user: string, password: string) => `postgres://${user}:${password}@127.0.0.1:${server.port}/appdb`;
      const [boss, admin, writer, reader, wrong] = await lookUp([
        u('boss', roles.boss),
        u('useradmin', roles.admin),
        u('writer', roles.writer),
        u('reader', roles.reader),
        u('reader', pw('pg-wrong')),
      ]);
      expect(boss!.scope.status).toBe('live');
      expect(boss!.scope.reached![0]).toEqual({
        resource: `postgres 127.0.0.1: superuser (every database, can run programs on the server)`,
        access: 'admin',
      });
      expect(admin!.scope.reached!.map((g) => g.resource)).toContain(
        'postgres 127.0.0.1: can create roles (privilege escalation)',
      );
      expect(writer!.scope.reached).toContainEqual({
        resource: 'postgres database appdb: writes 1 table(s)',
        access: 'write',
      });
      expect(reader!.scope.reached).toContainEqual({
        resource: 'postgres database appdb: reads 2 table(s)',
        access: 'read',
      });
      expect(reader!.scope.grants.some((g) => g.access !== 'read')).toBe(false);
      expect(wrong!.scope.status).toBe('revoked');
      expect(wrong!.scope.facts.join('\n')).toMatch(/28P01/);
      expect(boss!.blast.score).toBeGreaterThan(reader!.blast.score);
    });

    it('runs every statement read-only, and never leaves a connection open', async () => {
      const c = await asSuperuser('appdb');
      const [f] = await lookUp([`postgres://boss:${roles.boss}@127.0.0.1:${server.port}/appdb`]);
      expect(f!.scope.status).toBe('live');
      // Only privilege queries: every statement the lookup's role sent is a SELECT.
      const statements = server
        .log()
        .split('\n')
        .filter((l) => l.startsWith('boss: LOG:  statement:'));
      expect(statements.length).toBeGreaterThan(0);
      for (const st of statements) expect(st).toMatch(/^boss: LOG: {2}statement: SELECT /);
      const { rows } = await c.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = 'boss'");
      await c.end();
      expect(rows[0].n).toBe(0);
    });

    it('does not connect to a loopback host without --lookup-private-hosts, nor without --deep-lookup', async () => {
      const [f] = await lookUp([`postgres://boss:${roles.boss}@127.0.0.1:${server.port}/appdb`], {
        privateHosts: false,
      });
      expect(f!.scope.status).toBe('not-checked');
      expect(f!.scope.facts.join('\n')).toMatch(/loopback or private address \(--lookup-private-hosts to allow\)/);
      const [g] = await lookUp([`postgres://boss:${roles.boss}@127.0.0.1:${server.port}/appdb`], { deep: false });
      expect(g!.scope.status).toBe('not-checked');
    });

    it('through the CLI: --deep-lookup --lookup-private-hosts, and the password never printed', async () => {
      const dir = tempDir();
      writeFileSync(join(dir, '.env'), `DATABASE_URL=postgres://boss:${roles.boss}@127.0.0.1:${server.port}/appdb\n`);
      const r = await runCli(
        ['scan', dir, '--threads', '1', '--rules', RULES, '--deep-lookup', '--lookup-private-hosts'],
        { env: { LEAKRADIUS_OFFLINE: '' } },
      );
      expect(r.stdout).toContain('reaches:  postgres 127.0.0.1: superuser');
      expect(r.stdout + r.stderr).not.toContain(roles.boss);
    });
  },
);

describe.skipIf(!BINARIES.mariadbd || !BINARIES.mariadbInstall)(
  `MariaDB ${!BINARIES.mariadbd ? missing('mariadbd', 'mariadb-server') : ''}`,
  () => {
    const users = { dba: pw('my-dba'), app: pw('my-app'), ro: pw('my-ro') };
    let server: Running;
    beforeAll(async () => {
      const started = await startMariadb(tempDir('lr-my-'));
      server = started;
      const { createConnection } = await import('mysql2/promise');
      const c = await createConnection({ socketPath: started.socket, user: 'root', multipleStatements: true });
      await c.query(
        `CREATE DATABASE appdb;
       CREATE USER 'dba'@'%' IDENTIFIED BY '${users.dba}'; GRANT ALL PRIVILEGES ON *.* TO 'dba'@'%' WITH GRANT OPTION;
       CREATE USER 'app'@'%' IDENTIFIED BY '${users.app}';
       GRANT SELECT, INSERT, UPDATE, DELETE ON appdb.* TO 'app'@'%';
       CREATE USER 'ro'@'%' IDENTIFIED BY '${users.ro}'; GRANT SELECT ON appdb.* TO 'ro'@'%';`,
      );
      await c.end();
    }, 60_000);
    afterAll(() => server?.stop());

    it(
      'summarises SHOW GRANTS: admin on every database, write or ' + 'read on one; access denied is no verdict',
      async () => {
        const u = (user: string, password: string) => `mysql://${user}:${password}@127.0.0.1:${server.port}/appdb`;
        const [dba, app, ro, wrong] = await lookUp([
          u('dba', users.dba),
          u('app', users.app),
          u('ro', users.ro),
          u('ro', pw('my-wrong')),
        ]);
        expect(dba!.scope.reached).toContainEqual({
          resource: 'mysql every database on 127.0.0.1: ALL PRIVILEGES GRANT OPTION',
          access: 'admin',
        });
        expect(app!.scope.reached).toContainEqual({
          resource: 'mysql appdb.*: SELECT, INSERT, UPDATE, DELETE',
          access: 'write',
        });
        expect(ro!.scope.reached).toEqual([{ resource: 'mysql appdb.*: SELECT', access: 'read' }]);
        expect(wrong!.scope.status).toBe('unknown');
        expect(wrong!.scope.facts.join('\n')).toMatch(/access denied from this host/);
      },
    );
  },
);

describe.skipIf(!BINARIES.redis)(`Redis ${!BINARIES.redis ? missing('redis-server', 'redis-server') : ''}`, () => {
  const users = { admin: pw('rd-admin'), reader: pw('rd-reader') };
  let server: Running;
  beforeAll(async () => {
    server = await startRedis(tempDir('lr-rd-'), [
      `user default on >${users.admin} ~* &* +@all`,
      `user reader on >${users.reader} ~cache:* -@all +@read +acl|whoami +acl|getuser`,
    ]);
  }, 60_000);
  afterAll(() => server?.stop());

  it('reads the user’s ACL: every command is admin, @read is read; WRONGPASS is revoked', async () => {
    const u = (user: string, password: string) => `redis://${user}:${password}@127.0.0.1:${server.port}/0`;
    const [admin, reader, wrong] = await lookUp([
      u('', users.admin),
      u('reader', users.reader),
      u('reader', pw('rd-wrong')),
    ]);
    expect(admin!.scope).toMatchObject({ status: 'live', identity: 'default@127.0.0.1' });
    expect(admin!.scope.reached![0]!.access).toBe('admin');
    expect(reader!.scope.reached![0]).toMatchObject({ access: 'read' });
    expect(reader!.scope.reached![0]!.resource).toMatch(/keys ~cache:\*/);
    expect(wrong!.scope.status, wrong!.scope.facts.join('; ')).toBe('revoked');
  });
});

describe('MongoDB (the real driver against a wire-compatible server: Debian packages none)', () => {
  const users = { admin: pw('mg-admin'), app: pw('mg-app'), ro: pw('mg-ro') };
  const server = new FakeMongo(
    new Map([
      ['admin', { password: users.admin, db: 'admin', roles: [{ role: 'root', db: 'admin' }] }],
      ['app', { password: users.app, db: 'appdb', roles: [{ role: 'readWrite', db: 'appdb' }] }],
      ['ro', { password: users.ro, db: 'appdb', roles: [{ role: 'read', db: 'appdb' }] }],
    ]),
  );
  beforeAll(() => server.start().then(() => undefined));
  afterAll(() => server.close());

  it(
    'reports the roles from connectionStatus; ' + 'AuthenticationFailed (18) is revoked; nothing else is run',
    async () => {
      const u = (user: string, password: string, db: string) =>
        `mongodb://${user}:${password}@127.0.0.1:${server.port}/${db}`;
      const [admin, app, ro, wrong] = await lookUp([
        u('admin', users.admin, 'admin'),
        u('app', users.app, 'appdb'),
        u('ro', users.ro, 'appdb'),
        u('ro', pw('mg-wrong'), 'appdb'),
      ]);
      expect(admin!.scope.reached).toEqual([
        { resource: 'mongodb every database on 127.0.0.1: role root', access: 'admin' },
      ]);
      expect(app!.scope.reached).toEqual([{ resource: 'mongodb database appdb: role readWrite', access: 'write' }]);
      expect(ro!.scope.reached).toEqual([{ resource: 'mongodb database appdb: role read', access: 'read' }]);
      expect(wrong!.scope.status).toBe('revoked');
      expect(server.commands).toContain('connectionStatus');
      expect(
        server.commands.every((c) =>
          /^(hello|isMaster|ismaster|saslStart|saslContinue|connectionStatus|endSessions|ping)$/.test(c),
        ),
      ).toBe(true);
    },
  );
});
