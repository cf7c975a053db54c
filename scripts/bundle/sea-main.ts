// The single executable's main script (Node's SEA, built by scripts/package.mjs). Its assets are the
// CLI bundle (lib/cli.cjs, lib/worker.cjs, lib/re2.node) and rules/: a native module and a worker
// thread need real files, so they are written once under the cache directory, in a directory named
// by their hash, and the CLI runs from there like any bundle.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, enableCompileCache } from 'node:module';
import { dirname, join } from 'node:path';
import { getAsset } from 'node:sea';
import { cacheDir } from '../../src/detect/rules.js';

/** Extracted builds kept: other versions of the executable may still run from theirs. */
const KEEP = 4;

const manifest = JSON.parse(getAsset('manifest.json', 'utf8')) as { id: string; files: string[] };
const base = cacheDir();
const root = join(base, `sea-${manifest.id}`);

function extract(): void {
  const tmp = `${root}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  for (const name of manifest.files) {
    mkdirSync(dirname(join(tmp, name)), { recursive: true });
    writeFileSync(join(tmp, name), new Uint8Array(getAsset(name)));
  }
  try {
    renameSync(tmp, root);
  } catch (err) {
    // Another process extracted the same build first: use that one.
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(root)) throw err;
  }
  const older = readdirSync(base)
    .filter((n) => /^sea-[0-9a-f]+$/.test(n) && n !== `sea-${manifest.id}`)
    .map((n) => ({ path: join(base, n), t: statSync(join(base, n)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const o of older.slice(KEEP - 1)) rmSync(o.path, { recursive: true, force: true });
}

if (!existsSync(root)) extract();
// Compiled code is kept between runs (as bin/leakradius.js does for the package).
enableCompileCache?.();
const cli = join(root, 'lib', 'cli.cjs');
createRequire(cli)(cli);
