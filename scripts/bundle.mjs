#!/usr/bin/env node
// Bundles leakradius with esbuild into CommonJS files that need no node_modules:
//
//   node scripts/bundle.mjs action   → action-dist/ (committed: the GitHub Action runs it as is;
//                                      --native also replaces re2.node when re2.json still matches)
//   node scripts/bundle.mjs cli DIR  → DIR/lib/ and DIR/rules/ (scripts/package.mjs makes the single executable of it)
//   node scripts/bundle.mjs start    → dist/start/: ES module chunks of dist/cli/ for a faster start (bundleStart)
//
// Each bundle is `main.cjs` (or `cli.cjs`), `worker.cjs` (the scan's worker threads), `re2.node` (re2's
// native module, stripped) and `re2.json` (what that module was built for). The code sits one directory
// below the root that holds `rules/`, as dist/ does in the package (src/package/own-files.ts).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ACTION_DIST = join(ROOT, 'action-dist');

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const re2Dir = join(ROOT, 'node_modules', 're2');

/** What the re2 native module in node_modules was built for. */
export function re2Native() {
  return {
    platform: process.platform,
    arch: process.arch,
    modules: process.versions.modules,
    version: JSON.parse(readFileSync(join(re2Dir, 'package.json'), 'utf8')).version,
  };
}

// `createRequire(import.meta.url)('x')` keeps a dependency off the start-up path in the package; in
// a bundle it must be a plain require('x'), the only form esbuild follows.
const lazyRequires = {
  name: 'lazy-requires',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      return {
        contents: text.replace(/\brequireLazy\(|\bcreateRequire\(import\.meta\.url\)\(/g, 'require('),
        loader: 'ts',
      };
    });
  },
};

// re2.js requires './build/Release/re2.node'; the bundle loads its own copy instead.
const re2Loader = {
  name: 're2-native',
  setup(b) {
    b.onResolve({ filter: /[\\/]re2\.node$/ }, () => ({ path: join(ROOT, 'scripts', 'bundle', 're2-native.cjs') }));
  },
};

/** One CommonJS bundle of `entry` (a path under the repository). */
export async function bundleFile(entry, outfile, native = re2Native()) {
  await build({
    entryPoints: [join(ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    // import.meta.url of every module becomes the bundle file's own URL (src/package/own-files.ts relies on it).
    banner: { js: "const __leakradius_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
    define: {
      'import.meta.url': '__leakradius_import_meta_url',
      LEAKRADIUS_BUNDLE: JSON.stringify({ version: pkg.version }),
      LEAKRADIUS_RE2_NATIVE: JSON.stringify(native),
    },
    plugins: [lazyRequires, re2Loader],
    legalComments: 'eof', // the dependencies' licence notices travel with their code
    logLevel: 'warning',
  });
}

/**
 * Writes the bundle's code into `dir`: `<name>.cjs` from `entry`, `worker.cjs`, and re2's native module
 * with its `re2.json` unless `keepNative` and the one there was built for the same re2, platform and ABI.
 * `native` says what re2.node is for (a test claims another ABI to make the bundle take its fallback).
 */
export async function bundle(entry, name, dir, { keepNative = false, native = re2Native() } = {}) {
  mkdirSync(dir, { recursive: true });
  await bundleFile(entry, join(dir, `${name}.cjs`), native);
  await bundleFile('src/scan/worker.ts', join(dir, 'worker.cjs'), native);
  const manifest = join(dir, 're2.json');
  const same = existsSync(manifest) && readFileSync(manifest, 'utf8') === `${JSON.stringify(native, null, 2)}\n`;
  if (!(keepNative && same && existsSync(join(dir, 're2.node')))) {
    const built = join(re2Dir, 'build', 'Release', 're2.node');
    if (!existsSync(built))
      throw new Error(`${built} is missing: run npm ci (re2 builds its native module on install)`);
    // Debug symbols are ~90% of the file (23.9 MB → ~2 MB).
    execFileSync('strip', ['--strip-unneeded', '-o', join(dir, 're2.node'), built]);
    writeFileSync(manifest, `${JSON.stringify(native, null, 2)}\n`);
  }
}

/** The Action's bundle, in action-dist/ (or `dir`): src/action/main.ts as main.cjs. */
export function bundleAction(dir = ACTION_DIST, options = { keepNative: true }) {
  return bundle('src/action/main.ts', 'main', dir, options);
}

/** The CLI's bundle for the single executable: `root`/lib/cli.cjs, worker.cjs, re2.node and `root`/rules. */
export async function bundleCli(root) {
  await bundle('src/cli/run.ts', 'cli', join(root, 'lib'));
  cpSync(join(ROOT, 'rules'), join(root, 'rules'), { recursive: true });
}

/**
 * Node's built-in modules for the start-up chunks, without the ES module facade Node builds for an
 * `import ... from 'node:fs'`: the facade reads every export once, and some are getters that load
 * more (node:fs's streams and fs/promises with readline, node:crypto's webcrypto): ~5 ms CPU of
 * each pre-commit hook. `process.getBuiltinModule` (Node 22.3+; bin/leakradius.js runs the chunks
 * only where it exists) hands over the module itself; each export is read where it is declared,
 * and esbuild drops the declarations nobody imports, so a getter runs only when its export is used.
 */
const builtinsDirect = {
  name: 'builtins-direct',
  setup(b) {
    // One copy per importing module, so that it lands in that module's chunk: shared, each would be
    // a chunk of its own, and each chunk costs a module resolution and load.
    b.onResolve({ filter: /^node:/ }, (args) => ({
      path: `${args.path}?${args.importer}`,
      namespace: 'builtin',
    }));
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => {
      const id = args.path.replace(/\?.*/, '');
      const names = Object.keys(process.getBuiltinModule(id)).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k));
      const lines = [`const m = process.getBuiltinModule(${JSON.stringify(id)});`, 'export default m;'];
      // A call marked pure per export, so that esbuild can drop the ones no chunk imports.
      for (const k of names) lines.push(`export const ${k} = /* @__PURE__ */ (() => m.${k})();`);
      return { contents: lines.join('\n'), loader: 'js' };
    });
  },
};

