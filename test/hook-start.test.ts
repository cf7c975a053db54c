// The pre-commit hook's first git commands start before the CLI's modules load (bin/leakradius.js,
// sources/staged-start.ts, startGitEarly in sources/git/process.ts). Real git, real repositories,
// the real CLI.

import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gitStream, startGitEarly } from '../src/sources/git/process.js';
import { CAT_BATCH, CatFile } from '../src/sources/git/catfile.js';
import { STAGED_RAW } from '../src/sources/staged-start.js';
import { GitRepo } from './git-repo.js';
import { ROOT, cleanupTempDirs, runCli, tempDir, token } from './helpers.js';

afterAll(cleanupTempDirs);

async function read(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts);
}

/**
 * Runs the CLI with `args` in `repo` (or `cwd`) under a preload whose `collect` expression (JS, run
 * at exit) gives the lines to keep; `setup` (JS) runs first. Returns the exit code and those lines.
 */
async function runPreloaded(
  repo: GitRepo,
  args: string[],
  collect: string,
  setup = '',
  cwd = repo.dir,
): Promise<{ code: number; lines: string[] }> {
  const dir = tempDir('lr-early-loaded-');
  const out = join(dir, 'lines.txt');
  const preload = join(dir, 'preload.cjs');
  writeFileSync(
    preload,
    `${setup}\nprocess.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, ` +
      `${collect}.join('\\n')));\n`,
  );
  const r = await runCli(args, { cwd, env: { ...repo.env, NODE_OPTIONS: `--require ${preload}` } });
  return { code: r.code, lines: readFileSync(out, 'utf8').split('\n') };
}

/**
 * The pre-commit hook's run (dist/start/hook.cjs) in `cwd` with `env`: its findings as "rule path:line",
 * its exit code, and the git commands it started.
 */
async function hookRun(
  repo: GitRepo,
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; found: string[]; gits: string[] }> {
  const out = join(tempDir('lr-hook-run-'), 'report.json');
  Object.assign(repo.env, env);
  const { code, lines } = await runPreloaded(
    repo,
    ['git', '--staged', '--offline', '--format', 'json', '-o', out],
    'seen',
    "const cp = require('node:child_process'); const spawn = cp.spawn; const seen = [];\n" +
      'cp.spawn = function (cmd, args, ...rest) {\n' +
      '  seen.push(args.join(" "));\n' +
      '  return spawn.call(this, cmd, args, ...rest);\n' +
      '};',
    cwd,
  );
  for (const k of Object.keys(env)) delete repo.env[k];
  const report = JSON.parse(readFileSync(out, 'utf8')) as {
    findings: Array<{ rule: string; locations: Array<{ path: string; line: number }> }>;
  };
  const found = report.findings.flatMap((f) => f.locations.map((l) => `${f.rule} ${l.path}:${l.line}`));
  return { code, found, gits: lines };
}

/** A repository with a staged GitHub token in app/deploy.env (`seed` makes it). */
function stagedSecret(prefix: string, seed: string): GitRepo {
  const repo = GitRepo.init(prefix);
  repo.commit('init', { 'README.md': 'hello\n', 'app/main.js': 'console.log(1);\n' });
  repo.write('app/deploy.env', `GITHUB_TOKEN=${token('{{github:ghp_}}', seed)}\n`);
  repo.git('add', '-A');
  return repo;
}

/** A config at `dir` that turns the GitHub rule off: found only where the scan takes `dir` for the root. */
const RULE_OFF = 'disabled_rules: [github-classic-pat]\n';

