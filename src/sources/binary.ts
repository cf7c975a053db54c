// What kind of bytes a blob holds before it is scanned: UTF-16 text (decoded to UTF-8), binary
// (counted and named, not scanned), or text. Shared by every source: files, stdin, archive members
// and git blobs judge their content the same way.

/** Bytes looked at to judge a blob (git's probe size). */
export const BINARY_PROBE = 8000;

/** Control bytes that text does not hold (tab, newline, CR, form feed, vertical tab and ESC excepted). */
const CONTROL = new Uint8Array(256);
for (let b = 0; b < 0x20; b++)
  CONTROL[b] = b === 9 || b === 10 || b === 11 || b === 12 || b === 13 || b === 27 ? 0 : 1;

/**
 * Binary: a NUL in the first 8000 bytes (git's rule, by memchr: a byte loop over every blob of a
 * history cost ~2 s) AND more than 1 in 20 of those bytes control bytes. Compressed or machine
 * code has ~1 in 10; a text file with a stray NUL (a token after a NUL on line 1) has almost none,
 * and is scanned.
 */
export function looksBinary(head: Uint8Array): boolean {
  const probe = Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, BINARY_PROBE));
  if (probe.indexOf(0) === -1) return false;
  let control = 0;
  for (let i = 0; i < probe.length; i++) control += CONTROL[probe[i]!]!;
  return control * 20 > probe.length;
}

export type TextEncoding = 'utf16le' | 'utf16be';

/**
 * UTF-16 by its byte-order mark, or by the evident pattern of mostly-ASCII UTF-16 (a NUL in every
 * other byte; what Windows PowerShell 5 writes with `>` has a BOM, other tools may not).
 */
export function utf16Of(head: Uint8Array): TextEncoding | undefined {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf16be';
  const pairs = Math.min(head.length, BINARY_PROBE) >> 1;
  // No NUL at all (memchr), as for nearly every blob: not UTF-16 without a BOM.
  if (pairs < 4 || Buffer.from(head.buffer, head.byteOffset, pairs * 2).indexOf(0) === -1) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs; i++) {
    if (head[2 * i] === 0) evenNul++;
    if (head[2 * i + 1] === 0) oddNul++;
  }
  if (oddNul * 10 >= pairs * 9 && evenNul * 10 <= pairs) return 'utf16le';
  if (evenNul * 10 >= pairs * 9 && oddNul * 10 <= pairs) return 'utf16be';
  return undefined;
}

/** UTF-16 chunks as UTF-8, in order (a character split between chunks is carried over); the BOM dropped. */
export function* utf16ToUtf8(chunks: Iterable<Uint8Array>, encoding: TextEncoding): Generator<Buffer> {
  const decoder = new TextDecoder(encoding === 'utf16le' ? 'utf-16le' : 'utf-16be');
  for (const c of chunks) {
    const text = decoder.decode(c, { stream: true });
    if (text) yield Buffer.from(text, 'utf8');
  }
  const rest = decoder.decode();
  if (rest) yield Buffer.from(rest, 'utf8');
}

/** The async form of utf16ToUtf8, for streams (stdin, archive members). */
export async function* utf16ToUtf8Async(
  chunks: AsyncIterable<Uint8Array>,
  encoding: TextEncoding,
): AsyncGenerator<Buffer> {
  const decoder = new TextDecoder(encoding === 'utf16le' ? 'utf-16le' : 'utf-16be');
  for await (const c of chunks) {
    const text = decoder.decode(c, { stream: true });
    if (text) yield Buffer.from(text, 'utf8');
  }
  const rest = decoder.decode();
  if (rest) yield Buffer.from(rest, 'utf8');
}

/** A whole UTF-16 buffer as UTF-8 (git blobs, archive members held whole). */
export function utf16Decode(data: Uint8Array, encoding: TextEncoding): Buffer {
  return Buffer.concat([...utf16ToUtf8([data], encoding)]);
}
