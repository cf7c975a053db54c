// Digests and random bytes for fingerprints, cache keys and lookups. Short inputs (a secret, a
// fingerprint, a cache key's stat list) are hashed in JavaScript (@noble/hashes: the same digests as
// node:crypto): loading node:crypto costs ~5.5 ms CPU, a sixteenth of a pre-commit hook run, which
// hashes only such inputs. Long inputs, random bytes and keys load node:crypto on first use.

import type * as Crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

const requireLazy = createRequire(import.meta.url);
let cryptoModule: typeof Crypto | undefined;
/** node:crypto, loaded on first use. */
export const nodeCrypto = (): typeof Crypto => (cryptoModule ??= requireLazy('node:crypto') as typeof Crypto);

/** What a digest is taken of: strings as UTF-8, as node:crypto's `update` takes them. */
export type DigestInput = string | Uint8Array;

/** Inputs longer than this (in UTF-16 units or bytes) go to node:crypto, many times faster on them. */
const SHORT = 16 * 1024;

const bytes = (part: DigestInput): Uint8Array => (typeof part === 'string' ? utf8ToBytes(part) : part);
const short = (parts: readonly DigestInput[]): boolean => {
  let n = 0;
  for (const p of parts) n += p.length;
  return n <= SHORT;
};

/** Hex digest of the parts one after the other, by `algorithm` ('sha256' or 'sha1'). */
function digestHex(algorithm: 'sha256' | 'sha1', parts: readonly DigestInput[]): string {
  if (!short(parts)) {
    const h = nodeCrypto().createHash(algorithm);
    for (const p of parts) h.update(p);
    return h.digest('hex');
  }
  const h = (algorithm === 'sha256' ? sha256 : sha1).create();
  for (const p of parts) h.update(bytes(p));
  return bytesToHex(h.digest());
}

/** sha256 of the parts one after the other, hex. */
export function sha256Hex(...parts: DigestInput[]): string {
  return digestHex('sha256', parts);
}

/** sha1 of the parts one after the other, hex. */
export function sha1Hex(...parts: DigestInput[]): string {
  return digestHex('sha1', parts);
}

/** HMAC-SHA-256 under `key` (UTF-8) of the parts one after the other, hex. */
export function hmacSha256Hex(key: string, ...parts: DigestInput[]): string {
  if (!short([key, ...parts])) {
    const h = nodeCrypto().createHmac('sha256', key);
    for (const p of parts) h.update(p);
    return h.digest('hex');
  }
  const h = hmac.create(sha256, utf8ToBytes(key));
  for (const p of parts) h.update(bytes(p));
  return bytesToHex(h.digest());
}

/** `n` random bytes from the system's generator, hex. */
export function randomHex(n: number): string {
  return nodeCrypto().randomBytes(n).toString('hex');
}
