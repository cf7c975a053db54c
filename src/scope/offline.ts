// What the token itself says, without any network call.

import type { Rule } from '../detect/rules.js';
import type { Scope } from '../types.js';

export function inferScope(rule: Rule, secret: string, checksum?: 'valid' | 'invalid'): Scope {
  const facts: string[] = [`${rule.name} (${rule.provider} ${rule.type})`];
  if (checksum === 'valid') facts.push('checksum valid: a well-formed token, not a random look-alike');
  if (checksum === 'invalid') facts.push('checksum does not match: probably not a real token');
  let environment: Scope['environment'];
  if (/(?:^|[_-])test(?:[_-]|$)/.test(secret.slice(0, 12))) environment = 'test';
  else if (/(?:^|[_-])live(?:[_-]|$)/.test(secret.slice(0, 12))) environment = 'production';
  if (environment) facts.push(environment === 'test' ? 'test-mode key' : 'live-mode key');
  return { status: 'not-checked', grants: [], facts, environment };
}
