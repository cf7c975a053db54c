// Running git: one streaming runner for outputs of any size (log, cat-file --batch, diff, grep), and
// one for short commands that answer in a few lines (rev-parse, config, fetch). Both run git with
// PLAIN, so the user's config cannot change what is parsed, and report failures with git's own words.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { Socket, type SocketConstructorOpts } from 'node:net';
import { PassThrough, type Readable } from 'node:stream';
import { devNull } from 'node:os';
import { UsageError, errorMessage } from '../../errors.js';

/** Git flags that keep diffs plain and machine-readable whatever the user's config says. */
const PLAIN = [
  '-c',
  'core.quotePath=false',
  '-c',
  'diff.noprefix=false',
  '-c',
  'diff.mnemonicPrefix=false',
  '-c',
  'color.ui=false',
  '-c',
  'advice.graftFileDeprecated=false', // TRUE_HISTORY names a grafts file: no hint on stderr
];

/**
 * Git sees the objects as they are: `git replace` refs and a grafts file can show other commits in
 * place of the ones stored, hiding what those hold from every history scan. The replacements are
 * refs, so `--all` still reads them.
 */
const TRUE_HISTORY = { GIT_NO_REPLACE_OBJECTS: '1', GIT_GRAFT_FILE: devNull };

/** A running git process: stdout to read, and its exit code with the start of its stderr. */
interface GitProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** What git writes (child.stdout, or a copy of it for a process started early). */
  readonly stdout: Readable;
  /** Exit code once git has closed its output; rejects with GitError when git cannot be started. */
  readonly exited: Promise<number>;
  readonly stderr: () => string;
}

/** What git reads on stdin: written as it comes, with backpressure. */
export type GitInput = AsyncIterable<string | Buffer> | Iterable<string | Buffer>;

/** startGit's stdin: what to write, or LATER to keep it open for what takeOrStartGit is given. */
const LATER = Symbol('stdin later');

/**
 * Commands that flush each record to a pipe unless GIT_FLUSH=0: one write, and one read here, per
 * commit (uptime-kuma's `rev-list --all`: 16,132 writes of 41 bytes against 162 of 4 KB). They read
 * all of their stdin before writing, so nothing waits on a record still in git's buffer.
 */
const RECORD_FLUSHED = new Set(['rev-list', 'log']);

