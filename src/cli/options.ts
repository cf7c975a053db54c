// Options and helpers shared by the CLI commands.

import type { Argv } from 'yargs';
import { FORMATS, type Format } from '../report/index.js';
import { UsageError } from '../errors.js';

/** Options every scanning command takes. */
export function scanningOptions<T>(y: Argv<T>) {
  return y
    .option('format', { alias: 'f', choices: FORMATS, default: 'text' as Format, describe: 'Report format' })
    .option('output', { alias: 'o', type: 'string', describe: 'Write the report to this file instead of stdout' })
    .option('show-secrets', { type: 'boolean', default: false, describe: 'Print full secrets in reports (never the default)' })
    .option('offline', { type: 'boolean', default: false, describe: 'Make no network calls (no provider lookups)' })
    .option('config', { alias: 'c', type: 'string', describe: 'Config file (default: .leakradius.yml at the scan root)' })
    .option('rules', { type: 'string', describe: 'Directory of rule files to use instead of the built-in rules/' })
    .option('threads', { alias: 'j', type: 'number', describe: 'Worker threads (default: all cores)' })
    .option('exclude', { alias: 'x', type: 'string', array: true, default: [] as string[], describe: 'Glob of paths to skip (repeatable)' });
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
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new UsageError(`--threads must be a whole number from 1 to 256 (got ${n})`);
  return n;
}

