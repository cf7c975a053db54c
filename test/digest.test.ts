// Fingerprints and cache keys are hashed in JavaScript for short inputs (src/secret/digest.ts, to
// keep node:crypto off the pre-commit hook's path): the digests must be node:crypto's, byte for byte.

import { describe, expect, it } from 'vitest';
import { createHash, createHmac } from 'node:crypto';
import { hmacSha256Hex, sha1Hex, sha256Hex } from '../src/secret/digest.js';

/** Texts around SHA's 64-byte blocks and the 16 KB switch to node:crypto, beyond ASCII, unpaired surrogates. */
const TEXTS = [
  '',
  'a',
  'github-classic-pat',
  'x'.repeat(55),
  'y'.repeat(56),
  'z'.repeat(64),
  'caf\u00e9 \u2014 \ud83d\udd11 key',
  'lone \ud800 surrogate \udc00',
  'q'.repeat(16 * 1024),
  'r'.repeat(16 * 1024 + 1),
  '\u00e9'.repeat(9000),
];

describe('digests (src/secret/digest.ts)', () => {
  it('are those of node:crypto for one part, several parts and bytes', () => {
    for (const text of TEXTS) {
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text).digest('hex'));
      expect(sha1Hex(text)).toBe(createHash('sha1').update(text, 'utf8').digest('hex'));
      const parts = ['rule-id', '\0', text];
      expect(sha256Hex(...parts)).toBe(createHash('sha256').update(parts.join('')).digest('hex'));
      const bytes = Buffer.from(text, 'utf8');
      expect(sha256Hex('prefix', bytes)).toBe(createHash('sha256').update('prefix').update(bytes).digest('hex'));
    }
  });

  it('HMAC-SHA-256 is that of node:crypto, for short and long keys and messages', () => {
    for (const key of ['k', 'f'.repeat(64), 'long key '.repeat(20), 'cl\u00e9']) {
      for (const text of TEXTS) {
        const expected = createHmac('sha256', key).update('rule-id').update('\0').update(text).digest('hex');
        expect(hmacSha256Hex(key, 'rule-id', '\0', text)).toBe(expected);
      }
    }
  });
});
