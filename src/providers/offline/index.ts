// Offline facts: what a token says about itself (type and class, live vs test mode, checksums,
// embedded ids, JWT claims, SAS parameters, macaroon caveats). Pure functions; these run in the
// pre-commit path too. No fact line may hold the secret (or any secret part of it).

import { privateKeyFacts, uriFacts, awsKeyIdFacts } from './keys.js';
import { PREFIX_FACTS, PROVIDER_FACTS } from './prefixes.js';
import { gcpFacts, jwtFacts, sasFacts } from './tokens.js';
import type { OfflineFacts } from './types.js';

export type { OfflineFacts } from './types.js';
export { accessOfName, gitlabFacts, jwtFacts, macaroonCaveats, pypiFacts, sasFacts } from './tokens.js';
export { awsAccountId, awsCanary, awsKeyIdFacts, privateKeyFacts, uriFacts } from './keys.js';

/** Dispatch on the shape of the token first (JWT, PEM, URI, SAS), then on the provider's prefixes. */
export function offlineFacts(secret: string, provider = '', now = Date.now()): OfflineFacts {
  const s = secret.trim();
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/.test(s) || s.startsWith('PuTTY-User-Key-File-'))
    return privateKeyFacts(s);
  if (/^[a-z][a-z0-9+.-]*:\/\/[^\s/@]*:[^\s@]*@/i.test(s)) return uriFacts(s);
  if (/(?:^|[?&])sig=/.test(s) && /(?:^|[?&])(?:sp|se|sv)=/.test(s)) return sasFacts(s, now);
  if (/^"?\{/.test(s) && s.includes('service_account')) return gcpFacts(s);
  if (/^(?:eyJ|ewog)[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(s)) return jwtFacts(s, now);
  const p = PREFIX_FACTS.find(([re]) => re.test(s));
  if (p) return p[1](s, now);
  if (/^(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}$/.test(s)) return awsKeyIdFacts(s);
  if (/^(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\n/.test(s)) return awsKeyIdFacts(s.slice(0, 20)); // composite key pair
  const byProvider = PROVIDER_FACTS[provider.toLowerCase()];
  return byProvider ? byProvider(s, now) : { facts: [] };
}
