#!/usr/bin/env node
// Rewrites the generated rule table in docs/RULES.md from rules/*.yml (run after `npm run build`).
// test/rules-doc.test.ts fails when the table and the rules disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { defaultRulesDir, loadRulesFromDir } = await import(`${root}dist/detect/rules.js`);
const { ruleCatalog, catalogMarkdown, TABLE_START, TABLE_END } = await import(`${root}dist/providers/catalog.js`);

const doc = `${root}docs/RULES.md`;
const text = readFileSync(doc, 'utf8');
const start = text.indexOf(TABLE_START);
const end = text.indexOf(TABLE_END);
if (start < 0 || end < start) {
  process.stderr.write(`rules-table: ${doc} lacks the markers ${TABLE_START} … ${TABLE_END}\n`);
  process.exit(2);
}
const table = catalogMarkdown(ruleCatalog(loadRulesFromDir(defaultRulesDir())));
writeFileSync(doc, `${text.slice(0, start + TABLE_START.length)}\n${table}\n${text.slice(end)}`);
process.stdout.write(`rules-table: ${doc} updated\n`);
