// `npm run eval`: precision, recall and F1 on the generated, labelled corpus (overall and per
// family, with every false positive and false negative listed, redacted), then false positives per
// 100 MB on a large real tree that holds no secrets (node_modules), side by side with gitleaks.
//
//   node dist/eval/run.js [--copies N] [--seed S] [--rules DIR] [--tree DIR] [--no-tree] [--no-gitleaks] [--json FILE]
//                         [--real-code DIR] [--no-real-code]
// The real-code corpus (src/eval/real-code.ts) reads work trees from --real-code DIR, default
// $LEAKRADIUS_REAL_CODE or eval/real-code/trees (one DIR/owner+name per labelled repository).

import {
  cpSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, dirname } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { scan } from '../scan/scan.js';
import { defaultRulesDir, loadRulesFromDir, type Rule } from '../detect/rules.js';
import { FAMILIES, familyOfRule, writeCorpus, type Family, type Label } from './corpus/index.js';
import { evaluateRealCode } from './real-code.js';

export interface Scored {
  readonly family: Family | 'overall';
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export interface Predicted {
  readonly file: string;
  readonly line: number;
  /** Every line the secret covers (a PEM block, a composite's parts); default: [line]. */
  readonly lines?: readonly number[];
  readonly rule: string;
  readonly family: Family;
  readonly excerpt: string;
}

export interface EvalResult {
  readonly overall: Scored;
  readonly families: Scored[];
  readonly falsePositives: Predicted[];
  readonly falseNegatives: Label[];
  readonly familyMismatches: number;
  readonly files: number;
  readonly bytes: number;
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
function score(family: Family | 'overall', tp: number, fp: number, fn: number): Scored {
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { family, tp, fp, fn, precision, recall, f1 };
}

/**
 * Score findings against labels. A finding counts where it is reported: (file, line). A labelled
 * line found by any rule is a true positive (a family disagreement is counted separately); a
 * reported line with no label is a false positive; a label no finding reaches is a false negative.
 */
export function scoreFindings(
  labels: readonly Label[],
  predicted: readonly Predicted[],
): Omit<EvalResult, 'files' | 'bytes'> {
  const key = (file: string, line: number) => `${file}\0${line}`;
  const labelAt = new Map<string, Label>();
  for (const l of labels) labelAt.set(key(l.file, l.line), l);
  const predictedAt = new Map<string, Predicted[]>();
  const reported = new Map<Predicted, string[]>();
  for (const p of predicted) {
    const keys = (p.lines ?? [p.line]).map((n) => key(p.file, n));
    reported.set(p, keys);
    for (const k of keys) {
      if (!predictedAt.has(k)) predictedAt.set(k, []);
      predictedAt.get(k)!.push(p);
    }
  }
  const falsePositives: Predicted[] = [];
  const fam = new Map<Family, { tp: number; fp: number; fn: number }>(
    FAMILIES.map((f) => [f, { tp: 0, fp: 0, fn: 0 }]),
  );
  let tp = 0;
  let fp = 0;
  let mismatches = 0;
  // A reported place: one line, or the lines one finding covers. False when it covers no label.
  const places = new Map<string, Predicted[]>();
  for (const [p, keys] of reported) {
    const k = keys.length === 1 ? keys[0]! : `${keys[0]}#${p.rule}`;
    if (!places.has(k)) places.set(k, []);
    places.get(k)!.push(p);
  }
  for (const [, ps] of places) {
    if (reported.get(ps[0]!)!.some((k) => labelAt.has(k))) continue;
    fp++;
    // One reported line, one false positive, charged to the family of the rule that fired.
    fam.get(ps[0]!.family)!.fp++;
    falsePositives.push(...ps);
  }
  const falseNegatives: Label[] = [];
  for (const l of labels) {
    const ps = predictedAt.get(key(l.file, l.line));
    if (ps) {
      tp++;
      fam.get(l.family)!.tp++;
      if (!ps.some((p) => p.family === l.family)) mismatches++;
    } else {
      fam.get(l.family)!.fn++;
      falseNegatives.push(l);
    }
  }
  return {
    overall: score('overall', tp, fp, falseNegatives.length),
    families: FAMILIES.map((f) => score(f, fam.get(f)!.tp, fam.get(f)!.fp, fam.get(f)!.fn)),
    falsePositives,
    falseNegatives,
    familyMismatches: mismatches,
  };
}

async function findingsIn(
  dir: string,
  rules: ReadonlyMap<string, Rule>,
  threads?: number,
  rulesDir?: string,
): Promise<{ predicted: Predicted[]; bytes: number }> {
  const run = scan({ paths: [dir], lookup: false, threads, rulesDir, maxLocations: 100000 });
  const result = await run.result;
  const predicted: Predicted[] = [];
  for (const f of result.findings) {
    const rule = rules.get(f.rule);
    const family = rule ? familyOfRule(rule) : 'provider-token';
    for (const loc of f.locations) {
      if (loc.kind !== 'file') continue;
      const secret = (f as unknown as { secret?: string }).secret ?? '';
      predicted.push({
        file: relative(dir, loc.path),
        line: loc.line,
        lines: linesOf(loc.path, loc.line, secret, rule),
        rule: f.rule,
        family,
        excerpt: loc.excerpt ?? '',
      });
    }
  }
  return { predicted, bytes: result.stats.bytes };
}

/** The lines a finding's secret covers: its newlines, or for a composite, where each part is. */
function linesOf(path: string, line: number, secret: string, rule: Rule | undefined): number[] {
  const parts = secret.split('\n');
  if (!(rule as { composite?: unknown } | undefined)?.composite) return parts.map((_, i) => line + i);
  let text: string[];
  try {
    text = readFileSync(path, 'utf8').split('\n');
  } catch {
    return [line];
  }
  const out = new Set<number>([line]);
  for (const part of parts) {
    for (let n = Math.max(1, line - 10); n <= Math.min(text.length, line + 10); n++) {
      if (text[n - 1]!.includes(part)) {
        out.add(n);
        break;
      }
    }
  }
  return [...out].sort((a, b) => a - b);
}

export async function evaluateCorpus(
  opts: { copies?: number; seed?: string; rulesDir?: string } = {},
): Promise<EvalResult> {
  const rules = loadRulesFromDir(opts.rulesDir ?? defaultRulesDir());
  const dir = mkdtempSync(join(tmpdir(), 'leakradius-eval-'));
  try {
    const corpus = writeCorpus(dir, { copies: opts.copies, seed: opts.seed, providerRules: rules });
    const { predicted } = await findingsIn(dir, new Map(rules.map((r) => [r.id, r])), 1, opts.rulesDir);
    return { ...scoreFindings(corpus.labels, predicted), files: corpus.files, bytes: corpus.bytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Bytes of regular files under dir (symlinks not followed). */
function treeBytes(dir: string): number {
  let total = 0;
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile()) total += lstatSync(p).size;
    }
  }
  return total;
}

/** gitleaks' default config skips every path with node_modules in it: scan a copy without that name. */
function copyForPeers(src: string): string {
  const dst = mkdtempSync(join(tmpdir(), 'leakradius-eval-tree-'));
  const root = join(dst, 'deps');
  // The real directory: a symlinked tree copied verbatim would be renamed in place below.
  cpSync(realpathSync(src), root, { recursive: true, verbatimSymlinks: true });
  const stack = [root];
  while (stack.length) {
    const d = stack.pop()!;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      let p = join(d, e.name);
      if (e.name === 'node_modules') {
        const q = join(d, 'nm');
        renameSync(p, q);
        p = q;
      }
      stack.push(p);
    }
  }
  return root;
}

function packageRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

function findGitleaks(): string | undefined {
  const bin = join(packageRoot(), 'bench', '.cache', 'gitleaks', 'usr', 'bin', 'gitleaks');
  if (existsSync(bin)) return bin;
  const which = spawnSync('sh', ['-c', 'command -v gitleaks'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : undefined;
}

export interface TreeResult {
  readonly tree: string;
  readonly bytes: number;
  readonly leakradius: { occurrences: number; per100MB: number; byRule: Record<string, number>; sample: Predicted[] };
  readonly gitleaks?:
    | { occurrences: number; per100MB: number; byRule: Record<string, number>; version: string }
    | { skipped: string };
}

export async function evaluateTree(tree: string, withGitleaks: boolean, rulesDir?: string): Promise<TreeResult> {
  const copy = copyForPeers(tree);
  try {
    const bytes = treeBytes(copy);
    const rules = loadRulesFromDir(rulesDir ?? defaultRulesDir());
    const { predicted } = await findingsIn(copy, new Map(rules.map((r) => [r.id, r])), undefined, rulesDir);
    const byRule: Record<string, number> = {};
    for (const p of predicted) byRule[p.rule] = (byRule[p.rule] ?? 0) + 1;
    const per = (n: number) => (n * 100e6) / bytes;
    const lr = {
      occurrences: predicted.length,
      per100MB: per(predicted.length),
      byRule,
      sample: predicted.slice(0, 50),
    };
    let gl: TreeResult['gitleaks'];
    const bin = withGitleaks ? findGitleaks() : undefined;
    if (!withGitleaks) gl = { skipped: 'not asked for (--no-gitleaks)' };
    else if (!bin)
      gl = { skipped: 'gitleaks not found (bench/.cache/gitleaks/usr/bin/gitleaks; `npm run bench` installs it)' };
    else {
      const report = join(dirname(copy), 'gitleaks.json');
      const res = spawnSync(
        bin,
        [
          'detect',
          '--no-git',
          '-s',
          copy,
          '--no-banner',
          '-f',
          'json',
          '-r',
          report,
          '--exit-code',
          '0',
          '-l',
          'error',
        ],
        { encoding: 'utf8', maxBuffer: 1 << 26 },
      );
      if (res.status !== 0 || !existsSync(report))
        gl = { skipped: `gitleaks failed: ${(res.stderr || res.error?.message || '').trim().split('\n').pop()}` };
      else {
        const found = JSON.parse(readFileSync(report, 'utf8')) as Array<{ RuleID: string }>;
        const glBy: Record<string, number> = {};
        for (const x of found) glBy[x.RuleID] = (glBy[x.RuleID] ?? 0) + 1;
        // Debian's build prints no version; the package name in bench/.cache/gitleaks/DEB has it.
        const deb = join(dirname(dirname(dirname(bin))), 'DEB');
        const m = existsSync(deb) ? /^gitleaks_([^_]+)_/.exec(readFileSync(deb, 'utf8').trim()) : null;
        const out = spawnSync(bin, ['version'], { encoding: 'utf8' }).stdout.trim();
        const v = m ? `${m[1]} (Debian)` : /^v?\d/.test(out) ? out : 'unknown version';
        gl = { occurrences: found.length, per100MB: per(found.length), byRule: glBy, version: v };
      }
    }
    return { tree, bytes, leakradius: lr, gitleaks: gl };
  } finally {
    rmSync(dirname(copy), { recursive: true, force: true });
  }
}

const pct = (x: number) => x.toFixed(3);

export function formatCorpus(r: EvalResult): string {
  const out: string[] = [];
  out.push(
    `Corpus: ${r.files} files, ${(r.bytes / 1e6).toFixed(2)} MB, ${r.overall.tp + r.overall.fn} labelled secrets`,
  );
  out.push('');
  out.push('family              precision  recall     F1   TP   FP   FN');
  for (const s of [...r.families, r.overall]) {
    if (s.family !== 'overall' && s.tp + s.fp + s.fn === 0) continue;
    out.push(
      `${s.family.padEnd(18)}  ${pct(s.precision).padStart(9)}  ${pct(s.recall).padStart(6)}  ` +
        `${pct(s.f1).padStart(5)}  ${String(s.tp).padStart(3)}  ${String(s.fp).padStart(3)}  ` +
        `${String(s.fn).padStart(3)}`,
    );
  }
  out.push(`(found by a rule of another family: ${r.familyMismatches})`);
  out.push('');
  out.push(`False positives (${r.falsePositives.length}):`);
  for (const p of r.falsePositives) out.push(`  ${p.file}:${p.line}  ${p.rule}  ${p.excerpt.slice(0, 140)}`);
  out.push(`False negatives (${r.falseNegatives.length}):`);
  for (const l of r.falseNegatives) out.push(`  ${l.file}:${l.line}  ${l.family}  (${l.what})`);
  return out.join('\n');
}

export function formatTree(t: TreeResult): string {
  const out: string[] = [];
  out.push(
    `Real tree without secrets: ${t.tree} (${(t.bytes / 1e6).toFixed(1)} MB, scanned as a copy with nested ` +
      `node_modules renamed so gitleaks' default path allowlist does not skip it)`,
  );
  const rules = (by: Record<string, number>) =>
    Object.entries(by)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none';
  out.push(
    `  leakradius: ${t.leakradius.occurrences} false positives (occurrences) = ${t.leakradius.per100MB.toFixed(2)} ` +
      `per 100 MB  [${rules(t.leakradius.byRule)}]`,
  );
  const g = t.gitleaks;
  if (!g) out.push('  gitleaks: not run');
  else if ('skipped' in g) out.push(`  gitleaks: skipped — ${g.skipped}`);
  else
    out.push(
      `  gitleaks ${g.version}: ${g.occurrences} false positives (occurrences) = ${g.per100MB.toFixed(2)} per 100 ` +
        `MB  [${rules(g.byRule)}]`,
    );
  for (const p of t.leakradius.sample.slice(0, 20))
    out.push(`    ${p.file}:${p.line}  ${p.rule}  ${p.excerpt.slice(0, 120)}`);
  return out.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i === -1 ? undefined : argv[i + 1];
  };
  const copies = arg('--copies') ? Number(arg('--copies')) : undefined;
  const rulesDir = arg('--rules');
  const corpus = await evaluateCorpus({ copies, seed: arg('--seed'), rulesDir });
  console.log(formatCorpus(corpus));
  let tree: TreeResult | undefined;
  if (!argv.includes('--no-tree')) {
    const dir = arg('--tree') ?? join(packageRoot(), 'node_modules');
    console.log('');
    if (!existsSync(dir)) console.log(`Real tree: ${dir} does not exist (run npm install); skipped`);
    else {
      tree = await evaluateTree(dir, !argv.includes('--no-gitleaks'), rulesDir);
      console.log(formatTree(tree));
    }
  }
  if (!argv.includes('--no-real-code')) {
    const dir =
      arg('--real-code') ?? process.env.LEAKRADIUS_REAL_CODE ?? join(packageRoot(), 'eval', 'real-code', 'trees');
    console.log('');
    const real = await evaluateRealCode(
      join(packageRoot(), 'eval', 'real-code', 'labels.json'),
      dir,
      argv.includes('--no-gitleaks') ? undefined : findGitleaks(),
    );
    console.log(real.text);
  }
  const json = arg('--json');
  if (json)
    writeFileSync(
      json,
      JSON.stringify(
        {
          corpus: {
            ...corpus,
            falsePositives: corpus.falsePositives.length,
            falseNegatives: corpus.falseNegatives.length,
          },
          tree,
        },
        null,
        2,
      ) + '\n',
    );
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(2);
    },
  );
}
