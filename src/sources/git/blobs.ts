// Strategy "blobs": every unique blob once, mapped to the oldest commit that introduced it (`git log
// --raw`, no content), then read by one `git cat-file --batch`.

import { CatFile } from './catfile.js';
import { forEachLine, gitStream } from './process.js';
import { COMMIT_FORMAT, CommitRecord, NUL, unquotePath, type CommitMeta } from './records.js';
import { revisionArgs, type HistorySelection } from './select.js';

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
