import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addedLines } from '../src/sources/line-diff.js';

/** A seeded generator: the same files on every run. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 8;
  return { int: (n: number) => next() % n, chance: (p: number) => next() % 1000 < p * 1000 };
}
type Random = ReturnType<typeof generator>;

/** The reference: a line of `next` is added for each copy it has beyond `prev`'s copies. */
function referenceAdded(prev: string, next: string): string[] {
  const lines = (text: string) => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));
  const left = new Map<string, number>();
  for (const line of lines(prev)) left.set(line, (left.get(line) ?? 0) + 1);
  const out: string[] = [];
  for (const line of lines(next)) {
    const n = left.get(line) ?? 0;
    if (n > 0) left.set(line, n - 1);
    else out.push(line);
  }
  return out;
}

/** The added lines addedLines reports, as text, with their byte offsets. */
function added(prev: string, next: string): { lines: string[]; starts: number[] } {
  const buf = Buffer.from(next);
  const spans = addedLines(Buffer.from(prev), buf);
  const lines: string[] = [];
  const starts: number[] = [];
  for (let k = 0; k < spans.length; k += 2) {
    lines.push(buf.toString('utf8', spans[k], spans[k + 1]));
    starts.push(spans[k]!);
  }
  expect(starts).toEqual([...starts].sort((a, b) => a - b));
  return { lines, starts };
}

const sorted = (lines: string[]) => [...lines].sort();

/** A file's lines: unique ones (like a lockfile's names and hashes) mixed with many repeated ones. */
function someLines(random: Random, count: number, unique: () => string): string[] {
  const common = ['  },', '  "dev": true,', '', '}', '    "optional": true', 'x'.repeat(300)];
  return Array.from({ length: count }, () => (random.chance(0.6) ? unique() : common[random.int(common.length)]!));
}

/** One random edit of a list of lines: insert, delete, move or duplicate a block, or change a line. */
function edit(random: Random, lines: string[], fresh: () => string): string[] {
  const out = [...lines];
  const at = random.int(out.length + 1);
  const size = 1 + random.int(random.chance(0.2) ? 400 : 8);
  switch (random.int(5)) {
    case 0:
      out.splice(at, 0, ...Array.from({ length: size }, fresh));
      break;
    case 1:
      out.splice(at, size);
      break;
    case 2: {
      const block = out.splice(at, size);
      out.splice(random.int(out.length + 1), 0, ...block);
      break;
    }
    case 3:
      out.splice(random.int(out.length + 1), 0, ...out.slice(at, at + size));
      break;
    default:
      if (at < out.length) out[at] = fresh();
  }
  return out;
}

function asFile(random: Random, lines: string[], crlf: boolean): string {
  const eol = crlf ? '\r\n' : '\n';
  const text = lines.join(eol);
  return random.chance(0.2) || lines.length === 0 ? text : text + eol;
}

