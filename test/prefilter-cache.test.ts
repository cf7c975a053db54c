import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { Detector, scanBuffer, type AutomatonTables } from '../src/detect/index.js';
import { prefilterCache } from '../src/detect/prefilter-cache.js';
import { CACHE_KEEP, defaultRulesDir, loadRulesFromDir, pruneCache } from '../src/detect/rules.js';
import { cleanupTempDirs, tempDir, token } from './helpers.js';

afterAll(cleanupTempDirs);

const rules = loadRulesFromDir(defaultRulesDir());
const text =
  `deploy:\n  token: "${token('{{github:ghp_}}', 'prefilter')}"\n  password = ` + `request.form.get("password")\n`;
/** The automaton's tables, as one hash (toEqual over half a million table entries takes seconds). */
function tables(d: Detector): string {
  const t = (d as unknown as { prefilter: { tables: AutomatonTables } }).prefilter.tables;
  const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  return createHash('sha256')
    .update(t.delta.constructor.name)
    .update(bytes(t.delta))
    .update(bytes(t.outputLength))
    .update(JSON.stringify([...t.outputRules]))
    .digest('hex');
}

describe('the keyword automaton kept between runs', () => {
  let dir: string;
  const saved = process.env.LEAKRADIUS_CACHE_DIR;
  beforeEach(() => {
    dir = tempDir('lr-prefilter-');
    process.env.LEAKRADIUS_CACHE_DIR = dir;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.LEAKRADIUS_CACHE_DIR;
    else process.env.LEAKRADIUS_CACHE_DIR = saved;
  });

  it('is written once, then read back as the same tables, and scans the same', () => {
    const built = new Detector(rules);
    const first = new Detector(rules, {}, prefilterCache);
    tables(first);
    const files = readdirSync(dir).filter((f) => f.startsWith('prefilter-'));
    expect(files).toHaveLength(1);
    const second = new Detector(rules, {}, prefilterCache);
    expect(tables(first)).toEqual(tables(built));
    expect(tables(second)).toEqual(tables(built));
    expect(scanBuffer(second, text)).toEqual(scanBuffer(built, text));
    expect(scanBuffer(second, text).length).toBeGreaterThan(0);
  });

  it('is keyed by the keywords: another rule set gets its own automaton', () => {
    tables(new Detector(rules, {}, prefilterCache));
    const fewer = new Detector(rules.slice(0, 20), {}, prefilterCache);
    expect(tables(fewer)).toEqual(tables(new Detector(rules.slice(0, 20))));
    expect(readdirSync(dir).filter((f) => f.startsWith('prefilter-'))).toHaveLength(2);
  });

  it('ignores a corrupt file and builds the automaton instead', () => {
    tables(new Detector(rules, {}, prefilterCache));
    const [file] = readdirSync(dir).filter((f) => f.startsWith('prefilter-'));
    for (const junk of ['', 'not an automaton', Buffer.alloc(64, 7)]) {
      writeFileSync(join(dir, file!), junk);
      expect(tables(new Detector(rules, {}, prefilterCache))).toEqual(tables(new Detector(rules)));
    }
  });

  it('works without a writable cache', () => {
    process.env.LEAKRADIUS_CACHE_DIR = '/dev/null/nowhere';
    expect(tables(new Detector(rules, {}, prefilterCache))).toEqual(tables(new Detector(rules)));
  });
});