describe('git started early', () => {
  it('hands its whole output to the next identical call, also once git has exited', async () => {
    const repo = GitRepo.init('lr-early-');
    repo.commit('init', { 'README.md': 'hello\n' });
    // More than a pipe holds (64 KiB): git waits for a reader, and nothing is dropped when it exits.
    for (let i = 0; i < 1500; i++) repo.write(`a-file-with-a-rather-long-name-${i}.txt`, `${i}\n`);
    repo.git('add', '-A');
    const fresh = await read(gitStream(repo.dir, STAGED_RAW));
    expect(fresh.length).toBeGreaterThan(128 * 1024);
    startGitEarly(repo.dir, STAGED_RAW);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await read(gitStream(repo.dir, STAGED_RAW))).equals(fresh)).toBe(true);
  });

  it('hands an early cat-file --batch the requests of the next reader with a stdin', async () => {
    const repo = GitRepo.init('lr-early-cat-');
    repo.commit('init', { 'README.md': 'hello\n', 'b.txt': 'second\n' });
    const blob = (path: string) => repo.git('rev-parse', `HEAD:${path}`).trim();
    startGitEarly(repo.dir, CAT_BATCH, true);
    await new Promise((r) => setTimeout(r, 300)); // git has started and waits for requests
    const cat = new CatFile(repo.dir, 1024);
    cat.request(blob('README.md'));
    cat.request('0'.repeat(40));
    cat.request(blob('b.txt'));
    expect((await cat.next()).content.toString()).toBe('hello\n');
    expect((await cat.next()).missing).toBe(true);
    expect((await cat.next()).content.toString()).toBe('second\n');
    await cat.close();
  });

  it('does not keep Node running when nobody takes its answer, nor when git waits for its stdin', () => {
    const repo = GitRepo.init('lr-early-idle-');
    const processJs = pathToFileURL(join(ROOT, 'dist', 'sources', 'git', 'process.js')).href;
    const early = [
      `[${JSON.stringify(repo.dir)}, ['-c', 'alias.slow=!sleep 10', 'slow']]`,
      `[${JSON.stringify(repo.dir)}, ['cat-file', '--batch'], true]`,
    ];
    for (const call of early) {
      const script =
        `const { startGitEarly } = await import(${JSON.stringify(processJs)});\n` + `startGitEarly(...${call});\n`;
      const started = Date.now();
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(Date.now() - started).toBeLessThan(8000);
    }
  });

  it('finds the same staged secret from the top level, a subdirectory, and with the repository named', async () => {
    const repo = GitRepo.init('lr-early-cli-');
    repo.commit('init', { 'README.md': 'hello\n', 'app/main.js': 'console.log(1);\n' });
    const secret = token('{{github:ghp_}}', 'early');
    mkdirSync(join(repo.dir, 'app', 'config'), { recursive: true });
    repo.write('app/config/deploy.env', `GITHUB_TOKEN=${secret}\n`);
    repo.git('add', '-A');
    const env = { ...repo.env };
    const where = (r: { stdout: string }) =>
      (
        JSON.parse(r.stdout) as { findings: Array<{ rule: string; locations: Array<{ path: string; line: number }> }> }
      ).findings.flatMap((f) => f.locations.map((l) => `${f.rule} ${l.path}:${l.line}`));
    const top = await runCli(['git', '--staged', '--format', 'json'], { cwd: repo.dir, env });
    expect(top.code).toBe(1);
    expect(where(top)).toEqual(['github-classic-pat app/config/deploy.env:1']);
    const sub = await runCli(['git', '--staged', '--format', 'json'], { cwd: join(repo.dir, 'app'), env });
    expect(sub.code).toBe(1);
    expect(where(sub)).toEqual(where(top));
    const named = await runCli(['git', repo.dir, '--staged', '--format', 'json'], { env });
    expect(named.code).toBe(1);
    expect(where(named)).toEqual(where(top));
  });

  it("loads Node's built-in modules without the facades that load what the hook never uses", async () => {
    const repo = GitRepo.init('lr-early-builtins-');
    repo.commit('init', { 'README.md': 'hello\n' });
    repo.write('deploy.env', `GITHUB_TOKEN=${token('{{github:ghp_}}', 'builtins')}\n`);
    repo.git('add', '-A');
    const { code, lines: modules } = await runPreloaded(
      repo,
      ['git', '--staged', '--format', 'json'],
      'process.moduleLoadList',
    );
    expect(code).toBe(1);
    expect(modules).toContain('NativeModule crypto');
    // Read by the ES module facades of node:fs (its stream getters) and node:crypto (webcrypto).
    expect(modules).not.toContain('NativeModule internal/fs/streams');
    expect(modules).not.toContain('NativeModule internal/crypto/webcrypto');
    expect(modules).not.toContain('NativeModule perf_hooks'); // the global `performance`
  });

  it('blocks a secret offline without node:crypto, its fingerprint the HMAC of the promised format', async () => {
    const repo = GitRepo.init('lr-early-nocrypto-');
    repo.commit('init', { 'README.md': 'hello\n' });
    const secret = token('{{github:ghp_}}', 'nocrypto');
    repo.write('deploy.env', `GITHUB_TOKEN=${secret}\n`);
    repo.git('add', '-A');
    const config = tempDir('lr-early-nocrypto-config-');
    repo.env.XDG_CONFIG_HOME = config;
    const out = join(config, 'report.json');
    const run = () =>
      runPreloaded(repo, ['git', '--staged', '--offline', '--format', 'json', '-o', out], 'process.moduleLoadList');
    // The first run makes the user's fingerprint key (random bytes) and parses the rules (a long digest).
    expect((await run()).code).toBe(1);
    const { code, lines: modules } = await run();
    expect(code).toBe(1);
    expect(modules).not.toContain('NativeModule crypto');
    // HMAC-SHA-256(rule \0 secret) under the user's key, as node:crypto has it.
    const key = readFileSync(join(config, 'leakradius', 'fingerprint-key'), 'utf8').trim();
    const findings = (JSON.parse(readFileSync(out, 'utf8')) as { findings: Array<{ fingerprint: string }> }).findings;
    expect(findings.map((f) => f.fingerprint)).toEqual([
      createHmac('sha256', key).update('github-classic-pat\0').update(secret).digest('hex'),
    ]);
  });
});

