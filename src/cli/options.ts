// Options and helpers shared by the CLI commands.

import type { Argv, Options } from 'yargs';
import { FORMATS, type Format } from '../report/index.js';
import { UsageError } from '../errors.js';
import type { LookupOptions } from '../scope/lookup/index.js';
import { TIERS } from '../types.js';

/** --fail-on: the Action's fail-on tiers; "none" never fails. */
export const FAIL_ON = [...TIERS, 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/**
 * Options every scanning command takes, as data: yargs reads them, and so does the pre-commit
 * hook's own reader (hook-args.ts), which needs their names, aliases, types and defaults.
 */
export const SCANNING_OPTIONS = {
  format: { alias: 'f', choices: FORMATS, default: 'text' as Format, describe: 'Report format' },
  output: { alias: 'o', type: 'string', describe: 'Write the report to this file instead of stdout' },
  'show-secrets': { type: 'boolean', default: false, describe: 'Print full secrets in reports (never the default)' },
  offline: { type: 'boolean', default: false, describe: 'Make no network calls (no provider lookups)' },
  lookup: { type: 'boolean', describe: 'Look tokens up at their providers (default: on, off for git --staged)' },
  'deep-lookup': {
    type: 'boolean',
    default: false,
    describe: 'Opt-in probes that land in audit logs or have side effects (IAM, Okta, Vault, PyPI, JWKS)',
  },
  'lookup-timeout': { type: 'number', default: 10, describe: 'Seconds to wait for one provider answer' },
  'lookup-private-hosts': {
    type: 'boolean',
    default: false,
    describe: 'Let --deep-lookup connect to databases on loopback or private addresses',
  },
  'lookup-budget': {
    type: 'number',
    describe: 'Seconds for all lookups of a run; the rest are unknown (default 120, or LEAKRADIUS_LOOKUP_BUDGET)',
  },
  'lookup-user-rules': {
    type: 'boolean',
    default: false,
    describe: 'Look up findings of config rules even when no built-in rule of the provider accepts the match',
  },
  config: { alias: 'c', type: 'string', describe: 'Config file (default: .leakradius.yml at the scan root)' },
  rules: { type: 'string', describe: 'Directory of rule files to use instead of the built-in rules/' },
  threads: { alias: 'j', type: 'number', describe: 'Worker threads (default: all cores)' },
  exclude: {
    alias: 'x',
    type: 'string',
    array: true,
    default: [] as string[],
    describe: 'Glob of paths to skip (repeatable)',
  },
  baseline: {
    type: 'string',
    describe: 'Report only findings not listed in this baseline file (see "leakradius baseline")',
  },
  'include-fixtures': {
    type: 'boolean',
    default: false,
    describe: 'Also report test fixtures (fake passwords in tests, examples, local set-ups), marked as such',
  },
  'max-archive-depth': {
    type: 'number',
    default: 8,
    describe: 'Open archives nested at most this deep (release.zip!lib/app.jar is 2)',
  },
  'max-archive-bytes': {
    type: 'string',
    default: '2GiB',
    describe: 'Decompressed bytes read from one archive at most (e.g. 512MiB, 2GiB)',
  },
  'fail-on': {
    choices: FAIL_ON,
    describe: 'Exit 1 only for a finding at or above this tier; none never fails (default: any finding)',
  },
  quiet: {
    alias: 'q',
    type: 'boolean',
    default: false,
    describe: 'Print nothing when nothing is found (warnings still go to stderr)',
  },
  'only-live': {
    type: 'boolean',
    default: false,
    describe: 'Report only findings a provider lookup confirmed live (turns lookups on)',
  },
  'allow-incomplete': {
    type: 'boolean',
    default: false,
    describe: 'Exit 0, not 3, when nothing is found but part of the input could not be read (warnings name it)',
  },
} as const satisfies Record<string, Options>;

/** Options every scanning command takes. */
export function scanningOptions<T>(y: Argv<T>) {
  return y.options(SCANNING_OPTIONS);
}

/** yargs drops a bare "-", so it travels as this token and is turned back in the handler. */
export const STDIN_TOKEN = '\u0000stdin';
export const restoreStdin = (paths: readonly string[]) => paths.map((p) => (p === STDIN_TOKEN ? '-' : p));

/** Command handlers set this; main returns it. */
let exitCode = 0;
export function setExitCode(code: number): void {
  exitCode = code;
}
export function getExitCode(): number {
  return exitCode;
}
export function resetExitCode(): void {
  exitCode = 0;
}

export function validThreads(n: number | undefined): number | undefined {
  if (n === undefined) return undefined;
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new UsageError(`--threads must be a whole number from 1 to 256 (got ${n})`);
  return n;
}

/** The lookup options a scanning command passes to the library; false = offline. */
export function lookupOptions(
  args: {
    offline?: boolean;
    lookup?: boolean;
    'deep-lookup'?: boolean;
    'lookup-timeout'?: number;
    'only-live'?: boolean;
    'lookup-private-hosts'?: boolean;
    'lookup-budget'?: number;
    'lookup-user-rules'?: boolean;
  },
  onByDefault: boolean,
): LookupOptions | false {
  // Only a lookup can confirm a token live, so --only-live asks for one and refuses a scan that makes none.
  if (args['only-live'] && (args.offline || args.lookup === false))
    throw new UsageError('--only-live needs provider lookups: drop --offline / --no-lookup, or drop --only-live');
  if (args.offline) return false;
  const wanted = args.lookup ?? (args['only-live'] || (onByDefault && !process.env.LEAKRADIUS_OFFLINE));
  if (!wanted) return false;
  const secs = args['lookup-timeout'] ?? 10;
  if (!(secs > 0 && secs <= 300))
    throw new UsageError(`--lookup-timeout must be more than 0 and at most 300 seconds (got ${secs})`);
  const fromEnv = process.env.LEAKRADIUS_LOOKUP_BUDGET;
  const budget = args['lookup-budget'] ?? (fromEnv ? Number(fromEnv) : undefined);
  if (budget !== undefined && !(budget > 0 && budget <= 86_400))
    throw new UsageError(
      `${args['lookup-budget'] !== undefined ? '--lookup-budget' : 'LEAKRADIUS_LOOKUP_BUDGET'} must be more than 0 ` +
        `and at most 86400 seconds (got ${args['lookup-budget'] ?? fromEnv})`,
    );
  return {
    deep: Boolean(args['deep-lookup']),
    timeoutMs: Math.round(secs * 1000),
    privateHosts: Boolean(args['lookup-private-hosts']),
    ...(budget !== undefined ? { budgetMs: Math.round(budget * 1000) } : {}),
    ...(args['lookup-user-rules'] ? { userRules: true } : {}),
  };
}

/** --max-archive-depth and --max-archive-bytes, checked, as ScanOptions fields. */
export function archiveOptions(args: { 'max-archive-depth'?: number; 'max-archive-bytes'?: string }): {
  maxArchiveDepth?: number;
  maxArchiveBytes?: number;
} {
  const depth = args['max-archive-depth'];
  if (depth !== undefined && (!Number.isInteger(depth) || depth < 0 || depth > 64))
    throw new UsageError(`--max-archive-depth must be a whole number from 0 to 64 (got ${depth})`);
  const bytes = args['max-archive-bytes'] === undefined ? undefined : parseByteSize(String(args['max-archive-bytes']));
  if (bytes === undefined && args['max-archive-bytes'] !== undefined)
    throw new UsageError(
      `--max-archive-bytes must be a size such as 500000000, 512MiB or 2GiB (got ${args['max-archive-bytes']})`,
    );
  return { maxArchiveDepth: depth, maxArchiveBytes: bytes };
}

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  kib: 1024,
  m: 1e6,
  mb: 1e6,
  mib: 1024 ** 2,
  g: 1e9,
  gb: 1e9,
  gib: 1024 ** 3,
  t: 1e12,
  tb: 1e12,
  tib: 1024 ** 4,
};

/** "2GiB" → 2147483648; undefined when it is not a size. */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) return undefined;
  const n = Math.floor(Number(m[1]) * unit);
  return n > 0 ? n : undefined;
}
