// The keyword automaton kept on disk between runs, beside the parsed-rules cache: building it was
// ~30 ms of every start (the pre-commit hook's budget is a few hundred). One file per automaton,
// named by a hash of its inputs (keywords and rule indices: never anything scanned) and of the
// detector's code, written atomically; a file that is missing, unreadable or malformed is ignored
// and the automaton is built as before.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { dirname, join } from 'node:path';
import { codeFile } from '../package/own-files.js';
import { sha256Hex } from '../secret/digest.js';
import { cacheDir, pruneCache } from './rules.js';
import { readCacheFile } from './cache-file.js';
import type { AutomatonTables, PrefilterStore } from './prefilter.js';

const MAGIC = 0x4c525032; // "LRP2"
const HEADER = 16; // magic, bytes per state number, states, JSON length: four uint32

/** The modules whose code shapes a stored automaton: its builder, and the detector that forms its inputs. */
const PREFILTER_CODE = ['detect/prefilter', 'detect/detector'];

let codeId: string | undefined;
/** The prefilter's own code, by content (a rebuild that changes nothing keeps the cache). */
function prefilterCode(): string {
  if (codeId === undefined) {
    // In a bundle every module is one file: hash it once.
    codeId = sha256Hex(...[...new Set(PREFILTER_CODE.map(codeFile))].map((file) => readFileSync(file)));
  }
  return codeId;
}

function fileFor(inputs: string): string {
  const key = sha256Hex(`prefilter v2\0${endianness()}\0${prefilterCode()}\0`, inputs);
  return join(cacheDir(), `prefilter-${key.slice(0, 32)}.bin`);
}

/** Bytes before the delta table: header and outputLength, padded so the table can be a view of the file. */
const deltaAt = (states: number) => HEADER + Math.ceil((states * 2) / 4) * 4;

/**
 * Layout: header, outputLength, padding to a multiple of 4, delta, then JSON of the sparse
 * outputRules ([state, rules] pairs). The tables come first and aligned, so reading them back is
 * a view of the file's bytes, not a copy of its 3 MB.
 */
function encode(t: AutomatonTables): Buffer {
  const outputs = JSON.stringify(t.outputRules.flatMap((rules, state) => (rules ? [[state, rules]] : [])));
  const states = t.outputLength.length;
  const header = Buffer.alloc(deltaAt(states));
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(t.delta.BYTES_PER_ELEMENT, 4);
  header.writeUInt32LE(states, 8);
  header.writeUInt32LE(Buffer.byteLength(outputs), 12);
  const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  bytes(t.outputLength).copy(header, HEADER);
  return Buffer.concat([header, bytes(t.delta), Buffer.from(outputs)]);
}

function decode(buf: Buffer): AutomatonTables | undefined {
  if (buf.length < HEADER || buf.readUInt32LE(0) !== MAGIC) return undefined;
  const width = buf.readUInt32LE(4);
  const states = buf.readUInt32LE(8);
  const jsonLength = buf.readUInt32LE(12);
  const jsonAt = deltaAt(states) + states * 256 * width;
  if ((width !== 2 && width !== 4) || buf.length !== jsonAt + jsonLength) return undefined;
  const pairs = JSON.parse(buf.toString('utf8', jsonAt)) as unknown;
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
  // Views of the file's bytes where they are aligned (a file read whole is), else copies.
  const aligned = buf.byteOffset % 4 === 0 ? buf : Buffer.from(buf);
  const view = <T>(Type: new (b: ArrayBufferLike, at: number, n: number) => T, at: number, n: number) =>
    new Type(aligned.buffer, aligned.byteOffset + at, n);
  const outputLength = view(Uint16Array, HEADER, states);
  const delta =
    width === 2 ? view(Uint16Array, deltaAt(states), states * 256) : view(Uint32Array, deltaAt(states), states * 256);
  return { delta, outputRules, outputLength };
}

/**
 * Whether the automaton wakes each keyword's rules, from the start and right after the keywords
 * before it (a failure path): one pass over all keywords, so a cached file that would blind rules
 * (`{"rules": []}`-style, or tables from another rule set) is rebuilt instead of used. Plain
 * indexed loops: this runs once per start, in V8's interpreter, where the closures and byte
 * iterators it had took ~8 ms of the pre-commit hook.
 */
function findsEveryKeyword(t: AutomatonTables, inputs: string): boolean {
  const states = t.outputLength.length;
  const { delta, outputRules } = t;
  const rules: number[] = [];
  let state = 0;
  for (let at = 0; at <= inputs.length; ) {
    let eol = inputs.indexOf('\n', at);
    if (eol === -1) eol = inputs.length;
    let nul = inputs.indexOf('\0', at);
    if (nul === -1 || nul > eol) nul = eol;
    rules.length = 0;
    for (let r = nul + 1; r < eol; ) {
      let comma = inputs.indexOf(',', r);
      if (comma === -1 || comma > eol) comma = eol;
      rules.push(Number(inputs.slice(r, comma)));
      r = comma + 1;
    }
    // Right after the previous keywords (the state the last one left), then alone from the start.
    for (let pass = 0; pass < 2; pass++) {
      if (pass === 1) state = 0;
      for (let i = at; i < nul; i++) {
        const byte = inputs.charCodeAt(i) & 0xff; // latin1, as the automaton was built
        state = delta[state * 256 + (byte >= 65 && byte <= 90 ? byte + 32 : byte)]!;
        if (!(state < states)) return false;
      }
      const woken = outputRules[state];
      for (let k = 0; k < rules.length; k++) if (!woken?.includes(rules[k]!)) return false;
    }
    at = eol + 1;
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
