// Git as a source of blobs. History is read from `git log -p` (added lines per commit) or from
// unique blobs (`git cat-file --batch`), both parsed incrementally from git's output as it arrives,
// so memory stays bounded whatever the size of the history. Nothing here interprets content.
//
//   process.ts  running git: gitStream (big outputs, streamed) and gitRun (short commands)
//   repo.ts     the repository: root, shallow, HEAD, does a revision exist, secrets still at HEAD
//   records.ts  commit records (COMMIT_FORMAT) and quoted paths, as git prints them
//   patch.ts    the added lines of a `-U0` patch, with their line numbers in the new file
//   select.ts   which revisions to read, and the `git log` commands that read them (one, or split)
//   catfile.ts  `git cat-file --batch`, pipelined
//   blobs.ts    strategy "blobs": each unique blob once, credited to the oldest commit adding it
//   tags.ts     messages of annotated tags
//   history-start.ts  a history scan's first commands, started before the CLI loads (bin/leakradius.js)

export { blobIntroductions, catBlobs, type BlobIntro } from './blobs.js';
export { CatFile, type CatResult } from './catfile.js';
export {
  LineMap,
  PART_LIMIT,
  PATCH_FLAGS,
  addedBetweenBlobs,
  addedWholeBlob,
  parsePatches,
  type AddedLines,
  type LineMapper,
  type PatchHandler,
  type SkipReason,
} from './patch.js';
export {
  GitError,
  Lines,
  MAX_LINE,
  dropEarlyGit,
  forEachLine,
  gitRun,
  gitStream,
  type GitAnswer,
} from './process.js';
export {
  COMMIT_FORMAT,
  COMMIT_MESSAGE_PATH,
  CommitRecord,
  splitOn,
  unquotePath,
  type CommitMeta,
  type GitOrigin,
} from './records.js';
export { commitExists, openRepo, secretsAtHead, shallowWarning, type RepoInfo } from './repo.js';
export {
  logPatches,
  logPatchesShare,
  revList,
  revisionArgs,
  shareOf,
  splitBlock,
  splitRank,
  stashEntries,
  type HistorySelection,
} from './select.js';
export { annotatedTags, tagMessagePath, type TagMessage } from './tags.js';
