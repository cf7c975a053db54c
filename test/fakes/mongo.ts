// A MongoDB server as far as the driver's handshake, SCRAM-SHA-256 authentication and the
// connectionStatus command go: the wire protocol
// (https://www.mongodb.com/docs/manual/reference/mongodb-wire-protocol/:
// OP_QUERY for the legacy hello, OP_MSG for everything else), SCRAM as RFC 7677 and MongoDB's auth
// spec define it (a wrong password is code 18 AuthenticationFailed), and connectionStatus with
// showPrivileges (https://www.mongodb.com/docs/manual/reference/command/connectionStatus/).
// No Debian package installs a MongoDB server, so the lookup's tests use this with the real driver.

import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { BSON } from 'mongodb';

export interface MongoUser {
  readonly password: string;
  /** Authentication database. */
  readonly db: string;
  readonly roles: ReadonlyArray<{ role: string; db: string }>;
}

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;
const hmac = (key: Buffer, s: string) => createHmac('sha256', key).update(s).digest();

export class FakeMongo {
  private server: Server | undefined;
  port = 0;
  /** Commands received, by name (what the lookup asked). */
  readonly commands: string[] = [];

  constructor(private readonly users: ReadonlyMap<string, MongoUser>) {}

  async start(): Promise<this> {
    this.server = createServer((socket) => this.serve(socket));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private serve(socket: Socket): void {
    let buf = Buffer.alloc(0);
    const conv: { user?: string; clientFirstBare?: string; serverFirst?: string; nonce?: string; authed?: string } =
      {};
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 16 && buf.length >= buf.readInt32LE(0)) {
        const msg = buf.subarray(0, buf.readInt32LE(0));
        buf = buf.subarray(msg.length);
        const requestId = msg.readInt32LE(4);
        const opCode = msg.readInt32LE(12);
        if (opCode === OP_QUERY) {
          let p = 20;
          while (msg[p] !== 0) p++;
          const doc = BSON.deserialize(msg.subarray(p + 9));
          socket.write(reply(OP_REPLY, requestId, this.answer(doc, conv)));
        } else if (opCode === OP_MSG) {
          const doc = BSON.deserialize(msg.subarray(21));
          socket.write(reply(OP_MSG, requestId, this.answer(doc, conv)));
        } else socket.destroy();
      }
    });
  }

  private answer(
    doc: Record<string, unknown>,
    conv: { user?: string; clientFirstBare?: string; serverFirst?: string; nonce?: string; authed?: string },
  ): Record<string, unknown> {
    const name = Object.keys(doc)[0] ?? '';
    this.commands.push(name);
    const fail = (code: number, codeName: string, errmsg: string) => ({ ok: 0, code, codeName, errmsg });
    switch (name) {
      case 'hello':
      case 'isMaster':
      case 'ismaster':
        return {
          ismaster: true,
          isWritablePrimary: true,
          helloOk: true,
          maxBsonObjectSize: 16777216,
          maxMessageSizeBytes: 48000000,
          maxWriteBatchSize: 100000,
          localTime: new Date(),
          logicalSessionTimeoutMinutes: 30,
          connectionId: 1,
          minWireVersion: 0,
          maxWireVersion: 21,
          readOnly: false,
          ok: 1,
          ...(doc.saslSupportedMechs ? { saslSupportedMechs: ['SCRAM-SHA-256'] } : {}),
        };
      case 'saslStart': {
        if (doc.mechanism !== 'SCRAM-SHA-256') return fail(2, 'BadValue', 'mechanism not supported');
        const clientFirst = Buffer.from((doc.payload as { buffer: Uint8Array }).buffer).toString();
        conv.clientFirstBare = clientFirst.replace(/^n,,/, '');
        conv.user = /(?:^|,)n=([^,]*)/.exec(conv.clientFirstBare)?.[1]?.replace(/=2C/g, ',').replace(/=3D/g, '=');
        const clientNonce = /(?:^|,)r=([^,]*)/.exec(conv.clientFirstBare)?.[1] ?? '';
        conv.nonce = `${clientNonce}${randomBytes(18).toString('base64')}`;
        const user = this.users.get(conv.user ?? '');
        const salt = createHash('sha256').update(`salt:${conv.user}`).digest().subarray(0, 16);
        conv.serverFirst = `r=${conv.nonce},s=${salt.toString('base64')},i=4096`;
        if (!user) conv.user = undefined;
        return { conversationId: 1, done: false, payload: new BSON.Binary(Buffer.from(conv.serverFirst)), ok: 1 };
      }
      case 'saslContinue': {
        const finalMsg = Buffer.from((doc.payload as { buffer: Uint8Array }).buffer).toString();
        if (!finalMsg) return { conversationId: 1, done: true, payload: new BSON.Binary(Buffer.alloc(0)), ok: 1 };
        const user = conv.user ? this.users.get(conv.user) : undefined;
        const withoutProof = finalMsg.replace(/,p=[^,]*$/, '');
        const proof = Buffer.from(/,p=([^,]*)$/.exec(finalMsg)?.[1] ?? '', 'base64');
        if (!user || !conv.serverFirst) return fail(18, 'AuthenticationFailed', 'Authentication failed.');
        const salted = pbkdf2Sync(
          user.password.normalize('NFKC'),
          createHash('sha256').update(`salt:${conv.user}`).digest().subarray(0, 16),
          4096,
          32,
          'sha256',
        );
        const clientKey = hmac(salted, 'Client Key');
        const authMessage = `${conv.clientFirstBare},${conv.serverFirst},${withoutProof}`;
        const signature = hmac(createHash('sha256').update(clientKey).digest(), authMessage);
        const expected = Buffer.from(clientKey.map((b, i) => b ^ signature[i]!));
        if (proof.length !== expected.length || !timingSafeEqual(proof, expected))
          return fail(18, 'AuthenticationFailed', 'Authentication failed.');
        conv.authed = conv.user;
        const serverSignature = hmac(hmac(salted, 'Server Key'), authMessage).toString('base64');
        return { conversationId: 1, done: true, payload: new BSON.Binary(Buffer.from(`v=${serverSignature}`)), ok: 1 };
      }
      case 'connectionStatus': {
        const user = conv.authed ? this.users.get(conv.authed) : undefined;
        return {
          authInfo: {
            authenticatedUsers: user ? [{ user: conv.authed, db: user.db }] : [],
            authenticatedUserRoles: user ? user.roles : [],
            ...(doc.showPrivileges ? { authenticatedUserPrivileges: [] } : {}),
          },
          ok: 1,
        };
      }
      case 'endSessions':
      case 'ping':
        return { ok: 1 };
      default:
        // Anything else would be more than the privilege queries the lookup may run.
        return conv.authed
          ? fail(13, 'Unauthorized', `the fake serves no ${name}`)
          : fail(13, 'Unauthorized', 'command requires authentication');
    }
  }
}

function reply(opCode: number, responseTo: number, doc: Record<string, unknown>): Buffer {
  const body = Buffer.from(BSON.serialize(doc));
  const head = Buffer.alloc(16);
  if (opCode === OP_REPLY) {
    const prefix = Buffer.alloc(20);
    prefix.writeInt32LE(0, 0); // responseFlags
    prefix.writeBigInt64LE(0n, 4); // cursorID
    prefix.writeInt32LE(0, 12); // startingFrom
    prefix.writeInt32LE(1, 16); // numberReturned
    head.writeInt32LE(16 + 20 + body.length, 0);
    head.writeInt32LE(1, 4);
    head.writeInt32LE(responseTo, 8);
    head.writeInt32LE(OP_REPLY, 12);
    return Buffer.concat([head, prefix, body]);
  }
  const flags = Buffer.from([0, 0, 0, 0, 0]); // flagBits, then section kind 0
  head.writeInt32LE(16 + flags.length + body.length, 0);
  head.writeInt32LE(1, 4);
  head.writeInt32LE(responseTo, 8);
  head.writeInt32LE(OP_MSG, 12);
  return Buffer.concat([head, flags, body]);
}
