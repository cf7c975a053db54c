// Reading from the cache directory. A cache entry decides which rules run (parsed rules, the keyword
// automaton), so it is read only when this user wrote it and nobody else can change it: a shared or
// restored cache directory must not be able to switch rules off.

import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';

/** A cache file's bytes; undefined when it is missing, unreadable, or writable by other users. */
export function readCacheFile(path: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const st = fstatSync(fd);
    const uid = process.getuid?.();
    // Windows has no owners or mode bits to check.
    if (!st.isFile() || (uid !== undefined && (st.uid !== uid || (st.mode & 0o022) !== 0))) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
