// The staged change, read from the blobs themselves: `git diff --cached --raw -z` lists what changed
// (no content, so gitattributes such as `-diff` or `binary`, committed or in .git/info/attributes,
// cannot hide a file), `git cat-file --batch` hands over both sides, and the added lines are found
// as in history (sources/added.ts). Each side is judged binary on its own.

import { emitAdded } from './added.js';
import { addedAgainstAll } from './line-diff.js';
import { looksBinary } from './binary.js';
import { STAGED_RAW } from './staged-start.js';
import { CatFile, addedBetweenBlobs, gitStream, splitOn, type CatResult, type PatchHandler } from './git/index.js';

/** Blobs up to this size are compared here; a larger one is diffed by git (`--text`), streamed. */
const MAX_INLINE = 8 * 1024 * 1024;
/** Files whose blobs are requested ahead of the one being compared. */
const WINDOW = 64;

/** One staged file: its blob in HEAD (undefined when new) and in the index. */
interface StagedFile {
  readonly path: string;
  readonly old: string | undefined;
  readonly blob: string;
}

/** Reads the added lines of the index against HEAD (or the empty tree before the first commit). */
export async function readStagedAdded(root: string, handler: PatchHandler): Promise<void> {
  const files = await stagedFiles(root, handler);
  const cat = new CatFile(root, MAX_INLINE);
  const ask = (f: StagedFile) => {
    if (f.old) cat.request(f.old);
    cat.request(f.blob);
  };
  try {
    for (const f of files.slice(0, WINDOW)) ask(f);
    for (let i = 0; i < files.length; i++) {
      const f = files[i]!;
      const old = f.old ? await cat.next() : undefined;
      const blob = await cat.next();
      if (files[i + WINDOW]) ask(files[i + WINDOW]!);
      await compare(root, f, old, blob, handler);
    }
  } finally {
    await cat.close();
  }
}

async function compare(
  root: string,
  f: StagedFile,
  old: CatResult | undefined,
  blob: CatResult,
  handler: PatchHandler,
): Promise<void> {
  if (blob.missing) {
    handler.skipped?.(f.path, 'missing', undefined);
    return;
  }
  if (looksBinary(blob.content)) {
    handler.skipped?.(f.path, 'binary', undefined);
    return;
  }
  // A binary old side was never scanned: every line of the text that replaces it is new.
  const base = old && !old.missing && !looksBinary(old.content) ? old : undefined;
  if (blob.size > MAX_INLINE || (base && base.size > MAX_INLINE)) {
    await addedBetweenBlobs(root, f.old, f.blob, { path: f.path, commit: undefined }, handler);
    return;
  }
  emitAdded(
    handler,
    { path: f.path, commit: undefined },
    blob.content,
    addedAgainstAll([base?.content], blob.content),
  );
}

/** What `git diff --cached --raw -z` lists: ":<old mode> <new mode> <old> <new> <status>\0<path>\0". */
async function stagedFiles(root: string, handler: PatchHandler): Promise<StagedFile[]> {
  const parts: Buffer[] = [];
  for await (const chunk of gitStream(root, STAGED_RAW)) parts.push(chunk);
  const fields = splitOn(0, Buffer.concat(parts));
  const files: StagedFile[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [, newMode, old, blob] = fields[i]!.toString('latin1').slice(1).split(' ');
    const path = fields[i + 1]!.toString('utf8');
    if (!blob || handler.excluded?.(path)) continue;
    if (newMode === '160000') handler.skipped?.(path, 'submodule', undefined);
    else files.push({ path, old: old && !/^0+$/.test(old) ? old : undefined, blob });
  }
  return files;
}
