// Annotated tags: a tag object carries its own message (release notes, a pasted command line),
// which no commit holds and `git log` never shows.

import { forEachLine, gitStream } from './process.js';
import { CommitRecord, type CommitMeta } from './records.js';

/**
 * One record per tag in COMMIT_FORMAT's shape, so CommitRecord reads it: the tagged object where a
 * commit has its hash, the tag's name where a commit has its parents, the tagger, the message.
 * Lightweight tags (no tag object) have an empty first field.
 */
const TAG_FORMAT =
  '--format=%00%(*objectname)%00%(refname:strip=2)%00%(taggername)%00%(taggeremail)' +
  '%00%(taggerdate:iso-strict)%00%(contents)%00';

/** The command of annotatedTags (started early: history-start.ts). */
export const TAG_LIST = ['for-each-ref', TAG_FORMAT, 'refs/tags'] as const;

/** An annotated tag's message, credited to the object it tags (`meta.commit`) and its tagger. */
export interface TagMessage {
  readonly name: string;
  readonly meta: CommitMeta;
  readonly message: Buffer;
}

/** Reads the message of every annotated tag, as `git for-each-ref` lists them. */
export async function annotatedTags(root: string, onTag: (tag: TagMessage) => void): Promise<void> {
  const record = new CommitRecord();
  await forEachLine(gitStream(root, TAG_LIST), (line) => {
    if (!record.open && line[0] !== 0) return; // the "\n" for-each-ref writes after each record
    const done = record.take(line);
    if (!done?.meta.commit) return;
    const { parents, email, ...who } = done.meta;
    const name = parents.join(' ');
    onTag({ name, meta: { ...who, parents: [], email: email.replace(/^<|>$/g, '') }, message: done.message });
  });
}

/** Where a tag's message is reported: a pseudo-path beside COMMIT_MESSAGE_PATH. */
export function tagMessagePath(name: string): string {
  return `(tag message: ${name})`;
}
