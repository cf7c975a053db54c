// What each archive format needs before ArchiveReader (archive.ts) walks it: the kind of a blob from
// its magic bytes, where a zip starts (bytes in front of it: a Spring Boot jar), opening a zip in memory
// or on disk, zstd, xz and bzip2 streams, and the archive libraries, loaded on first use.

import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { Duplex, type Readable, Transform } from 'node:stream';
import { createRequire } from 'node:module';
import type yauzl from 'yauzl';
import type TarStream from 'tar-stream';
import type * as Fzstd from 'fzstd';
import type * as XzDecompress from 'xz-decompress';
import type * as Zlib from 'node:zlib';

// The archive libraries load on the first archive: a scan of plain files (and the pre-commit hook)
// never pays for them. All three ship CommonJS, so loading stays synchronous.
const requireLazy = createRequire(import.meta.url);
let zipModule: typeof yauzl | undefined;
let tarModule: typeof TarStream | undefined;
let zstdModule: typeof Fzstd | undefined;
export const zipLib = (): typeof yauzl => (zipModule ??= requireLazy('yauzl') as typeof yauzl);
export const tarLib = (): typeof TarStream => (tarModule ??= requireLazy('tar-stream') as typeof TarStream);
export const zstdLib = (): typeof Fzstd => (zstdModule ??= requireLazy('fzstd') as typeof Fzstd);
// xz: xz-embedded compiled to WebAssembly (no native build); bzip2: a streaming JavaScript decoder.
let xzModule: typeof XzDecompress | undefined;
const xzLib = (): typeof XzDecompress => (xzModule ??= requireLazy('xz-decompress') as typeof XzDecompress);
type Bunzip2 = () => NodeJS.ReadWriteStream;
let bzip2Module: Bunzip2 | undefined;
const bzip2Lib = (): Bunzip2 => (bzip2Module ??= requireLazy('unbzip2-stream') as Bunzip2);
/** node:zlib too: ~8 ms CPU of the pre-commit hook's start, which reads no archive unless one is staged. */
let zlibModule: typeof Zlib | undefined;
export const zlibLib = (): typeof Zlib => (zlibModule ??= requireLazy('node:zlib') as typeof Zlib);

export type ContainerKind = 'zip' | 'tar' | 'gzip' | 'zstd' | 'bzip2' | 'xz' | 'json';

/**
 * What a blob is, from its first bytes. `whole` says whether `head` is the entire blob (JSON kinds
 * are only recognised then, or by name).
 */
export function sniffContainer(head: Uint8Array, name: string, whole: boolean): ContainerKind | undefined {
  const b = head;
  if (
    b.length >= 4 &&
    b[0] === 0x50 &&
    b[1] === 0x4b &&
    ((b[2] === 3 && b[3] === 4) || (b[2] === 5 && b[3] === 6) || (b[2] === 7 && b[3] === 8))
  )
    return 'zip';
  if (b.length >= 3 && b[0] === 0x1f && b[1] === 0x8b && b[2] === 8) return 'gzip';
  if (b.length >= 4 && b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd) return 'zstd';
  if (b.length >= 6 && b[0] === 0xfd && b[1] === 0x37 && b[2] === 0x7a && b[3] === 0x58 && b[4] === 0x5a && b[5] === 0)
    return 'xz';
  if (b.length >= 10 && b[0] === 0x42 && b[1] === 0x5a && b[2] === 0x68 && b[3]! >= 0x31 && b[3]! <= 0x39) {
    const block = Buffer.from(b.subarray(4, 10)).toString('hex');
    if (block === '314159265359' || block === '177245385090') return 'bzip2';
  }
  if (b.length >= 262 && Buffer.from(b.subarray(257, 262)).toString('latin1') === 'ustar') return 'tar';
  if (isJsonBlob(b, name, whole)) return 'json';
  if (whole && zipOffset(Buffer.from(b.buffer, b.byteOffset, b.length)) !== undefined) return 'zip';
  return undefined;
}

const EOCD = Buffer.from([0x50, 0x4b, 5, 6]);
export const LOCAL_HEADER = Buffer.from([0x50, 0x4b, 3, 4]);
/** The end-of-central-directory record and the longest comment after it. */
const EOCD_SEARCH = 22 + 0xffff;

/**
 * Where the zip starts in a blob whose last bytes are `tail` (the whole blob when `size` is its
 * length), found from the end-of-central-directory record as `unzip` does, or undefined when there
 * is none. Non-zero for a zip with bytes in front: a Spring Boot executable jar (a launch script),
 * a self-extracting archive.
 */
