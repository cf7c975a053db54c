// The library call for git: scanGit(options) → ScanRun, like scan(). History (every ref, a branch,
// a range) or the staged change; one finding per secret across history, with first and last seen.

import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { resolve } from 'node:path';
import { ChunkScanner, Detector, scanBuffer } from '../detect/index.js';
import { prefilterCache } from '../detect/prefilter-cache.js';
import type { SeenTracker } from '../dedupe/seen.js';
import { UsageError } from '../errors.js';
import { configAtCommit } from '../config/revision.js';
import {
  COMMIT_MESSAGE_PATH,
  MAX_LINE,
  annotatedTags,
  blobIntroductions,
  catBlobs,
  commitExists,
  dropEarlyGit,
  gitRun,
  logPatches,
  openRepo,
  revList,
  secretsAtHead,
  shallowWarning,
  shareOf,
  splitBlock,
  stashEntries,
  tagMessagePath,
  type CommitMeta,
  type HistorySelection,
  type RepoInfo,
  type SkipReason,
} from '../sources/git/index.js';
import { ScanCollector, type PragmaMode } from './collector.js';
import { prepareEngine, type Engine } from './engine.js';
import { ScanRun } from './scan-run.js';
import { WORKER_LIMITS, workerScript } from './worker-pool.js';
import { scanContainer } from './blob-scan.js';
import { finishPipeline } from './pipeline.js';
import type { ScanOptions } from './scan.js';
import { gitOrigin, pathMatcher } from '../sources/history.js';
import { ReadRange } from '../sources/read-range.js';
import { scanHistoryShare, scanPatches, type HistoryBatch, type HistoryShare } from './history-scan.js';
import { MAX_STAGED_BLOB, readAddedLines, readStagedBlob, sniffWholeBlob } from '../sources/added.js';
import { readStagedAdded } from '../sources/staged.js';
import type { Candidate, Finding, Location, Origin, ScanResult } from '../types.js';

export type GitStrategy = 'diff' | 'patches' | 'blobs';
export const GIT_STRATEGIES: readonly GitStrategy[] = ['diff', 'patches', 'blobs'];

export interface GitScanOptions
  extends Pick<
    ScanOptions,
    | 'config'
    | 'rulesDir'
    | 'maxLocations'
    | 'baseline'
    | 'includeFixtures'
    | 'exclude'
    | 'lookup'
    | 'onWarning'
    | 'onProgress'
  > {
  /** A directory inside the repository; default: the current directory. */
  readonly repo?: string;
  /** Only the staged change (what a pre-commit hook checks): added lines, staged line numbers. */
  readonly staged?: boolean;
  /** Only the commits in "BASE..HEAD" (or "BASE...HEAD"), added lines only. */
  readonly range?: string;
  /**
   * Read the config and the baseline from the range's base commit, not the working tree: what a
   * pull request's scan trusts (config/revision.ts). Needs `range`.
   */
  readonly configFromBase?: boolean;
  /** What inline allow pragmas do (collector.ts PragmaMode); a PR's scan lists the allows it adds. */
  readonly pragmas?: PragmaMode;
  /** Only these branches (or any revisions); default: every ref, including the stash. */
  readonly branches?: readonly string[];
  /** Only commits more recent than this date (anything `git log --since` takes). */
  readonly since?: string;
  readonly maxCommits?: number;
  /**
   * "diff" (default, measured fastest): added lines of each commit, found here from the blobs that
   * `git log --raw` lists and `git cat-file --batch` hands over (sources/added.ts).
   * "patches": added lines of each commit from `git log -p`; for tests only (not on the command line),
   *   since git's diff hides binary-to-text changes and follows `-diff` attributes.
   * "blobs": each unique blob once via `git cat-file --batch`, credited to the oldest commit adding it.
   */
  readonly strategy?: GitStrategy;
  /** git processes reading history in parallel (diff and patches strategies); default: all cores. */
  readonly threads?: number;
  /** Split the history across processes from this many commits on (default 10,000; tests use less). */
  readonly splitMinCommits?: number;
  /** A thread that ran out of work takes over another's rest from this many commits on (default 256). */
  readonly stealMinCommits?: number;
  /** Called as each thread of a split history finishes a range or takes over another's rest (tests). */
  readonly onShareEvent?: (e: ShareEvent) => void;
}