describe("the hook's parsed rules", () => {
  it('are the entry a CLI command parsed: the first commit after a scan reads it, parses nothing', async () => {
    const repo = stagedSecret('lr-hook-rules-', 'hook-rules');
    const cache = tempDir('lr-hook-rules-cache-');
    repo.env.LEAKRADIUS_CACHE_DIR = cache;
    const env = repo.env;
    const entries = () => readdirSync(cache).filter((n) => /^rules-[0-9a-f]+\.json$/.test(n));
    expect((await runCli(['scan', tempDir('lr-hook-rules-empty-')], { env })).code).toBe(0);
    const [entry] = entries();
    expect(entries()).toEqual([entry]);
    const written = statSync(join(cache, entry!)).mtimeMs;
    // Keyed by the file it ran from (hook.cjs against the CLI's chunk), the hook parsed and wrote its own.
    const { code, lines } = await runPreloaded(
      repo,
      ['git', '--staged', '--offline'],
      'Object.keys(require.cache)',
      '',
      repo.dir,
    );
    expect(code).toBe(1);
    expect(lines.filter((f) => /[\\/]node_modules[\\/](yaml|zod)[\\/]/.test(f))).toEqual([]);
    expect(entries()).toEqual([entry]);
    expect(statSync(join(cache, entry!)).mtimeMs).toBe(written);
  });
});

