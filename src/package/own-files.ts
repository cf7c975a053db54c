// Where leakradius finds its own files. Both ways it runs keep the code below the package root,
// beside `rules/`: the package (this file is dist/package/own-files.js, or src/package/own-files.ts
// under vitest) and a bundle (scripts/bundle.mjs: the Action's action-dist/*.cjs, the single
// executable's extracted lib/*.cjs, one directory below the root).

import { dirname, extname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { isSea } from 'node:sea';
import { fileURLToPath } from 'node:url';

/** Set by scripts/bundle.mjs (esbuild `define`); undeclared, so `typeof` is 'undefined', in the package. */
declare const LEAKRADIUS_BUNDLE: { readonly version: string } | undefined;

const bundle = typeof LEAKRADIUS_BUNDLE === 'undefined' ? undefined : LEAKRADIUS_BUNDLE;
/** This module's file; in a bundle, the bundle file (scripts/bundle.mjs defines import.meta.url per output). */
const here = fileURLToPath(import.meta.url);
/** dist/ (or src/) in the package; the bundle's directory in a bundle. */
const codeDir = bundle ? dirname(here) : join(dirname(here), '..');
const root = join(codeDir, '..');

export const VERSION: string =
  bundle?.version ?? (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

export function builtinRulesDir(): string {
  return join(root, 'rules');
}

/** The worker thread's entry. */
export function workerScript(): URL {
  if (bundle) return new URL('./worker.cjs', import.meta.url);
  // Under vitest this module runs from src/*.ts; the worker must be the compiled file in dist/.
  if (extname(here) === '.ts') return new URL('../../dist/scan/worker.js', import.meta.url);
  return new URL('../scan/worker.js', import.meta.url);
}

/**
 * The file whose bytes identify the code of `module` (e.g. 'detect/detector'): in a bundle, all of it.
 * In the package, the compiled module in dist/ (under vitest, the source), also from the start-up
 * chunks and the pre-commit hook's hook.cjs, which are bundled from those modules.
 */
export function codeFile(module: string): string {
  return bundle ? here : join(codeDir, `${module}${extname(here) === '.ts' ? '.ts' : '.js'}`);
}

/**
 * How to run this leakradius again from a hook: the node binary and the CLI script, or, for the
 * single executable (Node's SEA), the executable alone.
 */
export function selfCommand(): readonly string[] {
  if (isSea()) return [process.execPath];
  return [process.execPath, join(root, 'bin', 'leakradius.js')];
}
