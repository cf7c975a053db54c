// Providers that let a leaked token be revoked by whoever holds it: a self-revocation call (GitLab,
// Slack) or a public revocation service (GitHub). One documented request each; everything else
// gets printed steps. Pure data and request builders: the network is in ./index.ts.

import type { HttpRequest, HttpResponse } from '../providers/lookup/http.js';
import { canonicalProvider } from '../providers/names.js';

export interface RevokeAnswer {
  readonly revoked: boolean;
  /** What happened, one line; never holds the token. */
  readonly message: string;
}

export interface Revoker {
  readonly provider: string;
  readonly title: string;
  /** The official base URL; LEAKRADIUS_ENDPOINT_<PROVIDER> overrides it as for lookups. */
  readonly base: string;
  /** Token kinds the call accepts. */
  readonly match: RegExp;
  /** The call, in words, for the prompt and the HTML report. */
  readonly how: string;
  /** What happens after a successful call, for the prompt. */
  readonly consequence: string;
  request(token: string): HttpRequest;
  answer(res: HttpResponse): RevokeAnswer;
}

const UNAUTHORIZED = ': the token is already expired, revoked, or not one of its tokens';

/** Revoked on the documented success status; otherwise the status, and what a 401 means. */
const byStatus =
  (title: string, ok: number, revoked: string) =>
  (res: HttpResponse): RevokeAnswer =>
    res.status === ok
      ? { revoked: true, message: `${title} ${revoked} (HTTP ${ok})` }
      : {
          revoked: false,
          message: `${title} answered HTTP ${res.status}${res.status === 401 ? UNAUTHORIZED : ''}`,
        };

export const REVOKERS: readonly Revoker[] = [
  {
    provider: 'github',
    title: 'GitHub',
    base: 'https://api.github.com',
    // https://docs.github.com/en/rest/credentials/revoke: classic and fine-grained PATs, OAuth and App user tokens.
    match: /^(ghp_|github_pat_|gho_|ghu_|ghr_)/,
    how: "GitHub's credential revocation API (POST /credentials/revoke)",
    consequence: 'GitHub revokes it for good and notifies its owner',
    // Unauthenticated by design: an authenticated call is refused with 403.
    request: (token) => ({
      method: 'POST',
      path: '/credentials/revoke',
      headers: {
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ credentials: [token] }),
    }),
    answer: (res) =>
      res.status === 202
        ? { revoked: true, message: 'GitHub accepted the revocation (HTTP 202); the owner is notified' }
        : res.status === 422
          ? {
              revoked: false,
              message: 'GitHub refused the request (HTTP 422: validation failed, or the limit of 60 requests an hour)',
            }
          : res.status === 403
            ? {
                revoked: false,
                message: 'GitHub refused the request (HTTP 403: the revocation API takes no Authorization header)',
              }
            : { revoked: false, message: `GitHub answered HTTP ${res.status}` },
  },
  {
    provider: 'github',
    title: 'GitHub',
    base: 'https://api.github.com',
    // https://docs.github.com/en/rest/apps/installations#revoke-an-installation-access-token: the token revokes
    // itself.
    match: /^ghs_/,
    how: 'GitHub (DELETE /installation/token)',
    consequence: 'the installation token stops working at once; the App mints new ones',
    request: (token) => ({
      method: 'DELETE',
      path: '/installation/token',
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
      },
    }),
    answer: byStatus('GitHub', 204, 'revoked the installation token'),
  },
  {
    provider: 'gitlab',
    title: 'GitLab',
    base: 'https://gitlab.com',
    // https://docs.gitlab.com/api/personal_access_tokens/#revoke-a-personal-access-token: a token may revoke itself.
    match: /^glpat-/,
    how: 'GitLab (DELETE /api/v4/personal_access_tokens/self)',
    consequence: 'the token stops working at once; its owner must create a new one',
    request: (token) => ({
      method: 'DELETE',
      path: '/api/v4/personal_access_tokens/self',
      headers: { 'private-token': token },
    }),
    answer: byStatus('GitLab', 204, 'revoked the token'),
  },
  {
    provider: 'slack',
    title: 'Slack',
    base: 'https://slack.com',
    // https://api.slack.com/methods/auth.revoke: revokes the token that calls it.
    match: /^(xox[bpaso]-|xoxe\.xox[bp]-)/,
    how: 'Slack (auth.revoke)',
    consequence: 'the token stops working at once; an app may need reinstalling to get a new one',
    request: (token) => ({
      method: 'POST',
      path: '/api/auth.revoke',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    }),
    answer: (res) => {
      const j = res.json<{ ok?: boolean; revoked?: boolean; error?: string }>();
      if (j.ok === true && j.revoked === true)
        return { revoked: true, message: 'Slack revoked the token (auth.revoke: revoked true)' };
      if (j.ok === true) return { revoked: false, message: 'Slack answered ok but did not report the token revoked' };
      return {
        revoked: false,
        message: `Slack refused: ${typeof j.error === 'string' ? j.error.slice(0, 80) : `HTTP ${res.status}`}`,
      };
    },
  },
  {
    provider: 'dropbox',
    title: 'Dropbox',
    base: 'https://api.dropboxapi.com',
    // https://www.dropbox.com/developers/documentation/http/documentation#auth-token-revoke: the calling token.
    match: /^sl\./,
    how: 'Dropbox (POST /2/auth/token/revoke)',
    consequence: 'the access token and the refresh token behind it stop working',
    request: (token) => ({
      method: 'POST',
      path: '/2/auth/token/revoke',
      headers: { authorization: `Bearer ${token}` },
    }),
    answer: byStatus('Dropbox', 200, 'revoked the token'),
  },
];

/** The revoker for a finding's provider and token, if its provider has one call that revokes it. */
export function revokerFor(provider: string, token?: string): Revoker | undefined {
  const p = canonicalProvider(provider);
  return REVOKERS.find((r) => r.provider === p && (token === undefined || r.match.test(token)));
}

/** How a credential is revoked: through a call, or by hand. `start`: the token or its redacted form. */
export function revocation(provider: string, start?: string): { kind: 'api'; how: string } | { kind: 'steps' } {
  const r = revokerFor(provider, start);
  return r ? { kind: 'api', how: r.how } : { kind: 'steps' };
}
