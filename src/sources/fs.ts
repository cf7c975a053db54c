// Walks directories and yields the files to scan. Every name is walked whatever it holds (glob
// libraries drop names with a newline). Symlinked directories are never followed (no loops); a
// symlinked file is read unless its target is outside the scanned roots (--follow-symlinks reads
// it) or is walked at its own path anyway (read once). FIFOs, devices and sockets are skipped with
// a warning: only a path given on the command line is read as a stream.

import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { errorMessage } from '../errors.js';
import { pathMatcher } from './history.js';
import type { FileJob } from './jobs.js';
import type { Warning } from '../types.js';

export interface WalkOptions {
  readonly exclude?: readonly string[];
  readonly onWarning: (w: Warning) => void;
  /** Real paths of everything the scan was given (default: this root): symlinks out of them are not read. */
  readonly roots?: readonly ScannedRoot[];
  /** Read symlinked files whose target is outside the roots too (directories are still not followed). */
  readonly followSymlinks?: boolean;
}

export interface ScannedRoot {
  /** The real path (symlinks resolved). */
  readonly path: string;
  readonly directory: boolean;
}

/** Display path: the root as the user typed it, joined with the path inside it. */
function displayPath(root: string, rel: string): string {
  return root === '.' ? rel : join(root, rel);
}

/** What a directory entry that is not a file or directory is, for the warning that skips it. */
function specialKind(d: Dirent | { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean }): string {
  return d.isFIFO() ? 'a FIFO' : d.isSocket() ? 'a socket' : d.isCharacterDevice() ? 'a character device' : 'a device';
}

/** Inside a nested repository's `.git`, only its config is read (credentials in remote URLs). */
const NESTED_GIT_READ = 'config';

export async function* walk(root: string, options: WalkOptions): AsyncGenerator<FileJob> {
  const warn = options.onWarning;
  const excluded = pathMatcher(options.exclude ?? []);
  const roots = options.roots ?? [{ path: await realpath(root), directory: true }];
  /** Whether the walk reads the file at this real path at its own path (so a link to it is not read again). */
  const walkedAt = (target: string): boolean =>
    roots.some((r) => {
      if (!r.directory) return target === r.path;
      const rel = relative(r.path, target).split(sep).join('/');
      if (rel.startsWith('../') || rel === '..' || rel === '' || rel.startsWith('/')) return false;
      const parts = rel.split('/');
      const git = parts.indexOf('.git');
      // The root's own .git is never walked; a nested one only for its config.
      if (git === 0 || (git > 0 && (git !== parts.length - 2 || parts[git + 1] !== NESTED_GIT_READ))) return false;
      return !excluded(rel);
    });
  const inside = (target: string): boolean =>
    roots.some(
      (r) => target === r.path || (r.directory && target.startsWith(r.path.endsWith(sep) ? r.path : r.path + sep)),
    );

  const pending: string[] = [''];
  while (pending.length) {
    const dir = pending.pop()!;
    let entries: Dirent[];
    try {
      entries = await readdir(join(root, dir), { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && dir) continue; // removed during the scan
      warn({
        subject: dir ? displayPath(root, dir) : root,
        message: `cannot read directory (${errorMessage(err)}); skipped`,
        incomplete: true,
      });
      continue;
    }
    const nestedGit = dir.endsWith('/.git');
    if (nestedGit) {
      const repo = dir.slice(0, -'/.git'.length);
      warn({
        subject: displayPath(root, repo),
        message: `a nested git repository: only its .git/${NESTED_GIT_READ} is scanned (its history: leakradius git)`,
      });
    }
    const subdirs: string[] = [];
    for (const d of entries) {
      if (nestedGit && d.name !== NESTED_GIT_READ) continue;
      // The root's own repository (its history is what `leakradius git` reads).
      if (dir === '' && d.name === '.git') continue;
      const rel = dir ? `${dir}/${d.name}` : d.name;
      if (excluded(rel)) continue;
      const path = join(root, rel);
      const display = displayPath(root, rel.split('/').join(sep));
      if (d.isFile()) {
        yield { path, origin: { kind: 'file', path: display } };
      } else if (d.isDirectory()) {
        if (!nestedGit) subdirs.push(rel);
      } else if (d.isSymbolicLink()) {
        const job = await linkedFile(path, display);
        if (job) yield job;
      } else {
        warn({ subject: display, message: `${specialKind(d)}, not a regular file; skipped (name it to read it)` });
      }
    }
    // Depth first, in the order readdir gave.
    for (let i = subdirs.length - 1; i >= 0; i--) pending.push(subdirs[i]!);
  }

  async function linkedFile(path: string, display: string): Promise<FileJob | undefined> {
    let target: string;
    try {
      const st = await stat(path);
      // Directories behind links are not followed (no loops).
      if (st.isDirectory()) return undefined;
      if (!st.isFile()) {
        warn({ subject: display, message: `links to ${specialKind(st)}, not a regular file; skipped` });
        return undefined;
      }
      target = await realpath(path);
    } catch (err) {
      warn({ subject: display, message: `broken symbolic link (${errorMessage(err)}); skipped` });
      return undefined;
    }
    if (!inside(target)) {
      if (options.followSymlinks) return { path, origin: { kind: 'file', path: display } };
      warn({
        subject: display,
        message: `symbolic link to ${target}, outside the scanned paths; not read (--follow-symlinks reads it)`,
      });
      return undefined;
    }
    return walkedAt(target) ? undefined : { path, origin: { kind: 'file', path: display } };
  }
}
