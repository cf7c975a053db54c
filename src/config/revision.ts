// Config and baseline as a commit has them. A pull request's scan trusts its base commit, never the
// checkout: a PR that edits .leakradius.yml, .gitleaks.toml, .secrets.baseline or the baseline file
// must not switch off its own check (its changes apply once merged).

import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { UsageError } from '../errors.js';
import { gitRun, gitStream } from '../sources/git/index.js';
import type { Warning } from '../types.js';
import { parseBaseline, loadBaseline, type Baseline } from './baseline.js';
import { CONFIG_FILE_NAMES, configFromText, loadConfig, type Config } from './config.js';

/** A config or baseline read from a commit is refused above this size (a config is a few KB). */
const MAX_CONFIG_BYTES = 1024 * 1024;

export interface CommitConfig {
  /** The config that applies; null: the commit has none. */
  readonly config: Config | null;
  /** The baseline's fingerprints; null: none asked for, or the commit has none. */
  readonly baseline: Baseline | null;
}

/** Where the scan's config and baseline are: repository-relative paths in the commit, or files outside it. */
export interface ConfigPaths {
  /** The explicit config (--config), repository-relative, or absolute when outside the repository. */
  readonly config?: string;
  readonly baseline?: string;
  /** Repository-relative paths a commit's config and baseline can come from: what a reviewer should watch. */
  readonly inRepository: readonly string[];
}

/** Where the config and baseline given as paths (relative to the working directory) live. */
export function configPaths(root: string, given: { config?: string; baseline?: string }): ConfigPaths {
  const place = (p: string | undefined) => {
    if (!p) return undefined;
    const rel = relative(root, resolve(p));
    return rel.startsWith('..') || isAbsolute(rel) ? resolve(p) : rel.split(sep).join('/');
  };
  const config = place(given.config);
  const baseline = place(given.baseline);
  const inside = [config, baseline].filter((p): p is string => p !== undefined && !isAbsolute(p));
  return { config, baseline, inRepository: [...new Set([...(config ? [] : CONFIG_FILE_NAMES), ...inside])] };
}

interface TreeEntry {
  readonly mode: string;
  readonly oid: string;
  readonly size: number;
}

/** The entries at these repository-relative paths in `commit` (absent paths are left out). */
async function treeEntries(root: string, commit: string, paths: readonly string[]): Promise<Map<string, TreeEntry>> {
  const out = new Map<string, TreeEntry>();
  if (!paths.length) return out;
  const listed = await gitRun(root, ['ls-tree', '-z', '-l', '--full-tree', commit, '--', ...paths]);
  if (!listed.ok) throw new UsageError(`cannot list the config files of ${commit.slice(0, 12)}: ${listed.err}`);
  for (const entry of listed.out.split('\0')) {
    const m = /^(\d+) (\w+) ([0-9a-f]+) +(-|\d+)\t(.*)$/s.exec(entry);
    if (m && m[2] === 'blob') out.set(m[5]!, { mode: m[1]!, oid: m[3]!, size: m[4] === '-' ? 0 : Number(m[4]) });
  }
  return out;
}

async function blobText(root: string, oid: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of gitStream(root, ['cat-file', 'blob', oid])) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The config and baseline of `commit`: the explicit config (or the first of CONFIG_FILE_NAMES at
 * the repository root) and the baseline, read from the commit's tree, never from the working tree.
 * Paths outside the repository (a file the workflow provides) are read from disk as usual. A file
 * the commit does not have applies as none, with a warning when it was named explicitly.
 */
export async function configAtCommit(
  root: string,
  commit: string,
  given: { config?: string; baseline?: string },
  onWarning: (w: Warning) => void,
): Promise<CommitConfig> {
  const paths = configPaths(root, given);
  const wanted = paths.config ? [paths.config] : CONFIG_FILE_NAMES;
  const entries = await treeEntries(
    root,
    commit,
    [...wanted, paths.baseline ?? ''].filter((p) => p && !isAbsolute(p)),
  );
  const at = commit.slice(0, 12);
  /** The text of `path` in the commit, or undefined (absent, or a symlink, which is never followed). */
  const read = async (path: string): Promise<string | undefined> => {
    const e = entries.get(path);
    if (!e) return undefined;
    if (e.mode === '120000') {
      onWarning({ subject: `${at}:${path}`, message: 'a symbolic link; not followed, so no config is read from it' });
      return undefined;
    }
    if (e.size > MAX_CONFIG_BYTES)
      throw new UsageError(`${at}:${path} is ${e.size} bytes; a config or baseline may be at most 1 MiB`);
    return blobText(root, e.oid);
  };

  /** A named file the commit lacks: none applies (the PR adds it), unless the name is wrong everywhere. */
  const missing = (path: string, asGiven: string, what: 'config' | 'baseline') => {
    if (!existsSync(asGiven))
      throw new UsageError(
        `${what} file not found: ${asGiven} (not in ${at} nor in the working tree; check the path)`,
      );
    onWarning({
      subject: path,
      message: `not in ${at} (the base of the scan): no ${what} applies until it is merged`,
    });
  };

  let config: Config | undefined;
  if (paths.config && isAbsolute(paths.config)) config = loadConfig(paths.config);
  else
    for (const path of wanted) {
      const text = await read(path);
      if (text === undefined) {
        if (paths.config) missing(path, given.config!, 'config');
        continue;
      }
      config = configFromText(text, `${at}:${path}`);
      break;
    }

  let baseline: Baseline | undefined;
  if (paths.baseline && isAbsolute(paths.baseline)) baseline = loadBaseline(paths.baseline);
  else if (paths.baseline) {
    const text = await read(paths.baseline);
    if (text === undefined) missing(paths.baseline, given.baseline!, 'baseline');
    else baseline = parseBaseline(text, `${at}:${paths.baseline}`);
  }
  return { config: config ?? null, baseline: baseline ?? null };
}
