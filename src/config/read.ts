// Reading config and baseline files, which a scanned repository may hold (and a pull request may
// change): a committed `.leakradius.yml -> ~/.aws/credentials` must not be read, a 50 MB one must
// not be parsed, and no error may quote the file's text (it may be someone's credentials). Errors
// name the file, the line and the key, never a value.

import { closeSync, existsSync, fstatSync, lstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { UsageError, errorMessage } from '../errors.js';

/** Config files are small; a larger one is refused, not parsed (50 MB of YAML took 2 GB of memory). */
export const MAX_CONFIG_BYTES = 1024 ** 2;
/** Baselines hold one entry per accepted secret, so they may be larger (still parsed as JSON only). */
export const MAX_BASELINE_BYTES = 16 * 1024 ** 2;

export interface ReadOptions {
  /** "config", "baseline": how messages name the file. */
  readonly what: string;
  readonly maxBytes: number;
}

/** The git work tree a path lies in, found without following the path itself; else its directory. */
function repositoryOf(path: string): string {
  const start = dirname(resolve(path));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

/** A config or baseline file's text; throws UsageError naming the file and the fix. */
export function readConfigText(path: string, options: ReadOptions): string {
  const fail = (why: string) => new UsageError(`cannot read the ${options.what} ${path}: ${why}`);
  let real: string;
  try {
    real = realpathSync(path);
  } catch (err) {
    throw fail(errorMessage(err));
  }
  // A symlink (the file or a directory on the way) may point anywhere the user can read: only a
  // target inside the git work tree that holds the path (else its own directory) is read.
  const repository = repositoryOf(path);
  let root: string;
  try {
    root = realpathSync(repository);
  } catch {
    root = resolve(repository);
  }
  const rel = relative(root, real);
  if (rel.startsWith('..') || isAbsolute(rel))
    throw fail(
      `it is a symbolic link to a file outside ${repository}, which is never read (replace the link with the file)`,
    );
  let fd: number;
  try {
    if (!lstatSync(real).isFile()) throw new Error('not a regular file');
    fd = openSync(real, 'r');
  } catch (err) {
    throw fail(errorMessage(err));
  }
  try {
    const size = fstatSync(fd).size;
    if (size > options.maxBytes)
      throw fail(`it is ${size} bytes; a ${options.what} file may be at most ${options.maxBytes} bytes`);
    // Read at most one byte more than allowed: the file may grow between fstat and read.
    const buf = Buffer.alloc(Math.min(size, options.maxBytes) + 1);
    let n = 0;
    for (let r = 1; r > 0 && n < buf.length; n += r) r = readSync(fd, buf, n, buf.length - n, n);
    if (n > options.maxBytes)
      throw fail(`it is larger than ${options.maxBytes} bytes, the most a ${options.what} may be`);
    return buf.toString('utf8', 0, n);
  } finally {
    closeSync(fd);
  }
}

/** "line 3, column 7" for an offset into text. */
function position(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

/** Why JSON.parse failed, without the text it quotes ("Unexpected token 'A', "{"a": AKIA…" …). */
export function jsonProblem(err: unknown, text: string): string {
  const message = (err as Error).message;
  const at = /at position (\d+)/.exec(message);
  if (at) return `invalid JSON at ${position(text, Number(at[1]))}`;
  // V8's other form quotes ~10 characters either side of the error: find them to name the place.
  const near = /^Unexpected token '([^']*)', (\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON$/.exec(message);
  const from = near ? text.indexOf(near[3]!) : -1;
  if (near && from >= 0)
    return `invalid JSON at ${position(text, from + (near[2] ? 10 : near[3]!.indexOf(near[1]!)))}`;
  return /Unexpected end/i.test(message) ? 'invalid JSON: it ends too early' : 'invalid JSON';
}

/** Why the yaml package failed, without the lines it quotes. */
export function yamlProblem(err: unknown): string {
  const e = err as { code?: string; linePos?: Array<{ line: number; col: number }> };
  const at = e.linePos?.[0];
  return `invalid YAML${at ? ` at line ${at.line}, column ${at.col}` : ''}${e.code ? ` (${e.code})` : ''}`;
}

/** Why smol-toml failed, without the lines it quotes. */
export function tomlProblem(err: unknown): string {
  const e = err as { line?: number; column?: number; message?: string };
  const why = /^Invalid TOML document: ([^\n]*)/.exec(String(e.message))?.[1];
  return `invalid TOML${e.line ? ` at line ${e.line}, column ${e.column}` : ''}${why ? ` (${why})` : ''}`;
}

/** Why RE2 refused a pattern ("missing )"), without the pattern it quotes after the colon. */
export function re2Problem(err: unknown): string {
  return String((err as Error).message).split(':')[0]!;
}