describe('before the automaton is needed', () => {
  const saved = process.env.LEAKRADIUS_CACHE_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.LEAKRADIUS_CACHE_DIR;
    else process.env.LEAKRADIUS_CACHE_DIR = saved;
  });
  type Windows = {
    windows(
      ...a: [
        Buffer,
        number,
        Int32Array,
        Int32Array,
        number[][],
        number[],
        { from: number; id: number; of: Int32Array }?,
      ]
    ): void;
  };
  const parts = (d: Detector) => d as unknown as { prefilter: Windows; before: Int32Array; after: Int32Array };
  /** The windows and the order rules were woken in, for each [from, end) of `buf` as findMatches' segments. */
  function windows(d: Detector, buf: Buffer, ranges: Array<[number, number]>) {
    const { prefilter, before, after } = parts(d);
    const lists: number[][] = rules.map(() => []);
    const touched: number[] = [];
    const of = new Int32Array(rules.length);
    ranges.forEach(([from, end], id) => prefilter.windows(buf, end, before, after, lists, touched, { from, id, of }));
    prefilter.windows(buf, buf.length, before, after, lists, touched); // and the whole buffer, not in segments
    return { lists: touched.map((r) => [r, lists[r]]), touched };
  }

  it("finds the automaton's windows, hit for hit, in text full of keywords, overlapping ones and any case", () => {
    const keywords = [...new Set(rules.flatMap((r) => r.keywords))];
    let seed = 7;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 20; round++) {
      let s = '';
      while (s.length < 3000) {
        const k = keywords[next(keywords.length)]!;
        const cased = [...k].map((c) => (next(2) ? c.toUpperCase() : c)).join('');
        s += ['', '_', ' ', '\n', 'x', '=', '"'][next(7)]! + (next(3) ? cased : cased.slice(next(cased.length)));
      }
      const buf = Buffer.from(s, 'latin1');
      const cuts = [0, next(1000), 1000 + next(1000), 2000 + next(900), buf.length];
      const ranges = cuts.slice(1).map((end, i): [number, number] => [cuts[i]!, end]);
      const direct = new Detector(rules);
      const automaton = new Detector(rules);
      tables(automaton); // built now: its windows are the automaton's
      const found = windows(direct, buf, ranges);
      expect(found.touched.length).toBeGreaterThan(10);
      expect(found).toEqual(windows(automaton, buf, ranges));
    }
  });

  it('a scan of a few KB (the hook) reads no stored automaton; a larger one loads it; same findings', () => {
    const dir = tempDir('lr-prefilter-lazy-');
    process.env.LEAKRADIUS_CACHE_DIR = dir;
    tables(new Detector(rules, {}, prefilterCache)); // stored
    const [file] = readdirSync(dir).filter((f) => f.startsWith('prefilter-'));
    // A stored automaton that wakes nothing: used, it would hide every finding.
    const blind = new Detector(rules, {}, { load: blank, save: () => {} });
    expect(scanBuffer(blind, text)).toEqual(scanBuffer(new Detector(rules), text));
    expect(scanBuffer(blind, text).length).toBeGreaterThan(0);
    writeFileSync(join(dir, file!), 'not an automaton'); // a small scan does not even look
    const small = new Detector(rules, {}, prefilterCache);
    expect(scanBuffer(small, text)).toEqual(scanBuffer(new Detector(rules), text));
    expect(readFileSync(join(dir, file!), 'utf8')).toBe('not an automaton');
    const large = text + 'x'.repeat(40 * 1024) + text;
    expect(scanBuffer(small, large)).toEqual(scanBuffer(new Detector(rules), large));
    expect(readFileSync(join(dir, file!)).length).toBeGreaterThan(1024 * 1024); // rebuilt and stored
  });
});

/** An automaton of one state that wakes no rule. */
function blank(): AutomatonTables {
  return { delta: new Uint16Array(256), outputRules: [undefined], outputLength: new Uint16Array(1) };
}

describe('the cache directory stays bounded', () => {
  const saved = process.env.LEAKRADIUS_CACHE_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.LEAKRADIUS_CACHE_DIR;
    else process.env.LEAKRADIUS_CACHE_DIR = saved;
  });

  it('keeps the newest entries of a kind when a new one is written, and leaves other kinds alone', () => {
    const dir = tempDir('lr-cache-prune-');
    process.env.LEAKRADIUS_CACHE_DIR = dir;
    const now = Date.now() / 1000;
    for (let i = 0; i < 24; i++) {
      const f = join(dir, `rules-${String(i).padStart(2, '0')}.json`);
      writeFileSync(f, '{}');
      utimesSync(f, now - 1000 + i, now - 1000 + i); // rules-23 is the newest
    }
    writeFileSync(join(dir, 'verified-abc'), 'x');
    writeFileSync(join(dir, 'prefilter-abc.bin'), 'x');
    pruneCache('rules-');
    const left = readdirSync(dir).sort();
    expect(left.filter((n) => n.startsWith('rules-'))).toEqual(
      Array.from({ length: CACHE_KEEP }, (_, i) => `rules-${String(24 - CACHE_KEEP + i).padStart(2, '0')}.json`),
    );
    expect(left).toContain('verified-abc');
    expect(left).toContain('prefilter-abc.bin');
  });

  it(
    'prunes on a real cache miss: building an automaton that is ' + 'not cached yet writes it and drops the oldest',
    () => {
      const dir = tempDir('lr-cache-real-');
      process.env.LEAKRADIUS_CACHE_DIR = dir;
      for (let i = 0; i < CACHE_KEEP + 4; i++) writeFileSync(join(dir, `prefilter-old${i}.bin`), 'x');
      for (const f of readdirSync(dir)) utimesSync(join(dir, f), 1, 1);
      tables(new Detector(rules, {}, prefilterCache));
      expect(readdirSync(dir).filter((n) => n.startsWith('prefilter-'))).toHaveLength(CACHE_KEEP);
    },
  );
});
