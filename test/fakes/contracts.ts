// Contract fakes: each answers as the provider documents, not as leakradius expects. They check
// what the provider checks (signatures with the real algorithms, the account a token belongs to,
// the region a key lives in) and answer with the provider's own error for each failure. Every
// fake names the documentation page or peer implementation it follows. Credentials are the
// fake's "database": whatever is not in it is unknown to the provider.

import { createHash, createHmac, createVerify } from 'node:crypto';
import type { FakeReply, SeenRequest } from './server.js';

const header = (req: SeenRequest, name: string): string | undefined => {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(',') : v;
};

// --- AWS STS and IAM ------------------------------------------------------------------------

export interface AwsPrincipal {
  readonly secret: string;
  readonly arn: string;
  /** ASIA keys: the session token that must come with every request. */
  readonly sessionToken?: string;
  /** A key created a moment ago: correct signatures fail this many times first (propagation). */
  fresh?: number;
  /** Managed policies attached to the user, with their documents. */
  readonly policies?: ReadonlyArray<{ readonly name: string; readonly document: unknown }>;
  readonly inline?: ReadonlyArray<{ readonly name: string; readonly document: unknown }>;
}

const stsError = (code: string, message: string): FakeReply => ({
  status: 403,
  headers: { 'content-type': 'text/xml' },
  body:
    `<ErrorResponse ` +
    `xmlns="https://sts.amazonaws.com/doc/2011-06-15/">` +
    `<Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error>` +
    `<RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>`,
});

/** The Authorization header of a Signature Version 4 request. */
const AWS_AUTH = new RegExp(
  String.raw`^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,` +
    ' SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$',
);

/**
 * Signature Version 4 as AWS checks it
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html): the canonical
 * request from what arrived (method, the API path, query, the signed headers, the body's hash),
 * the string to sign over its hash, and the key derived from the secret by date, region, service.
 * Errors as in https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html.
 */
