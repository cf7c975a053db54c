// Writing a report to a file. The target's name may come from a scanned repository (a committed
// `leakradius.sarif -> ../../script.sh`), so a report is never written through a symlink, and a
// failed write (a full disk) never leaves half a report over the last whole one: the report goes
// to a new file beside the target, which then replaces it.

import { closeSync, fsyncSync, lstatSync, openSync, realpathSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, relative, isAbsolute } from 'node:path';
import { UsageError, errorMessage } from '../errors.js';

export interface WriteReportOptions {
  /** The report must land inside this directory (the Action's workspace), parent symlinks resolved. */
  readonly within?: string;
  /** Says what is written, for messages ("the report", "the baseline"). */
  readonly what?: string;
}

/** Write `text` to `path` whole, or not at all; throws UsageError naming the file and the fix. */
export function writeReportFile(path: string, text: string | Buffer, options: WriteReportOptions = {}): void {
  const what = options.what ?? 'the report';
  const fail = (why: string) => new UsageError(`cannot write ${what} to ${path}: ${why}`);
  let existing: ReturnType<typeof lstatSync> | undefined;
  try {
    existing = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw fail(errorMessage(err));
  }
  if (existing?.isSymbolicLink())
    throw fail('it is a symbolic link, and leakradius never writes through one (remove it or name another file)');
  if (existing && !existing.isFile()) throw fail('it is not a regular file (name a file, or leave out --output)');
  const dir = dirname(path);
  if (options.within !== undefined) {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch (err) {
      throw fail(errorMessage(err));
    }
    const rel = relative(realpathSync(options.within), real);
    if (rel.startsWith('..') || isAbsolute(rel))
      throw fail(`its directory resolves to ${real}, outside ${options.within} (a symbolic link on the way?)`);
  }
  // O_EXCL: a new file of our own, never a link or a file someone placed there (that only fails the
  // write, so the name needs to be unique, not unguessable: no node:crypto on the hook's path).
  const temp = join(dir, `.${basename(path)}.${process.pid}.${process.hrtime.bigint().toString(36)}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o644);
    const bytes = typeof text === 'string' ? Buffer.from(text) : text;
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
    // A full disk may only say so when the data is flushed.
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    const kept = existing ? `; the previous ${basename(path)} is unchanged` : '';
    throw fail(`${errorMessage(err)}${kept}`);
  }
}
