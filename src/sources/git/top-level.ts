// The pre-commit hook's work tree, found without asking git where the answer is certain: git runs
// the hook at the work tree's top level, and `git rev-parse --show-toplevel` there cost ~3 ms of
// the hook's main thread (a spawn) and ~2.5 ms CPU of git's own. Whatever could move the work tree
// or make git refuse the repository sends the question to git as before.

import { readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Variables that point git elsewhere or add configuration that could (git's environment). */
const ENVIRONMENT = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_COMMON_DIR',
  'GIT_OBJECT_DIRECTORY',
  'GIT_CONFIG',
  'GIT_CONFIG_COUNT',
];

/**
 * `dir` (real path) when it is a work tree's top level beyond doubt: it holds a `.git` directory
 * that git takes for a repository (HEAD, objects, refs), this user owns both (git's safe.directory
 * check), and neither the environment nor that repository's config names a work tree, a bare
 * repository, an include or per-worktree config. Otherwise undefined: ask git (a linked worktree's
 * or a submodule's `.git` file, GIT_DIR, core.worktree, a subdirectory, Windows).
 */
export function plainTopLevel(dir: string): string | undefined {
  if (process.platform === 'win32' || process.getuid === undefined) return undefined;
  if (ENVIRONMENT.some((name) => process.env[name] !== undefined)) return undefined;
  if (/worktree|bare|include/i.test(process.env.GIT_CONFIG_PARAMETERS ?? '')) return undefined;
  try {
    const gitDir = join(dir, '.git');
    const uid = process.getuid();
    const own = statSync(gitDir);
    if (!own.isDirectory() || own.uid !== uid || statSync(dir).uid !== uid) return undefined;
    if (!statSync(join(gitDir, 'HEAD')).isFile()) return undefined;
    if (!statSync(join(gitDir, 'objects')).isDirectory() || !statSync(join(gitDir, 'refs')).isDirectory())
      return undefined;
    const config = readFileSync(join(gitDir, 'config'), 'utf8');
    if (/worktree|include/i.test(config)) return undefined;
    // `bare` alone means true.
    for (const m of config.matchAll(/^\s*bare\b\s*(?:=\s*(\S*))?/gim))
      if (m[1]?.toLowerCase() !== 'false') return undefined;
    return realpathSync(dir);
  } catch {
    return undefined;
  }
}
