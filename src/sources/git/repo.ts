// The repository around a directory: its root, whether it is shallow, HEAD; whether a revision
// exists; which secrets are still in HEAD's tree.

import { UsageError } from '../../errors.js';
import type { Warning } from '../../types.js';
import { firstLine, forEachLine, gitRun, gitStream } from './process.js';
import { plainTopLevel } from './top-level.js';

export interface RepoInfo {
  readonly root: string;
  readonly shallow: boolean;
  /** HEAD commit, or undefined in an empty repository. */
  readonly head: string | undefined;
}

/** The command that finds a repository's root (started early for the pre-commit hook: sources/staged-start.ts). */
export const SHOW_TOPLEVEL = ['rev-parse', '--show-toplevel'] as const;
/** What a history scan asks next (started early too: sources/git/history-start.ts). */
export const IS_SHALLOW = ['rev-parse', '--is-shallow-repository'] as const;
export const HEAD_COMMIT = ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'] as const;

/** Finds the repository around `dir`. `history: false` (the staged scan) asks git only for the root. */
export async function openRepo(dir: string, opts: { history?: boolean } = {}): Promise<RepoInfo> {
  // The pre-commit hook at a plain work tree's top level: no git to start (top-level.ts).
  const plain = opts.history === false ? plainTopLevel(dir) : undefined;
  if (plain !== undefined) return { root: plain, shallow: false, head: undefined };
  const top = await gitRun(dir, SHOW_TOPLEVEL).catch((err: Error) => ({
    ok: false,
    err: err.message,
    out: '',
  }));
  let root = top.out;
  if (!top.ok) {
    // A bare repository (a mirror, a server's copy) has history and no work tree: its git directory is the root.
    const bare = await gitRun(dir, ['rev-parse', '--is-bare-repository', '--absolute-git-dir']).catch(() => undefined);
    const [isBare, gitDir] = bare?.ok ? bare.out.split('\n') : [];
    if (isBare !== 'true' || !gitDir) throw new UsageError(`not a git repository: ${dir} (${firstLine(top.err)})`);
    if (opts.history === false)
      throw new UsageError(
        `${dir} is a bare repository: it has no index, so nothing is staged; scan its history instead`,
      );
    root = gitDir;
  }
  // The pre-commit hook needs only the root.
  if (opts.history === false) return { root, shallow: false, head: undefined };
  const [shallow, head] = await Promise.all([
    gitRun(root, IS_SHALLOW).then((a) => a.out === 'true'),
    gitRun(root, HEAD_COMMIT).then((a) => (a.ok && a.out) || undefined),
  ]);
  return { root, shallow, head };
}

/** Whether `rev` names a commit in the repository at `dir`. */
export async function commitExists(dir: string, rev: string): Promise<boolean> {
  const answer = await gitRun(dir, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  return answer.ok && answer.out.length > 0;
}

/**
 * Which of these strings occur in HEAD's tree: one `git grep -F -o -f -`, patterns on stdin (never
 * argv, which every process on the machine can read). When git grep fails, presence is unknown: none.
 */
export async function secretsAtHead(root: string, patterns: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  const stdin = [patterns.filter((p) => p.length > 0).join('\n') + '\n'];
  const grep = ['-c', 'grep.fallbackToNoIndex=false', 'grep', '-I', '-F', '-o', '-h', '--no-color', '-f', '-', 'HEAD'];
  try {
    await forEachLine(gitStream(root, [...grep, '--'], stdin), (line) => {
      found.add(line.toString('utf8'));
    });
  } catch {
    // 1 = no match (nothing was printed); anything else leaves presence unknown rather than failing the scan
    return new Set();
  }
  return found;
}

/** A warning for a shallow clone: history before the boundary is not there to scan. */
export function shallowWarning(root: string): Warning {
  return {
    subject: root,
    message:
      'shallow clone: history before the shallow boundary was not scanned; deepen it with ' +
      '`git fetch --unshallow` (in GitHub Actions: actions/checkout with `fetch-depth: 0`)',
  };
}