describe("the hook's work tree (sources/git/top-level.ts)", () => {
  const FOUND = ['github-classic-pat app/deploy.env:1'];
  const askedTopLevel = (gits: string[]) => gits.some((g) => g.endsWith(' rev-parse --show-toplevel'));

  it('at a plain top level: found without asking git for it', async () => {
    const repo = stagedSecret('lr-top-plain-', 'top-plain');
    const r = await hookRun(repo, repo.dir);
    expect(r).toMatchObject({ code: 1, found: FOUND });
    expect(askedTopLevel(r.gits)).toBe(false);
    expect(r.gits.filter((g) => / diff --cached --raw /.test(g))).toHaveLength(1);
  });

  it('from a subdirectory: git is asked, paths stay relative to the top level', async () => {
    const repo = stagedSecret('lr-top-sub-', 'top-sub');
    const r = await hookRun(repo, join(repo.dir, 'app'));
    expect(r).toMatchObject({ code: 1, found: FOUND });
    expect(askedTopLevel(r.gits)).toBe(true);
  });

  it('with GIT_DIR and GIT_WORK_TREE naming another repository than the one here', async () => {
    const here = GitRepo.init('lr-top-here-');
    here.commit('init', { '.leakradius.yml': RULE_OFF });
    const other = stagedSecret('lr-top-other-', 'top-env');
    const r = await hookRun(here, here.dir, { GIT_DIR: join(other.dir, '.git'), GIT_WORK_TREE: other.dir });
    expect(r).toMatchObject({ code: 1, found: FOUND });
    expect(askedTopLevel(r.gits)).toBe(true);
  });

  it('with core.worktree naming a work tree elsewhere', async () => {
    const work = stagedSecret('lr-top-worktree-', 'top-worktree');
    const store = GitRepo.init('lr-top-store-');
    store.write('.leakradius.yml', RULE_OFF); // where a scan that took the git dir's parent would look
    store.git('config', 'core.worktree', work.dir);
    store.git('add', '-A');
    const r = await hookRun(store, store.dir);
    expect(r).toMatchObject({ code: 1, found: FOUND });
    expect(askedTopLevel(r.gits)).toBe(true);
  });

  it('in a linked worktree, whose .git is a file', async () => {
    const repo = stagedSecret('lr-top-linked-', 'top-linked');
    repo.git('commit', '-q', '-m', 'secret');
    const linked = join(tempDir('lr-top-linked-wt-'), 'wt');
    repo.git('worktree', 'add', '-q', linked);
    writeFileSync(join(linked, 'app', 'more.env'), `GITHUB_TOKEN=${token('{{github:ghp_}}', 'top-linked-2')}\n`);
    spawnSync('git', ['add', '-A'], { cwd: linked, env: repo.env });
    const r = await hookRun(repo, linked);
    expect(r).toMatchObject({ code: 1, found: ['github-classic-pat app/more.env:1'] });
    expect(askedTopLevel(r.gits)).toBe(true);
  });
});