/**
 * Histories shorter than this are read by one `git log`, whose patches this thread scans while git
 * writes them: that already keeps two cores busy. On 2 cores the split broke even at 10,000
 * commits (8.4 s against 8.2 s) and won at 20,000 (11.7 s against 13.3 s); with more cores it wins
 * earlier.
 */
const SPLIT_MIN_COMMITS = 10_000;

/** Blobs larger than this are scanned up to this size in the blob strategy. */
const MAX_BLOB = 64 * 1024 * 1024;

export function scanGit(options: GitScanOptions): ScanRun {
  // What bin/leakradius.js started early and the scan did not take (history-start.ts) ends with it.
  return new ScanRun((emit) => runGitScan(options, emit).finally(() => dropEarlyGit()));
}

async function runGitScan(options: GitScanOptions, emit: (f: Finding) => void): Promise<ScanResult> {
  if (
    options.staged &&
    (options.range || options.branches?.length || options.since || options.maxCommits !== undefined)
  )
    throw new UsageError(
      '--staged scans the index only: it cannot be combined with --range, --branch, --since or --max-commits',
    );
  if (options.maxCommits !== undefined && (!Number.isInteger(options.maxCommits) || options.maxCommits < 1))
    throw new UsageError(`--max-commits must be a whole number of at least 1 (got ${options.maxCommits})`);
  if (options.configFromBase && !options.range)
    throw new UsageError("--config-from-base reads the config of a range's base commit: it needs --range BASE..HEAD");
  const run = new ScanCollector(options, emit);
  const repo = await openRepo(resolve(options.repo ?? '.'), { history: !options.staged });
  const trusted = options.configFromBase
    ? await configAtCommit(repo.root, await rangeBase(repo, options.range!), options, run.warn)
    : undefined;
  const engine = await prepareEngine({
    config: options.config,
    loaded: trusted?.config,
    rulesDir: options.rulesDir,
    root: repo.root,
    onWarning: run.warn,
    pragmas: options.pragmas,
  });
  run.start(engine, trusted?.baseline);
  const detector = new Detector(engine.rules, engine.allow, prefilterCache);
  const excludePatterns = [...(options.exclude ?? []), ...engine.config.exclude, ...engine.config.allowPaths];
  const excludeRegexes = engine.config.excludePathRegexes ?? [];
  const excluded = pathMatcher(excludePatterns, excludeRegexes);
  const submodules = new Set<string>();
  const binaries = new Set<string>();

  /** `order`: larger = later in history (newest first from git log, so patches pass minus the commit's rank). */
  const record = (origin: Origin, candidates: readonly Candidate[], order = 0) =>
    run.record(origin, candidates, order);
  /** A commit was read; `scan`: its message too (scanPatches scans messages itself, in its batches). */
  const commitRead = (meta: CommitMeta, message: Buffer, order = 0, scan = false) => {
    run.stats.commits = (run.stats.commits ?? 0) + 1;
    run.stats.bytes += message.length;
    if (scan) record(gitOrigin(meta, COMMIT_MESSAGE_PATH), scanBuffer(detector, message), order);
    options.onProgress?.(run.stats);
  };
  const skipped = (path: string, why: SkipReason, subject = path) => {
    if (why === 'binary') {
      run.stats.binarySkipped++;
      // Named once per path: a skipped blob is never only a count.
      if (!binaries.has(path)) {
        binaries.add(path);
        run.warn({ subject, message: 'binary content (not text, UTF-16 or an archive): not scanned' });
      }
    } else if (why === 'missing')
      run.warn({
        subject: path,
        message:
          'a blob of this file is missing from the repository (a partial or damaged clone); ' +
          'that version was not scanned',
        incomplete: true,
      });
    else if (why === 'long-line')
      run.warn({
        subject: path,
        message: `a line longer than ${MAX_LINE / 1024 / 1024} MiB was cut there; the rest of it was not scanned`,
        incomplete: true,
      });
    else if (!submodules.has(path)) {
      submodules.add(path);
      run.warn({ subject: path, message: 'submodule: not followed (scan its repository separately)' });
    }
  };

  const counted = (bytes: number, files: number) => {
    run.stats.bytes += bytes;
    run.stats.files += files;
  };
  /** A whole blob, sniffed and read as `scan` reads a file: opened, decoded, or named as binary. */
  const scanWhole = async (origin: Origin, path: string, content: Buffer, order: number, subject: string) => {
    const blob = sniffWholeBlob(content, path);
    if (blob.kind === 'binary') return skipped(path, 'binary', subject);
    if (blob.kind === 'text') return record(origin, new ChunkScanner(detector, { path }).push(blob.text, true), order);
    const r = await scanContainer(detector, origin, once(content), blob.container);
    record(origin, r.candidates, order);
    for (const m of r.members ?? []) record(m.origin, m.candidates, order);
    for (const w of r.warnings ?? []) run.warn(w);
  };

  if (options.staged) {
    // Staged blobs are read from the index (sources/staged.ts), whatever gitattributes say; those that
    // look binary (archives, compressed files, UTF-16, text with a NUL) are then read whole and sniffed.
    const whole: string[] = [];
    const stagedSkip = (path: string, why: SkipReason, subject?: string) =>
      why === 'binary' ? whole.push(path) : skipped(path, why, subject);
    await scanPatches((h) => readStagedAdded(repo.root, h), detector, {
      record,
      skipped: stagedSkip,
      excluded,
      counted,
      warn: run.warn,
    });
    for (const path of whole) {
      const content = await readStagedBlob(repo.root, path);
      if (!content) {
        run.warn({
          subject: path,
          message: `staged file over ${MAX_STAGED_BLOB} bytes that looks binary: not scanned`,
          incomplete: true,
        });
        continue;
      }
      counted(content.length, 1);
      await scanWhole({ kind: 'file', path }, path, content, 0, path);
    }
    return finishPipeline(run.result(engine.rules), { lookup: options.lookup, onWarning: run.warn });
  }

  // A range whose ends are both present is complete; every other history scan is cut at the boundary.
  if (repo.shallow && !options.range) run.warn(shallowWarning(repo.root));
  const selection = await selectHistory(repo, options);
  const historySink = { record, commit: commitRead, messages: true, skipped, excluded, counted, warn: run.warn };
  const strategy = options.strategy ?? 'diff';
  if (strategy !== 'blobs') {
    const jobs = Math.max(1, Math.min(16, options.threads ?? availableParallelism()));
    const splitMin = options.splitMinCommits ?? SPLIT_MIN_COMMITS;
    // The commit list decides the split; the diff reader reads from it too, `git log -p` does not.
    // Once the list is long enough to split, the worker threads start while git lists the rest:
    // their start-up (modules, detector; 0.13-0.2 s) then overlaps it instead of following it.
    const threads = jobs > 1 ? await import('node:worker_threads') : undefined; // not on the hook's path
    const early: EarlyWorker[] = [];
    const startEarly = () => {
      for (let p = 1; p < jobs; p++) early.push(startHistoryWorker(threads!.Worker, engine));
    };
    let commits: string[] = [];
    try {
      if (jobs > 1 || strategy === 'diff')
        commits = await revList(repo.root, selection, threads && { count: splitMin, call: startEarly });
    } catch (err) {
      await Promise.all(early.map((e) => e.worker.terminate()));
      throw err;
    }
    if (jobs > 1 && commits.length >= splitMin) {
      // One reader per core, each over a share of the commits with its own git processes and
      // its own thread (share 0 in this one).
      await historyInThreads(
        {
          root: repo.root,
          commits,
          jobs,
          exclude: excludePatterns,
          excludeRegexes,
          strategy,
          stealMinCommits: options.stealMinCommits,
          onShareEvent: options.onShareEvent,
        },
        early,
        detector,
        (b) => {
          run.stats.commits = (run.stats.commits ?? 0) + b.commits;
          run.stats.files += b.files;
          run.stats.bytes += b.bytes;
          for (const s of b.skipped) skipped(s.path, s.why, s.subject);
          for (const w of b.warnings) run.warn(w);
          for (const r of b.records) record(r.origin, r.candidates, r.order);
          options.onProgress?.(run.stats);
        },
      );
    } else if (strategy === 'diff') {
      // git lists the changes and hands over each blob once; the added lines are found here
      // (sources/added.ts). Newest first, as rev-list gives them (see readAddedLines).
      await scanPatches((h) => readAddedLines(repo.root, commits, h), detector, historySink);
    } else {
      await scanPatches(logPatches(repo.root, selection), detector, historySink);
    }
  } else {
    const orderOf = new Map<string, number>(); // blobs: commits arrive oldest first
    const intro = await blobIntroductions(repo.root, selection, (meta, message) => {
      orderOf.set(meta.commit, orderOf.size);
      commitRead(meta, message, orderOf.size - 1, true);
    });
    // Archives are opened after the text blobs are scanned (the archive reader is asynchronous);
    // locations are sorted by commit at the end, so the order of records does not matter.
    const containers: Array<() => Promise<void>> = [];
    await catBlobs(
      repo.root,
      intro.keys(),
      (id, content) => {
        const at = intro.get(id)!;
        if (excluded(at.path)) return;
        run.stats.files++;
        run.stats.bytes += content.length;
        const origin = gitOrigin(at.commit, at.path);
        const order = orderOf.get(at.commit.commit) ?? 0;
        const subject = `${at.commit.commit.slice(0, 12)}:${at.path}`;
        const blob = sniffWholeBlob(content, at.path);
        if (blob.kind === 'binary') skipped(at.path, 'binary', subject);
        else if (blob.kind === 'text')
          record(origin, new ChunkScanner(detector, { path: at.path }).push(blob.text, true), order);
        else {
          const copy = Buffer.from(content); // cat-file reuses its buffer
          containers.push(() => scanWhole(origin, at.path, copy, order, subject));
        }
      },
      MAX_BLOB,
    );
    for (const open of containers) await open();
  }
  // All of history: annotated tags too, whose messages no commit holds.
  if (!selection.revisions?.length && !selection.since && selection.maxCommits === undefined)
    await annotatedTags(repo.root, (tag) => {
      run.stats.bytes += tag.message.length;
      record(gitOrigin(tag.meta, tagMessagePath(tag.name)), scanBuffer(detector, tag.message));
    });
  const result = run.result(engine.rules);
  await annotateHistory(result.findings, run.seen!, repo);
  return finishPipeline(result, { lookup: options.lookup, onWarning: run.warn });
}

