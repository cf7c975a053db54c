// Added lines of a patch: `git log -p -U0` / `git diff -U0` output (plain or combined diffs) parsed
// line by line into the lines each commit added, with their line numbers in the new file.

import { lastAtMost } from '../../text/sorted.js';
import { looksBinary, BINARY_PROBE } from '../binary.js';
import { CatFile } from './catfile.js';
import { forEachLine, gitStream } from './process.js';
import { CommitRecord, NEWLINE_BUF, NUL, unquotePath, type CommitMeta } from './records.js';

/**
 * Flags of every patch read: no context, no colour, no external diff or textconv, no rename
 * detection (a renamed file is new at its path, where allows by path are judged afresh).
 */
export const PATCH_FLAGS = [
  '-U0',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--no-renames',
  '--src-prefix=a/',
  '--dst-prefix=b/',
];

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

/**
 * Parses `git log -p -U0` / `git diff -U0` output (plain or combined `--cc` diffs) line by line,
 * handing over only the lines each commit added, with their line numbers in the new file.
 */
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

/** Line numbers of a file handed over whole: blob line n is file line n. */
const SAME_LINES: LineMapper = { fileLine: (blobLine) => blobLine };

/**
 * A new file's added lines are all of it: the blob streamed from `git cat-file blob`, in git's
 * chunks (no diff against git's empty blob, which a repository need not store), or a binary skip.
 */
export async function addedWholeBlob(
  root: string,
  sha: string,
  file: { path: string; commit: CommitMeta | undefined },
  handler: PatchHandler,
): Promise<void> {
  const added: AddedLines = { ...file, lineMap: SAME_LINES };
  let head: Buffer[] | undefined = [];
  let headBytes = 0;
  for await (const chunk of gitStream(root, ['cat-file', 'blob', sha])) {
    if (head) {
      // Judged on the first BINARY_PROBE bytes, as a blob read whole is.
      head.push(chunk);
      headBytes += chunk.length;
      if (headBytes < BINARY_PROBE) continue;
      const start = Buffer.concat(head);
      head = undefined;
      if (looksBinary(start)) {
        handler.skipped?.(file.path, 'binary', file.commit);
        return;
      }
      handler.added(added, start, false);
    } else handler.added(added, chunk, false);
  }
  if (head) {
    const start = Buffer.concat(head);
    if (looksBinary(start)) {
      handler.skipped?.(file.path, 'binary', file.commit);
      return;
    }
    handler.added(added, start, true);
  } else handler.added(added, Buffer.alloc(0), true);
}

/**
 * The added lines of a change too large to compare in memory: `git diff -U0 --text` between the
 * blobs, streamed. Each side is judged binary on its own first (git's own judgement would follow
 * gitattributes such as `* -diff`): a binary new side is skipped, and a text side that replaces a
 * binary one (or nothing) is new, all of it.
 */
export async function addedBetweenBlobs(
  root: string,
  base: string | undefined,
  sha: string,
  file: { path: string; commit: CommitMeta | undefined },
  handler: PatchHandler,
): Promise<void> {
  const sniff = new CatFile(root, BINARY_PROBE);
  let binary: boolean[];
  try {
    for (const id of base ? [base, sha] : [sha]) sniff.request(id);
    binary = [];
    for (let i = base ? 2 : 1; i > 0; i--) binary.push(looksBinary((await sniff.next()).content));
  } finally {
    await sniff.close();
  }
  if (binary[binary.length - 1]) {
    handler.skipped?.(file.path, 'binary', file.commit);
    return;
  }
  if (!base || binary[0]) return addedWholeBlob(root, sha, file, handler);
  let ours: AddedLines | undefined;
  await parsePatches(gitStream(root, ['diff', ...PATCH_FLAGS, '--text', base, sha]), {
    added: (part, bytes, final) => {
      ours ??= { ...file, lineMap: part.lineMap };
      handler.added(ours, bytes, final);
    },
    skipped: (_path, why) => handler.skipped?.(file.path, why, file.commit),
  });
}
