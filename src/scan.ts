// The library entry point: scan(options) → an async iterable of findings, as they are first
// found, and a result with every finding (all locations), stats and warnings once it ends.

import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import RE2 from 're2';
import { UsageError, errorMessage } from './errors.js';
import { ChunkScanner, Detector } from './detect/detector.js';
import { runFileJob } from './sources/content.js';
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from './sources/archive.js';
import { ScanCollector, ScanRun, prepareEngine, type Engine, type ScanResult } from './engine.js';
import type { FileJob, JobResult } from './sources/jobs.js';
import { finishScope } from './scope/index.js';
import type { LookupOptions } from './scope/lookup/index.js';
import type { Finding, Origin, ScanStats, Warning } from './types.js';

export { ScanCollector, ScanRun, prepareEngine, type Engine, type ScanResult } from './engine.js';

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
  readonly onWarning?: (w: Warning) => void;
  readonly onProgress?: (stats: Readonly<ScanStats>) => void;
  /** Provider lookups after the scan (src/scope/lookup); absent = offline. */
  readonly lookup?: LookupOptions | false;
}

/** Below this many files, scanning in this thread beats starting workers. */
const INLINE_FILE_LIMIT = 48;
const BATCH = 16;

export function scan(options: ScanOptions): ScanRun {
  return new ScanRun((emit) => runScan(options, emit));
}