/** BASE, HEAD and the dots of "BASE..HEAD" or "BASE...HEAD", both ends checked to exist. */
async function rangeEnds(repo: RepoInfo, range: string): Promise<{ base: string; dots: string; head: string }> {
  const m = /^(.*?)(\.\.\.?)(.*)$/.exec(range);
  if (!m?.[1]) throw new UsageError(`--range needs BASE..HEAD (got "${range}")`);
  const base = m[1];
  const head = m[3] || 'HEAD';
  for (const rev of [base, head]) {
    if (await commitExists(repo.root, rev)) continue;
    const why = repo.shallow
      ? 'this is a shallow clone, so it is probably not fetched'
      : 'no such commit or ref in this repository';
    throw new UsageError(
      `cannot scan ${range}: ${rev} is missing (${why}). ` +
        `Fetch it with \`git fetch origin ${rev}\` or \`git fetch --unshallow\`; ` +
        'in GitHub Actions give actions/checkout `fetch-depth: 0`',
    );
  }
  return { base, dots: m[2]!, head };
}

/** The commit a range starts from ("BASE...HEAD": their merge base), whose config a scan of it trusts. */
async function rangeBase(repo: RepoInfo, range: string): Promise<string> {
  const { base, dots, head } = await rangeEnds(repo, range);
  const args = dots === '...' ? ['merge-base', base, head] : ['rev-parse', '--verify', `${base}^{commit}`];
  const r = await gitRun(repo.root, args);
  if (!r.ok) throw new UsageError(`cannot find the base of ${range}: ${r.err}`);
  return r.out;
}

