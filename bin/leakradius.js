#!/usr/bin/env node
import { existsSync } from 'node:fs';
import module from 'node:module';
const main = new URL('../dist/cli/run.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('leakradius: the compiled code is missing (dist/). Run `npm install` (or `npm run build`) in the leakradius directory.\n');
  process.exit(2);
}
// Node 22.1+ keeps compiled code between runs (compiling our modules is a tenth of the pre-commit
// hook's time); older Node has no such call and compiles as before.
module.enableCompileCache?.();
await import(main.href);
