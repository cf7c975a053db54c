// Git as a source of blobs. History is read from `git log -p` (added lines per commit) or from
// unique blobs (`git cat-file --batch`), both parsed incrementally from git's output as it arrives,
// so memory stays bounded whatever the size of the history. Nothing here interprets content.

import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { promisify } from 'node:util';
import { UsageError, errorMessage } from '../errors.js';
import { lastAtMost } from '../text/sorted.js';
import type { Origin, Warning } from '../types.js';

export type GitOrigin = Extract<Origin, { kind: 'git' }>;

/** Who and when, for one commit. */
export interface CommitMeta {
  readonly commit: string;
  readonly parents: readonly string[];
  readonly author: string;
  readonly email: string;
  readonly date: string;
}

/** Path of a commit message pseudo-file. */
export const COMMIT_MESSAGE_PATH = '(commit message)';

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
];
const PATCH_FLAGS = [
  '-U0',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '-M',
  '--src-prefix=a/',
  '--dst-prefix=b/',
];
/** One commit record: NUL, hash, parents, author, email, ISO date, raw message, NUL. */
export const COMMIT_FORMAT = '--format=%x00%H%x00%P%x00%an%x00%ae%x00%aI%x00%B%x00';
const HEADER_FIELDS = 7; // NUL bytes in one record

const execFileAsync = promisify(execFile);

// ---------------------------------------------------------------------------------------------
// Repository discovery and metadata (simple-git: small, one-shot commands)

export interface RepoInfo {
  readonly root: string;
  readonly shallow: boolean;
  /** HEAD commit, or undefined in an empty repository. */
  readonly head: string | undefined;
}

/** Finds the repository around `dir`. `history: false` (the staged scan) asks git only for the root. */
export async function openRepo(dir: string, opts: { history?: boolean } = {}): Promise<RepoInfo> {
  if (opts.history === false) {
    // The pre-commit hook needs only the root: one plain `git rev-parse`, without loading
    // simple-git (~150 ms of the hook's start-up).
    try {
      const { stdout } = await execFileAsync('git', ['rev-parse', '--show-toplevel'], { cwd: dir });
      return { root: stdout.trim(), shallow: false, head: undefined };
    } catch (err) {
      throw new UsageError(
        `not a git repository: ${dir} (${firstLine((err as { stderr?: string }).stderr || errorMessage(err))})`,
      );
    }
  }
  const git = await simpleGitAt(dir);
  let root: string;
  try {
    root = (await git.revparse(['--show-toplevel'])).trim();
  } catch (err) {
    throw new UsageError(`not a git repository: ${dir} (${firstLine(errorMessage(err))})`);
  }
  const [shallow, head] = await Promise.all([
    git.revparse(['--is-shallow-repository']).then(
      (s) => s.trim() === 'true',
      () => false,
    ),
    git.revparse(['--verify', '--quiet', 'HEAD^{commit}']).then(
      (s) => s.trim() || undefined,
      () => undefined,
    ),
  ]);
  return { root, shallow, head };
}

/** simple-git, loaded on first use: the staged scan's start-up should not pay for it twice. */
async function simpleGitAt(dir: string) {
  const { simpleGit } = await import('simple-git');
  return simpleGit({ baseDir: dir });
}

