// A copy of this checkout as a user's clone would have it: the files git tracks plus new ones not
// ignored (so an uncommitted change is tested too), committed in a repository of its own.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GitRepo } from './git-repo.js';
import { ROOT } from './helpers.js';

export function cloneOfCheckout(
  prefix: string,
  opts: { nodeModules?: boolean } = {},
): { repo: GitRepo; commit: string } {
  const repo = GitRepo.init(prefix);
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  for (const f of files.split('\0').filter((f) => f && existsSync(join(ROOT, f)))) {
    mkdirSync(dirname(join(repo.dir, f)), { recursive: true });
    cpSync(join(ROOT, f), join(repo.dir, f));
  }
  const commit = repo.commit('leakradius as checked out');
  // The installed dependencies, to build without installing them again (ignored by git, like a clone's own).
  if (opts.nodeModules) symlinkSync(join(ROOT, 'node_modules'), join(repo.dir, 'node_modules'));
  return { repo, commit };
}
