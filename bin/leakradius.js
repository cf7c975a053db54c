#!/usr/bin/env node
// A clear word instead of a native-module stack trace where an old Node is first on PATH.
if (Number(process.versions.node.split('.')[0]) < 22) {
  process.stderr.write(
    `leakradius: needs Node.js 22 or later (24 LTS is tested); this is ${process.version} (${process.execPath}).\n`,
  );
  process.exit(2);
}
// Node's modules themselves where Node 22.3+ hands them over: `import` builds a facade that reads
// every export, and node:fs's getters then load its streams and fs/promises (~2 ms of each hook run).
const builtin = async (id) => process.getBuiltinModule?.(id) ?? (await import(id)).default;
const { statSync } = await builtin('node:fs');
const module = await builtin('node:module');
const modules = new URL('../dist/cli/run.js', import.meta.url);
const bundled = new URL('../dist/start/run.js', import.meta.url);
const mtime = (url) => statSync(url, { throwIfNoEntry: false })?.mtimeMs;
if (mtime(modules) === undefined) {
  process.stderr.write(
    'leakradius: the compiled code is missing (dist/). Run `npm install` (or `npm run build`) in the leakradius directory.\n',
  );
  process.exit(2);
}
// `npm run build` bundles dist/cli/ into a few chunks in dist/start/, which load ~18 ms faster than
// ~85 modules; a bare `tsc` since leaves them older, and then the modules run. The chunks take
// Node's built-in modules with process.getBuiltinModule (Node 22.3+; scripts/bundle.mjs).
const start = (mtime(bundled) ?? -1) >= mtime(modules) && typeof process.getBuiltinModule === 'function';
// A history scan (`git` without --staged) reads gigabytes of blobs through two threads, each with a
// blob cache: glibc's per-thread malloc arenas and its sliding mmap threshold keep freed blob memory
// resident, and the main isolate's young generation is sized for a server. Both are read only at
// process start, so the process replaces itself once (same pid, same stdio) with them set: peak RSS
// on real histories fell by a quarter (bench/profile.md). User-set values are kept.
const args = process.argv.slice(2);
if (
  args[0] === 'git' &&
  !args.some((a) => a === '--staged' || a === '--help' || a === '-h') &&
  !process.env.LEAKRADIUS_TUNED &&
  process.platform === 'linux' &&
  typeof process.execve === 'function'
) {
  const set = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };
  const env = { ...process.env, LEAKRADIUS_TUNED: '1' };
  for (const [k, v] of Object.entries(set)) if (env[k] === undefined) (env[k] = v), (env.LEAKRADIUS_TUNED += ` ${k}`);
  const given = (flag) =>
    process.execArgv.some((a) => a.startsWith(flag)) || (process.env.NODE_OPTIONS ?? '').includes(flag);
  const flags = given('--max-semi-space-size') ? [] : ['--max-semi-space-size=4'];
  // On two cores the scan's two shares and their two `git cat-file`s already keep both busy; V8's
  // default of four helper threads (concurrent marking, parallel scavenges, compiling) only adds
  // contention: with one, history-s1 4.97 -> 4.86 s, uptime-kuma 4.77 -> 4.60 s, sequelize
  // 11.4 -> 11.0 s (medians, alternating), vue the same (bench/profile.md, round 6).
  const cores = process.getBuiltinModule?.('node:os')?.availableParallelism?.() ?? 0;
  if (cores > 0 && cores <= 2 && !given('--v8-pool-size')) flags.push('--v8-pool-size=1');
  try {
    process.execve(process.execPath, [process.execPath, ...flags, ...process.execArgv, ...process.argv.slice(1)], env);
  } catch {
    // Not replaced (an odd filesystem, a seccomp filter): the scan runs as it is, only larger.
  }
}
// What the replacement set for itself only: git and other children get the user's environment.
for (const k of (process.env.LEAKRADIUS_TUNED ?? '').split(' ').slice(1)) delete process.env[k];
delete process.env.LEAKRADIUS_TUNED;
// A scan of every ref of the repository it runs in: git finds it and lists its commits (0.1-0.25 s)
// on the other core while the CLI's modules load; the scan takes their answers (history-start.ts).
const selects = ['--staged', '--help', '-h', '--range', '--branch', '-b', '--since', '--max-commits', '--strategy'];
if (
  args[0] === 'git' &&
  !args.some((a) => selects.includes(a.split('=')[0])) &&
  statSync('.git', { throwIfNoEntry: false })
)
  (await import(start ? '../dist/start/history-start.js' : '../dist/sources/git/history-start.js')).startHistoryScan(
    process.cwd(),
  );