/** The revisions to read: a validated range, the given branches, or every ref. */
async function selectHistory(repo: RepoInfo, options: GitScanOptions): Promise<HistorySelection> {
  const revisions: string[] = [];
  if (options.range) {
    const { base, dots, head } = await rangeEnds(repo, options.range);
    revisions.push(`${base}${dots}${head}`);
  }
  for (const b of options.branches ?? []) {
    if (!(await commitExists(repo.root, b)))
      throw new UsageError(`--branch ${b}: no such branch or revision in ${repo.root}`);
    revisions.push(b);
  }
  const stashes = revisions.length ? [] : await stashEntries(repo.root);
  return { revisions, stashes, since: options.since, maxCommits: options.maxCommits };
}

/** One thread reading shares of a split history: this one, or a worker. */
interface ShareThread {
  /** Reads a range of the commit list ("diff"), or the thread's whole share ("patches"), to its end. */
  read(range: CommitRange | undefined): Promise<void>;
  /** Gives the second half of the rest of its range away if at least `min` commits: the new end (-1: no range). */
  half(min: number): Promise<number>;
}

interface CommitRange {
  readonly start: number;
  readonly end: number;
}

/** What a split history's threads did, for tests and LEAKRADIUS_TRACE_SHARES: a range read, or a tail taken. */
export interface ShareEvent {
  readonly kind: 'read' | 'steal';
  /** The thread that read the range, or took the tail. */
  readonly share: number;
  readonly start: number;
  readonly end: number;
  /** steal: the thread whose range was cut. */
  readonly from?: number;
  /** Since the split started. */
  readonly ms: number;
}

