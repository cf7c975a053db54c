#!/usr/bin/env node
import { existsSync } from 'node:fs';
const main = new URL('../dist/cli/run.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('leakradius: the compiled code is missing (dist/). Run `npm install` (or `npm run build`) in the leakradius directory.\n');
  process.exit(2);
}
await import(main.href);
