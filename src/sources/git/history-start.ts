// A history scan's first git commands, started by bin/leakradius.js before the CLI's modules load
// (~0.1 s): git finds the repository and lists its commits on the other core meanwhile, instead of
// after, and the scan then reads their answers (process.ts startGitEarly: only a command the scan
// runs with the same directory and arguments takes one; the rest are stopped when it ends).

import { startGitEarly } from './process.js';
import { HEAD_COMMIT, IS_SHALLOW, SHOW_TOPLEVEL } from './repo.js';
import { STASH_LIST, revListArgs } from './select.js';
import { TAG_LIST } from './tags.js';

/** What git may list ahead of the scan: ~200,000 commits; then it waits for the scan to read. */
const COMMIT_LIST_BUFFER = 8 * 1024 * 1024;

/**
 * Starts the commands of a scan of every ref of the repository whose top level is `dir`. With a
 * stash, or from another directory, the scan runs its own and these are stopped.
 */
export function startHistoryScan(dir: string): void {
  // The list first: it is the longest, and each start costs this thread a fork (~5 ms).
  startGitEarly(dir, revListArgs({}), false, COMMIT_LIST_BUFFER);
  for (const args of [SHOW_TOPLEVEL, IS_SHALLOW, HEAD_COMMIT, STASH_LIST, TAG_LIST]) startGitEarly(dir, args);
}