/**
 * A share that finishes early takes over the rest of another's range from this many commits on:
 * each take costs a fresh reader (two git processes) and one blob read twice per file at the cut.
 */
const STEAL_MIN_COMMITS = 256;

/**
 * Reads a split history: each thread reads its share of the commits with its own `git` processes,
 * share 0 in this thread (a worker is one more V8 heap to start and to compile our code in; this
 * thread only waits otherwise), the others in worker threads that send findings back in batches.
 * The diff reader takes one contiguous range per thread: its blob cache then serves both uses of
 * nearly every blob. Real histories' halves are unequal (sequelize's ended 30 s apart in 78 s,
 * uptime-kuma's 11 s in 34 s: the newer half is the heavier), so a thread that runs out of work
 * takes the second half of what the busiest one has left (work stealing), until the rest is
 * short. Round-robin blocks balanced too but cost 10-30% more CPU on the bench history (a file's
 * versions far apart, every block edge splitting them between shares). The first failure stops
 * every thread and is thrown.
 */
async function historyInThreads(
  split: {
    root: string;
    commits: readonly string[];
    jobs: number;
    exclude: readonly string[];
    excludeRegexes: readonly string[];
    strategy: 'diff' | 'patches';
    stealMinCommits?: number;
    onShareEvent?: (e: ShareEvent) => void;
  },
  early: readonly EarlyWorker[],
  detector: Detector,
  onBatch: (batch: HistoryBatch) => void,
): Promise<void> {
  const diff = split.strategy === 'diff';
  const block = diff ? Math.ceil(split.commits.length / split.jobs) : splitBlock(split.commits.length, split.jobs);
  const started = performance.now();
  const trace = process.env.LEAKRADIUS_TRACE_SHARES
    ? (e: ShareEvent) => process.stderr.write(`leakradius: share ${JSON.stringify(e)}\n`)
    : undefined;
  const event = (e: Omit<ShareEvent, 'ms'>) => {
    const full = { ...e, ms: Math.round(performance.now() - started) };
    split.onShareEvent?.(full);
    trace?.(full);
  };
  // Share 0 runs here and cannot be terminated like a worker: when another share fails, it is told
  // to stop and awaited, so no git process outlives the scan.
  const stop = new AbortController();
  const reads: Array<Promise<void>> = [];
  /** Each thread's range as this thread knows it: `at` counts the commits its batches reported. */
  const book: Array<{ thread: ShareThread; start: number; end: number; at: number; busy: boolean }> = [];

  const share = (p: number): HistoryShare => ({
    root: split.root,
    commits: diff ? split.commits : shareOf(split.commits, p, split.jobs, block),
    p,
    jobs: split.jobs,
    block,
    exclude: split.exclude,
    excludeRegexes: split.excludeRegexes,
    strategy: split.strategy,
  });
  const counted = (p: number) => (b: HistoryBatch) => {
    book[p]!.at += b.commits;
    onBatch(b);
  };
  const inThisThread = (p: number): ShareThread => {
    let reading: ReadRange | undefined;
    return {
      read: async (r) => {
        reading = r && new ReadRange(r.start, r.end);
        const run = scanHistoryShare(detector, share(p), counted(p), stop.signal, reading);
        reads.push(run);
        try {
          await run;
        } finally {
          reading = undefined;
        }
      },
      half: async (min) => (reading ? reading.half(min) : -1),
    };
  };
  const inWorker = (p: number): ShareThread => {
    const thread = early[p - 1]!;
    const w = thread.worker;
    let reading: { done: () => void; fail: (e: Error) => void } | undefined;
    let cutting: ((at: number) => void) | undefined;
    let failure: Error | undefined;
    const failed = (e: Error) => {
      failure ??= e;
      reading?.fail(failure);
      reading = undefined;
      cutting?.(-1); // a take waiting on this worker gets nothing
    };
    w.on(
      'message',
      (msg: { batch?: HistoryBatch; done?: boolean; error?: string; usage?: boolean; cutAt?: number }) => {
        if (msg.batch) counted(p)(msg.batch);
        if (msg.cutAt !== undefined) {
          cutting?.(msg.cutAt);
          cutting = undefined;
        }
        if (!msg.done) return;
        if (msg.error) return failed(msg.usage ? new UsageError(msg.error) : new Error(msg.error));
        reading?.done();
        reading = undefined;
      },
    );
    w.on('error', failed);
    w.on('exit', (code) => failed(new Error(`history worker exited early (code ${code})`)));
    if (thread.failure) failed(thread.failure);
    let sent = false;
    return {
      read: (range) =>
        new Promise<void>((done, fail) => {
          if (failure) return fail(failure);
          reading = { done, fail };
          w.postMessage(sent ? { range } : { history: share(p), range });
          sent = true;
        }),
      half: (min) =>
        new Promise<number>((answer) => {
          cutting = answer;
          w.postMessage({ half: min });
        }),
    };
  };

  // One take at a time: two idle threads must not cut the same range at once.
  let taking: Promise<unknown> = Promise.resolve();
  const stealMin = diff ? (split.stealMinCommits ?? STEAL_MIN_COMMITS) : Infinity;
  /** The second half of what the busiest other thread has left, when that is worth a reader. */
  const takeTail = async (p: number): Promise<CommitRange | undefined> => {
    let victim = -1;
    let most = 0;
    book.forEach((b, q) => {
      if (q !== p && b.busy && b.end - b.at > most) [victim, most] = [q, b.end - b.at];
    });
    if (victim < 0 || most < stealMin || stop.signal.aborted) return undefined;
    const from = book[victim]!;
    const end = from.end;
    const at = await from.thread.half(stealMin);
    if (at < 0 || at >= end) return undefined;
    from.end = at;
    event({ kind: 'steal', share: p, start: at, end, from: victim });
    return { start: at, end };
  };
  const steal = (p: number) => {
    const next = taking.then(() => takeTail(p));
    taking = next.catch(() => undefined);
    return next;
  };
  const drive = async (p: number) => {
    const b = book[p]!;
    for (let r: CommitRange | undefined = { start: b.start, end: b.end }; r && !stop.signal.aborted; ) {
      Object.assign(b, { start: r.start, end: r.end, at: r.start, busy: true });
      await b.thread.read(diff ? r : undefined);
      b.busy = false;
      event({ kind: 'read', share: p, start: b.start, end: b.end });
      r = await steal(p);
    }
  };

  try {
    for (let p = 0; p < split.jobs; p++) {
      // Contiguous ranges ("diff"); `git log -p` takes its round-robin share whole.
      const start = diff ? Math.min(p * block, split.commits.length) : 0;
      const end = diff ? Math.min(start + block, split.commits.length) : share(p).commits.length;
      if (end <= start) break;
      book.push({ thread: p === 0 ? inThisThread(p) : inWorker(p), start, end, at: start, busy: false });
    }
    await Promise.all(book.map((_, p) => drive(p)));
  } finally {
    stop.abort();
    await Promise.all(reads.map((r) => r.catch(() => undefined)));
    // Every worker started, used or not (a share with no commits).
    await Promise.all(early.map((e) => e.worker.terminate()));
  }
}