async function runScan(options: ScanOptions, emit: (f: Finding) => void): Promise<ScanResult> {
  const run = new ScanCollector(options, emit);
  const { stats, warn: onWarning, record } = run;
  if (options.paths.length === 0) throw new UsageError('nothing to scan: give at least one path, or - for stdin');
  const roots: Array<{ path: string; kind: 'dir' | 'file' | 'stdin' }> = [];
  for (const p of options.paths) {
    if (p === '-') {
      roots.push({ path: p, kind: 'stdin' });
      continue;
    }
    let st;
    try {
      st = statSync(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new UsageError(`path does not exist: ${p}`);
      throw new UsageError(`cannot access ${p}: ${errorMessage(err)}`);
    }
    roots.push({ path: p, kind: st.isDirectory() ? 'dir' : 'file' });
  }
  const firstDir = roots.find((r) => r.kind === 'dir')?.path;
  const engine = await prepareEngine({ config: options.config, rulesDir: options.rulesDir, root: firstDir, onWarning });
  run.start(engine);
  const onResult = (r: JobResult) => {
    stats.files++;
    stats.bytes += r.bytes;
    if (r.skipped === 'binary') stats.binarySkipped++;
    if (r.error) {
      stats.unreadable++;
      onWarning({ subject: originLabel(r.origin), message: `cannot read (${r.error}); skipped` });
    }
    for (const w of r.warnings ?? []) onWarning(w);
    record(r.origin, r.candidates);
    for (const m of r.members ?? []) record(m.origin, m.candidates);
    options.onProgress?.(stats);
  };
  const exclude = [...(options.exclude ?? []), ...engine.config.exclude, ...engine.config.allowPaths];
  const detector = new Detector(engine.rules, engine.allow);
  const pathRegexes = (engine.config.excludePathRegexes ?? []).map((p) => new RE2(p));

  async function* jobs(): AsyncGenerator<FileJob> {
    for (const root of roots) {
      if (root.kind === 'file') yield { path: root.path, origin: { kind: 'file', path: root.path } };
      else if (root.kind === 'dir') {
        // Path regexes from a gitleaks or detect-secrets config, tried on the path under the root and as given.
        // fast-glob loads only for directory scans (not for git, stdin or single files).
        const { walk } = await import('./sources/fs.js');
        if (!pathRegexes.length) yield* walk(root.path, { exclude, onWarning });
        else for await (const job of walk(root.path, { exclude, onWarning })) if (!pathRegexes.some((re) => re.test(relative(root.path, job.path)) || re.test(job.path))) yield job;
      }
    }
  }
  const limits = archiveLimits(options);
  await runJobs(jobs(), detector, engine, options.threads ?? availableParallelism(), onResult, limits);

  for (const root of roots) {
    if (root.kind !== 'stdin') continue;
    const input = options.stdin ?? process.stdin;
    const scanner = new ChunkScanner(detector, { eager: true });
    const origin: Origin = { kind: 'stdin' };
    for await (const chunk of input as AsyncIterable<Buffer | string>) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      stats.bytes += buf.length;
      record(origin, scanner.push(buf, false));
    }
    record(origin, scanner.push(Buffer.alloc(0), true));
    stats.files++;
  }
  return finishScope(run.result(engine.rules), { lookup: options.lookup, onWarning });
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

/** Runs file jobs inline for small scans, across worker threads for large ones. */
async function runJobs(source: AsyncIterable<FileJob>, detector: Detector, engine: Engine, threads: number, onResult: (r: JobResult) => void, limits: ArchiveLimits): Promise<void> {
  const it = source[Symbol.asyncIterator]();
  const head: FileJob[] = [];
  let done = false;
  while (head.length < INLINE_FILE_LIMIT) {
    const n = await it.next();
    if (n.done) {
      done = true;
      break;
    }
    head.push(n.value);
  }
  // Small scans run here; larger ones use workers even at --threads 1, so the walk (async, on
  // this thread) overlaps with the scanning instead of alternating with it (2x slower).
  if (done) {
    for (const job of head) onResult(await runFileJob(detector, job, limits));
    return;
  }
  const pool = new WorkerPool(threads, engine, limits);
  try {
    const rest: AsyncIterable<FileJob> = {
      [Symbol.asyncIterator]: () => ({ next: () => it.next() }),
    };
    await pool.run(head, rest, onResult);
  } finally {
    await pool.close();
  }
}

function workerScript(): URL {
  // Under vitest this module runs from src/*.ts; the worker must be the compiled file in dist/.
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return new URL('../dist/detect/worker.js', import.meta.url);
  return new URL('./detect/worker.js', import.meta.url);
}

class WorkerPool {
  private readonly workers: Worker[] = [];
  constructor(size: number, engine: Engine, limits: ArchiveLimits) {
    const script = workerScript();
    for (let i = 0; i < size; i++)
      this.workers.push(new Worker(script, { workerData: { rules: engine.rules, allow: engine.allow, limits } }));
  }

  async run(head: FileJob[], rest: AsyncIterable<FileJob>, onResult: (r: JobResult) => void): Promise<void> {
    const inflight = new Map<Worker, number>();
    let nextId = 0;
    let pending = 0;
    let failure: Error | undefined;
    let slot: (() => void) | undefined;
    const freed = () => {
      const s = slot;
      slot = undefined;
      s?.();
    };
    for (const w of this.workers) {
      inflight.set(w, 0);
      w.on('message', (msg: { results: JobResult[] }) => {
        inflight.set(w, inflight.get(w)! - 1);
        pending--;
        for (const r of msg.results) onResult(r);
        freed();
      });
      w.on('error', (err) => {
        failure = err;
        freed();
      });
    }
    const send = async (batch: FileJob[]) => {
      for (;;) {
        if (failure) throw failure;
        // Two batches in flight per worker keep it busy without queueing the whole walk.
        const w = this.workers.find((x) => inflight.get(x)! < 2);
        if (w) {
          inflight.set(w, inflight.get(w)! + 1);
          pending++;
          w.postMessage({ id: nextId++, jobs: batch });
          return;
        }
        await new Promise<void>((r) => (slot = r));
      }
    };
    let batch: FileJob[] = [];
    for (const job of head) {
      batch.push(job);
      if (batch.length === BATCH) {
        await send(batch);
        batch = [];
      }
    }
    for await (const job of rest) {
      batch.push(job);
      if (batch.length === BATCH) {
        await send(batch);
        batch = [];
      }
    }
    if (batch.length) await send(batch);
    while (pending > 0) {
      if (failure) throw failure;
      await new Promise<void>((r) => (slot = r));
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