export function awsVerify(
  req: SeenRequest,
  principals: ReadonlyMap<string, AwsPrincipal>,
): { principal: AwsPrincipal } | FakeReply {
  const auth = header(req, 'authorization') ?? '';
  const m = AWS_AUTH.exec(auth);
  if (!m)
    return { status: 400, body: '<ErrorResponse><Error><Code>IncompleteSignature</Code></Error></ErrorResponse>' };
  const [, keyId, day, region, service, signedHeaders, signature] = m as unknown as string[];
  const principal = principals.get(keyId!);
  if (!principal) return stsError('InvalidClientTokenId', 'The security token included in the request is invalid.');
  if (principal.sessionToken !== undefined && header(req, 'x-amz-security-token') !== principal.sessionToken)
    return stsError('InvalidClientTokenId', 'The security token included in the request is invalid.');
  const amzDate = header(req, 'x-amz-date') ?? '';
  if (amzDate.slice(0, 8) !== day)
    return stsError(
      'SignatureDoesNotMatch',
      'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP.',
    );
  const [path, query = ''] = req.path.split('?');
  const names = signedHeaders!.split(';');
  const canonicalHeaders = names.map((n) => `${n}:${(header(req, n) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonical =
    `${req.method}\n${path}\n${query}\n${canonicalHeaders}\n${signedHeaders}\n` +
    `${createHash('sha256').update(req.body).digest('hex')}`;
  const toSign =
    `AWS4-HMAC-SHA256\n${amzDate}\n${day}/${region}/${service}/aws4_request\n` +
    `${createHash('sha256').update(canonical).digest('hex')}`;
  let k: Buffer = createHmac('sha256', `AWS4${principal.secret}`).update(day!).digest();
  for (const part of [region!, service!, 'aws4_request']) k = createHmac('sha256', k).update(part).digest();
  const expected = createHmac('sha256', k).update(toSign).digest('hex');
  if (expected !== signature)
    return stsError(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
    );
  if (principal.fresh && principal.fresh > 0) {
    principal.fresh--;
    return stsError(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
    );
  }
  return { principal };
}

const xmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** STS GetCallerIdentity and the IAM reads of a deep lookup, over one set of principals. */
export function awsApi(principals: ReadonlyMap<string, AwsPrincipal>) {
  return (req: SeenRequest): FakeReply => {
    const verdict = awsVerify(req, principals);
    if (!('principal' in verdict)) return verdict;
    const { principal } = verdict;
    const form = new URLSearchParams(req.body);
    const action = form.get('Action');
    const xml = (name: string, inner: string): FakeReply => ({
      headers: { 'content-type': 'text/xml' },
      body: `<${name}Response><${name}Result>${inner}</${name}Result></${name}Response>`,
    });
    const policies = principal.policies ?? [];
    const byArn = (arn: string | null) => policies.find((p) => `arn:aws:iam::aws:policy/${p.name}` === arn);
    switch (action) {
      case 'GetCallerIdentity': {
        const account = /::(\d{12}):/.exec(principal.arn)?.[1];
        return xml(
          'GetCallerIdentity',
          `<Arn>${principal.arn}</Arn><UserId>AIDAFAKE</UserId><Account>${account}</Account>`,
        );
      }
      case 'ListAttachedUserPolicies': {
        const members = policies.map(
          (p) =>
            `<member><PolicyName>${p.name}</PolicyName>` +
            `<PolicyArn>arn:aws:iam::aws:policy/${p.name}</PolicyArn></member>`,
        );
        return xml('ListAttachedUserPolicies', `<AttachedPolicies>${members.join('')}</AttachedPolicies>`);
      }
      case 'GetPolicy':
        return byArn(form.get('PolicyArn'))
          ? xml('GetPolicy', '<Policy><DefaultVersionId>v1</DefaultVersionId></Policy>')
          : stsError('NoSuchEntity', 'not found');
      case 'GetPolicyVersion': {
        const p = byArn(form.get('PolicyArn'));
        return p
          ? xml(
              'GetPolicyVersion',
              `<PolicyVersion><Document>` +
                `${xmlEscape(encodeURIComponent(JSON.stringify(p.document)))}</Document></PolicyVersion>`,
            )
          : stsError('NoSuchEntity', 'not found');
      }
      case 'ListUserPolicies':
        return xml(
          'ListUserPolicies',
          `<PolicyNames>${(principal.inline ?? []).map((p) => `<member>${p.name}</member>`).join('')}</PolicyNames>`,
        );
      case 'GetUserPolicy': {
        const p = (principal.inline ?? []).find((x) => x.name === form.get('PolicyName'));
        return p
          ? xml(
              'GetUserPolicy',
              `<PolicyDocument>${xmlEscape(encodeURIComponent(JSON.stringify(p.document)))}</PolicyDocument>`,
            )
          : stsError('NoSuchEntity', 'not found');
      }
      case 'ListGroupsForUser':
        return xml('ListGroupsForUser', '<Groups></Groups>');
      default:
        return stsError('InvalidAction', 'not supported by the fake');
    }
  };
}

// --- Azure Blob storage ---------------------------------------------------------------------

/**
 * Shared Key as the storage service checks it
 * (https://learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key): the verb, the
 * standard headers, the x-ms- headers sorted, and the canonicalized resource with EVERY query
 * parameter as a lower-cased, sorted "name:value" line. A mismatch is 403 AuthenticationFailed.
 */
export function azureBlob(accounts: ReadonlyMap<string, { key: string; containers: readonly string[] }>) {
  return (req: SeenRequest): FakeReply => {
    const m = /^SharedKey ([a-z0-9]+):(.+)$/.exec(header(req, 'authorization') ?? '');
    const failed: FakeReply = {
      status: 403,
      headers: { 'content-type': 'application/xml' },
      body:
        '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code><Message>Server failed ' +
        'to authenticate the request.</Message></Error>',
    };
    const account = m && accounts.get(m[1]!);
    if (!m || !account) return failed;
    const url = new URL(req.path, 'https://x.invalid');
    const ms = Object.keys(req.headers)
      .filter((h) => h.startsWith('x-ms-'))
      .sort()
      .map((h) => `${h}:${header(req, h)!.trim()}\n`)
      .join('');
    const params = [...url.searchParams.keys()]
      .map((k) => k.toLowerCase())
      .sort()
      .map((k) => `\n${k}:${url.searchParams.getAll(k).sort().join(',')}`)
      .join('');
    const std = [
      'content-encoding',
      'content-language',
      'content-length',
      'content-md5',
      'content-type',
      'date',
      'if-modified-since',
      'if-match',
      'if-none-match',
      'if-unmodified-since',
      'range',
    ];
    const method = req.method;
    const stdValues = std.map((h) => (h === 'content-length' && header(req, h) === '0' ? '' : (header(req, h) ?? '')));
    const stringToSign = `${method}\n${stdValues.join('\n')}\n${ms}/${m[1]}${url.pathname}${params}`;
    const expected = createHmac('sha256', Buffer.from(account.key, 'base64'))
      .update(stringToSign, 'utf8')
      .digest('base64');
    if (expected !== m[2]) return failed;
    const list = account.containers.slice(0, Number(url.searchParams.get('maxresults') ?? 5000));
    return {
      headers: { 'content-type': 'application/xml' },
      body:
        `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ` +
        `ServiceEndpoint="https://${m[1]}.blob.core.windows.net/"><Containers>` +
        `${list.map((c) => `<Container><Name>${c}</Name></Container>`).join('')}` +
        `</Containers><NextMarker /></EnumerationResults>`,
    };
  };
}

// --- Cloudflare ------------------------------------------------------------------------------

/**
 * Token verification (https://developers.cloudflare.com/api/resources/user/subresources/tokens/methods/verify
 * and …/accounts/subresources/tokens/methods/verify): a user token verifies at /user/tokens/verify,
 * an account-owned token only at its own account's endpoint; anything else is 401 code 1000.
 */
export function cloudflareApi(tokens: ReadonlyMap<string, { id: string; account?: string; status?: string }>) {
  const invalid: FakeReply = {
    status: 401,
    body: { success: false, errors: [{ code: 1000, message: 'Invalid API Token' }], messages: [], result: null },
  };
  return (req: SeenRequest): FakeReply => {
    const t = tokens.get((header(req, 'authorization') ?? '').replace(/^Bearer /, ''));
    const account = /^\/client\/v4\/accounts\/([0-9a-f]{32})\/tokens\/verify$/.exec(req.path)?.[1];
    const user = req.path === '/client/v4/user/tokens/verify';
    if (!t || (!user && !account) || (user && t.account) || (account && t.account !== account)) return invalid;
    return { body: { success: true, errors: [], messages: [], result: { id: t.id, status: t.status ?? 'active' } } };
  };
}

// --- GitHub ------------------------------------------------------------------------------------

export interface GitHubToken {
  readonly login?: string;
  /** Classic tokens: the x-oauth-scopes header. */
  readonly scopes?: string;
  /**
   * As GitHub sends it: "2027-03-19 00:00:00 -0500"
   * (https://github.blog/changelog/2021-07-26-expiration-options-for-personal-access-tokens/).
   */
  readonly expiration?: string;
  readonly repos?: ReadonlyArray<{
    full_name: string;
    owner: { login: string; type: 'User' | 'Organization' };
    permissions: { admin: boolean; push: boolean; pull: boolean };
  }>;
  /**
   * A GitHub App installation token (ghs_): /user answers 403
   * (https://docs.github.com/en/rest/apps/installations#list-repositories-accessible-to-the-app-installation).
   */
  readonly installation?: boolean;
}

export function githubApi(tokens: ReadonlyMap<string, GitHubToken>) {
  return (req: SeenRequest): FakeReply => {
    const t = tokens.get((header(req, 'authorization') ?? '').replace(/^(Bearer|token) /, ''));
    if (!t)
      return {
        status: 401,
        body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' },
      };
    const path = req.path.split('?')[0];
    if (t.installation) {
      if (path === '/installation/repositories')
        return {
          body: { total_count: t.repos?.length ?? 0, repository_selection: 'selected', repositories: t.repos ?? [] },
        };
      return {
        status: 403,
        body: {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user',
          status: '403',
        },
      };
    }
    const headers: Record<string, string> = {};
    if (t.scopes !== undefined) headers['x-oauth-scopes'] = t.scopes;
    if (t.expiration) headers['github-authentication-token-expiration'] = t.expiration;
    if (path === '/user') return { headers, body: { login: t.login ?? 'fixture', site_admin: false, type: 'User' } };
    if (path === '/user/repos') return { headers, body: t.repos ?? [] };
    if (path === '/installation/repositories')
      return {
        status: 403,
        body: {
          message:
            'You must authenticate with an installation access token in order to list repositories for an ' +
            'installation.',
        },
      };
    return { status: 404, body: { message: 'Not Found' } };
  };
}

// --- Region-bound keys: Datadog sites, Mailgun regions -------------------------------------------

/**
 * A Datadog key belongs to one site (https://docs.datadoghq.com/getting_started/site/);
 * /api/v1/validate answers 200 {"valid":true} there and 403 {"errors":["Forbidden"]} on every other
 * site (https://docs.datadoghq.com/api/latest/authentication/#validate-api-key).
 */
export function datadogSite(site: string, keys: ReadonlyMap<string, string>) {
  return (req: SeenRequest): FakeReply =>
    keys.get(header(req, 'dd-api-key') ?? '') === site && req.path === '/api/v1/validate'
      ? { body: { valid: true } }
      : { status: 403, body: { errors: ['Forbidden'] } };
}

/**
 * Mailgun US and EU accounts are separate (https://documentation.mailgun.com/docs/mailgun/api-reference/): 401
 * "Forbidden" at the other region.
 */
export function mailgunRegion(region: string, keys: ReadonlyMap<string, string>) {
  return (req: SeenRequest): FakeReply => {
    const key = Buffer.from((header(req, 'authorization') ?? '').replace(/^Basic /, ''), 'base64')
      .toString()
      .replace(/^api:/, '');
    return keys.get(key) === region
      ? { body: { total_count: 1, items: [{ name: `mg.${region}.fixture.test` }] } }
      : { status: 401, body: 'Forbidden' };
  };
}

// --- Atlassian -----------------------------------------------------------------------------------

/**
 * Classic API tokens authenticate at the site; scoped tokens only through
 * https://api.atlassian.com/ex/jira/{cloudId}/…
 * (https://support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account/);
 * a site's cloud id is public at /_edge/tenant_info. A wrong e-mail is 401 like a wrong token.
 */
export function atlassianApi(cloudId: string, tokens: ReadonlyMap<string, { email: string; scoped: boolean }>) {
  return (req: SeenRequest): FakeReply => {
    if (req.path === '/_edge/tenant_info') return { body: { cloudId } };
    const [email, token] = Buffer.from((header(req, 'authorization') ?? '').replace(/^Basic /, ''), 'base64')
      .toString()
      .split(/:(.*)/s);
    const t = tokens.get(token ?? '');
    const viaGateway = req.path === `/ex/jira/${cloudId}/rest/api/3/myself`;
    if (!t || t.email !== email || t.scoped !== viaGateway || (!viaGateway && req.path !== '/rest/api/3/myself'))
      return { status: 401, body: 'Client must be authenticated to access this resource.' };
    return { body: { accountId: '5f0000fake', emailAddress: email, displayName: 'Fixture', active: true } };
  };
}

// --- GitLab ----------------------------------------------------------------------------------------

/**
 * GET /personal_access_tokens/self and /personal_access_tokens/self/associations
 * (https://docs.gitlab.com/api/personal_access_tokens/): PRIVATE-TOKEN header, 401 for an unknown,
 * revoked or expired token.
 */
export function gitlabApi(
  tokens: ReadonlyMap<string, { self: Record<string, unknown>; groups?: unknown[]; projects?: unknown[] }>,
) {
  return (req: SeenRequest): FakeReply => {
    const t = tokens.get(header(req, 'private-token') ?? '');
    if (!t) return { status: 401, body: { message: '401 Unauthorized' } };
    const path = req.path.split('?')[0];
    if (path === '/api/v4/personal_access_tokens/self') return { body: t.self };
    if (path === '/api/v4/personal_access_tokens/self/associations')
      return { body: { groups: t.groups ?? [], projects: t.projects ?? [] } };
    return { status: 404, body: { message: '404 Not Found' } };
  };
}

// --- Slack ---------------------------------------------------------------------------------------

/**
 * auth.test (https://api.slack.com/methods/auth.test): HTTP 200 either way; ok:false with invalid_auth for a bad
 * token.
 */
export function slackApi(tokens: ReadonlyMap<string, { team: string; url: string; botId?: string; scopes: string }>) {
  return (req: SeenRequest): FakeReply => {
    const t = tokens.get((header(req, 'authorization') ?? '').replace(/^Bearer /, ''));
    if (!t || req.method !== 'POST' || req.path !== '/api/auth.test')
      return { body: { ok: false, error: 'invalid_auth' } };
    return {
      headers: { 'x-oauth-scopes': t.scopes },
      body: { ok: true, url: t.url, team: t.team, team_id: 'T0FAKE', user: 'bot', user_id: 'U0FAKE', bot_id: t.botId },
    };
  };
}

// --- GCP -------------------------------------------------------------------------------------------

/**
 * The JWT-bearer grant (https://developers.google.com/identity/protocols/oauth2/service-account#httprest):
 * the assertion's RS256 signature is checked with the key's public half; a deleted key is 400
 * invalid_grant "Invalid JWT Signature."; a clock too far off is invalid_grant about the timeframe.
 * Then testIamPermissions (https://cloud.google.com/resource-manager/reference/rest/v1/projects/testIamPermissions)
 * answers the held subset of the asked permissions.
 */
export function gcpApi(
  keys: ReadonlyMap<string, { publicKey: import('node:crypto').KeyObject; held: readonly string[] }>,
  clockSkewSeconds = 0,
) {
  const issued = new Map<string, readonly string[]>();
  return (req: SeenRequest): FakeReply => {
    if (req.path === '/token') {
      const assertion = new URLSearchParams(req.body).get('assertion') ?? '';
      const [h, p, sig] = assertion.split('.');
      const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString() || '{}') as {
        iss?: string;
        iat?: number;
        exp?: number;
      };
      const key = keys.get(claims.iss ?? '');
      const now = Math.floor(Date.now() / 1000) + clockSkewSeconds;
      if (!key || !sig || !verifyRs256(`${h}.${p}`, sig, key.publicKey))
        return { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } };
      if (!claims.iat || !claims.exp || Math.abs(now - claims.iat) > 300 || claims.exp - claims.iat > 3600)
        return {
          status: 400,
          body: {
            error: 'invalid_grant',
            error_description:
              'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check ' +
              'your iat and exp values in the JWT claim.',
          },
        };
      const access = `ya29.${createHash('sha256').update(assertion).digest('hex').slice(0, 24)}`;
      issued.set(access, key.held);
      return { body: { access_token: access, expires_in: 3599, token_type: 'Bearer' } };
    }
    const held = issued.get((header(req, 'authorization') ?? '').replace(/^Bearer /, ''));
    if (!held) return { status: 401, body: { error: { code: 401, status: 'UNAUTHENTICATED' } } };
    const asked = (JSON.parse(req.body || '{}') as { permissions?: string[] }).permissions ?? [];
    return { body: { permissions: asked.filter((x) => held.includes(x)) } };
  };
}

function verifyRs256(data: string, sig: string, key: import('node:crypto').KeyObject): boolean {
  return createVerify('RSA-SHA256').update(data).verify(key, Buffer.from(sig, 'base64url'));
}

// --- Entra ID --------------------------------------------------------------------------------------

/**
 * Client credentials (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow,
 * error codes https://learn.microsoft.com/entra/identity-platform/reference-error-codes):
 * AADSTS7000215 wrong secret, AADSTS700016 no such app in that tenant, AADSTS90002 no such tenant.
 */
export function entraApi(apps: ReadonlyMap<string, { tenant: string; secret: string; roles: readonly string[] }>) {
  const error = (status: number, error: string, code: string, text: string): FakeReply => ({
    status,
    body: { error, error_description: `${code}: ${text}`, error_codes: [Number(code.slice(5))] },
  });
  return (req: SeenRequest): FakeReply => {
    const form = new URLSearchParams(req.body);
    const tenant = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(req.path)?.[1];
    const app = apps.get(form.get('client_id') ?? '');
    if (![...apps.values()].some((a) => a.tenant === tenant))
      return error(400, 'invalid_request', 'AADSTS90002', `Tenant '${tenant}' not found.`);
    if (!app || app.tenant !== tenant)
      return error(400, 'unauthorized_client', 'AADSTS700016', 'Application not found in the directory.');
    if (app.secret !== form.get('client_secret'))
      return error(401, 'invalid_client', 'AADSTS7000215', 'Invalid client secret provided.');
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    return {
      body: {
        token_type: 'Bearer',
        expires_in: 3599,
        access_token: `${b64({ alg: 'RS256' })}.${b64({ roles: app.roles })}.sig`,
      },
    };
  };
}

// --- Twilio API keys --------------------------------------------------------------------------------

/**
 * GET /2010-04-01/Accounts.json with Basic {SK…}:{secret} (https://www.twilio.com/docs/iam/api-keys); 401 code
 * 20003 otherwise.
 */
export function twilioKeys(keys: ReadonlyMap<string, { secret: string; account: string }>) {
  return (req: SeenRequest): FakeReply => {
    const [sid, secret] = Buffer.from((header(req, 'authorization') ?? '').replace(/^Basic /, ''), 'base64')
      .toString()
      .split(':');
    const k = keys.get(sid ?? '');
    if (!k || k.secret !== secret)
      return {
        status: 401,
        body: {
          code: 20003,
          message: 'Authenticate',
          more_info: 'https://www.twilio.com/docs/errors/20003',
          status: 401,
        },
      };
    return { body: { accounts: [{ sid: `AC${'0'.repeat(32)}`, friendly_name: k.account, status: 'active' }] } };
  };
}

// --- Google API keys ---------------------------------------------------------------------------------

/**
 * One Google API (https://cloud.google.com/apis/design/errors): an unknown key is 400
 * INVALID_ARGUMENT with reason API_KEY_INVALID; a key of a project where the API is not enabled is
 * 403 PERMISSION_DENIED with reason SERVICE_DISABLED. Maps answers 200 with a status field
 * (https://developers.google.com/maps/documentation/geocoding/requests-geocoding#StatusCodes).
 */
export function googleApi(api: 'gemini' | 'youtube' | 'maps', keys: ReadonlyMap<string, ReadonlySet<string>>) {
  return (req: SeenRequest): FakeReply => {
    const key = new URL(req.path, 'https://x.invalid').searchParams.get('key') ?? '';
    const enabled = keys.get(key);
    if (api === 'maps') {
      if (!enabled)
        return { body: { error_message: 'The provided API key is invalid. ', results: [], status: 'REQUEST_DENIED' } };
      return enabled.has('maps')
        ? { body: { results: [{ place_id: 'fake' }], status: 'OK' } }
        : {
            body: {
              error_message: 'This API project is not authorized to use this API.',
              results: [],
              status: 'REQUEST_DENIED',
            },
          };
    }
    if (!enabled)
      return {
        status: 400,
        body: {
          error: {
            code: 400,
            message: 'API key not valid. Please pass a valid API key.',
            status: 'INVALID_ARGUMENT',
            details: [{ reason: 'API_KEY_INVALID' }],
          },
        },
      };
    if (!enabled.has(api))
      return {
        status: 403,
        body: { error: { code: 403, status: 'PERMISSION_DENIED', details: [{ reason: 'SERVICE_DISABLED' }] } },
      };
    return { body: api === 'gemini' ? { models: [{ name: 'models/fake' }] } : { items: [{ id: 'en' }] } };
  };
}

// --- Azure SAS ---------------------------------------------------------------------------------------

/**
 * Blob service with SAS authorization (https://learn.microsoft.com/rest/api/storageservices/create-service-sas).
 * The service recomputes the signature from its account key; here the fake keeps the signatures
 * its keys produce (a rotated key's are gone). A valid SAS without the permission for the call is
 * 403 AuthorizationPermissionMismatch; a signature that does not verify is 403 AuthenticationFailed.
 */
export function azureSas(valid: ReadonlyMap<string, { permissions: string }>) {
  return (req: SeenRequest): FakeReply => {
    const q = new URL(req.path, 'https://x.invalid').searchParams;
    const sas = valid.get(q.get('sig') ?? '');
    const error = (code: string): FakeReply => ({
      status: 403,
      headers: { 'x-ms-error-code': code, 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code></Error>`,
    });
    if (!sas) return error('AuthenticationFailed');
    const listing = q.get('comp') === 'list';
    if ((listing && !sas.permissions.includes('l')) || (!listing && !sas.permissions.includes('r')))
      return error('AuthorizationPermissionMismatch');
    return {
      headers: { 'content-type': 'application/xml' },
      body: listing
        ? '<?xml version="1.0" ' +
          'encoding="utf-8"?><EnumerationResults><Blobs><Blob><Name>a.txt</Name></Blob></Blobs></EnumerationResults>'
        : '',
    };
  };
}

