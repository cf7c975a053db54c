// The pre-commit hook's entry: `npm run build` bundles it into one file, dist/start/hook.cjs, with
// everything a plain `git --staged` runs (scripts/bundle.mjs bundleHook), which bin/leakradius.js
// compiles with a V8 code cache of its own (~20 ms CPU less than the CLI's ~30 chunks). Only the
// code a hook run can not reach is left out (yargs' commands, lookups, the other report formats):
// a command line that could reach it runs the CLI's bundle instead (bin/leakradius.js).

import { stagedHookArgs } from './hook-args.js';
import { runAndExit } from './main.js';
import { lookupOptions } from './options.js';
import { rulesParsedHere } from '../detect/rules.js';
import { startStagedScan } from '../sources/staged-start.js';

/** The report formats in the hook's bundle (scripts/bundle.mjs HOOK_LEAVES_OUT has the others). */
const HOOK_FORMATS: ReadonlySet<string> = new Set(['text', 'json']);

/**
 * Runs `argv` (after node and the script) from this bundle and returns true when it is the hook's
 * plain command line (stagedHookArgs), offline, in one of HOOK_FORMATS; else returns false having
 * started nothing, and the caller runs the whole CLI.
 */
export function runHook(argv: string[], cwd: string): boolean {
  const args = stagedHookArgs(argv);
  if (args === undefined || !HOOK_FORMATS.has(args.format)) return false;
  try {
    if (lookupOptions(args, false) !== false) return false;
  } catch {
    return false; // a usage error: the CLI says it as usual
  }
  // git reads the index on the other core while the scan's code is set up (staged-start.ts).
  startStagedScan(cwd);
  runAndExit(argv);
  return true;
}

/**
 * Whether this run did only what every hook run does: its rules came from the cache. Then the code
 * it compiled is what the next runs need, and bin/leakradius.js keeps it as the V8 code cache; a
 * run that parsed the rules also compiled that parser's code (a cache 15% larger, read every run).
 */
export function usualRun(): boolean {
  return !rulesParsedHere();
}
