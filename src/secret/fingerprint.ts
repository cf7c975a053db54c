// Fingerprints: the stable id of one secret found by one rule, published in JSON, SARIF and CSV
// reports and stored in baselines. sha256(rule \0 secret) was published too, and a 7-word list
// recovered two passwords from it; a fingerprint is now an HMAC under a key the reader of a report
// does not have:
// - LEAKRADIUS_FINGERPRINT_KEY, when set (a CI secret: reports of every repository that shares it
//   merge, and nobody without it can test a guess);
// - else the salt of the baseline in use (stored in the baseline file, made once: a repository's
//   reports keep their fingerprints across runs and machines, and agree with its baseline);
// - else this user's own key (~/.config/leakradius/fingerprint-key, made once, never in a report).

import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { hmacSha256Hex, randomHex, sha256Hex } from './digest.js';

export const FINGERPRINT_KEY_ENV = 'LEAKRADIUS_FINGERPRINT_KEY';

/** A new random salt or key: 32 bytes, hex. */
export function newFingerprintKey(): string {
  return randomHex(32);
}

/** The fingerprint of (rule, secret) under `key`: 64 hex characters, like the sha256 it replaces. */
export function fingerprintWith(key: string, ruleId: string, secret: string): string {
  return hmacSha256Hex(key, ruleId, '\0', secret);
}

/** The version 1 fingerprint, sha256(rule \0 secret): only to match entries of an old baseline. */
export function legacyFingerprint(ruleId: string, secret: string): string {
  return sha256Hex(ruleId, '\0', secret);
}

let baselineSalt: string | undefined;
let userKey: string | undefined;

/** Reports of this process carry fingerprints under this baseline's salt (unless the environment sets a key). */
export function useBaselineSalt(salt: string | undefined): void {
  baselineSalt = salt;
}

/** Where this user's key is kept: $XDG_CONFIG_HOME/leakradius, else ~/.config/leakradius. */
function userKeyFile(): string {
  const base = process.env.XDG_CONFIG_HOME || (homedir() ? join(homedir(), '.config') : tmpdir());
  return join(base, 'leakradius', 'fingerprint-key');
}

/** This user's key, made on first use; a process that cannot keep one uses a key of its own. */
function ownKey(): string {
  if (userKey) return userKey;
  const file = userKeyFile();
  const read = () => {
    const text = readFileSync(file, 'utf8').trim();
    return /^[0-9a-f]{64}$/.test(text) ? text : undefined;
  };
  try {
    userKey = read();
  } catch {
    // not made yet
  }
  if (userKey) return userKey;
  const key = newFingerprintKey();
  const temp = `${file}.${process.pid}.${randomHex(4)}`;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(temp, `${key}\n`, { mode: 0o600, flag: 'wx' });
    // A link appears whole or not at all: of two processes making the key at once, one wins.
    linkSync(temp, file);
    userKey = key;
  } catch {
    try {
      userKey = read();
    } catch {
      // A read-only home: fingerprints are stable within this run only.
    }
  } finally {
    rmSync(temp, { force: true });
  }
  userKey ??= key;
  return userKey;
}

/** The key of this process's fingerprints (see the top of this file). */
export function fingerprintKey(): string {
  return process.env[FINGERPRINT_KEY_ENV] || baselineSalt || ownKey();
}

/** The fingerprint a report shows for (rule, secret). */
export function fingerprint(ruleId: string, secret: string): string {
  return fingerprintWith(fingerprintKey(), ruleId, secret);
}
