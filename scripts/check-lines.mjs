#!/usr/bin/env node
// Lists every tracked src/**/*.ts, test/**/*.ts and scripts/*.mjs line longer than 119 characters
// (Biome's lineWidth; its formatter cannot break long regex literals, strings or comments) and
// exits 1 if there is any.
//
//   node scripts/check-lines.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const MAX = 119;
const files = execFileSync('git', ['ls-files', '-z', '--', 'src/*.ts', 'test/*.ts', 'scripts/*.mjs'], {
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
})
  .split('\0')
  .filter((f) => f !== '');

let long = 0;
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // deleted in the work tree but not yet in the index
  }
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    // Characters as code points, as an editor counts them (awk's length in a UTF-8 locale).
    const width = [...lines[i]].length;
    if (width > MAX) {
      console.log(`${file}:${i + 1}: ${width} characters`);
      long++;
    }
  }
}
if (long > 0) {
  console.error(`${long} line${long === 1 ? '' : 's'} longer than ${MAX} characters: wrap them.`);
  process.exit(1);
}
