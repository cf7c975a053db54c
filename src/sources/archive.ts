// Opens archives and compressed files in memory (never on disk) and yields every member as its own
// blob (src/scan/ runs the rules over it). Kinds are told by magic bytes, not by name
// (archive-formats.ts). Compression layers (gzip, zstd, xz, bzip2) are transparent; containers (zip, tar) add
// the member name to the location chain:
// release.zip!lib/app.jar!config/application.properties. Every resource that grows with the input
// is bounded (depth, decompressed bytes, ratio, entries); a problem with one member is a warning.

import { createReadStream } from 'node:fs';
import { type Duplex, Readable, pipeline } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import type yauzl from 'yauzl';
import { errorMessage } from '../errors.js';
import {
  LOCAL_HEADER,
  nextEntry,
  openZipBuffer,
  openZipFile,
  sniffContainer,
  tarLib,
  zipLib,
  zipOffset,
  zlibLib,
  zstdStream,
  xzStream,
  bzip2Stream,
  type ContainerKind,
} from './archive-formats.js';
import { collect, drain, once, peek } from './streams.js';
import { looksBinary, utf16Of, utf16ToUtf8Async } from './binary.js';
import { imageConfigParts } from './image.js';
import { sourceMapSources } from '../text/sourcemap.js';
import { countBytes } from './progress.js';
import type { Blob, Origin, Warning } from '../types.js';

export interface ArchiveLimits {
  /** Containers opened one inside another (release.zip!lib/app.jar is depth 2). */
  readonly maxDepth: number;
  /** Decompressed bytes per top-level archive, all members and nesting levels together. */
  readonly maxBytes: number;
  /** Entries per top-level archive, all nesting levels together. */
  readonly maxEntries: number;
  /** A member inflating more than this many times its compressed size (past RATIO_FLOOR) is a bomb. */
  readonly maxRatio: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxDepth: 8,
  maxBytes: 2 * 1024 ** 3,
  maxEntries: 100_000,
  maxRatio: 200,
};

/** The ratio guard applies once a member has inflated this far (small, very repetitive files are fine). */
const RATIO_FLOOR = 64 * 1024 * 1024;
/** Bytes read to tell a blob's kind (tar's magic sits at 257; image configs need their keys). */
const SNIFF_BYTES = 64 * 1024;
/** JSON blobs up to this size are parsed as source maps or image configs; larger ones are scanned as text. */
const JSON_LIMIT = 64 * 1024 * 1024;
/** Zips on disk up to this size are read whole; larger ones with random access. */
const ZIP_READ_WHOLE = 64 * 1024 * 1024;
/** Zip entries up to this compressed size are inflated in one call when the zip is in memory. */
const SMALL_ENTRY = 1024 * 1024;
/** A zip nested in a stream must be held in memory for random access; larger ones are skipped. */
const NESTED_ZIP_LIMIT = 1024 * 1024 * 1024;

