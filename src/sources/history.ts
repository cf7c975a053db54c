// Reading history for the scan layer: which paths are excluded, the origin of a change, and the
// added lines of one share of a split history (read by its own git processes).

import RE2 from 're2';
import { readAddedLines, type BlobHandler } from './added.js';
import type { ReadRange } from './read-range.js';
import { logPatchesShare, parsePatches, type CommitMeta } from './git/index.js';
import type { Origin } from '../types.js';

/** Reads added lines into a handler: a parsed patch stream (parsePatches) or readAddedLines. */
export type AddedSource = (handler: BlobHandler) => Promise<void>;

/** A patch stream (`git log -p`, `git diff --cached`) as an AddedSource. */
export function patchSource(source: AsyncIterable<Buffer> | AddedSource): AddedSource {
  return typeof source === 'function' ? source : (h) => parsePatches(source, h);
}

/**
 * The commits of one share of a split history, read with the share's strategy (both newest first);
 * "diff" reads the `range` of them when given.
 */
export function shareSource(
  root: string,
  commits: readonly string[],
  strategy: 'diff' | 'patches',
  range?: ReadRange,
): AddedSource {
  return strategy === 'diff'
    ? (h) => readAddedLines(root, commits, h, range)
    : patchSource(logPatchesShare(root, commits));
}

/**
 * Exclude patterns, for `scan` (sources/fs.ts) and `git` alike: a pattern without "/"
 * matches a name at any depth, one with "/" is anchored at the repository root; `*`, `**`, `?`.
 * `regexes` (RE2, a gitleaks `[allowlist] paths`) match anywhere in the repository-relative path.
 */
export function pathMatcher(patterns: readonly string[], regexes: readonly string[] = []): (path: string) => boolean {
  const res = patterns
    .map((raw) => raw.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, ''))
    .filter(Boolean)
    .map((p) => {
      const body = p
        .replace(/^\//, '')
        .split(/(\*\*\/?|\*|\?)/)
        .map((part) =>
          part === '**/'
            ? '(?:.*/)?'
            : part === '**'
              ? '.*'
              : part === '*'
                ? '[^/]*'
                : part === '?'
                  ? '[^/]'
                  : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
        )
        .join('');
      // s: "**" crosses names holding a newline too.
      return new RegExp(p.includes('/') ? `^${body}(?:/|$)` : `(?:^|/)${body}(?:/|$)`, 's');
    });
  res.push(...regexes.map((r) => new RE2(r)));
  return (path) => res.some((re) => re.test(path));
}

export function gitOrigin(meta: CommitMeta, path: string): Origin {
  return { kind: 'git', commit: meta.commit, author: meta.author, email: meta.email, date: meta.date, path };
}
