// What to read: the revisions of a history scan, and the commands that list and read them (one
// `git log`, or the commit list dealt out to several).

import { dropEarlyGit, forEachLine, gitRun, gitStream } from './process.js';
import { PATCH_FLAGS } from './patch.js';
import { COMMIT_FORMAT } from './records.js';

export interface HistorySelection {
  /**
   * Refs or a range ("main", "A..B"); default: every ref (--all, which reaches the newest stash
   * entry only) and `stashes`.
   */
  readonly revisions?: readonly string[];
  /** Every stash entry (stashEntries): older ones live only in the stash's reflog. */
  readonly stashes?: readonly string[];
  readonly since?: string;
  readonly maxCommits?: number;
}

export function revisionArgs(sel: HistorySelection): string[] {
  const args: string[] = [];
  if (sel.since) args.push(`--since=${sel.since}`);
  if (sel.maxCommits !== undefined) args.push(`--max-count=${sel.maxCommits}`);
  if (sel.revisions?.length) args.push(...sel.revisions);
  else args.push('--all', ...(sel.stashes ?? []));
  args.push('--');
  return args;
}

/** The command of stashEntries (started early: history-start.ts). */
export const STASH_LIST = ['log', '--walk-reflogs', '--format=%H', 'refs/stash', '--'] as const;

/** `rev-list` of a selection: the commit list a history scan reads from. */
export function revListArgs(sel: HistorySelection): string[] {
  return ['rev-list', ...revisionArgs(sel)];
}

/**
 * The commits of every stash entry, `stash@{0}` to the oldest (with their index and `-u` untracked
 * parents, which a history walk reaches from them); none when there is no stash.
 */
export async function stashEntries(root: string): Promise<string[]> {
  const answer = await gitRun(root, STASH_LIST);
  return answer.ok ? answer.out.split('\n').filter((l) => /^[0-9a-f]{40,64}$/.test(l)) : [];
}

/**
 * Strategy "patches": `git log -p -U0` over the selection, merges as dense combined diffs (only
 * lines a merge itself introduced, such as conflict resolutions), no rename detection (a moved
 * file is new at its new path).
 */
export function logPatches(root: string, sel: HistorySelection): AsyncIterable<Buffer> {
  return gitStream(root, ['log', '-p', ...PATCH_FLAGS, '--cc', '--full-history', COMMIT_FORMAT, ...revisionArgs(sel)]);
}

/**
 * The commits of the selection, newest first: exactly the commits `git log` would list.
 * `reached.call` runs once, as soon as at least `reached.count` of them are listed (git streams the list).
 */
export async function revList(
  root: string,
  sel: HistorySelection,
  reached?: { readonly count: number; readonly call: () => void },
): Promise<string[]> {
  const commits: string[] = [];
  let call = reached?.call;
  const args = revListArgs(sel);
  const all = revListArgs({});
  // The list of every ref started early (history-start.ts) is of no use to another selection.
  if (args.join('\0') !== all.join('\0')) dropEarlyGit(root, all);
  await forEachLine(gitStream(root, args), (line) => {
    if (line.length < 40) return;
    commits.push(line.toString('latin1'));
    if (call && commits.length >= reached!.count) {
      call();
      call = undefined;
    }
  });
  return commits;
}

/**
 * Commits per block handed to one `git log` process: neighbours share trees and delta bases, so big
 * blocks keep git's caches warm (on the 20,000-commit bench history, blocks of 1,024 took ~1–2 s
 * less CPU than blocks of 64), while eight blocks per process keep the shares balanced where
 * history is denser in some years than others.
 */
export function splitBlock(total: number, jobs: number): number {
  return Math.min(1024, Math.max(64, Math.ceil(total / (jobs * 8))));
}

/**
 * Strategy "patches" split across processes. Patch generation in git is the bottleneck of a history
 * scan (one `git log -p` is one core at ~8 MB/s of patches), so the commit list is dealt out in
 * blocks (splitBlock), round robin (shareOf), and each share gets its own `git log`
 * (`--no-walk=unsorted --stdin`: those commits, in the order given, each against its parents,
 * merges as dense combined diffs).
 */
export function shareOf(commits: readonly string[], p: number, jobs: number, block: number): string[] {
  const mine: string[] = [];
  for (let b = p * block; b < commits.length; b += jobs * block) mine.push(...commits.slice(b, b + block));
  return mine;
}

/** The patches of one share of the commits (see shareOf), in the order given. */
export function logPatchesShare(root: string, commits: readonly string[]): AsyncIterable<Buffer> {
  const stdin = (async function* () {
    for (let i = 0; i < commits.length; i += 4096) yield commits.slice(i, i + 4096).join('\n') + '\n';
  })();
  return gitStream(root, ['log', '-p', ...PATCH_FLAGS, '--cc', COMMIT_FORMAT, '--no-walk=unsorted', '--stdin'], stdin);
}

/** Index in the full commit list of share p's j-th commit (see shareOf). */
export function splitRank(p: number, j: number, jobs: number, block: number): number {
  return (Math.floor(j / block) * jobs + p) * block + (j % block);
}