function startGit(cwd: string, args: readonly string[], stdin?: GitInput | typeof LATER): GitProcess {
  const child: ChildProcessWithoutNullStreams = spawn('git', [...PLAIN, ...args], {
    cwd,
    env: { ...process.env, ...TRUE_HISTORY, ...(RECORD_FLUSHED.has(args[0]!) && { GIT_FLUSH: '0' }) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    if (stderr.length < 8192) stderr += d;
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  }).catch((err: Error) => {
    throw new GitError(`cannot run git (${errorMessage(err)}); is git installed and on PATH?`);
  });
  exited.catch(() => undefined);
  if (stdin === undefined) child.stdin.end();
  else {
    child.stdin.on('error', () => undefined);
    if (stdin !== LATER) feed(child, stdin);
  }
  return { child, stdout: child.stdout, exited, stderr: () => stderr };
}

/** Writes `stdin` to git as it comes, with backpressure, then closes it. */
function feed(child: ChildProcessWithoutNullStreams, stdin: GitInput): void {
  void (async () => {
    try {
      for await (const part of stdin)
        if (!child.stdin.write(part)) await new Promise((r) => child.stdin.once('drain', r));
    } catch {
      // git exited early; its exit code tells why
    }
    child.stdin.end();
  })();
}

/** git processes started ahead of need (startGitEarly), by directory and arguments; `input`: stdin left open. */
const early = new Map<string, GitProcess & { readonly input: boolean }>();
const earlyKey = (cwd: string, args: readonly string[]) => `${cwd}\0${args.join('\0')}`;

/**
 * Starts `git args` in `cwd` now; the next gitRun or gitStream with the same directory and
 * arguments (and no stdin) reads this process instead of starting one. The pre-commit hook's
 * first git commands thus run on the other core while the CLI's modules load (bin/leakradius.js).
 * `input`: git's stdin stays open, and the next gitStream of it that has a stdin takes it
 * (`cat-file --batch`, whose requests come later); git waits for them, and exits with Node.
 */
export function startGitEarly(cwd: string, args: readonly string[], input = false, buffer?: number): void {
  const key = earlyKey(cwd, args);
  if (early.has(key)) return;
  const git = startGit(cwd, args, input ? LATER : undefined);
  // Node drops what a child wrote to a stdout nobody reads once it exits: piped into a stream of
  // our own, it waits there (with backpressure, as when read directly; `buffer`: bytes git may write
  // ahead of the reader, for a long answer such as a history's commit list).
  const stdout = git.child.stdout.pipe(new PassThrough(buffer ? { highWaterMark: buffer } : undefined));
  // One nobody takes (the scan failed first, or ran elsewhere) must not keep Node running.
  refGit(git, false);
  early.set(key, { ...git, stdout, input });
}

/** Stops processes started early that nothing took: the one of `cwd` and `args`, or all (a scan's end). */
export function dropEarlyGit(cwd?: string, args?: readonly string[]): void {
  for (const [key, git] of early)
    if (cwd === undefined || key === earlyKey(cwd, args ?? [])) {
      early.delete(key);
      git.child.kill();
    }
}

function refGit(git: GitProcess, ref: boolean): void {
  const { child } = git;
  for (const handle of [child, child.stdout, child.stderr, child.stdin] as Array<{ ref(): void; unref(): void }>)
    if (ref) handle.ref();
    else handle.unref();
}

function takeOrStartGit(cwd: string, args: readonly string[], stdin?: GitInput): GitProcess {
  const key = earlyKey(cwd, args);
  const started = early.get(key);
  if (started === undefined || started.input !== (stdin !== undefined)) return startGit(cwd, args, stdin);
  early.delete(key);
  refGit(started, true);
  if (stdin !== undefined) feed(started.child, stdin);
  return started;
}

/** Runs git and yields its stdout as it arrives; throws with git's stderr if git fails. */
export async function* gitStream(cwd: string, args: readonly string[], stdin?: GitInput): AsyncGenerator<Buffer> {
  const git = takeOrStartGit(cwd, args, stdin);
  let finished = false;
  try {
    for await (const chunk of git.stdout as AsyncIterable<Buffer>) yield chunk;
    finished = true;
  } finally {
    if (!finished) git.child.kill();
  }
  const code = await git.exited;
  if (code !== 0) throw new GitError(`${commandName(args)} failed: ${firstLine(git.stderr()) || `exit code ${code}`}`);
}

/**
 * Where gitReadInto puts git's stdout: `region` is where the next read lands, `read` says how much
 * did and whether to read on (false: pause until `resume`).
 */
export interface ReadSink {
  region(): Buffer;
  read(bytes: number): boolean;
  end(): void;
}

/** gitReadInto's process: `resume` reads on after a pause; `exited` rejects when git failed. */
export interface GitReading {
  resume(): void;
  readonly exited: Promise<void>;
}

/**
 * Runs git with its stdout read straight into the caller's memory (net.Socket's `onread`): a
 * stream allocates a fresh Buffer for every pipe read, and on a history's
 * `cat-file --batch` (963 MB in 84,000 reads) that memory, not the JS heap, set off most of the
 * full garbage collections.
 */
export function gitReadInto(cwd: string, args: readonly string[], stdin: GitInput, sink: ReadSink): GitReading {
  const git = takeOrStartGit(cwd, args, stdin);
  if (git.stdout !== git.child.stdout) return copyInto(git, args, sink);
  // The pipe's handle, taken over from child.stdout (which never reads it): Node has no public
  // way to read a child's output into given memory.
  const handle = (git.child.stdout as unknown as { _handle?: object })._handle;
  const socket = new Socket({
    handle,
    readable: true,
    writable: false,
    onread: { buffer: () => sink.region(), callback: (bytes) => sink.read(bytes) },
  } as SocketConstructorOpts);
  let failure: Error | undefined = handle ? undefined : new Error('no pipe to read');
  const ended = new Promise<void>((resolve) => {
    if (failure) resolve();
    socket.on('end', resolve);
    socket.on('error', (err) => {
      failure = err;
      resolve();
    });
  }).then(() => sink.end());
  // child.stdout no longer sees the pipe close, so the child's 'close' never comes: its 'exit' does.
  const code = new Promise<number>((resolve) => {
    if (git.child.exitCode !== null) resolve(git.child.exitCode);
    else git.child.once('exit', (c) => resolve(c ?? 1));
  });
  // git's words on stderr are all read once its pipe closes.
  const stderrRead = new Promise<void>((resolve) => git.child.stderr.once('close', () => resolve()));
  const exited = Promise.all([ended, Promise.race([code, git.exited]), stderrRead]).then(([, c]) => {
    if (failure) throw new GitError(`${commandName(args)} failed: ${errorMessage(failure)}`);
    if (c !== 0) throw new GitError(`${commandName(args)} failed: ${firstLine(git.stderr()) || `exit code ${c}`}`);
  });
  exited.catch(() => undefined);
  return { resume: () => socket.resume(), exited };
}

/**
 * gitReadInto of a process started early (the pre-commit hook's `cat-file --batch`), whose pipe is
 * already read into a stream: its chunks are copied into the sink's regions (a few KB there).
 */
function copyInto(git: GitProcess, args: readonly string[], sink: ReadSink): GitReading {
  let paused: (() => void) | undefined;
  const ended = (async () => {
    for await (const chunk of git.stdout as AsyncIterable<Buffer>)
      for (let at = 0; at < chunk.length; ) {
        const bytes = chunk.copy(sink.region(), 0, at);
        at += bytes;
        if (!sink.read(bytes)) await new Promise<void>((resume) => (paused = resume));
      }
  })();
  const exited = ended
    .finally(() => sink.end())
    .then(() => git.exited)
    .then((code) => {
      if (code !== 0)
        throw new GitError(`${commandName(args)} failed: ${firstLine(git.stderr()) || `exit code ${code}`}`);
    })
    .catch((err: Error) => {
      // A broken pipe is git's failure too, named as gitReadInto names it.
      throw err instanceof GitError ? err : new GitError(`${commandName(args)} failed: ${errorMessage(err)}`);
    });
  exited.catch(() => undefined);
  return {
    resume: () => {
      const resume = paused;
      paused = undefined;
      resume?.();
    },
    exited,
  };
}

/** What a short git command answered: `ok` when it exited 0; `out` and `err` trimmed. */
export interface GitAnswer {
  readonly ok: boolean;
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Most a short command may print; more is a misuse of this runner (gitStream reads big outputs). */
const MAX_ANSWER = 16 * 1024 * 1024;

/**
 * Runs a short git command to its end and returns its answer; a non-zero exit is an answer, not an
 * error (`rev-parse --verify --quiet` says "no" that way). Throws only when git cannot be started.
 */
export async function gitRun(cwd: string, args: readonly string[]): Promise<GitAnswer> {
  const git = takeOrStartGit(cwd, args);
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of git.stdout as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_ANSWER) {
      git.child.kill();
      throw new GitError(`${commandName(args)} printed more than ${MAX_ANSWER / 1024 / 1024} MiB`);
    }
    parts.push(chunk);
  }
  const code = await git.exited;
  return { ok: code === 0, code, out: Buffer.concat(parts).toString('utf8').trim(), err: git.stderr().trim() };
}

