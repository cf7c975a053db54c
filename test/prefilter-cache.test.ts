import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
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
    const files = readdirSync(dir).filter((f) => f.startsWith('prefilter-'));
    expect(files).toHaveLength(1);
    const second = new Detector(rules, {}, prefilterCache);
    expect(tables(first)).toEqual(tables(built));
    expect(tables(second)).toEqual(tables(built));
    expect(scanBuffer(second, text)).toEqual(scanBuffer(built, text));
    expect(scanBuffer(second, text).length).toBeGreaterThan(0);
  });

  it('is keyed by the keywords: another rule set gets its own automaton', () => {
    new Detector(rules, {}, prefilterCache);
    const fewer = new Detector(rules.slice(0, 20), {}, prefilterCache);
    expect(tables(fewer)).toEqual(tables(new Detector(rules.slice(0, 20))));
    expect(readdirSync(dir).filter((f) => f.startsWith('prefilter-'))).toHaveLength(2);
  });

  it('ignores a corrupt file and builds the automaton instead', () => {
    new Detector(rules, {}, prefilterCache);
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
      new Detector(rules, {}, prefilterCache);
      expect(readdirSync(dir).filter((n) => n.startsWith('prefilter-'))).toHaveLength(CACHE_KEEP);
    },
  );
});
