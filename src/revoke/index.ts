// Revoking one leaked credential: through the provider's own call where one exists (./providers.ts),
// only after a confirmation that names the identity that will lose access; exact steps otherwise.
// The token goes to the provider's official endpoint only, and into no message.

import { LookupError, ProviderHttp, resolveBase } from '../providers/lookup/http.js';
import type { Finding } from '../types.js';
import { revokerFor } from './providers.js';

export { REVOKERS, revocation, revokerFor, type Revoker } from './providers.js';

export interface RevokeOptions {
  /** Asks the user; true = go ahead. Not called when `yes` is set. */
  readonly confirm: (question: string) => Promise<boolean>;
  /** --yes: the user confirmed on the command line. */
  readonly yes?: boolean;
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

export type RevokeOutcome =
  | { readonly kind: 'revoked' | 'refused' | 'already-revoked' | 'declined'; readonly message: string }
  | { readonly kind: 'steps'; readonly message: string; readonly steps: readonly string[] };

/** The question the user answers: which credential, whose, and what happens. */
export function confirmationQuestion(f: Finding): string {
  const r = revokerFor(f.provider, f.secret);
  const who = f.scope.identity ? `of ${f.scope.identity}` : 'of an identity the lookup could not name';
  const status = f.scope.status === 'live' ? 'live' : `status ${f.scope.status}`;
  const what = `the ${f.ruleName} ${f.redacted} ${who} (${status})`;
  const then = `${r?.consequence ?? ''}; everything that uses it loses access`;
  return `Revoke ${what} through ${r?.how ?? f.provider}? ${then}.`;
}

/** What to do by hand where no call revokes the credential. */
export function revocationSteps(f: Finding): string[] {
  const seen = f.firstSeen ? ` since ${f.firstSeen.date.slice(0, 10)}` : '';
  const who = f.scope.identity ? ` (${f.scope.identity})` : '';
  return [
    `Revoke or rotate it at the provider: ${f.blast.remediation.revoke}`,
    `Check the provider's audit or access log for use of ${f.redacted}${who}${seen}.`,
    `Replace it with: ${f.blast.remediation.replaceWith}`,
    'Remove it from the code; history keeps it in every clone, so revoking is what protects you.',
  ];
}

export async function revokeFinding(f: Finding, options: RevokeOptions): Promise<RevokeOutcome> {
  const revoker = revokerFor(f.provider, f.secret);
  if (!revoker) {
    return {
      kind: 'steps',
      message: `${f.ruleName} ${f.redacted}: ${f.provider} has no call that revokes this credential; do this instead:`,
      steps: revocationSteps(f),
    };
  }
  if (f.scope.status === 'revoked')
    return {
      kind: 'already-revoked',
      message: `${f.ruleName} ${f.redacted}: ${revoker.title} already reports it revoked; nothing to do`,
    };
  if (!options.yes && !(await options.confirm(confirmationQuestion(f))))
    return { kind: 'declined', message: 'not revoked: not confirmed' };
  const http = new ProviderHttp(revoker.provider, resolveBase(revoker.provider, revoker.base, options.env), {
    timeoutMs: options.timeoutMs,
    confirmedWrite: true,
  });
  try {
    const answer = revoker.answer(await http.request(revoker.request(f.secret)));
    return { kind: answer.revoked ? 'revoked' : 'refused', message: `${f.ruleName} ${f.redacted}: ${answer.message}` };
  } catch (err) {
    if (err instanceof LookupError)
      return { kind: 'refused', message: `${f.ruleName} ${f.redacted}: not revoked: ${err.message}` };
    throw err;
  }
}