/** A history worker started before its share is known, and how it failed meanwhile, if it did. */
interface EarlyWorker {
  readonly worker: InstanceType<typeof Worker>;
  failure?: Error;
}

/** A worker thread for one share of a split history, with its own detector built from the rules. */
function startHistoryWorker(threadClass: typeof Worker, engine: Engine): EarlyWorker {
  const worker = new threadClass(workerScript(), {
    workerData: { rules: engine.rules, allow: engine.allow, history: true },
    resourceLimits: WORKER_LIMITS,
  });
  const started: EarlyWorker = { worker };
  // Until its share's listeners are on, a failure is kept (an 'error' nobody listens to would throw).
  worker.on('error', (err) => (started.failure ??= err));
  worker.on('exit', (code) => (started.failure ??= new Error(`history worker exited early (code ${code})`)));
  return started;
}

/** First and last seen, locations oldest first, and whether each secret is still in HEAD's tree. */
async function annotateHistory(findings: Finding[], seen: SeenTracker, repo: RepoInfo): Promise<void> {
  for (const f of findings) {
    const s = seen.get(f.fingerprint);
    if (s) {
      f.firstSeen = s.first;
      f.lastSeen = s.last;
    }
    const order = (l: Location) => (l.kind === 'git' ? (seen.orderOf(l.commit) ?? 0) : 0);
    f.locations.sort(
      (a, b) =>
        dateOf(a) - dateOf(b) ||
        order(a) - order(b) ||
        (a.kind === 'git' && b.kind === 'git' ? a.path.localeCompare(b.path) : 0) ||
        a.line - b.line,
    );
  }
  if (!repo.head || findings.length === 0) return;
  const atHead = await secretsAtHead(
    repo.root,
    findings.map((f) => firstSecretLine(f.secret)),
  );
  for (const f of findings) f.presentAtHead = atHead.has(firstSecretLine(f.secret));
}

function dateOf(l: Location): number {
  return l.kind === 'git' ? Date.parse(l.date) : 0;
}

function firstSecretLine(secret: string): string {
  return secret.split(/\r?\n/).find((l) => l.length >= 8) ?? secret;
}

async function* once(buf: Buffer): AsyncGenerator<Buffer> {
  yield buf;
}
