// Walks directories with fast-glob and yields the files to scan. Never follows a symlinked
// directory (no loops); a symlink to a file is scanned; a broken symlink is a warning.

import fg from 'fast-glob';
import * as fs from 'node:fs';
import { join, relative, sep } from 'node:path';
import { errorMessage } from '../errors.js';
import type { FileJob } from './jobs.js';
import type { Warning } from '../types.js';

export interface WalkOptions {
  readonly exclude?: readonly string[];
  readonly onWarning: (w: Warning) => void;
}

/** Glob patterns as users write them ("node_modules", "*.min.js", "docs/**") → fast-glob ignores. */
export function toIgnorePatterns(patterns: readonly string[]): string[] {
  const out: string[] = ['**/.git', '**/.git/**'];
  for (const raw of patterns) {
    const p = raw.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
    if (!p) continue;
    const anchored = p.includes('/') ? p.replace(/^\//, '') : `**/${p}`;
    out.push(anchored, `${anchored}/**`);
  }
  return out;
}

/** Display path: the root as the user typed it, joined with the path inside it. */
function displayPath(root: string, rel: string): string {
  return root === '.' ? rel : join(root, rel);
}

export async function* walk(root: string, options: WalkOptions): AsyncGenerator<FileJob> {
  const warn = options.onWarning;
  // Wrap readdir so an unreadable directory becomes a warning instead of a silent skip.
  const adapter = {
    readdir: ((
      path: string,
      opts: unknown,
      cb: (err: NodeJS.ErrnoException | null, entries?: fs.Dirent[]) => void,
    ) => {
      fs.readdir(path, opts as { withFileTypes: true }, (err, entries) => {
        if (err && err.code !== 'ENOENT') {
          warn({
            subject: displayPath(root, relative(root, path)) || root,
            message: `cannot read directory (${errorMessage(err)}); skipped`,
          });
          cb(null, []);
          return;
        }
        cb(err, entries);
      });
    }) as unknown as typeof fs.readdir,
  };
  const stream = fg.stream('**', {
    cwd: root,
    dot: true,
    onlyFiles: false,
    followSymbolicLinks: false,
    objectMode: true,
    suppressErrors: true,
    ignore: toIgnorePatterns(options.exclude ?? []),
    fs: adapter,
  });
  for await (const entry of stream as AsyncIterable<fg.Entry>) {
    const d = entry.dirent;
    const path = join(root, entry.path);
    const display = displayPath(root, entry.path.split('/').join(sep));
    if (d.isFile()) {
      yield { path, origin: { kind: 'file', path: display } };
    } else if (d.isSymbolicLink()) {
      let st: fs.Stats;
      try {
        st = fs.statSync(path);
      } catch (err) {
        warn({ subject: display, message: `broken symbolic link (${errorMessage(err)}); skipped` });
        continue;
      }
      // Files behind links are scanned; directories behind links are not followed (no loops).
      if (st.isFile()) yield { path, origin: { kind: 'file', path: display } };
    }
  }
}
