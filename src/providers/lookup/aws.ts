// AWS: SigV4-signed STS GetCallerIdentity (needs no permission); opt-in IAM reads with --deep-lookup.
// Verdicts follow the STS error codes (https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html):
// InvalidClientTokenId (no such key id) and ExpiredToken are definitive; SignatureDoesNotMatch is
// retried once (a new key takes a few seconds to reach every endpoint, as TruffleHog's detector
// allows for) and then means "this secret is not that key's", not "revoked".

import { createHash, createHmac } from 'node:crypto';
import type { Access, Finding, Grant } from '../../types.js';
import { awsAccountId, awsCanary } from '../offline/index.js';
import type { HttpResponse, ProviderHttp } from './http.js';
import { LookupError } from './http.js';
import { pairedPart } from './declarative.js';
import type { LookupContext, LookupOutcome } from './types.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s).digest();

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/**
 * Signature Version 4 headers for a form-encoded POST
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html).
 */
export function signV4(opts: {
  creds: AwsCredentials;
  host: string;
  path: string;
  body: string;
  region: string;
  service: string;
  date?: Date;
}): Record<string, string> {
  const date = opts.date ?? new Date();
  const amzDate = date.toISOString().replace(/[:-]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    host: opts.host,
    'x-amz-date': amzDate,
  };
  if (opts.creds.sessionToken) headers['x-amz-security-token'] = opts.creds.sessionToken;
  const signed = Object.keys(headers).sort();
  const canonical = [
    'POST',
    opts.path,
    '',
    ...signed.map((k) => `${k}:${headers[k]!.trim()}`),
    '',
    signed.join(';'),
    sha256(opts.body),
  ].join('\n');
  const scope = `${day}/${opts.region}/${opts.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const kDate = hmac(`AWS4${opts.creds.secretAccessKey}`, day);
  const kSigning = hmac(hmac(hmac(kDate, opts.region), opts.service), 'aws4_request');
  const signature = createHmac('sha256', kSigning).update(toSign).digest('hex');
  const { host: _host, ...rest } = headers;
  return {
    ...rest,
    authorization:
      `AWS4-HMAC-SHA256 Credential=${opts.creds.accessKeyId}/${scope}, ` +
      `SignedHeaders=${signed.join(';')}, Signature=${signature}`,
  };
}

const AWS_KEY_ID = /^(AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}$/;
const AWS_SECRET = /^[A-Za-z0-9/+]{40}$/;
const SESSION_TOKEN = /^[A-Za-z0-9/+=]{100,}$/;

/**
 * The key id and the secret that belong together: a composite pair's own parts; else the nearest
 * single part of the other kind (a key id looks forward for its secret, a secret back for its key
 * id, so two pairs on adjacent lines never cross). The session token of an ASIA key is the nearest one.
 */
export function awsCredentials(
  ctx: Pick<LookupContext, 'secret' | 'nearby' | 'offsetOf'>,
): AwsCredentials | { missing: string } {
  const own = ctx.secret.split('\n');
  let accessKeyId = own.find((s) => AWS_KEY_ID.test(s));
  let secretAccessKey = own.find((s) => AWS_SECRET.test(s) && !AWS_KEY_ID.test(s));
  if (accessKeyId && !secretAccessKey)
    secretAccessKey = pairedPart(ctx, (s) => AWS_SECRET.test(s) && !AWS_KEY_ID.test(s), true);
  if (secretAccessKey && !accessKeyId) accessKeyId = pairedPart(ctx, (s) => AWS_KEY_ID.test(s), false);
  if (!accessKeyId || !secretAccessKey) return { missing: accessKeyId ? 'secret access key' : 'access key id' };
  const sessionToken = accessKeyId.startsWith('ASIA')
    ? [...own, ...ctx.nearby.map((n: Finding) => n.secret)].find((s) => SESSION_TOKEN.test(s))
    : undefined;
  return { accessKeyId, secretAccessKey, sessionToken };
}

/** AWS needs the key id and the secret: one lookup per pair, found at the same place. */
export async function lookupAwsPair(ctx: LookupContext): Promise<LookupOutcome> {
  const creds = awsCredentials(ctx);
  if ('missing' in creds)
    return { status: 'not-checked', facts: [`not looked up: the ${creds.missing} was not found next to it`] };
  const canary = awsCanary(creds.accessKeyId);
  // A call to a canary account is the alarm: it tells the owner someone holds the key, and who.
  if (canary)
    return {
      status: 'not-checked',
      facts: [`not looked up: canary token of ${canary} (account ${awsAccountId(creds.accessKeyId)})`],
    };
  if (creds.accessKeyId.startsWith('ASIA') && !creds.sessionToken)
    return {
      status: 'not-checked',
      facts: [
        'not looked up: a temporary (ASIA) key works only with its session token, which was not found next to it',
      ],
    };
  // STS overridden alone (a test, a proxy): IAM is not contacted at its real host.
  const iam =
    ctx.overridden('aws') && !ctx.overridden('aws-iam')
      ? undefined
      : () => ctx.http('https://iam.amazonaws.com', 'aws-iam');
  return lookupAws(ctx.http('https://sts.amazonaws.com'), creds, ctx.deep, iam);
}

const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
const tags = (xml: string, name: string) =>
  [...xml.matchAll(new RegExp(`<${name}>([^<]+)</${name}>`, 'g'))].map((m) => m[1]!);
const xmlText = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function call(
  http: ProviderHttp,
  creds: AwsCredentials,
  body: string,
  service: 'sts' | 'iam',
): Promise<HttpResponse> {
  // The documented path, as STS and IAM see it (a test server's prefix is not part of the API).
  const headers = signV4({ creds, host: new URL(http.base).host, path: '/', body, region: 'us-east-1', service });
  return http.request({ method: 'POST', path: '/', headers, body }, '/');
}

/** `iam` makes the client for https://iam.amazonaws.com (deep lookups only). */
export async function lookupAws(
  http: ProviderHttp,
  creds: AwsCredentials,
  deep: boolean,
  iam?: () => ProviderHttp,
): Promise<LookupOutcome> {
  const identity = 'Action=GetCallerIdentity&Version=2011-06-15';
  let res = await call(http, creds, identity, 'sts');
  if (res.status !== 200 && tag(res.text, 'Code') === 'SignatureDoesNotMatch') {
    await sleep(http.backoffMs * 2);
    res = await call(http, creds, identity, 'sts');
  }
  if (res.status !== 200) {
    const code = tag(res.text, 'Code') ?? '';
    if (code === 'InvalidClientTokenId')
      return {
        status: 'revoked',
        facts: [`STS answered ${res.status} InvalidClientTokenId: no such access key id (deleted)`],
      };
    if (code === 'ExpiredToken')
      return { status: 'revoked', facts: [`STS answered ${res.status} ExpiredToken: the session has expired`] };
    if (code === 'SignatureDoesNotMatch')
      return {
        status: 'unknown',
        facts: [
          'STS answered SignatureDoesNotMatch twice: the key id exists, but the secret found next to it is not its ' +
            'secret',
        ],
      };
    if (code) return { status: 'unknown', facts: [`STS answered ${res.status} ${code}: not a verdict on the key`] };
    throw new LookupError(`${http.host}: unexpected HTTP ${res.status}`, 'server');
  }
  const arn = tag(res.text, 'Arn');
  const account = tag(res.text, 'Account');
  if (!arn || !account)
    throw new LookupError(`${http.host}: GetCallerIdentity answer without Arn/Account`, 'malformed');
  const facts = [`caller ${arn}`, `account ${account}`];
  const grants: Grant[] = [];
  let reached: Grant[] | undefined;
  const root = /:root$/.test(arn);
  if (root) {
    grants.push({ resource: `aws account ${account} (root user)`, access: 'admin' });
    facts.push('root user key: unrestricted control of the account');
  }
  const user = /:user\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
  if (deep && !root && iam && user) {
    reached = await iamPolicies(iam(), creds, user, facts);
    grants.push(...reached);
  }
  return {
    status: 'live',
    identity: arn,
    grants: grants.length ? grants : undefined,
    reached,
    expiresAt: creds.accessKeyId.startsWith('ASIA') ? undefined : null,
    facts,
  };
}

// --- IAM policies, summarised as Kingfisher does: admin / privilege escalation / write / read ----

/**
 * Actions that let a principal grant itself more than it holds (new keys, policies, roles, code that runs as a
 * role).
 */
const ESCALATION = new RegExp(
  String.raw`^(iam:(\*|PassRole|Create(AccessKey|LoginProfile|` +
    String.raw`PolicyVersion|User|Role)|Attach\w*Policy|Put\w*Policy|` +
    'Update(AssumeRolePolicy|LoginProfile)|AddUserToGroup|' +
    'SetDefaultPolicyVersion)|sts:AssumeRole|lambda:(CreateFunction|' +
    'UpdateFunctionCode)|ec2:RunInstances|cloudformation:CreateStack|' +
    'glue:CreateDevEndpoint)$',
  'i',
);
const READ_ACTION = new RegExp(
  '^[a-z0-9-]+:(Get|List|Describe|Head|View|Lookup|' +
    'Search|Select|Scan|Query|BatchGet|Check|Validate|' +
    'Estimate|Preview|Test|Poll|Read)',
  'i',
);
const MAX_POLICIES = 12;

export type PolicyClass = 'admin' | 'privilege escalation' | 'write' | 'read';

/** The class of one policy document: the strongest Allow statement in it. */
export function classifyPolicy(doc: unknown): { cls: PolicyClass; why: string } {
  const statements = (doc as { Statement?: unknown })?.Statement;
  const list = (Array.isArray(statements) ? statements : [statements]).filter(
    (s): s is Record<string, unknown> => Boolean(s) && typeof s === 'object',
  );
  const actions: string[] = [];
  for (const st of list) {
    if (st.Effect !== 'Allow' || st.NotAction) continue;
    const a = st.Action;
    actions.push(...(Array.isArray(a) ? a : [a]).filter((x): x is string => typeof x === 'string'));
  }
  if (actions.some((a) => a === '*' || a === '*:*')) return { cls: 'admin', why: 'Action "*"' };
  const esc = actions.filter((a) => ESCALATION.test(a) || /^iam:\*$/.test(a));
  if (esc.length) return { cls: 'privilege escalation', why: esc.slice(0, 3).join(', ') };
  const writes = actions.filter((a) => !READ_ACTION.test(a));
  if (writes.length) return { cls: 'write', why: writes.slice(0, 3).join(', ') };
  return { cls: 'read', why: actions.length ? `${actions.length} read action(s)` : 'no Allow statements' };
}

const CLASS_ACCESS: Record<PolicyClass, Access> = {
  admin: 'admin',
  'privilege escalation': 'admin',
  write: 'write',
  read: 'read',
};

async function iamPolicies(
  iamHttp: ProviderHttp,
  creds: AwsCredentials,
  user: string,
  facts: string[],
): Promise<Grant[]> {
  const read = async (params: string): Promise<string | undefined> => {
    const r = await call(iamHttp, creds, `${params}&Version=2010-05-08`, 'iam').catch(() => undefined);
    return r?.status === 200 ? r.text : undefined;
  };
  const u = encodeURIComponent(user);
  const policies: Array<{ name: string; doc?: unknown }> = [];
  const managed = async (xml: string | undefined) => {
    for (const member of (xml ?? '').split('<member>').slice(1)) {
      const name = tag(member, 'PolicyName');
      const arn = tag(member, 'PolicyArn');
      if (!name || policies.length >= MAX_POLICIES) continue;
      const version = arn
        ? tag((await read(`Action=GetPolicy&PolicyArn=${encodeURIComponent(arn)}`)) ?? '', 'DefaultVersionId')
        : undefined;
      const doc =
        arn && version
          ? tag(
              (await read(`Action=GetPolicyVersion&PolicyArn=${encodeURIComponent(arn)}&VersionId=${version}`)) ?? '',
              'Document',
            )
          : undefined;
      policies.push({ name, doc: parseDocument(doc) });
    }
  };
  const attached = await read(`Action=ListAttachedUserPolicies&UserName=${u}`);
  await managed(attached);
  for (const name of tags((await read(`Action=ListUserPolicies&UserName=${u}`)) ?? '', 'member').slice(
    0,
    MAX_POLICIES,
  )) {
    const doc = tag(
      (await read(`Action=GetUserPolicy&UserName=${u}&PolicyName=${encodeURIComponent(name)}`)) ?? '',
      'PolicyDocument',
    );
    policies.push({ name: `inline ${name}`, doc: parseDocument(doc) });
  }
  for (const group of tags((await read(`Action=ListGroupsForUser&UserName=${u}`)) ?? '', 'GroupName').slice(0, 4))
    await managed(await read(`Action=ListAttachedGroupPolicies&GroupName=${encodeURIComponent(group)}`));
  if (attached === undefined) facts.push('cannot list its own policies (iam:ListAttachedUserPolicies denied)');
  const out: Grant[] = [];
  for (const p of policies) {
    if (/AWSCompromisedKeyQuarantine/.test(p.name)) {
      facts.push('AWSCompromisedKeyQuarantine attached: AWS already flagged this key (caps, not removes, the radius)');
      continue;
    }
    const { cls, why } = p.doc ? classifyPolicy(p.doc) : classifyByName(p.name);
    out.push({ resource: `policy ${p.name}: ${cls} (${why})`, access: CLASS_ACCESS[cls] });
  }
  if (out.length) {
    const classes = ['admin', 'privilege escalation', 'write', 'read'] as const;
    const counts = classes.map((c) => {
      const n = out.filter((g) => g.resource.includes(`: ${c} (`)).length;
      return `${n} ${c}`;
    });
    facts.push(`IAM: ${counts.join(', ')}`);
  }
  return out;
}

function parseDocument(doc: string | undefined): unknown {
  if (!doc) return undefined;
  try {
    return JSON.parse(decodeURIComponent(xmlText(doc)));
  } catch {
    return undefined;
  }
}

/** Where a policy's document could not be read, its AWS-managed name still says a lot. */
function classifyByName(name: string): { cls: PolicyClass; why: string } {
  if (/^AdministratorAccess$|FullAccess$/.test(name))
    return {
      cls: /^(AdministratorAccess|IAMFullAccess)$/.test(name) ? 'admin' : 'write',
      why: 'by its name; document not readable',
    };
  if (/ReadOnly|ViewOnly|Read$/i.test(name)) return { cls: 'read', why: 'by its name; document not readable' };
  return { cls: 'write', why: 'document not readable' };
}
