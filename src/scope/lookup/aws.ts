// AWS: SigV4-signed STS GetCallerIdentity (needs no permission); opt-in IAM reads with --deep-lookup.

import { createHash, createHmac } from 'node:crypto';
import type { Grant } from '../../types.js';
import type { HttpResponse, ProviderHttp } from './http.js';
import { LookupError } from './http.js';
import type { LookupOutcome } from './types.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s).digest();

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Signature Version 4 headers for a form-encoded POST (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html). */
export function signV4(opts: { creds: AwsCredentials; host: string; path: string; body: string; region: string; service: string; date?: Date }): Record<string, string> {
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
  const canonical = ['POST', opts.path, '', ...signed.map((k) => `${k}:${headers[k]!.trim()}`), '', signed.join(';'), sha256(opts.body)].join('\n');
  const scope = `${day}/${opts.region}/${opts.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const kDate = hmac(`AWS4${opts.creds.secretAccessKey}`, day);
  const kSigning = hmac(hmac(hmac(kDate, opts.region), opts.service), 'aws4_request');
  const signature = createHmac('sha256', kSigning).update(toSign).digest('hex');
  const { host: _host, ...rest } = headers;
  return { ...rest, authorization: `AWS4-HMAC-SHA256 Credential=${opts.creds.accessKeyId}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature}` };
}

const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

async function call(http: ProviderHttp, creds: AwsCredentials, body: string, service: 'sts' | 'iam'): Promise<HttpResponse> {
  const host = new URL(http.base).host;
  const path = new URL(http.base).pathname.replace(/\/+$/, '') + '/';
  const headers = signV4({ creds, host, path, body, region: 'us-east-1', service });
  return http.request({ method: 'POST', path: '/', headers, body }, '/');
}

/** `iam` makes the client for https://iam.amazonaws.com (deep lookups only). */
export async function lookupAws(http: ProviderHttp, creds: AwsCredentials, deep: boolean, iam?: () => ProviderHttp): Promise<LookupOutcome> {
  const res = await call(http, creds, 'Action=GetCallerIdentity&Version=2011-06-15', 'sts');
  if (res.status === 403 || res.status === 400) {
    const code = tag(res.text, 'Code') ?? '';
    if (/InvalidClientTokenId|SignatureDoesNotMatch|ExpiredToken|AccessDenied|UnrecognizedClient/.test(code) || res.status === 403)
      return { status: 'revoked', facts: [`STS answered ${res.status}${code ? ` ${code}` : ''}`] };
  }
  if (res.status !== 200) throw new LookupError(`${http.host}: unexpected HTTP ${res.status}`, 'server');
  const arn = tag(res.text, 'Arn');
  const account = tag(res.text, 'Account');
  if (!arn || !account) throw new LookupError(`${http.host}: GetCallerIdentity answer without Arn/Account`, 'malformed');
  const facts = [`caller ${arn}`, `account ${account}`];
  const grants: Grant[] = [];
  const root = /:root$/.test(arn);
  if (root) {
    grants.push({ resource: `aws account ${account} (root user)`, access: 'admin' });
    facts.push('root user key: unrestricted control of the account');
  }
  if (deep && !root && iam) {
    const iamHttp = iam();
    const user = /:user\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
    if (user) {
      const read = async (action: string, tag: string): Promise<string[] | undefined> => {
        const r = await call(iamHttp, creds, `Action=${action}&UserName=${encodeURIComponent(user)}&Version=2010-05-08`, 'iam').catch(() => undefined);
        return r?.status === 200 ? [...r.text.matchAll(new RegExp(`<${tag}>([^<]+)</${tag}>`, 'g'))].map((m) => m[1]!) : undefined;
      };
      const attached = await read('ListAttachedUserPolicies', 'PolicyName');
      const inline = await read('ListUserPolicies', 'member');
      const groups = await read('ListGroupsForUser', 'GroupName');
      const accessOf = (name: string) => (/AdministratorAccess|IAMFullAccess|PowerUser|Admin/i.test(name) ? 'admin' : /ReadOnly|ViewOnly|Read$/i.test(name) ? 'read' : 'write');
      for (const p of attached ?? []) {
        if (/AWSCompromisedKeyQuarantine/.test(p)) facts.push('AWSCompromisedKeyQuarantine attached: AWS already flagged this key (caps, not removes, the radius)');
        else grants.push({ resource: `policy ${p}`, access: accessOf(p) });
      }
      for (const p of inline ?? []) grants.push({ resource: `inline policy ${p} (not read)`, access: 'write' });
      for (const gname of groups ?? []) grants.push({ resource: `group ${gname}`, access: accessOf(gname) });
      if (!attached) facts.push('cannot list its own policies (iam:ListAttachedUserPolicies denied)');
    }
  }
  return {
    status: 'live',
    identity: arn,
    grants: grants.length ? grants : undefined,
    expiresAt: creds.accessKeyId.startsWith('ASIA') ? undefined : null,
    facts,
  };
}
