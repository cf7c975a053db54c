// Facts from AWS key ids (account id, canary accounts), private keys and credential-bearing URIs.

import { nodeCrypto } from '../../secret/digest.js';
import { g, type OfflineFacts } from './types.js';

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
      const key = nodeCrypto().createPrivateKey({ key: s, format: 'pem' });
      algorithm = key.asymmetricKeyType;
      const d = key.asymmetricKeyDetails;
      bits = d?.modulusLength;
      if (d?.namedCurve) algorithm += ` ${d.namedCurve}`;
      const spki = nodeCrypto().createPublicKey(key).export({ type: 'spki', format: 'der' });
      fp = `SHA256:${nodeCrypto().createHash('sha256').update(spki).digest('base64').replace(/=+$/, '')}`;
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
    const fingerprint = `SHA256:${nodeCrypto().createHash('sha256').update(pub).digest('base64').replace(/=+$/, '')}`;
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
const PROD_HOST = new RegExp(
  String.raw`\.rds\.amazonaws\.com$|\.mongodb\.net$|\.database\.windows\.net$|` +
    String.raw`\.redis\.cache\.windows\.net$|\.db\.ondigitalocean\.com$|` +
    String.raw`\.supabase\.co$|\.neon\.tech$|\.cloudsql|\.postgres\.database\.azure\.com$|` +
    '(^|[.-])prod(uction)?([.-]|$)',
  'i',
);
const LOCAL_HOST = new RegExp(
  String.raw`^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\]|0\.0\.0\.0|` +
    String.raw`db|postgres|mysql|redis|mongo|host\.docker\.internal)$|` +
    String.raw`\.local$|\.test$|\.example(\.com)?$`,
  'i',
);

/** URL schemes of databases, caches and message brokers. */
const DB_SCHEME = new RegExp(
  String.raw`^(postgres(ql)?|mysql|mariadb|mongodb(\+srv)?|redis|` +
    'rediss|amqps?|mssql|sqlserver|jdbc:.*|clickhouse|' +
    'cockroachdb)$',
  'i',
);

export function uriFacts(s: string): OfflineFacts {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^\s:/@]*):([^\s@]*)@([^\s/?#:,]+)(?::(\d+))?([^\s]*)/i.exec(s);
  if (!m) return { facts: ['URL with credentials'] };
  const [, scheme, user, , host] = m as unknown as [string, string, string, string, string];
  const rest = m[6] ?? '';
  const facts: string[] = [];
  const out: OfflineFacts = { facts, expiresAt: null };
  const decodedUser = safeDecode(user);
  const isDb = DB_SCHEME.test(scheme);
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
