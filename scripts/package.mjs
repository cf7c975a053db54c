#!/usr/bin/env node
// npm run package: the single executable, build/leakradius-linux-x64 (Node's single executable
// applications: this Node binary with a blob injected by postject). The blob holds a small main script
// (scripts/bundle/sea-main.ts) and, as assets, the CLI bundle, re2's native module and the rules.
// Needs Linux x64, the devDependencies (esbuild, postject) and re2 built by npm ci; downloads nothing.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { inject } from 'postject';
import { ROOT, bundleCli, bundleFile } from './bundle.mjs';

// The fuse Node's SEA support looks for in its own binary (documented with `--experimental-sea-config`).
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export const EXECUTABLE = join(ROOT, 'build', 'leakradius-linux-x64');

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((n) => statSync(join(dir, n)).isFile())
    .map((n) => n.split('\\').join('/'))
    .sort();
}

/** Runs `fn` without the stderr lines that match `noise` (postject's ELF reader warns about notes it leaves alone). */
async function quietly(noise, fn) {
  const write = process.stderr.write;
  process.stderr.write = (chunk, ...rest) =>
    noise.test(String(chunk)) ? true : write.call(process.stderr, chunk, ...rest);
  try {
    return await fn();
  } finally {
    process.stderr.write = write;
  }
}

export async function packageExecutable(out = EXECUTABLE) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `npm run package builds the Linux x64 executable on Linux x64; this is ${process.platform}-${process.arch}`,
    );
  }
  const stage = join(ROOT, 'build', 'sea');
  rmSync(stage, { recursive: true, force: true });
  await bundleCli(stage);
  const files = filesUnder(stage);
  const hash = createHash('sha256');
  for (const f of files)
    hash
      .update(`${f}\0`)
      .update(readFileSync(join(stage, f)))
      .update('\0');
  const manifest = { id: hash.digest('hex').slice(0, 24), files };
  writeFileSync(join(stage, 'manifest.json'), JSON.stringify(manifest));
  await bundleFile('scripts/bundle/sea-main.ts', join(stage, 'sea-main.cjs'));
  const assets = Object.fromEntries([...files, 'manifest.json'].map((f) => [f, join(stage, f)]));
  const config = {
    main: join(stage, 'sea-main.cjs'),
    output: join(stage, 'sea.blob'),
    disableExperimentalSEAWarning: true,
    assets,
  };
  writeFileSync(join(stage, 'sea-config.json'), JSON.stringify(config, null, 2));
  execFileSync(process.execPath, ['--experimental-sea-config', join(stage, 'sea-config.json')], { stdio: 'pipe' });
  rmSync(out, { force: true });
  copyFileSync(process.execPath, out);
  chmodSync(out, 0o755);
  await quietly(/^warning: Can't find string offset for section name/, () =>
    inject(out, 'NODE_SEA_BLOB', readFileSync(config.output), { sentinelFuse: SEA_FUSE }),
  );
  return { out, bytes: statSync(out).size, assets: files.length, node: process.version };
}

if (process.argv[1] && relative(process.argv[1], new URL(import.meta.url).pathname) === '') {
  const started = performance.now();
  const built = await packageExecutable();
  const mb = (built.bytes / 2 ** 20).toFixed(1);
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `${relative(process.cwd(), built.out)}: ${mb} MB, Node ${built.node}, ${built.assets} assets, built in ${secs} ` +
      `s\n`,
  );
}
