// Rule examples name generated tokens instead of holding literal realistic credentials, so the
// repository trips no push protection: `token = "{{github:ghp_}}"`, `key={{hex:32}}`.
// Expansion is seeded, so every run produces the same strings.

import { BASE62, base62, crc32, littleEndianHex } from './checksum.js';

/** A small, fast, seeded PRNG (sfc32). */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: string | number) {
    const h = typeof seed === 'number' ? seed >>> 0 : hashString(seed);
    this.a = h;
    this.b = h ^ 0x9e3779b9;
    this.c = h ^ 0x85ebca6b;
    this.d = h ^ 0xc2b2ae35;
    for (let i = 0; i < 15; i++) this.next();
  }
  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t / 4294967296;
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  pick(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export const ALPHABETS: Record<string, string> = {
  an: BASE62,
  alnum: BASE62,
  hex: '0123456789abcdef',
  HEX: '0123456789ABCDEF',
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  lowernum: 'abcdefghijklmnopqrstuvwxyz0123456789',
  uppernum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  digits: '0123456789',
  b64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  b64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  b32: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567',
  /** Bech32 data characters, upper case (age secret keys). */
  bech32: 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L',
};

export function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

/** Structured generators: tokens whose shape is more than a run of one alphabet. */
export const GENERATORS: Record<string, (rng: SeededRandom, arg: string) => string> = {
  /** GitHub-style checksummed token: {{github:ghp_}}; also used for npm_ ({{github:npm_}}). */
  github: (rng, prefix) => {
    const random = rng.pick(BASE62, 30);
    return `${prefix || 'ghp_'}${random}${base62(crc32(random), 6)}`;
  },
  npm: (rng) => GENERATORS.github!(rng, 'npm_'),
  grafana: (rng) => {
    const head = `glsa_${rng.pick(BASE62, 32)}`;
    return `${head}_${littleEndianHex(crc32(head))}`;
  },
  /** An unsigned-looking JWT with the given JSON claims: {{jwt:{"role":"service_role"}}}. */
  jwt: (rng, claims) => {
    const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const body = b64url(claims || JSON.stringify({ sub: rng.pick(ALPHABETS.lowernum!, 12), iat: 1700000000 }));
    return `${header}.${body}.${rng.pick(ALPHABETS.b64url!, 43)}`;
  },
  /** A PEM block with a random body (not a usable key): {{pem:RSA PRIVATE KEY}}. */
  pem: (rng, label) => {
    const lines: string[] = [];
    for (let i = 0; i < 12; i++) lines.push(rng.pick(ALPHABETS.b64!, 64));
    lines.push(`${rng.pick(ALPHABETS.b64!, 20)}==`);
    const l = label || 'PRIVATE KEY';
    return `-----BEGIN ${l}-----\n${lines.join('\n')}\n-----END ${l}-----`;
  },
  /** AWS access key id: {{aws:AKIA}}. */
  aws: (rng, prefix) => `${prefix || 'AKIA'}${rng.pick(ALPHABETS.b32!.replace(/[01]/g, ''), 16)}`,
  /** A UUID v4. */
  uuid: (rng) => {
    const h = rng.pick(ALPHABETS.hex!, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  },
  /** HTTP basic credentials, base64("user:password") as a Docker config's "auth": {{basic-auth:builder}}. */
  'basic-auth': (rng, user) => Buffer.from(`${user || 'fixture'}:${rng.pick(BASE62, 24)}`).toString('base64'),
  /** Sentry org auth token: sntrys_ + base64 JSON {iat, url, region_url, org} + _ + 43 base64: {{sentry:acme}}. */
  sentry: (rng, org) => {
    const payload = {
      iat: 1700000000 + rng.int(1e8),
      url: 'https://sentry.io',
      region_url: 'https://us.sentry.io',
      org: org || 'fixture',
    };
    const secret = Buffer.from(Array.from({ length: 32 }, () => rng.int(256)))
      .toString('base64')
      .replace(/=+$/, '');
    return `sntrys_${Buffer.from(JSON.stringify(payload)).toString('base64')}_${secret}`;
  },
  /** Grafana Cloud access-policy token: glc_ + base64 JSON {o, n, k, m: {r}}: {{glc:prod-us-east-0}}. */
  glc: (rng, region) => {
    const payload = {
      o: String(100000 + rng.int(900000)),
      n: 'stack-fixture-hm-read',
      k: rng.pick(BASE62, 24),
      m: { r: region || 'prod-us-east-0' },
    };
    return `glc_${Buffer.from(JSON.stringify(payload)).toString('base64')}`;
  },
  /**
   * PyPI API token: a v2 binary macaroon whose caveats are the given JSON array of caveats
   * ({{pypi:[[1,["requests"]],[0,1900000000,1700000000]]}}); empty = a legacy user-wide token.
   */
  pypi: (rng, caveats) => {
    const list: unknown[] = caveats ? (JSON.parse(caveats) as unknown[]) : [{ version: 1, permissions: 'user' }];
    const varint = (n: number) => {
      const out: number[] = [];
      do {
        out.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
        n >>>= 7;
      } while (n > 0);
      return out;
    };
    const field = (tag: number, data: Buffer) =>
      Buffer.concat([Buffer.from([...varint(tag), ...varint(data.length)]), data]);
    const parts: Buffer[] = [
      Buffer.from([2]),
      field(1, Buffer.from('pypi.org')),
      field(2, Buffer.from(JSON.stringify({ version: 1, uuid: GENERATORS.uuid!(rng, '') }))),
      Buffer.from([0]),
    ];
    for (const c of list) parts.push(field(2, Buffer.from(JSON.stringify(c))), Buffer.from([0]));
    parts.push(Buffer.from([0]), field(6, Buffer.from(Array.from({ length: 32 }, () => rng.int(256)))));
    return `pypi-${Buffer.concat(parts).toString('base64url')}`;
  },
  /**
   * GitLab routable token (prefix + base64url payload + . + base36 length + base36 CRC32):
   * {{gitlab-routable:o:1\nu:2s}}.
   */
  'gitlab-routable': (rng, routing) => {
    const payload = Buffer.concat([
      Buffer.from((routing || 'o:1\nu:7b').replace(/\\n/g, '\n')),
      Buffer.from(Array.from({ length: 16 }, () => rng.int(256))),
      Buffer.from([16]),
    ]).toString('base64url');
    const head = `glpat-${payload}.${payload.length.toString(36).padStart(2, '0')}`;
    return `${head}${crc32(head).toString(36).padStart(7, '0')}`;
  },
  /** Cloudflare scannable credential with a valid CRC-32: {{cloudflare:cfut_}} (cfat_, cfk_). */
  cloudflare: (rng, prefix) => {
    const body = rng.pick(BASE62, 40);
    return `${prefix || 'cfut_'}${body}${crc32(body).toString(16).padStart(8, '0')}`;
  },
  /** AWS access key id that encodes the given 12-digit account: {{aws-account:AKIA/000011112222}}. */
  'aws-account': (rng, arg) => {
    const [prefix = 'AKIA', account = '000011112222'] = arg.split('/');
    // 80 bits: 1 bit + 40-bit account << 7 + 7 random bits in the first 48, then 32 random bits.
    let bits = ((BigInt(account) << 7n) | BigInt(rng.int(128))) << 32n;
    bits |= BigInt(rng.int(2 ** 32));
    let out = '';
    for (let i = 15; i >= 0; i--) out += ALPHABETS.b32![Number((bits >> BigInt(i * 5)) & 31n)];
    return `${prefix}${out}`;
  },
  /**
   * Discord bot token: base64url(snowflake id created 2016-2024) . base64url(4-byte seconds since
   * 2011, after the id's creation) . 38 base64url: {{discord}}.
   */
  discord: (rng) => {
    const created = Date.UTC(2016, 0, 1) + rng.int(8 * 365) * 86_400_000 + rng.int(86_400_000);
    const id = ((BigInt(created) - 1420070400000n) << 22n) | BigInt(rng.int(1 << 22));
    const stamp = Buffer.alloc(4);
    stamp.writeUInt32BE(Math.floor(created / 1000) - 1293840000 + rng.int(400 * 86_400));
    return `${b64url(id.toString())}.${b64url(stamp)}.${rng.pick(ALPHABETS.b64url!, 38)}`;
  },
  /** An unsigned JWT (alg "none", empty signature) with the given JSON claims: {{jwt-none:{"role":"admin"}}}. */
  'jwt-none': (rng, claims) => {
    const header = b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const body = claims || JSON.stringify({ sub: rng.pick(ALPHABETS.lowernum!, 12), iat: 1700000000 });
    return `${header}.${b64url(body)}.`;
  },
};

const TEMPLATE = /\{\{\s*([A-Za-z][\w-]*)\s*(?::((?:[^{}]|\{[^{}]*\})*))?\}\}|\{\{(\/)secret\}\}/g;

/** An expanded rule example: its text, and the secrets it marks with {{secret}}…{{/secret}}, in text order. */
export interface ExpandedExample {
  readonly text: string;
  readonly marked: ReadonlyArray<readonly [start: number, end: number]>;
  /** Where each placeholder's value sits in `text` (marks excluded). */
  readonly values: ReadonlyArray<readonly [start: number, end: number]>;
}

/**
 * Expand `{{alphabet:length}}` and `{{generator:arg}}` placeholders. Alphabets: an (A-Za-z0-9), hex,
 * HEX, lower, upper, lowernum, uppernum, digits, b64, b64url, b32. Generators: see GENERATORS.
 * `{{ref:N}}` repeats the value of the Nth placeholder (1-based) of the same template.
 * `{{secret}}` and `{{/secret}}` mark the secret for the rule tester and expand to nothing.
 */
export function expandTemplate(template: string, seed: string | number): string {
  return expandExample(template, seed).text;
}

/** expandTemplate, saying where the marked secrets and the placeholders' values are. */
export function expandExample(template: string, seed: string | number): ExpandedExample {
  const rng = new SeededRandom(seed);
  const values: string[] = [];
  const spans: Array<[number, number]> = [];
  const marked: Array<[number, number]> = [];
  let open: number | undefined;
  let text = '';
  let last = 0;
  for (const m of template.matchAll(TEMPLATE)) {
    const [whole, name, arg, close] = m;
    text += template.slice(last, m.index);
    last = m.index + whole.length;
    if (name === 'secret' || close) {
      if ((open === undefined) === Boolean(close))
        throw new Error(close ? '{{/secret}} without {{secret}} before it' : '{{secret}} inside another {{secret}}');
      if (close) marked.push([open!, text.length]);
      open = close ? undefined : text.length;
      continue;
    }
    const value = expandPlaceholder(rng, values, whole, name!, arg);
    values.push(value);
    spans.push([text.length, text.length + value.length]);
    text += value;
  }
  if (open !== undefined) throw new Error('{{secret}} without {{/secret}} after it');
  return { text: text + template.slice(last), marked, values: spans };
}

function expandPlaceholder(rng: SeededRandom, values: readonly string[], whole: string, name: string, arg?: string) {
  if (name === 'ref') return values[Number(arg) - 1] ?? '';
  if (name in ALPHABETS) {
    const n = Number(arg);
    if (!Number.isInteger(n) || n <= 0 || n > 100000) throw new Error(`bad length in ${whole}`);
    return rng.pick(ALPHABETS[name]!, n);
  }
  if (name in GENERATORS) return GENERATORS[name]!(rng, arg ?? '');
  const known = [...Object.keys(ALPHABETS), ...Object.keys(GENERATORS), 'ref', 'secret'];
  throw new Error(`unknown generator "${name}" in ${whole} (known: ${known.join(', ')})`);
}
