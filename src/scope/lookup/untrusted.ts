// Provider answers are untrusted input: an error body may quote the token, an identity may carry
// a newline and `::warning::` or terminal escapes. Every string a lookup returns passes here once.

import type { Grant } from '../../types.js';
import type { LookupOutcome } from '../../providers/lookup/types.js';

/** Longest text kept from a provider (an identity, a fact, a resource name). */
export const MAX_PROVIDER_TEXT = 200;
/** Most facts, grants or reached resources kept from one answer. */
export const MAX_PROVIDER_ITEMS = 50;
/** Credential parts shorter than this are ids and names (an account name), not secrets. */
const MIN_SECRET_PART = 8;

/** Every form in which the secret (or one of its parts) could come back: as is, base64, URL-encoded. */
export function secretForms(parts: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const whole of parts)
    for (const p of [whole, ...whole.split('\n')]) {
      if (p.length < MIN_SECRET_PART) continue;
      forms.add(p);
      forms.add(encodeURIComponent(p));
      forms.add(Buffer.from(p).toString('base64').replace(/=+$/, ''));
      forms.add(Buffer.from(p).toString('base64url'));
    }
  // Longest first, so a part inside the whole secret never leaves the rest of it behind.
  return [...forms].sort((a, b) => b.length - a.length);
}

// C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a terminal shows.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const visible = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One provider string, safe to print: secrets masked, control characters shown as escapes, length capped. */
export function providerText(text: string, forms: readonly string[]): string {
  let out = text;
  for (const f of forms) if (out.includes(f)) out = out.split(f).join('[secret]');
  out = out.replace(CONTROL, visible);
  return out.length > MAX_PROVIDER_TEXT ? `${out.slice(0, MAX_PROVIDER_TEXT - 1)}…` : out;
}

const grants = (list: readonly Grant[] | undefined, forms: readonly string[]) =>
  list?.slice(0, MAX_PROVIDER_ITEMS).map((g) => ({ ...g, resource: providerText(g.resource, forms) }));

/** The outcome with every provider-supplied string passed through providerText. */
export function untrustedOutcome(o: LookupOutcome, forms: readonly string[]): LookupOutcome {
  const clean: { -readonly [K in keyof LookupOutcome]: LookupOutcome[K] } = {
    ...o,
    facts: o.facts.slice(0, MAX_PROVIDER_ITEMS).map((f) => providerText(f, forms)),
  };
  if (o.identity !== undefined) clean.identity = providerText(o.identity, forms);
  if (o.grants) clean.grants = grants(o.grants, forms);
  if (o.reached) clean.reached = grants(o.reached, forms);
  return clean;
}
