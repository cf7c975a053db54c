// git cat-file --batch read into one reused buffer (src/sources/git/catfile.ts): responses longer
// than the buffer grow it for as long as they are read, and every blob handed out is a copy of its
// own, intact after the buffer has been overwritten by later reads.

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CatFile, type CatResult } from '../src/sources/git/index.js';
import { GitRepo } from './git-repo.js';
import { cleanupTempDirs } from './helpers.js';

afterAll(cleanupTempDirs);

/** `bytes` of text lines from a seeded generator (no two blobs alike). */
function lines(bytes: number, seed: number): Buffer {
  const out = Buffer.alloc(bytes);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < bytes; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = i % 61 === 60 ? 10 : 97 + (x >>> 27);
  }
  return out;
}

const MiB = 1024 * 1024;

describe('CatFile', () => {
  // Small blobs around long ones: 3 MiB and 1.5 MiB are longer than the read buffer (1 MiB), two
  // just under it (fitting, but not with two reads of room), small ones again once it is back.
  const sizes = [120, 3 * MiB, 40, 700_000, Math.round(1.5 * MiB), 10, MiB - 100, 5000, 64 * 1024, 3, MiB - 120_000];
  const repo = GitRepo.init('lr-catfile-');
  const ids = sizes.map((size, i) => {
    writeFileSync(join(repo.dir, `f${i}.txt`), lines(size, i + 1));
    return repo.git('hash-object', '-w', `f${i}.txt`).trim();
  });
  const blob = (id: string) => execFileSync('git', ['cat-file', 'blob', id], { cwd: repo.dir, maxBuffer: 64 * MiB });
  const missing = '0123456789abcdef0123456789abcdef01234567';

  it('hands out every blob whole and intact, through buffers grown for the long ones', async () => {
    const cat = new CatFile(repo.dir, 8 * MiB);
    const order = [...ids, missing, ...ids.slice().reverse()];
    for (const id of order) cat.request(id);
    const got: CatResult[] = [];
    // Both ways of reading: without waiting when a response is at hand, else waiting for it.
    for (let i = 0; i < order.length; i++) got.push(i % 2 ? (cat.tryNext() ?? (await cat.next())) : await cat.next());
    await cat.close();
    // Compared only now: every earlier blob must have survived the reads after it.
    got.forEach((r, i) => {
      expect(r.id).toBe(order[i]);
      if (order[i] === missing) return expect(r.missing).toBe(true);
      const want = blob(order[i]!);
      expect(r.size).toBe(want.length);
      expect(r.content.equals(want)).toBe(true);
    });
  });

  it('keeps the first `keep` bytes of a long blob and reads past the rest', async () => {
    const cat = new CatFile(repo.dir, 1000);
    for (const id of ids) cat.request(id);
    for (const [i, id] of ids.entries()) {
      const r = await cat.next();
      expect(r.size).toBe(sizes[i]);
      expect(r.content.equals(blob(id).subarray(0, 1000))).toBe(true);
    }
    await cat.close();
  });
});
