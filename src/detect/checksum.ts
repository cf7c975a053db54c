// Checksums that prove a string is a well-formed provider token (offline; no network).

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE) of the UTF-8 bytes of `text`. */
export function crc32(text: string | Uint8Array): number {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function base62(value: number, width: number): string {
  let out = '';
  let v = value;
  while (v > 0) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, '0');
}

/**
 * GitHub (ghp_, gho_, ghu_, ghs_, ghr_) and npm (npm_) tokens: prefix + 30 base62 characters +
 * the 6-character base62 CRC-32 of those 30 characters.
 */
export function base62Crc32Valid(token: string, prefix: string): boolean {
  const body = token.slice(prefix.length);
  if (body.length !== 36) return false;
  const random = body.slice(0, 30);
  return base62(crc32(random), 6) === body.slice(30);
}

/** Grafana service-account token: glsa_ + 32 + _ + 8 hex = CRC-32 of "glsa_{32}" as little-endian bytes. */
export function grafanaValid(token: string): boolean {
  const m = /^(glsa_[A-Za-z0-9]{32})_([0-9a-f]{8})$/.exec(token);
  if (!m) return false;
  return littleEndianHex(crc32(m[1]!)) === m[2];
}

export function littleEndianHex(value: number): string {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value >>> 0);
  return b.toString('hex');
}

/**
 * GitLab routable token: prefix + base64url payload + "." + 2 base36 chars (payload length) +
 * 7 base36 chars = CRC-32 of everything before them (prefix included), zero-padded.
 * (GitLab: Authn::TokenField::Generator::RoutableToken.)
 */
export function gitlabRoutableValid(token: string): boolean {
  const m = /^(.+)\.([0-9a-z]{2})([0-9a-z]{7})$/.exec(token);
  if (!m) return false;
  const length = parseInt(m[2]!, 36);
  if (length < 27 || length > m[1]!.length) return false;
  return crc32(`${m[1]}.${m[2]}`).toString(36).padStart(7, '0') === m[3];
}

/**
 * Cloudflare scannable credentials (cfut_ user token, cfat_ account token, cfk_ global key):
 * prefix + 40 base62 + 8 lower-case hex = CRC-32 of the 40 characters, big-endian. The docs say
 * only "checksum"; the input was checked against a publicly leaked token.
 */
export function cloudflareValid(token: string): boolean {
  const m = /^cf(?:ut|at|k)_([A-Za-z0-9]{40})([0-9a-f]{8})$/.exec(token);
  if (!m) return false;
  return crc32(m[1]!).toString(16).padStart(8, '0') === m[2];
}

export type ValidatorName = 'github' | 'npm' | 'grafana' | 'gitlab' | 'cloudflare';

const VALIDATORS: Record<ValidatorName, (secret: string) => boolean> = {
  github: (s) => {
    const prefix = /^gh[pousr]_/.exec(s)?.[0];
    return prefix !== undefined && base62Crc32Valid(s, prefix);
  },
  npm: (s) => s.startsWith('npm_') && base62Crc32Valid(s, 'npm_'),
  grafana: grafanaValid,
  gitlab: gitlabRoutableValid,
  cloudflare: cloudflareValid,
};

export const VALIDATOR_NAMES = Object.keys(VALIDATORS) as ValidatorName[];

export function validate(name: ValidatorName, secret: string): boolean {
  return VALIDATORS[name](secret);
}

/** Discord's snowflake epoch (2015-01-01) and the epoch of a bot token's timestamp part (2011-01-01). */
const DISCORD_EPOCH_MS = 1420070400000n;
const DISCORD_TOKEN_EPOCH_S = 1293840000;

/**
 * Discord bot token: base64url(user id) . base64url(4-byte timestamp) . HMAC. The id must decode
 * to a snowflake created between 2015 and now, and the timestamp (seconds since 2011, or since 1970
 * in old tokens) must fall after the id's creation and before now.
 */
export function discordBotTokenShape(token: string, now = Date.now()): boolean {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  const id = Buffer.from(parts[0]!, 'base64url').toString('latin1');
  if (!/^[1-9][0-9]{16,19}$/.test(id)) return false;
  const created = Number((BigInt(id) >> 22n) + DISCORD_EPOCH_MS);
  if (created > now + 86_400_000) return false;
  const stamp = Buffer.from(parts[1]!, 'base64url');
  if (stamp.length !== 4) return false;
  const v = stamp.readUInt32BE(0);
  const plausible = (seconds: number) => seconds * 1000 >= created - 86_400_000 && seconds * 1000 <= now + 86_400_000;
  return plausible(v + DISCORD_TOKEN_EPOCH_S) || plausible(v);
}

/** An unsigned JWT (alg "none"): header and payload are JSON objects, the signature is empty. */
export function unsignedJwtShape(token: string): boolean {
  const [h, p, sig] = token.split('.');
  if (!h || !p || sig) return false;
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as unknown;
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as unknown;
    const object = (v: unknown): v is Record<string, unknown> =>
      typeof v === 'object' && v !== null && !Array.isArray(v);
    return object(header) && object(payload) && String(header.alg).toLowerCase() === 'none';
  } catch {
    return false;
  }
}

/** The user and password in base64("user:password") (HTTP basic credentials), or undefined. */
export function basicAuthParts(token: string): { user: string; password: string } | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token)) return undefined;
  const text = Buffer.from(token, 'base64').toString('latin1');
  const m = /^([\x21-\x39\x3b-\x7e]{1,256}):([\x20-\x7e]{1,4096})$/.exec(text);
  return m ? { user: m[1]!, password: m[2]! } : undefined;
}

export type StructureName = 'discord-bot-token' | 'jwt-unsigned' | 'basic-auth';

/** Shape checks that decide whether a match is a token at all: a match that fails one is dropped. */
const STRUCTURES: Record<StructureName, (secret: string) => boolean> = {
  'discord-bot-token': (s) => discordBotTokenShape(s),
  'jwt-unsigned': unsignedJwtShape,
  'basic-auth': (s) => basicAuthParts(s) !== undefined,
};

export const STRUCTURE_NAMES = Object.keys(STRUCTURES) as StructureName[];

export function hasStructure(name: StructureName, secret: string): boolean {
  return STRUCTURES[name](secret);
}
