#!/usr/bin/env node
import { statSync } from 'node:fs';
import module from 'node:module';
// A clear word instead of a native-module stack trace where an old Node is first on PATH.
if (Number(process.versions.node.split('.')[0]) < 22) {
  process.stderr.write(
    `leakradius: needs Node.js 22 or later (24 LTS is tested); this is ${process.version} (${process.execPath}).\n`,
  );
  process.exit(2);
}
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
// ~85 modules; a bare `tsc` since leaves them older, and then the modules run.
const start = (mtime(bundled) ?? -1) >= mtime(modules);
// Node 22.1+ keeps compiled code between runs (compiling our modules is a tenth of the pre-commit
// hook's time); older Node has no such call and compiles as before.
module.enableCompileCache?.();
// The pre-commit hook (`git --staged`): git starts reading the index now, on the other core, while
// the CLI's modules load (~40 ms); the scan then takes its answers (src/sources/staged-start.ts).
if (process.argv[2] === 'git' && process.argv.includes('--staged'))
  (await import(start ? '../dist/start/staged-start.js' : '../dist/sources/staged-start.js')).startStagedScan(
    process.cwd(),
  );
await import((start ? bundled : modules).href);
