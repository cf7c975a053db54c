// The library entry point: scan(options) → an async iterable of findings, as they are first
// found, and a result with every finding (all locations), stats and warnings once it ends.

import {
  closeSync,
  createReadStream,
  fstatSync,
  openSync,
  readSync,
  realpathSync,
  statSync,
  type Stats,
} from 'node:fs';
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import RE2 from 're2';
import { UsageError, errorMessage } from '../errors.js';
import { ChunkScanner, Detector } from '../detect/index.js';
import { CandidateSink } from '../dedupe/blob-repeats.js';
import { RANGE_BYTES, looksBinary } from '../sources/content.js';
import { DEFAULT_ARCHIVE_LIMITS, sniffContainer, type ArchiveLimits } from '../sources/archive.js';
import { utf16Of, utf16ToUtf8Async } from '../sources/binary.js';
import { ScanCollector } from './collector.js';
import { prepareEngine } from './engine.js';
import { ScanRun } from './scan-run.js';
import { scanContainer } from './blob-scan.js';
import { finishPipeline } from './pipeline.js';
import { runJobs } from './worker-pool.js';
import type { FileJob, JobResult } from './worker-protocol.js';
import { countBytesInto } from '../sources/progress.js';
import type { LookupOptions } from '../scope/lookup/index.js';
import type { Finding, Origin, ScanResult, ScanStats, Warning } from '../types.js';

export { ScanCollector } from './collector.js';
export { prepareEngine, type Engine } from './engine.js';
export { ScanRun } from './scan-run.js';
export type { ScanResult } from '../types.js';

export interface ScanOptions {
  /** Files and directories; "-" reads `stdin`. */
  readonly paths: readonly string[];
  readonly exclude?: readonly string[];
  /** Worker threads; default: all cores. 1 scans in this thread. */
  readonly threads?: number;
  /** Config file; default: .leakradius.yml at the first directory scanned. */
  readonly config?: string;
  /** Directory of rule files; default: the package's rules/. */
  readonly rulesDir?: string;
  readonly stdin?: NodeJS.ReadableStream;
  readonly maxLocations?: number;
  /** Archives inside archives opened at most this deep (default 8). */
  readonly maxArchiveDepth?: number;
  /** Decompressed bytes read from one archive at most (default 2 GiB). */
  readonly maxArchiveBytes?: number;
  /** Entries read from one archive at most, nesting included (default 100,000). */
  readonly maxArchiveEntries?: number;
  /** Baseline file: findings whose fingerprint it lists are not reported. */
  readonly baseline?: string;
  /** Report test fixtures too, marked `fixture` (default: counted in stats.fixtures, left out). */
  readonly includeFixtures?: boolean;
  readonly onWarning?: (w: Warning) => void;
  readonly onProgress?: (stats: Readonly<ScanStats>) => void;
  /** Provider lookups after the scan (src/scope/lookup); absent = offline. */
  readonly lookup?: LookupOptions | false;
  /** Read symlinked files whose target is outside the scanned paths (default: warn and skip them). */
  readonly followSymlinks?: boolean;
  /** Size of the ranges a large text file is split into across workers (default 32 MiB; tests use less). */
  readonly rangeBytes?: number;
}

export function scan(options: ScanOptions): ScanRun {
  return new ScanRun((emit) => runScan(options, emit));
}

/** Bytes read by the running scan, this thread's and every worker's, including files not yet done. */
let bytesCounters: Float64Array<ArrayBufferLike> = new Float64Array(1);
export function bytesRead(): number {
  let n = 0;
  for (const c of bytesCounters) n += c;
  return n;
}