/** Whether `rev` names a commit in the repository at `dir`. */
export async function commitExists(dir: string, rev: string): Promise<boolean> {
  return (await simpleGitAt(dir))
    .raw(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`])
    .then((s) => s.trim().length > 0)
    .catch(() => false);
}

function firstLine(s: string): string {
  return (
    s
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? s
  );
}

// ---------------------------------------------------------------------------------------------
// Streaming a git process

/** Runs git and yields its stdout as it arrives; throws with git's stderr if git fails. */
export async function* gitStream(
  cwd: string,
  args: readonly string[],
  stdin?: AsyncIterable<string | Buffer>,
): AsyncGenerator<Buffer> {
  const child: ChildProcessWithoutNullStreams = spawn('git', [...PLAIN, ...args], {
    cwd,
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
  });
  exited.catch(() => undefined);
  if (stdin) {
    void (async () => {
      try {
        for await (const part of stdin)
          if (!child.stdin.write(part)) await new Promise((r) => child.stdin.once('drain', r));
      } catch {
        // git exited early; its exit code tells why
      }
      child.stdin.end();
    })();
    child.stdin.on('error', () => undefined);
  } else child.stdin.end();
  let finished = false;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) yield chunk;
    finished = true;
  } finally {
    if (!finished) child.kill();
  }
  const code = await exited.catch((err: Error) => {
    throw new GitError(`cannot run git (${errorMessage(err)}); is git installed and on PATH?`);
  });
  if (code !== 0)
    throw new GitError(
      `git ${args
        .filter((a) => !a.startsWith('--format'))
        .slice(0, 4)
        .join(' ')} failed: ${firstLine(stderr) || `exit code ${code}`}`,
    );
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

// ---------------------------------------------------------------------------------------------
// Added lines of a patch

/** Maps lines of a blob made of added lines back to line numbers in the new version of the file. */
export class LineMap implements LineMapper {
  private readonly blobStarts: number[] = [];
  private readonly fileStarts: number[] = [];
  private blobLines = 0;

  /** Record that the next blob line is `fileLine` in the file. */
  push(fileLine: number): void {
    const n = this.blobStarts.length;
    const blobLine = ++this.blobLines;
    if (n && this.fileStarts[n - 1]! + (blobLine - this.blobStarts[n - 1]!) === fileLine) return;
    this.blobStarts.push(blobLine);
    this.fileStarts.push(fileLine);
  }

  fileLine(blobLine: number): number {
    if (this.blobStarts.length === 0) return blobLine;
    const at = lastAtMost(this.blobStarts, blobLine);
    return this.fileStarts[at]! + (blobLine - this.blobStarts[at]!);
  }
}

/** Line numbers in the new file of the lines handed over (1-based, in the order handed over). */
export interface LineMapper {
  fileLine(blobLine: number): number;
}

/** Added lines of one file in one commit (or in the index), delivered in bounded parts. */
export interface AddedLines {
  readonly path: string;
  readonly commit: CommitMeta | undefined;
  readonly lineMap: LineMapper;
}

export interface PatchHandler {
  /** A commit header was read (before its diff). */
  commit?(meta: CommitMeta, message: Buffer): void;
  /** Bytes of added lines, joined by "\n"; `final` ends the file. Parts are at most ~1 MiB. */
  added(file: AddedLines, part: Buffer, final: boolean): void;
  /** A binary file or a submodule change (not scanned), or a line cut at MAX_LINE. */
  skipped?(path: string, why: SkipReason, commit: CommitMeta | undefined): void;
  /** Paths not to read at all (--exclude): a reader that fetches blobs itself skips them. */
  excluded?(path: string): boolean;
}

export type SkipReason = 'binary' | 'submodule' | 'long-line' | 'missing';

export const PART_LIMIT = 1024 * 1024;
const AT = 0x40;
const PLUS = 0x2b;
const MINUS = 0x2d;
const NUL = 0;

/**
 * Parses `git log -p -U0` / `git diff -U0` output (plain or combined `--cc` diffs) line by line,
 * handing over only the lines each commit added, with their line numbers in the new file.
 */
/** The lines of one NUL-delimited commit record (COMMIT_FORMAT), gathered until all its fields are in. */
export class CommitRecord {
  private lines: Buffer[] | undefined;
  private nuls = 0;

  get open(): boolean {
    return this.lines !== undefined;
  }

  /** Takes a line that starts or continues a record; returns the commit once the record is complete. */
  take(line: Buffer): { meta: CommitMeta; message: Buffer } | undefined {
    if (!this.lines) {
      this.lines = [];
      this.nuls = 0;
    }
    this.lines.push(line);
    for (const b of line) if (b === NUL) this.nuls++;
    if (this.nuls < HEADER_FIELDS) return undefined;
    const fields = splitOn(NUL, Buffer.concat(this.lines.flatMap((x, i) => (i ? [NEWLINE_BUF, x] : [x]))));
    this.lines = undefined;
    return { meta: commitMeta(fields), message: fields[6]! };
  }
}

export async function parsePatches(chunks: AsyncIterable<Buffer>, handler: PatchHandler): Promise<void> {
  let commit: CommitMeta | undefined;
  const record = new CommitRecord();
  let file:
    | {
        added: AddedLines & { lineMap: LineMap };
        parts: Buffer[];
        size: number;
        needSep: boolean;
        any: boolean;
        fallbackPath: string;
        nextLine: number;
        width: number;
        inHunk: boolean;
        submodule: boolean;
      }
    | undefined;

  const endFile = () => {
    if (!file) return;
    if (file.added.path && file.any) handler.added(file.added, Buffer.concat(file.parts), true);
    file = undefined;
  };
  const pushLine = (line: Buffer) => {
    const f = file!;
    if (f.needSep) {
      f.parts.push(NEWLINE_BUF);
      f.size++;
    }
    f.parts.push(line);
    f.size += line.length;
    f.needSep = true;
    f.any = true;
    f.added.lineMap.push(f.nextLine);
    if (f.size >= PART_LIMIT) {
      // The next part starts with the separating "\n", so line numbers in the scanner's stream stay right.
      handler.added(f.added, Buffer.concat(f.parts), false);
      f.parts = [];
      f.size = 0;
    }
  };

  await forEachLine(chunks, (line, cut) => {
    const first = line[0];
    if (cut && file) handler.skipped?.(file.added.path || file.fallbackPath, 'long-line', commit);
    if (record.open || first === NUL) {
      if (!record.open) endFile();
      const done = record.take(line);
      if (done) {
        commit = done.meta;
        handler.commit?.(done.meta, done.message);
      }
      return;
    }
    if (file?.inHunk) {
      const w = file.width;
      if (first === AT && line[1] === AT) {
        startHunk(file, line);
        return;
      }
      if (line.length >= w && (first === PLUS || first === MINUS || first === 0x20)) {
        let plus = 0;
        let minus = false;
        for (let i = 0; i < w; i++) {
          const c = line[i];
          if (c === PLUS) plus++;
          else if (c === MINUS) minus = true;
        }
        if (minus) return;
        if (plus === w && !file.submodule) pushLine(line.subarray(w));
        file.nextLine++;
        return;
      }
      if (first === 0x5c) return; // "\ No newline at end of file"
      file.inHunk = false; // anything else starts the next file's header
    }
    if (startsWith(line, 'diff --git ') || startsWith(line, 'diff --cc ') || startsWith(line, 'diff --combined ')) {
      endFile();
      const fallback = headerPath(line);
      file = {
        added: { path: '', commit, lineMap: new LineMap() },
        parts: [],
        size: 0,
        needSep: false,
        any: false,
        fallbackPath: fallback,
        nextLine: 1,
        width: 1,
        inHunk: false,
        submodule: false,
      };
      return;
    }
    if (!file) return;
    if (startsWith(line, '+++ ')) {
      const p = line.subarray(4);
      if (p.toString('latin1') !== '/dev/null')
        (file.added as { path: string }).path = stripPrefix(unquotePath(trimTab(p)));
      return;
    }
    if (first === AT && line[1] === AT) {
      if (!file.added.path) (file.added as { path: string }).path = file.fallbackPath;
      startHunk(file, line);
      return;
    }
    if (startsWith(line, 'Binary files ') || startsWith(line, 'GIT binary patch')) {
      handler.skipped?.(file.added.path || file.fallbackPath, 'binary', commit);
      return;
    }
    const gitlink =
      startsWith(line, 'new file mode 160000') ||
      (startsWith(line, 'index ') && line.toString('latin1').endsWith(' 160000'));
    if (gitlink && !file.submodule) {
      file.submodule = true;
      handler.skipped?.(file.added.path || file.fallbackPath, 'submodule', commit);
    }
  });
  endFile();
}

const NEWLINE_BUF = Buffer.from('\n');

function startHunk(file: { nextLine: number; width: number; inHunk: boolean }, line: Buffer): void {
  let at = 0;
  while (line[at] === AT) at++;
  file.width = Math.max(1, at - 1);
  const m = /\+(\d+)(?:,(\d+))? @/.exec(line.toString('latin1'));
  file.nextLine = m ? Number(m[1]) : 1;
  file.inHunk = true;
}

function startsWith(line: Buffer, prefix: string): boolean {
  if (line.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (line[i] !== prefix.charCodeAt(i)) return false;
  return true;
}

/** Fields of one commit record: "", hash, parents, author, email, date, message, rest. */
function commitMeta(f: readonly Buffer[]): CommitMeta {
  return {
    commit: f[1]!.toString('latin1'),
    parents: f[2]!.toString('latin1').split(' ').filter(Boolean),
    author: f[3]!.toString('utf8'),
    email: f[4]!.toString('utf8'),
    date: f[5]!.toString('latin1'),
  };
}

/** The parts of buf between `byte`s (NUL-separated records, tab-separated paths). */
export function splitOn(byte: number, buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = buf.indexOf(byte); i !== -1; i = buf.indexOf(byte, start)) {
    out.push(buf.subarray(start, i));
    start = i + 1;
  }
  out.push(buf.subarray(start));
  return out;
}

function trimTab(p: Buffer): Buffer {
  return p[p.length - 1] === 0x09 ? p.subarray(0, p.length - 1) : p;
}

function stripPrefix(p: string): string {
  return p.startsWith('b/') || p.startsWith('a/') ? p.slice(2) : p;
}

/** The new path from "diff --git a/x b/x" or "diff --cc x": used only when no "+++" line follows. */
function headerPath(line: Buffer): string {
  const text = line.toString('latin1');
  if (text.startsWith('diff --cc ') || text.startsWith('diff --combined '))
    return unquotePath(line.subarray(text.indexOf(' ', 5) + 1));
  const rest = line.subarray('diff --git '.length);
  if (rest[0] === 0x22) {
    // "a/..." "b/...": the second quoted string
    const second = rest.toString('latin1').lastIndexOf(' "');
    return stripPrefix(unquotePath(rest.subarray(second + 1)));
  }
  // a/x b/x with the same name on both sides (renames always have "+++" or "rename to")
  const half = (rest.length - 1) / 2;
  return stripPrefix(rest.subarray(Math.ceil(half) + 1).toString('utf8'));
}

const ESCAPES: Record<string, number> = { n: 10, t: 9, '"': 0x22, '\\': 0x5c, a: 7, b: 8, f: 12, r: 13, v: 11 };

/** Undo git's C-style quoting of a path ("a\tb", "\303\251"); unquoted paths are returned as UTF-8. */
export function unquotePath(raw: Buffer): string {
  if (raw[0] !== 0x22 || raw[raw.length - 1] !== 0x22) return raw.toString('utf8');
  const out: number[] = [];
  for (let i = 1; i < raw.length - 1; i++) {
    const c = raw[i]!;
    if (c !== 0x5c) {
      out.push(c);
      continue;
    }
    const n = String.fromCharCode(raw[i + 1]!);
    if (n >= '0' && n <= '7') {
      out.push(parseInt(raw.subarray(i + 1, i + 4).toString('latin1'), 8));
      i += 3;
    } else {
      out.push(ESCAPES[n] ?? raw[i + 1]!);
      i += 1;
    }
  }
  return Buffer.from(out).toString('utf8');
}

// ---------------------------------------------------------------------------------------------
// What to read

export interface HistorySelection {
  /** Refs or a range ("main", "A..B"); default: every ref (--all, which includes the stash). */
  readonly revisions?: readonly string[];
  readonly since?: string;
  readonly maxCommits?: number;
}

export function revisionArgs(sel: HistorySelection): string[] {
  const args: string[] = [];
  if (sel.since) args.push(`--since=${sel.since}`);
  if (sel.maxCommits !== undefined) args.push(`--max-count=${sel.maxCommits}`);
  if (sel.revisions?.length) args.push(...sel.revisions);
  else args.push('--all');
  args.push('--');
  return args;
}

/**
 * Strategy "patches": `git log -p -U0` over the selection, merges as dense combined diffs (only
 * lines a merge itself introduced, such as conflict resolutions), renames detected (a moved file
 * adds nothing).
 */
export function logPatches(root: string, sel: HistorySelection): AsyncIterable<Buffer> {
  return gitStream(root, ['log', '-p', ...PATCH_FLAGS, '--cc', '--full-history', COMMIT_FORMAT, ...revisionArgs(sel)]);
}

/** The commits of the selection, newest first: exactly the commits `git log` would list. */
export async function revList(root: string, sel: HistorySelection): Promise<string[]> {
  const commits: string[] = [];
  await forEachLine(gitStream(root, ['rev-list', ...revisionArgs(sel)]), (line) => {
    if (line.length >= 40) commits.push(line.toString('latin1'));
  });
  return commits;
}

/**
 * Commits per block handed to one `git log` process: neighbours share trees and delta bases, so big
 * blocks keep git's caches warm (on the 20,000-commit bench history, blocks of 1,024 took ~1–2 s
 * less CPU than blocks of 64), while eight blocks per process keep the shares balanced where
 * history is denser in some years than others.
 */
export function splitBlock(total: number, jobs: number): number {
  return Math.min(1024, Math.max(64, Math.ceil(total / (jobs * 8))));
}

/**
 * Strategy "patches" split across processes. Patch generation in git is the bottleneck of a history
 * scan (one `git log -p` is one core at ~8 MB/s of patches), so the commit list is dealt out in
 * blocks (splitBlock), round robin (shareOf), and each share gets its own `git log`
 * (`--no-walk=unsorted --stdin`: those commits, in the order given, each against its parents,
 * merges as dense combined diffs).
 */
export function shareOf(commits: readonly string[], p: number, jobs: number, block: number): string[] {
  const mine: string[] = [];
  for (let b = p * block; b < commits.length; b += jobs * block) mine.push(...commits.slice(b, b + block));
  return mine;
}

/** The patches of one share of the commits (see shareOf), in the order given. */
export function logPatchesShare(root: string, commits: readonly string[]): AsyncIterable<Buffer> {
  const stdin = (async function* () {
    for (let i = 0; i < commits.length; i += 4096) yield commits.slice(i, i + 4096).join('\n') + '\n';
  })();
  return gitStream(root, ['log', '-p', ...PATCH_FLAGS, '--cc', COMMIT_FORMAT, '--no-walk=unsorted', '--stdin'], stdin);
}

/** Index in the full commit list of share p's j-th commit (see shareOf). */
export function splitRank(p: number, j: number, jobs: number, block: number): number {
  return (Math.floor(j / block) * jobs + p) * block + (j % block);
}

/** The staged change: added lines of the index against HEAD (or the empty tree before the first commit). */
export function stagedPatches(root: string): AsyncIterable<Buffer> {
  return gitStream(root, ['diff', '--cached', ...PATCH_FLAGS, '--diff-filter=d', '--no-renames']);
}

// ---------------------------------------------------------------------------------------------
// Strategy "blobs": every unique blob once, mapped to the oldest commit that introduced it

export interface BlobIntro {
  readonly commit: CommitMeta;
  readonly path: string;
}

/**
 * Reads `git log --raw` over the selection (no content), parents before children, and returns, per
 * blob id, the oldest commit that introduced it; each commit's message goes to `onCommit`. Merges
 * are compared with their first parent (so the stash's work-tree commit counts).
 */
export async function blobIntroductions(
  root: string,
  sel: HistorySelection,
  onCommit: (meta: CommitMeta, message: Buffer) => void,
): Promise<Map<string, BlobIntro>> {
  const intro = new Map<string, BlobIntro>();
  let commit: CommitMeta | undefined;
  await parseRawLog(
    gitStream(root, [
      'log',
      '--raw',
      '--no-abbrev',
      '--no-renames',
      '--diff-merges=first-parent',
      '--date-order',
      '--reverse',
      COMMIT_FORMAT,
      ...revisionArgs(sel),
    ]),
    {
      commit(meta, message) {
        commit = meta;
        onCommit(meta, message);
      },
      entry(newBlob, mode, path) {
        if (!commit || mode === '160000' || /^0+$/.test(newBlob) || intro.has(newBlob)) return;
        intro.set(newBlob, { commit, path });
      },
    },
  );
  return intro;
}

async function parseRawLog(
  chunks: AsyncIterable<Buffer>,
  h: { commit(meta: CommitMeta, message: Buffer): void; entry(blob: string, mode: string, path: string): void },
): Promise<void> {
  const record = new CommitRecord();
  await forEachLine(chunks, (line) => {
    if (record.open || line[0] === NUL) {
      const done = record.take(line);
      if (done) h.commit(done.meta, done.message);
      return;
    }
    if (line[0] !== 0x3a) return; // ":100644 100644 <old> <new> M\tpath"
    const tab = line.indexOf(9);
    if (tab === -1) return;
    const meta = line.subarray(1, tab).toString('latin1').split(' ');
    const status = meta[4] ?? '';
    if (status.startsWith('D')) return;
    h.entry(meta[3] ?? '', meta[1] ?? '', unquotePath(line.subarray(tab + 1)));
  });
}

/** Content of blobs by id, via one `git cat-file --batch`, streamed: (id, content) per blob. */
export async function catBlobs(
  root: string,
  ids: Iterable<string>,
  onBlob: (id: string, content: Buffer) => void,
  maxBlob: number,
): Promise<void> {
  const cat = new CatFile(root, maxBlob);
  let outstanding = 0;
  const take = async () => {
    const got = await cat.next();
    outstanding--;
    if (!got.missing) onBlob(got.id, got.content);
  };
  try {
    for (const id of ids) {
      cat.request(id);
      if (++outstanding >= 512) await take();
    }
    while (outstanding > 0) await take();
  } finally {
    await cat.close();
  }
}

// ---------------------------------------------------------------------------------------------
// git cat-file --batch, pipelined: requests are written ahead, responses read in order on demand
// (the diff history reader, and catBlobs)

export interface CatResult {
  readonly id: string;
  /** The blob's size; `content` holds its first `keep` bytes. */
  readonly size: number;
  readonly content: Buffer;
  readonly missing: boolean;
}

export class CatFile {
  private readonly input = new Lines();
  private readonly out: AsyncIterator<Buffer>;
  private pending: string[] = [];
  private chunk: Buffer = Buffer.alloc(0);
  private at = 0;

  /** `keep`: bytes of each blob kept; the rest is read past. */
  constructor(
    root: string,
    private readonly keep: number,
  ) {
    this.out = gitStream(root, ['cat-file', '--batch'], this.input)[Symbol.asyncIterator]();
  }

  request(sha: string): void {
    this.pending.push(sha);
    if (this.pending.length >= 64) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.input.push(this.pending.join('\n') + '\n');
    this.pending = [];
  }

  /**
   * The next response, without waiting, when it lies wholly in the chunk already read (most do);
   * undefined otherwise, and nothing is consumed. Saves next()'s chain of awaits (~5% of a history
   * scan's allocation).
   */
  tryNext(): CatResult | undefined {
    this.flush();
    const chunk = this.chunk;
    const nl = chunk.indexOf(10, this.at);
    if (nl === -1) return undefined;
    const head = parseCatHeader(chunk.toString('latin1', this.at, nl));
    if (head.missing) {
      this.at = nl + 1;
      return head;
    }
    const end = nl + 1 + head.size;
    if (head.size > this.keep || end >= chunk.length) return undefined;
    this.at = end + 1; // and the "\n" after the content
    return { id: head.id, size: head.size, content: chunk.subarray(nl + 1, end), missing: false };
  }

  async next(): Promise<CatResult> {
    const ready = this.tryNext();
    if (ready) return ready;
    const head = parseCatHeader((await this.readLine()).toString('latin1'));
    if (head.missing) return head;
    const content = await this.read(Math.min(head.size, this.keep));
    await this.skip(head.size - content.length + 1); // the rest, and the "\n" after the content
    return { id: head.id, size: head.size, content, missing: false };
  }

  private async more(): Promise<void> {
    const r = await this.out.next();
    if (r.done) throw new Error('git cat-file ended early');
    this.chunk = r.value;
    this.at = 0;
  }

  private async readLine(): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (;;) {
      if (this.at >= this.chunk.length) await this.more();
      const nl = this.chunk.indexOf(10, this.at);
      if (nl !== -1) {
        parts.push(this.chunk.subarray(this.at, nl));
        this.at = nl + 1;
        return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      }
      parts.push(this.chunk.subarray(this.at));
      this.at = this.chunk.length;
    }
  }

  private async read(size: number): Promise<Buffer> {
    if (this.chunk.length - this.at >= size) {
      const view = this.chunk.subarray(this.at, this.at + size);
      this.at += size;
      return view;
    }
    const out = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      if (this.at >= this.chunk.length) await this.more();
      const take = Math.min(size - got, this.chunk.length - this.at);
      this.chunk.copy(out, got, this.at, this.at + take);
      got += take;
      this.at += take;
    }
    return out;
  }

  private async skip(size: number): Promise<void> {
    while (size > 0) {
      if (this.at >= this.chunk.length) await this.more();
      const take = Math.min(size, this.chunk.length - this.at);
      size -= take;
      this.at += take;
    }
  }

  /** Ends git's input and reads to the end, so a failing git is reported. */
  async close(): Promise<void> {
    this.flush();
    this.input.end();
    for (;;) if ((await this.out.next()).done) break;
  }
}

/** "<id> blob <size>", or "<id> missing": a missing object, or the id and size of the content that follows. */
function parseCatHeader(header: string): CatResult | { id: string; size: number; missing: false } {
  const parts = header.split(' ');
  const id = parts[0] ?? '';
  if (parts.length < 3 || parts[1] === 'missing') return { id, size: 0, content: Buffer.alloc(0), missing: true };
  const size = Number(parts[2]);
  if (!Number.isSafeInteger(size) || size < 0)
    throw new Error(`git cat-file: unexpected header "${header.slice(0, 80)}"`);
  return { id, size, missing: false };
}

/** An async iterable of strings fed by push(): git's stdin. */
class Lines implements AsyncIterable<string> {
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

/** A warning for a shallow clone: history before the boundary is not there to scan. */
export function shallowWarning(root: string): Warning {
  return {
    subject: root,
    message:
      'shallow clone: history before the shallow boundary was not scanned; deepen it with `git fetch --unshallow` (in GitHub Actions: actions/checkout with `fetch-depth: 0`)',
  };
}
