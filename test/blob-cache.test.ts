// The history reader reads each blob from git once: a blob that a change already queued will take
// from the blob cache stays there when newer blobs push the cache over its budget (32 MiB per
// reader): those are dropped first (blobs no queued change wants, and, newest first, blobs first
// read as new versions), instead of it being dropped and read again by a second `git cat-file`.

import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GitRepo } from './git-repo.js';
import { cleanupTempDirs, runCli, tempDir, token } from './helpers.js';

afterAll(cleanupTempDirs);

/** A `git` first on PATH that logs its arguments, one run a line. */
function spyGit(): { env: NodeJS.ProcessEnv; log: string } {
  const dir = tempDir('lr-spy-git-');
  const log = join(dir, 'log.txt');
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  writeFileSync(join(dir, 'git'), `#!/bin/sh\necho "$*" >> "$SPY_LOG"\nexec ${real} "$@"\n`);
  chmodSync(join(dir, 'git'), 0o755);
  return { env: { PATH: `${dir}:${process.env.PATH}`, SPY_LOG: log }, log };
}

/** A file of about `mb` MB whose lines are its own (no two files share a line). */
function bigFile(tag: string, mb: number): string {
  const line = `${tag} ${'x'.repeat(100)}\n`;
  return Array.from({ length: Math.ceil((mb * 1e6) / line.length) }, (_, i) => `${i} ${line}`).join('');
}

/**
 * A one-thread history scan of `repo` through the spy git: its exit code, how many `git cat-file
 * --batch` it ran, and every location as commit:path:line.
 */
async function scanHistory(repo: GitRepo): Promise<{ code: number; catFiles: number; places: string[] }> {
  const spy = spyGit();
  const out = join(tempDir('lr-blob-cache-out-'), 'r.json');
  const r = await runCli(['git', repo.dir, '--threads', '1', '--offline', '-f', 'json', '-o', out], {
    env: { ...repo.env, ...spy.env },
  });
  const runs = readFileSync(spy.log, 'utf8').split('\n');
  const report = JSON.parse(readFileSync(out, 'utf8')) as {
    findings: Array<{ locations: Array<{ path: string; line: number; commit: string }> }>;
  };
  return {
    code: r.code,
    catFiles: runs.filter((l) => /\bcat-file --batch\b/.test(l)).length,
    places: report.findings.flatMap((f) => f.locations.map((l) => `${l.commit}:${l.path}:${l.line}`)),
  };
}

describe('blob cache of the history reader', () => {
  it('drops the blobs no queued change needs first: one `git cat-file` for 7 files of 4 MB rewritten', async () => {
    const repo = GitRepo.init('lr-blob-cache-');
    const names = Array.from({ length: 7 }, (_, i) => `data/f${i}.txt`);
    repo.commit('create', Object.fromEntries(names.map((n) => [n, bigFile(`${n} v1`, 4)])));
    // Each file rewritten: newest first, the first versions are read as old sides here and are
    // wanted again as new sides of "create" after 56 MB of blobs went through the cache.
    const secret = token('{{github:ghp_}}', 'blob-cache');
    const edited = Object.fromEntries(names.map((n) => [n, bigFile(`${n} v2`, 4)]));
    edited[names[5]!] += `GH_TOKEN=${secret}\n`;
    repo.commit('rewrite', edited);
    const r = await scanHistory(repo);
    expect(r.code).toBe(1);
    expect(r.catFiles).toBe(1);
    const rewrite = repo.git('rev-parse', 'HEAD').trim();
    expect(r.places).toContain(`${rewrite}:${names[5]}:${edited[names[5]!]!.split('\n').length - 1}`);
  }, 60_000);

  it('drops blobs first read as new versions before one a later change still needs: one `git cat-file`', async () => {
    const repo = GitRepo.init('lr-cache-order-');
    const secret = token('{{github:ghp_}}', 'cache-order');
    repo.commit('create', { 'app.env': `NAME=app\nGH_TOKEN=${secret}\n` });
    // 72 MB of new files: newest first they are read as new versions only, after app.env's first
    // version was read as the old side of "edit" and before "create" needs it as its new version.
    repo.commit(
      'vendor',
      Object.fromEntries(Array.from({ length: 18 }, (_, i) => [`v/f${i}.txt`, bigFile(`f${i}`, 4)])),
    );
    repo.commit('edit', { 'app.env': `NAME=app2\nGH_TOKEN=${secret}\n` });
    const r = await scanHistory(repo);
    expect(r.code).toBe(1);
    expect(r.catFiles).toBe(1);
    const first = repo.git('rev-list', '--max-parents=0', 'HEAD').trim();
    expect(r.places).toContain(`${first}:app.env:2`);
  }, 60_000);
});