describe('the start-up bundle (dist/start/, npm run build)', () => {
  /** The files of dist/ a run of the CLI with `args` in `repo` loads, in order (an in-thread module hook). */
  async function ownFilesLoaded(repo: GitRepo, args: string[]): Promise<{ code: number; files: string[] }> {
    const r = await runPreloaded(
      repo,
      args,
      'seen',
      "const seen = []; require('node:module').registerHooks({ resolve(s, c, next) { const r = next(s, c); " +
        'seen.push(r.url); return r; } });',
    );
    const dist = `${pathToFileURL(join(ROOT, 'dist'))}/`;
    const files = r.lines.filter((u) => u.startsWith(dist)).map((u) => u.slice(dist.length));
    return { code: r.code, files: [...new Set(files)] };
  }

  it("runs the hook's plain command line from dist/start/hook.cjs with a code cache a usual run made", async () => {
    const repo = GitRepo.init('lr-start-hook-');
    repo.commit('init', { 'README.md': 'hello\n' });
    repo.write('deploy.env', `GITHUB_TOKEN=${token('{{github:ghp_}}', 'hook-bundle')}\n`);
    repo.git('add', '-A');
    const compileCache = tempDir('lr-start-code-');
    const args = ['git', '--staged', '--offline', '--format', 'json'];
    const run = async () => {
      const r = await runCli(args, { cwd: repo.dir, env: { ...repo.env, NODE_COMPILE_CACHE: compileCache } });
      expect(r.code).toBe(1);
      return (JSON.parse(r.stdout) as { findings: Array<{ rule: string; locations: unknown[] }> }).findings.map(
        (f) => [f.rule, f.locations],
      );
    };
    const codeCaches = () => {
      const dir = readdirSync(compileCache).map((d) => join(compileCache, d))[0]!;
      return readdirSync(dir)
        .filter((n) => n.startsWith('leakradius-hook-'))
        .map((n) => join(dir, n));
    };
    const codeCache = () => {
      const names = codeCaches();
      expect(names).toHaveLength(1);
      return names[0]!;
    };
    const first = await run();
    expect(first).toEqual([['github-classic-pat', [expect.objectContaining({ path: 'deploy.env', line: 1 })]]]);
    // That run parsed the rules (a new cache directory): the next, usual, run makes the code cache.
    expect(codeCaches()).toEqual([]);
    expect(await run()).toEqual(first);
    const made = statSync(codeCache());
    expect(made.size).toBeGreaterThan(100_000); // the functions the run called, not only the top level
    // Read, not made again; then a torn one (V8 rejects it) and one others may write are made anew.
    expect(await run()).toEqual(first);
    expect(statSync(codeCache()).ino).toBe(made.ino);
    writeFileSync(codeCache(), 'torn');
    expect(await run()).toEqual(first);
    expect(statSync(codeCache()).size).toBeGreaterThan(100_000);
    const shared = codeCache();
    chmodSync(shared, 0o666);
    const sharedIno = statSync(shared).ino;
    expect(await run()).toEqual(first);
    expect(statSync(codeCache()).ino).not.toBe(sharedIno);
    expect(statSync(codeCache()).mode & 0o022).toBe(0);
    // The run loaded no module of dist/ but that file (which Node's module loader does not see).
    expect(await ownFilesLoaded(repo, args)).toEqual({ code: 1, files: [] });
    // SARIF's writer is not in the hook's file: the CLI's chunks run it, with their own early git start.
    const sarif = await ownFilesLoaded(repo, ['git', '--staged', '--format', 'sarif']);
    expect(sarif.code).toBe(1);
    expect(sarif.files).toEqual(expect.arrayContaining(['start/staged-start.js', 'start/run.js']));
  });

  it('still stops at a config rule whose pattern RE2 cannot compile, before any scan (exit 2)', async () => {
    const repo = GitRepo.init('lr-start-bad-rule-');
    repo.commit('init', { 'README.md': 'hello\n' });
    repo.write(
      '.leakradius.yml',
      'rules:\n  - id: broken-rule\n    name: Broken\n    pattern: "(unclosed"\n    keywords: [abc]\n' +
        '    examples: [abc]\n    negative_examples: [x]\n',
    );
    repo.write('notes.txt', 'nothing here\n');
    repo.git('add', '-A');
    const r = await runCli(['git', '--staged'], { cwd: repo.dir, env: repo.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.leakradius\.yml: rule "broken-rule": pattern does not compile with RE2/);
  });

  it('runs when it is at least as new as dist/cli/, and the modules run when a bare tsc came since', () => {
    // A package of our own: bin/ copied, dist/cli/ the real modules, dist/start/run.js a stand-in.
    const pkg = tempDir('lr-start-');
    mkdirSync(join(pkg, 'bin'));
    copyFileSync(join(ROOT, 'bin', 'leakradius.js'), join(pkg, 'bin', 'leakradius.js'));
    mkdirSync(join(pkg, 'dist', 'start'), { recursive: true });
    symlinkSync(join(ROOT, 'dist', 'cli'), join(pkg, 'dist', 'cli'));
    const bundled = join(pkg, 'dist', 'start', 'run.js');
    writeFileSync(bundled, "process.stdout.write('the bundle ran\\n');\n");
    const version = () =>
      spawnSync(process.execPath, [join(pkg, 'bin', 'leakradius.js'), '--version'], { encoding: 'utf8' }).stdout;
    utimesSync(bundled, 1_700_000_000, 1_700_000_000);
    expect(version()).toMatch(/^\d+\.\d+\.\d+/);
    const now = Date.now() / 1000 + 60;
    utimesSync(bundled, now, now);
    expect(version()).toBe('the bundle ran\n');
  });
});