async function runScan(options: ScanOptions, emit: (f: Finding) => void): Promise<ScanResult> {
  const run = new ScanCollector(options, emit);
  const { stats, warn: onWarning, record } = run;
  if (options.paths.length === 0) throw new UsageError('nothing to scan: give at least one path, or - for stdin');
  // A path named on the command line that is not a file or directory (`<(cmd)`, /dev/stdin, a FIFO)
  // is read as a stream, as long as it runs; inside a directory only files are read.
  const roots: Array<{ path: string; kind: 'dir' | 'file' | 'stdin' | 'stream' }> = [];
  for (const p of options.paths) {
    if (p === '-') {
      roots.push({ path: p, kind: 'stdin' });
      continue;
    }
    let st: Stats;
    try {
      st = statSync(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new UsageError(`path does not exist: ${p}`);
      throw new UsageError(`cannot access ${p}: ${errorMessage(err)}`);
    }
    roots.push({ path: p, kind: st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'stream' });
  }
  const firstDir = roots.find((r) => r.kind === 'dir')?.path;
  const engine = await prepareEngine({
    config: options.config,
    rulesDir: options.rulesDir,
    root: firstDir,
    onWarning,
  });
  run.start(engine);
  const onWholeResult = (r: JobResult) => {
    stats.files++;
    stats.bytes += r.bytes;
    if (r.skipped === 'binary') stats.binarySkipped++;
    if (r.error) {
      stats.unreadable++;
      onWarning({ subject: originLabel(r.origin), message: `cannot read (${r.error}); skipped`, incomplete: true });
    }
    for (const w of r.warnings ?? []) onWarning(w);
    record(r.origin, r.candidates);
    for (const m of r.members ?? []) record(m.origin, m.candidates);
    options.onProgress?.(stats);
  };
  const onResult = joinRanges(onWholeResult);
  const exclude = [...(options.exclude ?? []), ...engine.config.exclude, ...engine.config.allowPaths];
  const detector = new Detector(engine.rules, engine.allow);
  const pathRegexes = (engine.config.excludePathRegexes ?? []).map((p) => new RE2(p));

  const threads = options.threads ?? availableParallelism();
  // Slot 0 counts this thread's reads, slot i worker i's (src/sources/progress.ts).
  bytesCounters = new Float64Array(new SharedArrayBuffer(8 * (threads + 1)));
  countBytesInto(bytesCounters.subarray(0, 1));
  const realRoots = roots
    .filter((r) => r.kind === 'dir' || r.kind === 'file')
    .map((r) => ({ path: realpathSync(r.path), directory: r.kind === 'dir' }));
  async function* files(): AsyncGenerator<FileJob> {
    for (const root of roots) {
      if (root.kind === 'file') yield { path: root.path, origin: { kind: 'file', path: root.path } };
      else if (root.kind === 'dir') {
        // Path regexes from a gitleaks or detect-secrets config, tried on the path under the root and as given.
        // The walk loads only for directory scans (not for git, stdin or single files).
        const { walk } = await import('../sources/fs.js');
        const walkOptions = { exclude, onWarning, roots: realRoots, followSymlinks: options.followSymlinks };
        if (!pathRegexes.length) yield* walk(root.path, walkOptions);
        else
          for await (const job of walk(root.path, walkOptions))
            if (!pathRegexes.some((re) => re.test(relative(root.path, job.path)) || re.test(job.path))) yield job;
      }
    }
  }
  async function* jobs(): AsyncGenerator<FileJob> {
    for await (const job of files()) yield* threads > 1 ? splitLarge(job, options.rangeBytes ?? RANGE_BYTES) : [job];
  }
  const limits = archiveLimits(options);
  await runJobs(jobs(), detector, engine, threads, onResult, limits, bytesCounters);

  for (const root of roots) {
    if (root.kind === 'stdin') await scanStdin(options.stdin ?? process.stdin, detector, limits, run, onResult);
    else if (root.kind === 'stream') {
      const origin: Origin = { kind: 'file', path: root.path };
      try {
        // /dev/stdin is this process's stdin, which open() refuses when it is a socket.
        const input = sameFile(root.path, 0) ? (options.stdin ?? process.stdin) : createReadStream(root.path);
        await scanStdin(input, detector, limits, run, onResult, origin);
      } catch (err) {
        stats.unreadable++;
        onWarning({ subject: root.path, message: `cannot read (${errorMessage(err)}); skipped`, incomplete: true });
      }
    }
  }
  return finishPipeline(run.result(engine.rules), { lookup: options.lookup, onWarning });
}

/**
 * Stdin (or a FIFO, a process substitution) as it arrives, so `kubectl logs -f | leakradius scan -`
 * reports each secret when its line ends; a compressed or archived stream (its first chunk's magic
 * bytes) is opened like a file.
 */
async function scanStdin(
  input: NodeJS.ReadableStream,
  detector: Detector,
  limits: ArchiveLimits,
  run: ScanCollector,
  onResult: (r: JobResult) => void,
  origin: Origin = { kind: 'stdin' },
): Promise<void> {
  const it = (input as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const next = async () => {
    const r = await it.next();
    return r.done ? undefined : typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
  };
  const first = await next();
  const name = origin.kind === 'file' ? origin.path : '(stdin)';
  const kind = first && sniffContainer(first, name, false);
  const rest = (async function* () {
    if (first) yield first;
    for (let b = await next(); b; b = await next()) yield b;
  })();
  if (first && kind && kind !== 'json') {
    onResult(await scanContainer(detector, origin, rest, kind, limits));
    return;
  }
  // UTF-16 (a BOM, or a NUL in every other byte) is decoded as files are (src/sources/binary.ts).
  const utf16 = first && utf16Of(first);
  const text = utf16 ? utf16ToUtf8Async(rest, utf16) : rest;
  const scanner = new ChunkScanner(detector, { eager: true, path: origin.kind === 'file' ? origin.path : undefined });
  for await (const buf of text) {
    run.stats.bytes += buf.length;
    run.record(origin, scanner.push(buf, false));
  }
  run.record(origin, scanner.push(Buffer.alloc(0), true));
  run.stats.files++;
}

/** Whether `path` is the file open as descriptor `fd`. */
function sameFile(path: string, fd: number): boolean {
  try {
    const [a, b] = [statSync(path), fstatSync(fd)];
    return a.dev === b.dev && a.ino === b.ino;
  } catch {
    return false;
  }
}

function archiveLimits(o: ScanOptions): ArchiveLimits {
  const d = DEFAULT_ARCHIVE_LIMITS;
  return {
    ...d,
    maxDepth: o.maxArchiveDepth ?? d.maxDepth,
    maxBytes: o.maxArchiveBytes ?? d.maxBytes,
    maxEntries: o.maxArchiveEntries ?? d.maxEntries,
  };
}

export function originLabel(o: Origin): string {
  switch (o.kind) {
    case 'file':
      return o.path;
    case 'stdin':
      return '(stdin)';
    case 'git':
      return `${o.commit.slice(0, 12)}:${o.path}`;
    case 'archive':
      return o.chain.join('!');
  }
}

/**
 * A large plain-text file (a multi-GB log) as range jobs, so every worker scans a part of it; any
 * other file as it is. Compressed files, archives and binaries are never split (they stream).
 */
function splitLarge(job: FileJob, rangeBytes: number): FileJob[] {
  let size: number;
  try {
    size = statSync(job.path).size;
  } catch {
    return [job]; // the worker reports why it cannot be read
  }
  if (size < rangeBytes * 1.5) return [job];
  const head = Buffer.alloc(8000);
  let n: number;
  try {
    const fd = openSync(job.path, 'r');
    try {
      n = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return [job];
  }
  const start = head.subarray(0, n);
  if (sniffContainer(start, job.path, false) || looksBinary(start)) return [job];
  // Only line-oriented text splits well (a range starts at a line start): not one huge line.
  if (start.indexOf(10) === -1 || start.indexOf(10) === start.lastIndexOf(10)) return [job];
  const count = Math.ceil(size / rangeBytes);
  return Array.from({ length: count }, (_, index) => ({
    ...job,
    range: { start: index * rangeBytes, end: (index + 1) * rangeBytes, index, count },
  }));
}

/**
 * Results of range jobs are held until every range of the file is in, then joined into one result
 * with line numbers counted from the top of the file; other results pass straight through.
 */
function joinRanges(onResult: (r: JobResult) => void): (r: JobResult) => void {
  const pending = new Map<string, Array<JobResult | undefined>>();
  return (r) => {
    const range = r.range;
    if (!range) return onResult(r);
    const key = originLabel(r.origin);
    let parts = pending.get(key);
    if (!parts) pending.set(key, (parts = new Array(range.count).fill(undefined)));
    parts[range.index] = r;
    if (parts.some((p) => p === undefined)) return;
    pending.delete(key);
    // One sink over all ranges: a secret repeated on every line keeps the same locations as in a
    // whole-file scan (the first MAX_PER_SECRET), the rest counted.
    const sink = new CandidateSink();
    let offset = 0;
    let bytes = 0;
    let error: string | undefined;
    for (const p of parts as JobResult[]) {
      sink.add(offset ? p.candidates.map((c) => ({ ...c, line: c.line + offset })) : p.candidates);
      offset += p.lines ?? 0;
      bytes += p.bytes;
      error ??= p.error;
    }
    onResult({ origin: r.origin, candidates: sink.result(), bytes, error });
  };
}
