// `leakradius lookup`: what one token can do. The token comes from stdin or an environment
// variable, never from argv (argv is visible to every process on the machine).

import type { CommandModule, Options } from 'yargs';
import { UsageError } from '../../errors.js';
import { findingToJson } from '../../report/json.js';
import type { Finding, Practice } from '../../types.js';
import { lookupOptions, setExitCode } from '../options.js';
import { EXIT_CLEAN, printWarning } from '../output.js';
import { VERSION } from '../../package/version.js';

const MAX_INPUT = 1 << 20;

interface LookupArgs {
  'from-env'?: string;
  type?: string;
  host?: string;
  user?: string;
  format: 'text' | 'json';
  offline: boolean;
  'deep-lookup': boolean;
  'lookup-private-hosts'?: boolean;
  'lookup-timeout': number;
  rules?: string;
}

/** Options of the commands that take one token (lookup, revoke). */
export const TOKEN_OPTIONS = {
  'from-env': {
    type: 'string',
    describe: 'Read the token from this environment variable (default: stdin, or LEAKRADIUS_TOKEN when set)',
  },
  type: { type: 'string', describe: 'Rule id or provider, when the prefix is ambiguous' },
  'lookup-timeout': { type: 'number', default: 10, describe: 'Seconds to wait for the provider' },
  rules: { type: 'string', describe: 'Directory of rule files to use instead of the built-in rules/' },
} as const satisfies Record<string, Options>;

export async function readToken(
  args: Pick<LookupArgs, 'from-env'>,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<string> {
  const variable = args['from-env'] ?? (process.env.LEAKRADIUS_TOKEN !== undefined ? 'LEAKRADIUS_TOKEN' : undefined);
  if (variable) {
    const v = process.env[variable];
    if (!v) throw new UsageError(`environment variable ${variable} is empty or not set`);
    return v;
  }
  if ((stdin as { isTTY?: boolean }).isTTY)
    throw new UsageError(
      'give the token on stdin (e.g. `pbpaste | leakradius lookup`) or in LEAKRADIUS_TOKEN; never as an argument',
    );
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin as AsyncIterable<Buffer | string>) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += b.length;
    if (size > MAX_INPUT)
      throw new UsageError('lookup reads one token (or a small credentials file) from stdin: input over 1 MiB');
    chunks.push(b);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) throw new UsageError('no token on stdin');
  return text;
}

/** Detect, dedupe, scope and rank what the input holds (the library's lookupToken); --type picks a rule. */
export async function analyseToken(
  input: string,
  args: Pick<
    LookupArgs,
    'type' | 'host' | 'user' | 'rules' | 'offline' | 'deep-lookup' | 'lookup-timeout' | 'lookup-private-hosts'
  >,
): Promise<Finding[]> {
  // Loaded here, not at start-up: every other command would pay for the 62 provider lookups.
  const { lookupToken } = await import('../../scan/lookup-token.js');
  const lookup = lookupOptions(
    {
      offline: args.offline,
      lookup: true,
      'deep-lookup': args['deep-lookup'],
      'lookup-timeout': args['lookup-timeout'],
      'lookup-private-hosts': args['lookup-private-hosts'],
    },
    true,
  );
  const context = [args.host, args.user && `user=${args.user}`, args.user].filter((x): x is string => Boolean(x));
  return lookupToken(input, {
    type: args.type,
    rulesDir: args.rules,
    lookup: lookup && { ...lookup, context },
    onWarning: printWarning,
  });
}

export function renderLookup(f: Finding): string {
  const s = f.scope;
  const b = f.blast;
  const lines = [
    `${f.ruleName} [${f.rule}] ${f.redacted}`,
    `  status:     ${s.status}${s.checkedAt ? ` (asked ${s.checkedAt})` : ''}`,
    `  identity:   ${s.identity ?? 'unknown'}`,
    `  expires:    ${s.expiresAt === null ? 'never' : (s.expiresAt ?? 'unknown')}`,
    `  blast:      ${b.tier} ${b.score}/100 (${b.basis === 'lookup' ? 'looked up' : 'inferred, not looked up'})`,
    ...b.reasons.map((r) => `              - ${r}`),
    `  grants:     ${s.grants.length ? '' : 'none known'}`,
    ...s.grants.map((g) => `              ${g.resource} → ${g.access}`),
    ...(s.reached?.length ? ['  reaches:', ...s.reached.map((r) => `              ${r.resource} → ${r.access}`)] : []),
    '  practices:',
    ...(Object.keys(b.practices) as Practice[]).map(
      (p) => `              ${p.padEnd(10)} ${b.practices[p]}${b.evidence?.[p] ? ` (${b.evidence[p]})` : ''}`,
    ),
    '  facts:',
    ...s.facts.map((x) => `              ${x}`),
    `  revoke:     ${b.remediation.revoke}`,
    `  instead:    ${b.remediation.replaceWith}`,
  ];
  return lines.join('\n');
}

export const lookupCommand: CommandModule = {
  command: 'lookup',
  describe: 'Show what one token can do: identity, status, expiry, grants, practices, remediation (token on stdin)',
  builder: (y) =>
    y
      .options(TOKEN_OPTIONS)
      .option('host', {
        type: 'string',
        describe: 'Tenant host: shop.myshopify.com, site.atlassian.net, a Databricks workspace, a Grafana stack',
      })
      .option('user', {
        type: 'string',
        describe: 'User name or email some providers pair with the token (Docker Hub, Atlassian)',
      })
      .option('format', {
        alias: 'f',
        choices: ['text', 'json'] as const,
        default: 'text' as const,
        describe: 'Report format',
      })
      .option('offline', { type: 'boolean', default: false, describe: 'Offline facts only: no request' })
      .option('deep-lookup', {
        type: 'boolean',
        default: false,
        describe: 'Opt-in probes (audit-log noise or side effects)',
      })
      .option('lookup-private-hosts', {
        type: 'boolean',
        default: false,
        describe: 'Let --deep-lookup connect to databases on loopback or private addresses',
      })
      .example('pbpaste | $0 lookup', 'Analyse the token on the clipboard')
      .example('LEAKRADIUS_TOKEN=… $0 lookup --format json', 'Read it from the environment'),
  handler: async (argv) => {
    const args = argv as unknown as LookupArgs;
    const findings = await analyseToken(await readToken(args), args);
    if (args.format === 'json') {
      process.stdout.write(
        JSON.stringify(
          {
            schemaVersion: 1,
            tool: { name: 'leakradius', version: VERSION },
            findings: findings.map((f) => findingToJson(f)),
          },
          null,
          2,
        ) + '\n',
      );
    } else process.stdout.write(findings.map(renderLookup).join('\n\n') + '\n');
    setExitCode(EXIT_CLEAN);
  },
};