describe('added lines of a large changed middle (cut at common runs)', () => {
  it('are, as a multiset, the lines the new side has more copies of than the old one', () => {
    const random = generator(22);
    let id = 0;
    const unique = () => `    "pkg-${(id++).toString(36)}": "^${random.int(9)}.${random.int(30)}.${random.int(9)}",`;
    let largeMiddles = 0;
    for (let round = 0; round < 120; round++) {
      const crlf = random.chance(0.15);
      const base = someLines(random, 200 + random.int(3000), unique);
      let changed = base;
      // Edits near both ends keep the middle large, more in between cut it into several parts.
      changed = edit(random, changed, unique);
      for (let k = random.int(6); k > 0; k--) changed = edit(random, changed, unique);
      if (random.chance(0.5)) changed = [unique(), ...changed.slice(1, -1), unique()];
      const prev = asFile(random, base, crlf);
      const next = asFile(random, changed, crlf);
      if (prev.length > 40_000) largeMiddles++;
      expect(sorted(added(prev, next).lines), `round ${round}`).toEqual(sorted(referenceAdded(prev, next)));
      expect(sorted(added(next, prev).lines), `round ${round}, reversed`).toEqual(sorted(referenceAdded(next, prev)));
    }
    expect(largeMiddles).toBeGreaterThan(50);
  });

  it('count copies right in files of one repeated line or one repeated block', () => {
    const random = generator(5);
    const line = '      "dev": true,';
    const same = (n: number) => Array.from({ length: n }, () => line);
    const cases: [string[], string[]][] = [
      [same(20_000), same(20_003)],
      [same(20_000), ['first', ...same(19_990), 'last']],
      [
        ['first', ...same(19_990), 'last'],
        ['FIRST', ...same(19_000), 'other', ...same(991), 'LAST'],
      ],
    ];
    const block = Array.from({ length: 40 }, (_, i) => `  "line ${i % 7}": ${i},`);
    const blocks = (n: number) => Array.from({ length: n }, () => block).flat();
    cases.push([blocks(100), ['top', ...blocks(60), 'inside', ...blocks(39), 'bottom']]);
    cases.push([
      ['top', ...blocks(100)],
      [...blocks(50), ...block.slice(3), ...blocks(50), 'end'],
    ]);
    for (const [before, after] of cases) {
      for (const crlf of [false, true]) {
        const prev = asFile(random, before, crlf);
        const next = asFile(random, after, crlf);
        expect(sorted(added(prev, next).lines)).toEqual(sorted(referenceAdded(prev, next)));
      }
    }
  });

  it('tell a last line without "\\n" from a longer line that starts like it', () => {
    const body = Array.from({ length: 2000 }, (_, i) => `  "entry-${i}": ${i},`);
    const prev = ['top', ...body, '  "last": 1, "more": 2', 'end'].join('\n');
    for (const next of [['TOP', ...body, '  "last": 1'].join('\n'), ['TOP', ...body, '  "last": 1,'].join('\n')]) {
      expect(added(prev, next).lines).toEqual(referenceAdded(prev, next));
      expect(added(next, prev).lines).toEqual(referenceAdded(next, prev));
    }
  });

  it('report exactly the lines a version bump near each end of a lockfile changed', () => {
    const random = generator(9);
    const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[random.int(16)]).join('');
    const entry = (name: string, version: string) => [
      `    "node_modules/${name}": {`,
      `      "version": "${version}",`,
      `      "resolved": "https://registry.example/${name}/-/${name}-${version}.tgz",`,
      `      "integrity": "sha512-${hex(40)}",`,
      '      "dev": true',
      '    },',
    ];
    const names = Array.from({ length: 3000 }, (_, i) => `package-${i}`);
    const versions = names.map((_, i) => `1.${i % 4}.0`);
    const entries = names.map((name, i) => entry(name, versions[i]!));
    const lockfile = () => ['{', '  "packages": {', ...entries.flat(), '  }', '}', ''].join('\n');
    const prev = lockfile();
    // Bump one package near the top and one near the bottom to versions other packages already have.
    const bumped = [5, 2990];
    for (const i of bumped) entries[i] = entry(names[i]!, '1.3.0');
    const next = lockfile();
    expect(prev.length).toBeGreaterThan(500_000);
    const wanted = bumped.flatMap((i) => entries[i]!.slice(1, 4));
    const { lines, starts } = added(prev, next);
    expect(lines).toEqual(wanted);
    // The copies reported are the ones in the bumped entries, not equal lines of other packages.
    const entryAt = (i: number) => next.indexOf(`"node_modules/${names[i]}"`);
    expect(starts).toEqual(wanted.map((line, k) => next.indexOf(line, entryAt(bumped[k < 3 ? 0 : 1]!))));
  });

  it('report the copy of a repeated block that git diff shows as added, not a later equal one', () => {
    const body = Array.from({ length: 3000 }, (_, i) => `  step(${i}, "${(i * 7919) % 10007}");`);
    const block = ['  login({', '    user: "someone",', '    pass: "placeholder",', '  });'];
    const prevLines = ['// v1', ...body.slice(0, 2500), ...block, ...body.slice(2500), '// end v1'];
    // The block copied near the top, and both ends edited: the whole file is the changed middle.
    const nextLines = ['// v2', ...body.slice(0, 300), ...block, ...body.slice(300, 2500), ...block];
    nextLines.push(...body.slice(2500), '// end v2');
    const prev = `${prevLines.join('\n')}\n`;
    const next = `${nextLines.join('\n')}\n`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'line-diff-'));
    try {
      fs.writeFileSync(path.join(dir, 'a'), prev);
      fs.writeFileSync(path.join(dir, 'b'), next);
      const diff = spawnSync('git', ['diff', '--no-index', '-U0', 'a', 'b'], { cwd: dir, encoding: 'utf8' }).stdout;
      const byGit: number[] = [];
      for (const m of diff.matchAll(/^@@ -\S+ \+(\d+)(?:,(\d+))? @@/gm)) {
        for (let k = 0; k < Number(m[2] ?? 1); k++) byGit.push(Number(m[1]) + k);
      }
      const lineOf = (offset: number) => next.slice(0, offset).split('\n').length;
      expect(byGit).toEqual([1, 302, 303, 304, 305, 3010]);
      expect(added(prev, next).starts.map(lineOf)).toEqual(byGit);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
