// The one scan loop: every blob from every source (a file, a range of a large file, stdin, an
// archive member, a git blob) goes through scanBlob, which runs the detector over it chunk by chunk.
// Sources only read, sniff, decompress and decode (src/sources/); rules run only here.

import { CHUNK_OVERLAP, ChunkScanner, type Detector } from '../detect/index.js';
import { CandidateSink } from '../dedupe/blob-repeats.js';
import { errorMessage } from '../errors.js';
import { ArchiveReader, DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits, type ContainerKind } from '../sources/archive.js';
import { CHUNK_SIZE, RANGE_OVERLAP, readFileBlob, readFileRange } from '../sources/content.js';
import type { FileJob } from '../sources/jobs.js';
import type { Blob, Candidate, Origin } from '../types.js';
import type { JobResult } from './worker-protocol.js';

if (RANGE_OVERLAP !== CHUNK_OVERLAP) throw new Error('internal: a range must be read with the detector overlap');

/**
 * Pushes a blob's chunks into its scanner in batches of at least CHUNK_SIZE (each push re-reads the
 * carried overlap, so small decompressor chunks are joined), one chunk behind the reader, so the
 * last push is known to be the last.
 */
class ChunkBatcher {
  private pending: Buffer[] = [];
  private size = 0;
  bytes = 0;
  constructor(
    private readonly scanner: ChunkScanner,
    private readonly found: (candidates: Candidate[]) => void,
  ) {}
  add(chunk: Buffer): void {
    if (this.size >= CHUNK_SIZE) {
      this.found(this.scanner.pushParts(this.pending, false));
      this.pending = [];
      this.size = 0;
    }
    this.pending.push(chunk);
    this.size += chunk.length;
    this.bytes += chunk.length;
  }
  end(): number {
    this.found(this.scanner.pushParts(this.pending, true));
    return this.bytes;
  }
}

/** Run the detector over one blob; `found` gets each push's candidates. Returns the bytes scanned. */
export async function scanBlob(
  detector: Detector,
  blob: Blob,
  found: (candidates: Candidate[]) => void,
  scanner = new ChunkScanner(detector, { path: blob.path }),
): Promise<number> {
  if (blob.bytes) {
    found(scanner.push(blob.bytes, true));
    return blob.bytes.length;
  }
  const batcher = new ChunkBatcher(scanner, found);
  if (Symbol.iterator in blob.chunks) for (const chunk of blob.chunks) batcher.add(chunk);
  else for await (const chunk of blob.chunks) batcher.add(chunk);
  return batcher.end();
}

/** Scan one file job; I/O errors become the result's `error` (a warning), never a throw. */
export async function runFileJob(
  detector: Detector,
  job: FileJob,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<JobResult> {
  try {
    if (job.range) return await scanFileRange(detector, job, job.range);
    const content = readFileBlob(job.path, job.origin);
    switch (content.kind) {
      case 'container':
        return await scanContainer(detector, job.origin, job.path, content.container, limits);
      case 'skipped':
        return { origin: job.origin, candidates: [], bytes: 0, skipped: content.skipped };
      case 'empty':
        return { origin: job.origin, candidates: [], bytes: 0 };
      case 'text': {
        const sink = new CandidateSink();
        const bytes = await scanBlob(detector, content.blob, (c) => sink.add(c));
        return { origin: job.origin, candidates: sink.result(), bytes };
      }
    }
  } catch (err) {
    return { origin: job.origin, candidates: [], bytes: 0, error: errorMessage(err), range: job.range };
  }
}

/** The lines that start in one range of a file, numbered from the range's first line. */
async function scanFileRange(
  detector: Detector,
  job: FileJob,
  spec: NonNullable<FileJob['range']>,
): Promise<JobResult> {
  const range = readFileRange(job.path, spec);
  const sink = new CandidateSink();
  await scanBlob(detector, { origin: job.origin, path: job.path, chunks: range.chunks }, (c) =>
    sink.add(c.filter((x) => x.line > range.before)),
  );
  const candidates = sink
    .result()
    .filter((c) => range.last || c.line <= range.before + range.inside)
    .map((c) => ({ ...c, line: c.line - range.before }));
  return { origin: job.origin, candidates, bytes: range.bytes, lines: range.inside, range: spec };
}

/**
 * A container (archive, compressed file or stream, source map, image config) whose first bytes
 * sniffContainer() recognised: each blob it holds is scanned as it is read. Problems inside become
 * warnings; I/O errors throw.
 */
export async function scanContainer(
  detector: Detector,
  origin: Origin,
  input: string | AsyncIterable<Buffer>,
  kind: ContainerKind,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<JobResult> {
  const reader = new ArchiveReader(limits, origin);
  const root = new CandidateSink();
  const members = new Map<string, { origin: Origin; sink: CandidateSink }>();
  for await (const blob of reader.read(input, kind)) {
    const into = (found: Candidate[]) => {
      if (found.length === 0) return;
      if (blob.origin === origin) return root.add(found);
      const key = blob.origin.kind === 'archive' ? blob.origin.chain.join('\0') : memberPath(blob.origin);
      let m = members.get(key);
      if (!m) members.set(key, (m = { origin: blob.origin, sink: new CandidateSink() }));
      m.sink.add(found);
    };
    await scanBlob(detector, blob, into);
  }
  return {
    origin,
    candidates: root.result(),
    bytes: reader.bytes,
    members: [...members.values()].map((m) => ({ origin: m.origin, candidates: m.sink.result() })),
    warnings: reader.warnings,
  };
}

function memberPath(o: Origin): string {
  return o.kind === 'file' || o.kind === 'git' ? o.path : '(stdin)';
}
