// The labelled evaluation corpus: realistic files of many kinds, generated from a seed, with planted
// credentials (positives) and hard negatives (placeholders, references, digests, ids, public keys,
// data URIs, code that merely names a password). Every secret is generated at run time, so the
// repository holds none. Labels are (file, line, family); a file's other lines must stay silent.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expandTemplate } from '../../detect/template.js';
import type { Rule } from '../../detect/rules.js';
import { FileBuilder, Gen } from './gen.js';
import { MAKERS } from './makers.js';
import { hardNegatives } from './negatives.js';

export type Family =
  | 'password'
  | 'secret'
  | 'connection-string'
  | 'credential-file'
  | 'password-hash'
  | 'private-key'
  | 'provider-token';

export const FAMILIES: readonly Family[] = [
  'password',
  'secret',
  'connection-string',
  'credential-file',
  'password-hash',
  'private-key',
  'provider-token',
];

export interface Label {
  readonly file: string;
  readonly line: number;
  readonly family: Family;
  /** Why it is there, for the report (never the secret). */
  readonly what: string;
}

export interface Corpus {
  readonly dir: string;
  readonly labels: Label[];
  readonly files: number;
  readonly bytes: number;
}

/** The family a rule's findings belong to. */
export function familyOfRule(rule: Pick<Rule, 'id' | 'provider' | 'type'>): Family {
  switch (rule.provider) {
    case 'generic':
      return rule.type === 'password' ? 'password' : 'secret';
    case 'config':
    case 'login':
      return 'password';
    case 'database':
    case 'url':
      return 'connection-string';
    case 'credential-file':
      return 'credential-file';
    case 'password-hash':
      return 'password-hash';
    case 'private-key':
      return 'private-key';
    default:
      return 'provider-token';
  }
}

export interface CorpusOptions {
  /** Copies of every kind of file (default 4). */
  readonly copies?: number;
  readonly seed?: string;
  /** Rules whose single-line examples are planted as provider tokens (default: none). */
  readonly providerRules?: readonly Rule[];
}

/** Write the corpus under `dir`; returns its labels. */
export function writeCorpus(dir: string, options: CorpusOptions = {}): Corpus {
  const copies = options.copies ?? 4;
  const seed = options.seed ?? 'leakradius-eval-1';
  const builders: FileBuilder[] = [];
  const f = (path: string) => {
    const b = new FileBuilder(path);
    builders.push(b);
    return b;
  };
  for (let i = 0; i < copies; i++) {
    for (const [name, make] of Object.entries(MAKERS)) make(new Gen(`${seed}:${name}:${i}`), f, i);
    hardNegatives(new Gen(`${seed}:neg:${i}`), f, i);
  }
  // Provider tokens, in the contexts each rule documents (its examples), generated anew.
  const rules = options.providerRules ?? [];
  const byProvider = new Map<string, FileBuilder>();
  for (const rule of rules) {
    if (familyOfRule(rule) !== 'provider-token' || (rule as { reportAlone?: boolean }).reportAlone === false) continue;
    // A path rule (Rails' config/master.key) fires only in its own file: test/path-rules.test.ts plants it there.
    if (rule.path !== undefined) continue;
    let b = byProvider.get(rule.provider);
    if (!b) byProvider.set(rule.provider, (b = f(`integrations/${rule.provider}/settings.txt`)));
    rule.examples.forEach((ex, k) => {
      if (ex.includes('\n')) return;
      b!.add(`# ${rule.id}`);
      b!.add(expandTemplate(ex, `${seed}:${rule.id}:${k}`), 'provider-token', rule.id);
    });
  }
  let bytes = 0;
  const labels: Label[] = [];
  const seen = new Set<string>();
  for (const b of builders) {
    if (seen.has(b.path)) throw new Error(`corpus: duplicate file ${b.path}`);
    seen.add(b.path);
    const text = b.lines.join('\n') + '\n';
    const path = join(dir, b.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    bytes += Buffer.byteLength(text);
    for (const l of b.labels) labels.push({ file: b.path, line: l.line, family: l.family, what: l.what });
  }
  return { dir, labels, files: builders.length, bytes };
}