/**
 * The CLI's start-up bundle, dist/start/ (`npm run build`, after tsc): dist/cli/run.js and the hook's
 * early git start (dist/sources/staged-start.js) as a few ES module chunks instead of ~85 modules,
 * whose resolution and loading cost ~18 ms CPU of each pre-commit hook. The chunks sit one directory
 * below dist/, as the modules do (src/package/own-files.ts); dependencies stay in node_modules.
 * bin/leakradius.js runs dist/cli/ instead when this is older (a bare `tsc` since).
 * Then the pre-commit hook's own file, dist/start/hook.cjs (bundleHook).
 */
export async function bundleStart(dist = join(ROOT, 'dist')) {
  const out = join(dist, 'start');
  rmSync(out, { recursive: true, force: true }); // chunk names change with their content
  await build({
    entryPoints: [
      join(dist, 'cli', 'run.js'),
      join(dist, 'sources', 'staged-start.js'),
      join(dist, 'sources', 'git', 'history-start.js'),
    ],
    outdir: out,
    entryNames: '[name]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    plugins: [builtinsDirect],
    logLevel: 'warning',
  });
  await bundleHook(dist);
}

/**
 * What a hook run can not reach (src/cli/hook.ts runs only the plain, offline `git --staged` with a
 * text or JSON report): yargs' commands, lookups, the other formats. Left out of dist/start/hook.cjs,
 * their dynamic imports load the modules in dist/ should one ever run.
 */
const HOOK_LEAVES_OUT = new Set([
  'cli/commands/index.js',
  'scope/lookup/index.js',
  'report/sarif.js',
  'report/html.js',
  'report/junit.js',
  'report/csv.js',
  'report/gitlab.js',
]);

/**
 * dist/start/hook.cjs: src/cli/hook.ts and all it runs in one CommonJS file, every other dynamic
 * import inlined (esbuild runs such a module's code on its first import). One file loads ~10 ms CPU
 * faster than the ~30 chunks of the CLI's bundle, whose many entries (each dynamic import) split the
 * hook's code; a whole-CLI file was slower (it holds every command's code). CommonJS, so that
 * bin/leakradius.js can compile it with a V8 code cache made after a run (vm.Script): Node's compile
 * cache is made right after compiling, before the functions a run calls are compiled.
 */
async function bundleHook(dist) {
  // Dependencies in the file itself, not found in node_modules at each start: picocolors (~2 ms of
  // resolution and loading) and @noble/hashes (src/secret/digest.ts; ES modules only).
  const inlined = {
    name: 'hook-inlines',
    setup(b) {
      const resolveDep = createRequire(join(ROOT, 'package.json')).resolve;
      b.onResolve({ filter: /^(?:@noble\/hashes\/|picocolors$)/ }, (args) => ({ path: resolveDep(args.path) }));
    },
  };
  const leaveOut = {
    name: 'hook-leaves-out',
    setup(b) {
      b.onResolve({ filter: /^\./ }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const target = relative(dist, resolve(args.resolveDir, args.path)).replaceAll('\\', '/');
        return HOOK_LEAVES_OUT.has(target) ? { path: `../${target}`, external: true } : undefined;
      });
    },
  };
  await build({
    entryPoints: [join(dist, 'cli', 'hook.js')],
    outfile: join(dist, 'start', 'hook.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    packages: 'external',
    // As in the ES module chunks, import.meta.url is this file's (src/package/own-files.ts finds dist/ by it).
    banner: { js: "const __leakradius_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__leakradius_import_meta_url' },
    plugins: [inlined, leaveOut, builtinsDirect],
    logLevel: 'warning',
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [what, arg] = process.argv.slice(2);
  if (what === 'action' && (arg === undefined || arg === '--native'))
    await bundleAction(ACTION_DIST, { keepNative: !arg });
  else if (what === 'cli' && arg) await bundleCli(resolve(arg));
  else if (what === 'start' && arg === undefined) await bundleStart();
  else {
    process.stderr.write('usage: node scripts/bundle.mjs action [--native] | cli DIR | start\n');
    process.exit(2);
  }
}
