// The offline scope of a finding: the rule's name and the token's own facts (src/providers/offline),
// scrubbed of the secret. Runs in the pre-commit path too: no network call.

import type { Rule } from '../detect/rules.js';
import { offlineFacts } from '../providers/offline/index.js';
import type { Scope } from '../types.js';

export function inferScope(
  rule: Pick<Rule, 'name' | 'provider' | 'type'>,
  secret: string,
  checksum?: 'valid' | 'invalid',
  now = Date.now(),
): Scope {
  const facts: string[] = [`${rule.name} (${rule.provider} ${rule.type})`];
  if (checksum === 'valid') facts.push('checksum valid: a well-formed token, not a random look-alike');
  if (checksum === 'invalid') facts.push('checksum does not match: probably not a real token');
  const o = offlineFacts(secret, rule.provider, now);
  let environment = o.environment;
  if (!environment) {
    if (/(?:^|[_-])test(?:[_-]|$)/.test(secret.slice(0, 12))) environment = 'test';
    else if (/(?:^|[_-])live(?:[_-]|$)/.test(secret.slice(0, 12))) environment = 'production';
    if (environment) o.facts.push(environment === 'test' ? 'test-mode key' : 'live-mode key');
  }
  const scope: Scope = {
    status: 'not-checked',
    grants: o.grants ?? [],
    facts: [...facts, ...o.facts.map((f) => scrub(f, secret))],
    environment,
  };
  if (o.identity) scope.identity = scrub(o.identity, secret);
  if (o.expiresAt !== undefined) scope.expiresAt = o.expiresAt;
  const hints: NonNullable<Scope['offline']> = {};
  if (o.granular) hints.granular = o.granular;
  if (o.weaker) hints.weaker = o.weaker;
  if (o.stronger) hints.stronger = o.stronger;
  if (o.expired) hints.expired = true;
  if (o.canary) hints.canary = o.canary;
  if (Object.keys(hints).length) scope.offline = hints;
  return scope;
}

/** Belt and braces: a fact that would quote the secret (or a long part of it) is cut. */
function scrub(line: string, secret: string): string {
  if (secret.length < 8) return line;
  if (line.includes(secret)) return line.split(secret).join('[secret]');
  return line;
}