// --- Azure DevOps ------------------------------------------------------------------------------------

/**
 * Profile and accounts APIs on app.vssps.visualstudio.com with Basic ":{PAT}"
 * (https://learn.microsoft.com/rest/api/azure/devops/profile/profiles/get); 401 for a bad or revoked PAT.
 */
export function azureDevOps(pats: ReadonlyMap<string, { email: string; orgs: readonly string[] }>) {
  return (req: SeenRequest): FakeReply => {
    const pat = Buffer.from((header(req, 'authorization') ?? '').replace(/^Basic /, ''), 'base64')
      .toString()
      .replace(/^[^:]*:/, '');
    const p = pats.get(pat);
    if (!p) return { status: 401, body: '' };
    if (req.path.startsWith('/_apis/profile/profiles/me'))
      return { body: { displayName: 'Fixture', publicAlias: 'alias-1', emailAddress: p.email, id: 'alias-1' } };
    if (req.path.startsWith('/_apis/accounts?memberId=alias-1'))
      return { body: { count: p.orgs.length, value: p.orgs.map((accountName) => ({ accountName })) } };
    return { status: 404, body: '' };
  };
}

// --- the index of contract fakes ---------------------------------------------------------------

/**
 * Lookups (by title) whose fake lives in this file and follows the provider's contract; every other
 * lookup is answered by its case in providers.ts. test/provider-registry.test.ts fails for a lookup
 * that has neither. Database lookups talk to real servers (databases.ts, mongo.ts).
 */
export const CONTRACT_FAKES: Readonly<Record<string, string>> = {
  AWS: 'awsApi',
  'Azure storage account key': 'azureBlob',
  'Azure SAS URL': 'azureSas',
  'Azure DevOps': 'azureDevOps',
  Cloudflare: 'cloudflareApi',
  GitHub: 'githubApi',
  'GitHub App installation': 'githubApi',
  Datadog: 'datadogSite',
  Mailgun: 'mailgunRegion',
  Atlassian: 'atlassianApi',
  GitLab: 'gitlabApi',
  Slack: 'slackApi',
  'GCP service account': 'gcpApi',
  'Entra ID client secret': 'entraApi',
  'Twilio API key': 'twilioKeys',
  'Google API key': 'googleApi',
  'Database (Postgres, MySQL/MariaDB, MongoDB, Redis; opt-in: connects to it)': 'databases.ts, mongo.ts',
};
