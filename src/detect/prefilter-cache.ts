// The keyword automaton kept on disk between runs, beside the parsed-rules cache: building it was
// ~30 ms of every start (the pre-commit hook's budget is a few hundred). One file per automaton,
// named by a hash of its inputs (keywords and rule indices: never anything scanned) and of the
// detector's code, written atomically; a file that is missing, unreadable or malformed is ignored
// and the automaton is built as before.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { endianness } from 'node:os';
import { dirname, join } from 'node:path';
import { codeFile } from '../package/own-files.js';
import { cacheDir, pruneCache } from './rules.js';
import { readCacheFile } from './cache-file.js';
import type { AutomatonTables, PrefilterStore } from './prefilter.js';

const MAGIC = 0x4c525031; // "LRP1"
const HEADER = 16; // magic, bytes per state number, states, JSON length: four uint32

/** The modules whose code shapes a stored automaton: its builder, and the detector that forms its inputs. */
const PREFILTER_CODE = ['detect/prefilter', 'detect/detector'];

let codeId: string | undefined;
/** The prefilter's own code, by content (a rebuild that changes nothing keeps the cache). */
function prefilterCode(): string {
  if (codeId === undefined) {
    const hash = createHash('sha256');
    // In a bundle every module is one file: hash it once.
    for (const file of new Set(PREFILTER_CODE.map(codeFile))) hash.update(readFileSync(file));
    codeId = hash.digest('hex');
  }
  return codeId;
}

function fileFor(inputs: string): string {
  const key = createHash('sha256')
    .update(`prefilter v1\0${endianness()}\0${prefilterCode()}\0`)
    .update(inputs)
    .digest('hex');
  return join(cacheDir(), `prefilter-${key.slice(0, 32)}.bin`);
}

/** Layout: header, JSON of the sparse outputRules ([state, rules] pairs), outputLength, delta. */
function encode(t: AutomatonTables): Buffer {
  const outputs = JSON.stringify(t.outputRules.flatMap((rules, state) => (rules ? [[state, rules]] : [])));
  const header = Buffer.alloc(HEADER);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(t.delta.BYTES_PER_ELEMENT, 4);
  header.writeUInt32LE(t.outputLength.length, 8);
  header.writeUInt32LE(Buffer.byteLength(outputs), 12);
  const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  return Buffer.concat([header, Buffer.from(outputs), bytes(t.outputLength), bytes(t.delta)]);
}

function decode(buf: Buffer): AutomatonTables | undefined {
  if (buf.length < HEADER || buf.readUInt32LE(0) !== MAGIC) return undefined;
  const width = buf.readUInt32LE(4);
  const states = buf.readUInt32LE(8);
  const jsonLength = buf.readUInt32LE(12);
  if ((width !== 2 && width !== 4) || buf.length !== HEADER + jsonLength + states * 2 + states * 256 * width)
    return undefined;
  const pairs = JSON.parse(buf.toString('utf8', HEADER, HEADER + jsonLength)) as unknown;
  if (!Array.isArray(pairs)) return undefined;
  const outputRules: Array<readonly number[] | undefined> = new Array(states);
  for (const pair of pairs) {
    if (
      !Array.isArray(pair) ||
      !Number.isInteger(pair[0]) ||
      pair[0] < 0 ||
      pair[0] >= states ||
      !Array.isArray(pair[1])
    )
      return undefined;
    outputRules[pair[0]] = pair[1] as number[];
  }
  // Copied out, so the typed arrays are aligned whatever offset the file's bytes have.
  let at = HEADER + jsonLength;
  const outputLength = new Uint16Array(states);
  new Uint8Array(outputLength.buffer).set(buf.subarray(at, (at += states * 2)));
  const delta = width === 2 ? new Uint16Array(states * 256) : new Uint32Array(states * 256);
  new Uint8Array(delta.buffer).set(buf.subarray(at));
  return { delta, outputRules, outputLength };
}

/**
 * Whether the automaton wakes each keyword's rules, from the start and right after the keywords
 * before it (a failure path): one pass over all keywords, so a cached file that would blind rules
 * (`{"rules": []}`-style, or tables from another rule set) is rebuilt instead of used.
 */
function findsEveryKeyword(t: AutomatonTables, inputs: string): boolean {
  const states = t.outputLength.length;
  let state = 0;
  const step = (byte: number) => {
    const c = byte >= 65 && byte <= 90 ? byte + 32 : byte;
    state = t.delta[state * 256 + c]!;
    return state < states;
  };
  for (const line of inputs.split('\n')) {
    const [keyword = '', list = ''] = line.split('\0');
    const rules = list ? list.split(',').map(Number) : [];
    const wakes = () => rules.every((r) => t.outputRules[state]?.includes(r));
    const bytes = Buffer.from(keyword, 'latin1');
    // Right after the previous keywords (the state the last one left), then alone from the start.
    for (const b of bytes) if (!step(b)) return false;
    if (!wakes()) return false;
    state = 0;
    for (const b of bytes) if (!step(b)) return false;
    if (!wakes()) return false;
  }
  return true;
}

/** The on-disk PrefilterStore. */
export const prefilterCache: PrefilterStore = {
  load(inputs) {
    try {
      const bytes = readCacheFile(fileFor(inputs));
      const tables = bytes && decode(bytes);
      return tables && findsEveryKeyword(tables, inputs) ? tables : undefined;
    } catch {
      return undefined; // not cached yet, unreadable or malformed: build it
    }
  },
  save(inputs, tables) {
    try {
      const file = fileFor(inputs);
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, encode(tables), { mode: 0o644 }); // readCacheFile skips group-writable entries
      renameSync(tmp, file);
      pruneCache('prefilter-');
    } catch {
      // A read-only cache is fine: the automaton is built again next time.
    }
  },
};
