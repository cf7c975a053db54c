// Makes a range scannable in a shallow checkout (actions/checkout fetches one commit by default):
// fetches the two ends and deepens until they share a merge base, within bounds. Runs git through
// simple-git (network fetches with a stall timeout); scanning uses sources/git's own runners.

import { simpleGit } from 'simple-git';
import { UsageError, errorMessage } from '../errors.js';

/** Fetches talk to the network: simple-git kills one that sends nothing for two minutes. */
const BLOCK_TIMEOUT_MS = 120_000;

async function git(cwd: string, args: string[]): Promise<{ ok: boolean; out: string; err: string }> {
  try {
    const out = await simpleGit({
      baseDir: cwd,
      timeout: { block: BLOCK_TIMEOUT_MS },
      // Any non-zero exit is a failure (simple-git's default passes one that wrote nothing to stderr).
      errors: (error, result) =>
        error ?? (result.exitCode === 0 ? undefined : Buffer.concat([...result.stdErr, ...result.stdOut])),
    }).raw(args);
    return { ok: true, out: out.trim(), err: '' };
  } catch (e) {
    return { ok: false, out: '', err: errorMessage(e) };
  }
}

/** The top of the repository holding `cwd` (annotations and config paths are relative to it). */
export async function repoRoot(cwd: string): Promise<string> {
  const r = await git(cwd, ['rev-parse', '--show-toplevel']);
  if (!r.ok) throw new UsageError(`not a git repository: ${cwd} (${r.err}); check the path input`);
  return r.out;
}

export async function isShallow(cwd: string): Promise<boolean> {
  return (await git(cwd, ['rev-parse', '--is-shallow-repository'])).out === 'true';
}

async function hasCommit(cwd: string, sha: string): Promise<boolean> {
  return (await git(cwd, ['cat-file', '-e', `${sha}^{commit}`])).ok;
}

const FIX = 'set `fetch-depth: 0` on actions/checkout, or run `git fetch --unshallow origin` before this step';

/**
 * Ensure `base` and `head` exist locally and have a merge base. Returns notes on what was fetched.
 * Throws UsageError naming the fix when the history cannot be had.
 */
export async function ensureRange(cwd: string, base: string, head: string, log: (msg: string) => void): Promise<void> {
  for (const sha of [head, base]) {
    if (await hasCommit(cwd, sha)) continue;
    log(`fetching ${sha.slice(0, 12)} (not in the checkout)`);
    const r = await git(cwd, ['fetch', '--no-tags', '--depth=50', 'origin', sha]);
    if (!r.ok || !(await hasCommit(cwd, sha)))
      throw new UsageError(
        `commit ${sha.slice(0, 12)} is not in the checkout and could not be fetched ` +
          `(${r.err.split('\n').pop()}); ${FIX}`,
      );
  }
  for (let i = 0; i < 12; i++) {
    if ((await git(cwd, ['merge-base', base, head])).ok) return;
    if (!(await isShallow(cwd)))
      throw new UsageError(`${base.slice(0, 12)} and ${head.slice(0, 12)} share no history; cannot scan the range`);
    const depth = 50 * 2 ** i;
    log(`shallow checkout: deepening by ${depth} commits to find the merge base`);
    const r = await git(cwd, ['fetch', '--no-tags', `--deepen=${depth}`, 'origin', base, head]);
    if (!r.ok)
      throw new UsageError(`the checkout is shallow and deepening it failed (${r.err.split('\n').pop()}); ${FIX}`);
  }
  const r = await git(cwd, ['fetch', '--no-tags', '--unshallow', 'origin']);
  if (!r.ok || !(await git(cwd, ['merge-base', base, head])).ok)
    throw new UsageError(
      `no merge base between ${base.slice(0, 12)} and ${head.slice(0, 12)} even after deepening; ${FIX}`,
    );
}

/** The base for a new branch: where it left the default branch, fetched if needed. */
export async function newBranchBase(
  cwd: string,
  head: string,
  defaultBranch: string,
  log: (msg: string) => void,
): Promise<string | undefined> {
  const ref = `refs/remotes/origin/${defaultBranch}`;
  if (!(await git(cwd, ['rev-parse', '--verify', '--quiet', ref])).ok) {
    log(`fetching origin/${defaultBranch} to find where the new branch starts`);
    await git(cwd, ['fetch', '--no-tags', '--depth=50', 'origin', `+refs/heads/${defaultBranch}:${ref}`]);
  }
  const tip = await git(cwd, ['rev-parse', '--verify', '--quiet', ref]);
  if (!tip.ok) return undefined; // no default branch to compare with: scan the branch's full history
  if (tip.out === head) return undefined;
  await ensureRange(cwd, tip.out, head, log);
  return tip.out;
}