/** "git log -p ..." for messages: the first few arguments, never a --format. */
function commandName(args: readonly string[]): string {
  return `git ${args
    .filter((a) => !a.startsWith('--format'))
    .slice(0, 4)
    .join(' ')}`;
}

export class GitError extends UsageError {}

/** Longest line kept whole; the rest of a longer line (a huge minified file) is dropped. */
export const MAX_LINE = 64 * 1024 * 1024;

/**
 * Calls `onLine` for each line (without the "\n") of a byte stream, synchronously within each
 * chunk: no await per line. Lines are views into git's buffers; a partial line waits as a list of
 * chunks (no quadratic re-copying), and a line over MAX_LINE is cut (`cut` = true). `afterChunk`
 * runs once the lines of each chunk are handed over (the diff reader compares files there).
 */
export async function forEachLine(
  chunks: AsyncIterable<Buffer>,
  onLine: (line: Buffer, cut: boolean) => void,
  afterChunk?: () => Promise<void>,
): Promise<void> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let cut = false;
  const takePending = (tail: Buffer): Buffer => {
    const keep = tail.subarray(0, Math.max(0, MAX_LINE - pendingBytes));
    if (keep.length < tail.length) cut = true;
    const line = pending.length ? Buffer.concat([...pending, keep]) : keep;
    pending = [];
    pendingBytes = 0;
    return line;
  };
  for await (const chunk of chunks) {
    let start = 0;
    let nl = chunk.indexOf(10);
    if (nl !== -1 && pending.length) {
      const line = takePending(chunk.subarray(0, nl));
      onLine(line, cut);
      cut = false;
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    for (; nl !== -1; nl = chunk.indexOf(10, start)) {
      onLine(chunk.subarray(start, nl), false);
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      if (pendingBytes + rest.length <= MAX_LINE) {
        pending.push(rest);
        pendingBytes += rest.length;
      } else {
        if (pendingBytes < MAX_LINE) {
          pending.push(rest.subarray(0, MAX_LINE - pendingBytes));
          pendingBytes = MAX_LINE;
        }
        cut = true;
      }
    }
    if (afterChunk) await afterChunk();
  }
  if (pending.length) onLine(takePending(Buffer.alloc(0)), cut);
}

/** The first non-blank line of git's stderr. */
export function firstLine(s: string): string {
  return (
    s
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? s
  );
}

/** An async iterable of strings fed by push(): git's stdin. */
export class Lines implements AsyncIterable<string> {
  private readonly items: string[] = [];
  private wake: (() => void) | undefined;
  private ended = false;

  push(s: string): void {
    this.items.push(s);
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<string> {
    for (;;) {
      if (this.items.length) {
        yield this.items.splice(0).join('');
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((r) => (this.wake = r));
      this.wake = undefined;
    }
  }
}