/** Stops this member (a warning; the archive goes on). */
class MemberError extends Error {}
/** Stops the whole top-level archive (a budget is spent; a warning). */
class LimitReached extends Error {}
/** A member's budget is spent: stops that member and what it holds, and its siblings go on. */
class BudgetSpent extends LimitReached {
  constructor(
    readonly budget: Budget,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Decompressed bytes a blob and everything inside it may produce: the top-level file gets
 * --max-archive-bytes, each member maxRatio times its stored size (at least RATIO_FLOOR), within
 * its parent's. A nested bomb then spends its own budget, not its siblings'.
 */
interface Budget {
  readonly limit: number;
  used: number;
  readonly parent?: Budget;
}

/**
 * One top-level file (or stream) and everything inside it, read as blobs: `read()` yields each text
 * blob (the file itself when it is only compressed, else each member, with its chain) for the
 * caller to scan before it asks for the next one. Warnings and bytes are complete once it ends.
 */
export class ArchiveReader {
  readonly warnings: Warning[] = [];
  /** Text bytes handed out (decompressed, decoded). */
  bytes = 0;
  private entries = 0;
  /** The budget of each blob being read, by chain (members are read one at a time). */
  private readonly budgets = new Map<string, Budget>();

  constructor(
    private readonly limits: ArchiveLimits,
    private readonly rootOrigin: Origin,
  ) {}

  /** `incomplete`: part of the blob was not read (the default; a name that tries traversal is only a note). */
  warn(chain: readonly string[], message: string, incomplete = true): void {
    this.warnings.push({ subject: chain.join('!'), message, ...(incomplete && { incomplete }) });
  }

  /** The blob at `chain`: the top-level file itself when the chain has one name, else a member. */
  private originOf(chain: readonly string[]): Origin {
    if (chain.length === 1) return this.rootOrigin;
    // A member of a git blob keeps its commit: the path becomes the chain (release.zip!config.env).
    if (this.rootOrigin.kind === 'git') return { ...this.rootOrigin, path: chain.join('!') };
    return { kind: 'archive', chain: [...chain] };
  }

  /** Counts decompressed bytes against the per-archive budget and the member's ratio guard. */
  account(chain: readonly string[], out: number, inSoFar: number, outSoFar: number): void {
    if (outSoFar > RATIO_FLOOR && outSoFar > inSoFar * this.limits.maxRatio)
      throw new MemberError(
        `compression ratio over ${this.limits.maxRatio}:1 (a decompression bomb?); ` +
          `member skipped after ${outSoFar} bytes`,
      );
    let b = this.budgetOf(chain);
    for (; b; b = b.parent) {
      b.used += out;
      if (b.used <= b.limit) continue;
      const message = b.parent
        ? `what this member holds decompresses past ${b.limit} bytes, ${this.limits.maxRatio} times its size ` +
          `(a nested decompression bomb?); rest of it skipped after ${chain.join('!')}`
        : `decompressed size passed --max-archive-bytes (${b.limit} bytes) in ${chain.join('!')}; ` +
          'rest of the archive skipped';
      throw new BudgetSpent(b, message);
    }
  }

  /** The budget of the innermost blob of `chain` being read. */
  private budgetOf(chain: readonly string[]): Budget | undefined {
    for (let n = chain.length; n > 0; n--) {
      const b = this.budgets.get(chain.slice(0, n).join('\0'));
      if (b) return b;
    }
    return undefined;
  }

  countEntry(chain: readonly string[]): void {
    if (++this.entries > this.limits.maxEntries)
      throw new LimitReached(
        `more than ${this.limits.maxEntries} entries in ${chain.join('!')}; rest of the archive skipped`,
      );
  }

  /** A blob of unknown kind: opened if it is a container, else yielded as text. */
  async *scanStream(
    chain: readonly string[],
    input: AsyncIterable<Buffer>,
    depth: number,
    name = chain[chain.length - 1]!,
  ): AsyncGenerator<Blob> {
    const { head, whole, rest } = await peek(input, SNIFF_BYTES);
    // A zip header past the start may be a zip with bytes in front: its end says (see below).
    const kind = sniffContainer(head, name, whole) ?? (!whole && head.indexOf(LOCAL_HEADER) > 0 ? 'zip' : undefined);
    const inner = name.replace(/\.(?:gz|tgz|zst|zstd|xz|txz|bz2|tbz2?)$/i, (ext) =>
      /^\.t[gxb]/i.test(ext) ? '.tar' : '',
    );
    switch (kind) {
      case 'gzip':
        return yield* this.scanStream(chain, this.decompress(chain, rest, zlibLib().createGunzip()), depth, inner);
      case 'zstd':
        return yield* this.scanStream(chain, this.decompress(chain, rest, zstdStream()), depth, inner);
      case 'xz':
        return yield* this.scanStream(chain, this.decompress(chain, rest, xzStream()), depth, inner);
      case 'bzip2':
        return yield* this.scanStream(chain, this.decompress(chain, rest, bzip2Stream()), depth, inner);
      case 'zip':
      case 'tar': {
        if (depth >= this.limits.maxDepth) {
          this.warn(chain, `nested deeper than --max-archive-depth (${this.limits.maxDepth}); not opened`);
          return drain(rest);
        }
        if (kind === 'tar') return yield* this.scanTar(chain, rest, depth + 1);
        const buf = await collect(rest, NESTED_ZIP_LIMIT);
        if (!buf) {
          this.warn(chain, `nested zip larger than ${NESTED_ZIP_LIMIT} bytes; not opened`);
          return;
        }
        const offset = zipOffset(buf);
        if (offset === undefined && !sniffContainer(head, name, whole))
          return yield* this.scanText(chain, head, once(buf), name);
        const data = buf.subarray(offset ?? 0);
        let zip: yauzl.ZipFile;
        try {
          zip = await openZipBuffer(data);
        } catch (err) {
          this.warn(chain, `corrupt or truncated zip (${errorMessage(err)}); skipped`);
          return;
        }
        return yield* this.scanZip(chain, zip, depth + 1, data);
      }
      case 'json':
        return yield* this.scanJson(chain, head, whole, rest);
      default:
        return yield* this.scanText(chain, head, rest, name);
    }
  }

  /** `name`: the blob's own path (an archive member's, without a compression suffix), for path rules. */
  private async *scanText(
    chain: readonly string[],
    head: Buffer,
    rest: AsyncIterable<Buffer>,
    name = chain[chain.length - 1]!,
  ): AsyncGenerator<Blob> {
    const utf16 = utf16Of(head);
    if (!utf16 && looksBinary(head)) return drain(rest);
    // A damaged stream ends the blob for its reader (scanned up to the damage); the error is thrown
    // here, once the reader asks for the next blob, so it becomes this member's warning.
    const failed: { error?: unknown } = {};
    const chunks = this.counted(utf16 ? utf16ToUtf8Async(rest, utf16) : rest, failed);
    try {
      yield { origin: this.originOf(chain), path: name, chunks };
    } finally {
      await drain(chunks); // the caller stopped early: the member's stream must still end
    }
    if ('error' in failed) throw failed.error;
  }

  private async *counted(input: AsyncIterable<Buffer>, failed: { error?: unknown }): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of input) {
        this.bytes += chunk.length;
        countBytes(chunk.length);
        yield chunk;
      }
    } catch (err) {
      failed.error = err;
    }
  }

  /** Source maps are scanned as the sources they embed; image configs as their ENV, labels and history. */
  private async *scanJson(
    chain: readonly string[],
    head: Buffer,
    whole: boolean,
    rest: AsyncIterable<Buffer>,
  ): AsyncGenerator<Blob> {
    let buf = head;
    if (!whole) {
      const it = rest[Symbol.asyncIterator]();
      const parts: Buffer[] = [];
      let len = 0;
      for (let r = await it.next(); !r.done; r = await it.next()) {
        parts.push(r.value);
        len += r.value.length;
        if (len > JSON_LIMIT) {
          // Too large to parse: scan it as text, from the start.
          const tail = (async function* () {
            yield* parts;
            for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
          })();
          return yield* this.scanText(chain, head, tail);
        }
      }
      buf = Buffer.concat(parts);
    }
    let json: unknown;
    try {
      json = JSON.parse(buf.toString('utf8'));
    } catch {
      json = undefined;
    }
    const parts = sourceMapSources(json) ?? imageConfigParts(json);
    if (!parts) return yield* this.scanText(chain, head, once(buf));
    for (const p of parts) {
      const data = Buffer.from(p.text, 'utf8');
      this.bytes += data.length;
      countBytes(data.length);
      yield { origin: this.originOf([...chain, p.name]), path: p.name, bytes: data };
    }
  }

  /** Inflate through a zlib-style transform, counting bytes against the budget. */
  private async *decompress(
    chain: readonly string[],
    input: AsyncIterable<Buffer>,
    transform: Duplex,
  ): AsyncGenerator<Buffer> {
    let inBytes = 0;
    const counted = (async function* () {
      for await (const c of input) {
        inBytes += c.length;
        yield c;
      }
    })();
    const out = pipeline(Readable.from(counted), transform, () => undefined);
    let outBytes = 0;
    try {
      for await (const chunk of out as AsyncIterable<Buffer>) {
        outBytes += chunk.length;
        this.account(chain, chunk.length, inBytes, outBytes);
        yield chunk;
      }
    } catch (err) {
      if (err instanceof MemberError || err instanceof LimitReached) throw err;
      throw new MemberError(`corrupt or truncated compressed data (${errorMessage(err)}); scanned up to the damage`);
    } finally {
      transform.destroy();
    }
  }

  /**
   * Small entries of an in-memory zip are inflated in one synchronous call: a zlib stream per
   * entry costs thread-pool round trips that made a jar of 20,000 classes take 25 s.
   */
  private async readSmallEntry(
    chain: readonly string[],
    zip: yauzl.ZipFile,
    data: Buffer,
    entry: yauzl.Entry,
  ): Promise<Buffer> {
    const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
    const raw = data.subarray(fileDataStart, fileDataStart + entry.compressedSize);
    if (raw.length !== entry.compressedSize)
      throw new MemberError('entry data runs past the end of the zip (truncated); skipped');
    let out: Buffer;
    try {
      out =
        entry.compressionMethod === 0
          ? raw
          : zlibLib().inflateRawSync(raw, { maxOutputLength: Math.max(entry.uncompressedSize, 1) });
    } catch (err) {
      throw new MemberError(`corrupt entry, or it inflates past its declared size (${errorMessage(err)}); skipped`);
    }
    if (out.length !== entry.uncompressedSize)
      throw new MemberError(
        `entry inflates to ${out.length} bytes, not the ${entry.uncompressedSize} it declares; skipped`,
      );
    this.account(chain, out.length, entry.compressedSize, out.length);
    return out;
  }

  async *scanZip(chain: readonly string[], zip: yauzl.ZipFile, depth: number, data?: Buffer): AsyncGenerator<Blob> {
    let late: Error | undefined;
    zip.on('error', (err: Error) => (late = err));
    try {
      for (;;) {
        const entry = await nextEntry(zip);
        if (!entry) break;
        const name = zipLib().getFileNameLowLevel(
          entry.generalPurposeBitFlag,
          entry.fileNameRaw as unknown as Buffer,
          entry.extraFields,
          false,
        );
        if (name.endsWith('/')) continue;
        this.countEntry(chain);
        const member = [...chain, name];
        if (zipLib().validateFileName(name))
          this.warn(
            member,
            'entry name tries path traversal or is absolute; scanned in memory only, never extracted',
            false,
          );
        if (entry.isEncrypted()) {
          this.warn(member, 'encrypted entry; skipped');
          continue;
        }
        if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
          this.warn(member, `unsupported zip compression method ${entry.compressionMethod}; skipped`);
          continue;
        }
        const self = this;
        yield* this.member(
          member,
          entry.compressedSize,
          (async function* () {
            if (data && entry.compressedSize <= SMALL_ENTRY && entry.uncompressedSize <= SMALL_ENTRY * 4) {
              const inflated = await self.readSmallEntry(member, zip, data, entry);
              return yield* self.scanStream(member, once(inflated), depth);
            }
            const stream = await new Promise<Readable>((res, rej) =>
              zip.openReadStream(entry, (err, s) => (err ? rej(err) : res(s!))),
            );
            try {
              yield* self.scanStream(member, self.countZipEntry(member, stream, entry.compressedSize), depth);
            } finally {
              stream.destroy();
            }
          })(),
        );
      }
    } catch (err) {
      if (err instanceof LimitReached) throw err;
      this.warn(chain, `corrupt or truncated zip (${errorMessage(err)}); scanned up to the damage`);
    } finally {
      zip.close();
    }
    if (late) this.warn(chain, `zip error (${errorMessage(late)})`);
  }

  private async *countZipEntry(
    chain: readonly string[],
    stream: Readable,
    compressed: number,
  ): AsyncGenerator<Buffer> {
    let out = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      out += chunk.length;
      this.account(chain, chunk.length, compressed, out);
      yield chunk;
    }
  }

  async *scanTar(chain: readonly string[], input: AsyncIterable<Buffer>, depth: number): AsyncGenerator<Blob> {
    const extract = tarLib().extract();
    // The feed's own error (a truncated gzip under the tar, a budget spent) is the one to report.
    const fed = pipelineAsync(Readable.from(input), extract as unknown as NodeJS.WritableStream).then(
      () => undefined,
      (err: unknown) => err,
    );
    try {
      for await (const entry of extract) {
        const h = entry.header;
        const name = h.name.replace(/^\.\//, '');
        // GNU tar extracts a member of a type it does not know (null here) as a regular file.
        if (h.type !== 'file' && h.type !== 'contiguous-file' && h.type !== null) {
          entry.resume();
          continue;
        }
        this.countEntry(chain);
        const member = [...chain, name];
        if (zipLib().validateFileName(name))
          this.warn(
            member,
            'entry name tries path traversal or is absolute; scanned in memory only, never extracted',
            false,
          );
        const self = this;
        yield* this.member(
          member,
          h.size ?? 0,
          (async function* () {
            try {
              yield* self.scanStream(member, entry as AsyncIterable<Buffer>, depth);
            } finally {
              await drain(entry as AsyncIterable<Buffer>);
            }
          })(),
        );
      }
      const err = await fed;
      if (err) throw err;
    } catch (err) {
      if (err instanceof LimitReached) throw err;
      const why =
        err instanceof MemberError
          ? err.message
          : `corrupt or truncated tar (${errorMessage(err)}); scanned up to the damage`;
      this.warn(chain, why);
    } finally {
      extract.destroy();
    }
  }

  /**
   * One member's blobs (`stored`: its size in its container), read within its own budget; its own
   * problems become warnings, an ancestor's spent budget or the entries limit stops it and goes up.
   */
  private async *member(chain: readonly string[], stored: number, blobs: AsyncGenerator<Blob>): AsyncGenerator<Blob> {
    const key = chain.join('\0');
    const budget: Budget = {
      limit: Math.max(RATIO_FLOOR, stored * this.limits.maxRatio),
      used: 0,
      parent: this.budgetOf(chain),
    };
    this.budgets.set(key, budget);
    try {
      yield* blobs;
    } catch (err) {
      if (err instanceof BudgetSpent && err.budget === budget) return this.warn(chain, err.message);
      if (err instanceof LimitReached) throw err;
      this.warn(chain, err instanceof MemberError ? err.message : `cannot read (${errorMessage(err)}); skipped`);
    } finally {
      this.budgets.delete(key);
    }
  }

  /** Entry point: the top-level file or stream. A large zip on disk is read with random access, never whole. */
  async *read(path: string | AsyncIterable<Buffer>, kind: ContainerKind, depth = 0): AsyncGenerator<Blob> {
    const chain = [this.rootLabel()];
    this.budgets.set(chain.join('\0'), { limit: this.limits.maxBytes, used: 0 });
    try {
      if (typeof path !== 'string') {
        yield* this.member(chain, Number.POSITIVE_INFINITY, this.scanStream(chain, path, depth));
      } else if (kind === 'zip') {
        let zip: yauzl.ZipFile;
        let whole: Buffer | undefined;
        try {
          // Small zips are read whole: yauzl's random access costs a thread-pool read per entry header.
          // node:fs/promises loads here: ~1.5 ms CPU of each pre-commit hook, which reads no zip.
          const { readFile, stat } = await import('node:fs/promises');
          const size = (await stat(path)).size;
          whole = size <= ZIP_READ_WHOLE ? await readFile(path) : undefined;
          if (whole) whole = whole.subarray(zipOffset(whole) ?? 0);
          zip = await (whole ? openZipBuffer(whole) : openZipFile(path));
        } catch (err) {
          this.warn(chain, `corrupt or truncated zip (${errorMessage(err)}); skipped`);
          return;
        }
        if (depth >= this.limits.maxDepth) {
          zip.close();
          this.warn(chain, `nested deeper than --max-archive-depth (${this.limits.maxDepth}); not opened`);
          return;
        }
        yield* this.scanZip(chain, zip, depth + 1, whole);
      } else {
        yield* this.member(
          chain,
          Number.POSITIVE_INFINITY,
          this.scanStream(chain, createReadStream(path, { highWaterMark: 1024 * 1024 }), depth),
        );
      }
    } catch (err) {
      if (!(err instanceof LimitReached)) throw err;
      this.warn(chain, err.message);
    }
  }

  private rootLabel(): string {
    const o = this.rootOrigin;
    return o.kind === 'file' || o.kind === 'git' ? o.path : o.kind === 'archive' ? o.chain.join('!') : '(stdin)';
  }
}

export { sniffContainer, zipAtEnd, zipOffset, type ContainerKind } from './archive-formats.js';
