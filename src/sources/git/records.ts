// What git prints about commits and paths: NUL-delimited commit records (COMMIT_FORMAT) and
// C-quoted paths, parsed from bytes.

import type { Origin } from '../../types.js';

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

/** One commit record: NUL, hash, parents, author, email, ISO date, raw message, NUL. */
export const COMMIT_FORMAT = '--format=%x00%H%x00%P%x00%an%x00%ae%x00%aI%x00%B%x00';
const HEADER_FIELDS = 7; // NUL bytes in one record
export const NUL = 0;
export const NEWLINE_BUF = Buffer.from('\n');

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
    for (let i = line.indexOf(NUL); i !== -1; i = line.indexOf(NUL, i + 1)) this.nuls++;
    if (this.nuls < HEADER_FIELDS) return undefined;
    const fields = splitOn(NUL, Buffer.concat(this.lines.flatMap((x, i) => (i ? [NEWLINE_BUF, x] : [x]))));
    this.lines = undefined;
    return { meta: commitMeta(fields), message: fields[6]! };
  }
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