// Node 22.1+ keeps compiled code between runs (compiling our modules is a tenth of the pre-commit
// hook's time); older Node has no such call and compiles as before.
module.enableCompileCache?.();
// The pre-commit hook (`git --staged`): its plain command line runs from one file of its own,
// dist/start/hook.cjs, which starts git first (runHook). Any other, or without that file: git starts
// reading the index now, on the other core, while the CLI's modules load (~40 ms); the scan then
// takes its answers (src/sources/staged-start.ts).
if (process.argv[2] === 'git' && process.argv.includes('--staged')) {
  if (!(start && runHookBundle())) {
    (await import(start ? '../dist/start/staged-start.js' : '../dist/sources/staged-start.js')).startStagedScan(
      process.cwd(),
    );
    await import((start ? bundled : modules).href);
  }
} else await import((start ? bundled : modules).href);

/**
 * Runs dist/start/hook.cjs (scripts/bundle.mjs bundleHook) unless it is older than dist/cli/;
 * false when it is missing or the command line is not the hook's (then nothing has started).
 * Node's compile cache is made right after compiling, so each run compiled again every function it
 * called (~10 ms): here V8's code cache is made at the end of a usual run that had none (or a stale
 * one), with those functions in it, beside Node's in its compile cache directory, named by the file's
 * identity (V8 checks only the source's length), and read only if this user alone can write it.
 */
function runHookBundle() {
  const fs = process.getBuiltinModule('node:fs');
  const path = process.getBuiltinModule('node:path');
  const vm = process.getBuiltinModule('node:vm');
  const file = new URL('../dist/start/hook.cjs', import.meta.url);
  const st = fs.statSync(file, { bigint: true, throwIfNoEntry: false });
  if (st === undefined || Number(st.mtimeNs) / 1e6 < mtime(modules)) return false;
  const filename = fs.realpathSync(file);
  const dir = module.getCompileCacheDir?.();
  const name = `leakradius-hook-${st.dev}-${st.ino}-${st.size}-${st.mtimeNs}`;
  const cache = dir && path.join(dir, name);
  let cachedData;
  if (cache) {
    try {
      const fd = fs.openSync(cache, 'r');
      const cst = fs.fstatSync(fd);
      const uid = process.getuid?.();
      if (cst.isFile() && (uid === undefined || (cst.uid === uid && (cst.mode & 0o022) === 0)))
        cachedData = fs.readFileSync(fd);
      fs.closeSync(fd);
    } catch {
      // none yet
    }
  }
  const source = fs.readFileSync(filename, 'utf8');
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const hookModule = { exports: {} };
  script.runInThisContext()(
    hookModule.exports,
    module.createRequire(filename),
    hookModule,
    filename,
    path.dirname(filename),
  );
  if (!hookModule.exports.runHook(args, process.cwd())) return false;
  if (cache && (cachedData === undefined || script.cachedDataRejected))
    process.once('exit', () => {
      // A run that parsed the rules leaves it to the next, usual one (hook.ts usualRun).
      if (hookModule.exports.usualRun?.() === false) return;
      try {
        const temp = `${cache}.${process.pid}.tmp`;
        fs.writeFileSync(temp, script.createCachedData(), { mode: 0o644 });
        fs.renameSync(temp, cache);
        // One per build of each checkout: keep the 16 newest.
        const old = fs
          .readdirSync(dir)
          .filter((n) => n.startsWith('leakradius-hook-') && !n.endsWith('.tmp'))
          .map((n) => ({ n, t: fs.statSync(path.join(dir, n)).mtimeMs }))
          .sort((a, b) => b.t - a.t)
          .slice(16);
        for (const { n } of old) fs.rmSync(path.join(dir, n), { force: true });
      } catch {
        // A read-only cache: the next run compiles as this one did.
      }
    });
  return true;
}
