// What a pull request changes in the files that configure leakradius. Its scan applies the base
// commit's config and baseline (config/revision.ts); the changes are shown to reviewers instead.

import { UsageError } from '../errors.js';
import { gitRun } from '../sources/git/index.js';

export interface ConfigChange {
  /** Repository-relative path. */
  readonly path: string;
  readonly status: 'added' | 'modified' | 'deleted';
}

const STATUS: Record<string, ConfigChange['status']> = { A: 'added', M: 'modified', D: 'deleted', T: 'modified' };

/** Which of `paths` the commits in base..head change (from their merge base, so main's own edits are not counted). */
export async function configChanges(
  root: string,
  base: string,
  head: string,
  paths: readonly string[],
): Promise<ConfigChange[]> {
  if (!paths.length) return [];
  const r = await gitRun(root, ['diff', '--no-renames', '--name-status', '-z', `${base}...${head}`, '--', ...paths]);
  if (!r.ok)
    throw new UsageError(`cannot compare the config files of ${base.slice(0, 12)} and ${head.slice(0, 12)}: ${r.err}`);
  const fields = r.out.split('\0');
  const out: ConfigChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2)
    out.push({ path: fields[i + 1]!, status: STATUS[fields[i]!.charAt(0)] ?? 'modified' });
  return out;
}
