// The history reader's blob memory (sources/blob-ring.ts): slabs reused as blobs are read, with
// blobs the cache holds moved and views handed out never written over while they may be read.

import { afterAll, describe, expect, it } from 'vitest';
import { scanGit } from '../src/scan/scan-git.js';
import { BlobRing, type Stored } from '../src/sources/blob-ring.js';
import type { Finding } from '../src/types.js';
import { GitRepo } from './git-repo.js';
import { cleanupTempDirs, token } from './helpers.js';

afterAll(cleanupTempDirs);

/** A seeded generator: the same run every time. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 8;
  return { int: (n: number) => next() % n, chance: (p: number) => next() % 1000 < p * 1000 };
}

/** `size` bytes that only blob `n` has. */
function bytesOf(n: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (n * 131 + i * 7 + (i >> 8)) & 0xff;
  return b;
}

describe('blob ring', () => {
  it('never hands out or keeps bytes that another blob wrote over, whatever the order', () => {
    const slab = 1024;
    for (let seed = 1; seed <= 20; seed++) {
      const rnd = generator(seed);
      let lent: Array<{ view: Buffer; n: number }> = [];
      let letGos = 0;
      const held = new Map<number, Stored>();
      const wanted = new Set<number>();
      const ring = new BlobRing(6, slab);
      let releases = 0;
      ring.reset(
        {
          releases: () => releases,
          release: () => {
            lent = [];
            letGos++;
            releases++;
            return true;
          },
        },
        (s) => {
          const n = Number(s.sha);
          if (wanted.has(n)) return true;
          held.delete(n);
          s.held = false;
          return false;
        },
      );
      const sizes = new Map<number, number>();
      let blobs = 0;
      for (let change = 0; change < 400; change++) {
        ring.nextChange();
        const inFlight: Array<{ view: Buffer; n: number }> = [];
        // A change reads a few blobs: cached ones, and new ones of any size (some over a slab).
        for (let k = rnd.int(4); k >= 0; k--) {
          const ids = [...held.keys()];
          if (ids.length && rnd.chance(0.5)) {
            const n = ids[rnd.int(ids.length)]!;
            const view = held.get(n)!.bytes;
            ring.using(view);
            inFlight.push({ view, n });
            continue;
          }
          const n = blobs++;
          const size = rnd.chance(0.05) ? slab + rnd.int(slab) : rnd.int(slab / 2);
          sizes.set(n, size);
          const s = ring.place(size);
          bytesOf(n, size).copy(s.bytes);
          ring.using(s.bytes);
          inFlight.push({ view: s.bytes, n });
          if (rnd.chance(0.6)) {
            s.held = true;
            s.sha = String(n);
            held.set(n, s);
            if (rnd.chance(0.3)) wanted.add(n);
          }
        }
        // Every view this change took still reads its own bytes after the others were placed.
        for (const { view, n } of inFlight) expect(view.equals(bytesOf(n, sizes.get(n)!))).toBe(true);
        // Its new version is kept by the scan until it lets go.
        if (rnd.chance(0.7)) {
          const last = inFlight[inFlight.length - 1]!;
          ring.lend(last.view);
          lent.push(last);
        }
        for (const [n, s] of held) {
          if (rnd.chance(0.05)) {
            held.delete(n);
            wanted.delete(n);
            s.held = false;
          }
        }
        for (const { view, n } of lent) expect(view.equals(bytesOf(n, sizes.get(n)!))).toBe(true);
        // The scan's batch is scanned on its own now and then: nothing lent is kept after that.
        if (rnd.chance(0.05)) {
          lent = [];
          releases++;
        }
        for (const [n, s] of held) expect(s.bytes.equals(bytesOf(n, sizes.get(n)!))).toBe(true);
      }
      expect(letGos).toBeGreaterThan(0);
    }
  });
});

/** Every location of every finding, as the user sees it: rule, commit, path, line, column. */
async function places(repo: GitRepo, strategy: 'diff' | 'patches', threads: number): Promise<string[]> {
  const result = await scanGit({ repo: repo.dir, lookup: false, strategy, threads }).result;
  return result.findings
    .flatMap((f: Finding) =>
      f.locations.map((l) => (l.kind === 'git' ? `${f.rule} ${l.commit} ${l.path}:${l.line}:${l.column}` : '')),
    )
    .sort();
}

describe('history reader over blobs larger and smaller than a slab', () => {
  it('finds every secret at its line, as `git log -p` does, while slabs are reused under the scan', async () => {
    const rnd = generator(7);
    // Lines of a length of their own per file, so that a line map counting over another blob's
    // bytes gives another line.
    const file = (tag: string, bytes: number) => {
      const width = 20 + rnd.int(150);
      const lines: string[] = [];
      for (let size = 0, i = 0; size < bytes; i++) {
        const line = `${tag} ${i} ${'x'.repeat(width)}`;
        lines.push(line);
        size += line.length + 1;
      }
      return lines;
    };
    // 5 MiB (over a slab), 3 MB, 1 MB and small files: ~25 MB a version, three versions, so the
    // slabs (48 MiB) are reused while the scan's batch still holds the small added lines of each.
    const sizes = [5.2e6, 5.2e6, 3e6, 3e6, 3e6, 1e6, 1e6, 1e6, 1e6, 1e6, 1e6, ...Array(60).fill(3000)];
    const files = sizes.map((bytes, i) => ({ path: `data/f${i}.txt`, lines: file(`f${i}`, bytes) }));
    const repo = GitRepo.init('lr-blob-ring-');
    const text = (lines: string[]) => lines.join('\n') + '\n';
    repo.commit('create', Object.fromEntries(files.map((f) => [f.path, text(f.lines)])));
    for (const round of ['one', 'two']) {
      const edits: Record<string, string> = {};
      files.forEach((f, i) => {
        f.lines.splice(
          1 + rnd.int(f.lines.length - 1),
          0,
          `GH_TOKEN=${token('{{github:ghp_}}', `ring-${round}-${i}`)}`,
        );
        edits[f.path] = text(f.lines);
      });
      repo.commit(`secrets ${round}`, edits);
    }
    const want = await places(repo, 'patches', 1);
    expect(want.length).toBe(2 * files.length);
    expect(await places(repo, 'diff', 1)).toEqual(want);
    expect(await places(repo, 'diff', 2)).toEqual(want);
  }, 120_000);
});
