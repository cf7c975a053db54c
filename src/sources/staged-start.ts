// The pre-commit hook's first git commands, started by bin/leakradius.js before the CLI's modules
// load: git finds the root and lists the staged change on the other core meanwhile, and the scan
// then reads their answers (sources/git/process.ts startGitEarly). Only this module's three small
// imports load first.

import { CAT_BATCH } from './git/catfile.js';
import { startGitEarly } from './git/process.js';
import { SHOW_TOPLEVEL } from './git/repo.js';
import { plainTopLevel } from './git/top-level.js';

/** What `git diff --cached --raw -z` lists for the staged scan (sources/staged.ts). */
export const STAGED_RAW = [
  'diff',
  '--cached',
  '--raw',
  '-z',
  '--no-abbrev',
  '--no-renames',
  '--diff-filter=d',
] as const;

/**
 * Starts the staged scan's git commands for a repository whose top level is `dir` (the hook runs
 * there). From a subdirectory the root differs and only the first command's answer is used.
 */
export function startStagedScan(dir: string): void {
  // Where the top level is certain without git (the hook runs there), nobody asks for it.
  if (plainTopLevel(dir) === undefined) startGitEarly(dir, SHOW_TOPLEVEL);
  startGitEarly(dir, STAGED_RAW);
  // The blobs' reader too: git's start (~5 ms) is then over before the scan asks for them.
  startGitEarly(dir, CAT_BATCH, true);
}