export function zipOffset(tail: Buffer, size = tail.length): number | undefined {
  const from = Math.max(0, tail.length - EOCD_SEARCH);
  // memchr first: most text has no 0x06 byte, and the search below is slower.
  if (tail.indexOf(6, from) === -1) return undefined;
  const p = tail.subarray(from).lastIndexOf(EOCD);
  if (p === -1 || from + p + 22 > tail.length) return undefined;
  const at = from + p;
  const cdSize = tail.readUInt32LE(at + 12);
  const cdOffset = tail.readUInt32LE(at + 16);
  if (at + 22 + tail.readUInt16LE(at + 20) > tail.length) return undefined;
  if (cdOffset === 0xffffffff || cdSize === 0xffffffff) return 0; // zip64: offsets as written
  const cdStart = size - tail.length + at - cdSize;
  const offset = cdStart - cdOffset;
  if (cdStart < 0 || offset < 0) return undefined;
  const inTail = cdStart - (size - tail.length);
  if (cdSize > 0 && inTail >= 0 && tail.readUInt32LE(inTail) !== 0x02014b50) return undefined;
  return offset;
}

/** Where the zip starts in an open file of `size` bytes, from its last bytes (see zipOffset). */
export function zipAtEnd(fd: number, size: number): number | undefined {
  const tail = Buffer.allocUnsafe(Math.min(size, EOCD_SEARCH));
  const n = readSync(fd, tail, 0, tail.length, size - tail.length);
  return zipOffset(tail.subarray(0, n), size);
}

/** Source maps and image configs: a JSON object named like one, or whole and holding their keys. */
function isJsonBlob(head: Uint8Array, name: string, whole: boolean): boolean {
  let i = 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  if (head[i] !== 0x7b) return false; // {
  if (/\.map$/i.test(name)) return true;
  if (!whole) return /(?:^|\/)(?:blobs\/sha256\/[0-9a-f]{64}|[0-9a-f]{64}\.json)$/.test(name);
  const text = Buffer.from(head.buffer, head.byteOffset, head.length).toString('latin1');
  return text.includes('"sourcesContent"') || (text.includes('"rootfs"') && text.includes('"diff_ids"'));
}

export function openZipBuffer(buf: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((res, rej) => zipLib().fromBuffer(buf, ZIP_OPTIONS, (err, z) => (err ? rej(err) : res(z!))));
}

/** A zip on disk, read with random access from where it starts. */
export function openZipFile(path: string): Promise<yauzl.ZipFile> {
  const fd = openSync(path, 'r');
  let size: number;
  let offset: number;
  try {
    size = fstatSync(fd).size;
    offset = zipAtEnd(fd, size) ?? 0;
  } finally {
    closeSync(fd);
  }
  return new Promise((res, rej) => {
    const done = (err: Error | null, z?: yauzl.ZipFile) => (err ? rej(err) : res(z!));
    if (!offset) return zipLib().open(path, ZIP_OPTIONS, done);
    const reader = new (class extends zipLib().RandomAccessReader {
      override _readStreamForRange(start: number, end: number): Readable {
        return createReadStream(path, { start: offset + start, end: offset + end - 1 });
      }
    })();
    zipLib().fromRandomAccessReader(reader, size - offset, ZIP_OPTIONS, done);
  });
}

const ZIP_OPTIONS: yauzl.Options = {
  lazyEntries: true,
  decodeStrings: false,
  autoClose: false,
  validateEntrySizes: true,
};

export function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | undefined> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    const onEntry = (e: yauzl.Entry) => (cleanup(), resolve(e));
    const onEnd = () => (cleanup(), resolve(undefined));
    const onError = (err: Error) => (cleanup(), reject(err));
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

export function zstdStream(): Transform {
  const t: Transform = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      try {
        d.push(chunk);
        cb();
      } catch (err) {
        cb(err as Error);
      }
    },
    flush(cb) {
      try {
        d.push(new Uint8Array(0), true);
        cb();
      } catch (err) {
        cb(err as Error);
      }
    },
  });
  const d = new (zstdLib().Decompress)((data) => {
    t.push(Buffer.from(data));
  });
  return t;
}

/** An xz decompressor as a Node stream (the library works on web streams). */
export function xzStream(): Duplex {
  const feed = new TransformStream<Uint8Array, Uint8Array>();
  const readable = new (xzLib().XzReadableStream)(feed.readable);
  return Duplex.fromWeb({ writable: feed.writable, readable: readable as never });
}

/** A bzip2 decompressor as a Transform (the library is an old-style through stream). */
export function bzip2Stream(): Transform {
  const b = bzip2Lib()();
  const t: Transform = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      try {
        b.write(chunk);
        cb();
      } catch (err) {
        cb(err as Error);
      }
    },
    flush(cb) {
      b.once('end', () => cb());
      try {
        b.end();
      } catch (err) {
        cb(err as Error);
      }
    },
  });
  b.on('data', (data: Buffer) => t.push(data));
  b.on('error', (err: Error) => t.destroy(err));
  return t;
}
