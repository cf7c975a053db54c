// The real-code precision corpus: work trees of popular open-source repositories, every finding
// judged by hand (eval/real-code/labels.json: repo, path, line, rule, class, cause; never a secret).
// Prints strict precision (credential-shaped ÷ shown findings) and not-a-secret per 100 MB for
// leakradius and gitleaks side by side, the before/after table per repository and per confidence,
// and every finding the labels do not know yet, so it gets judged too.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { scan } from '../scan/scan.js';
import type { Confidence, Finding } from '../types.js';

export type LabelClass = 'credential-shaped' | 'fake-fixture' | 'not-a-secret';
export const CLASSES: readonly LabelClass[] = ['credential-shaped', 'fake-fixture', 'not-a-secret'];

export interface RealCodeLabel {
  readonly repo: string;
  readonly tool: 'leakradius' | 'gitleaks';
  readonly rule: string;
  readonly path: string;
  readonly line: number;
  readonly class: LabelClass;
  readonly cause: string;
}

type ClassCounts = Record<LabelClass, number>;

export interface RealCodeLabels {
  readonly repos: ReadonlyArray<{ name: string; commit: string; ecosystem: string }>;
  /** leakradius's default report when the labels were made, per repository and confidence. */
  readonly before: Record<string, { bytes: number; byConfidence: Partial<Record<Confidence, ClassCounts>> }>;
  readonly labels: readonly RealCodeLabel[];
}

/** One tool's shown findings on one repository, judged. */
export interface Judged {
  readonly counts: ClassCounts;
  readonly byConfidence: Partial<Record<Confidence, ClassCounts>>;
  /** Findings no label covers: `path:line rule excerpt`. */
  readonly unlabelled: string[];
}

export interface RepoResult {
  readonly repo: string;
  readonly bytes: number;
  readonly leakradius: Judged;
  readonly fixtures: number;
  readonly gitleaks?: Judged;
}

const zero = (): ClassCounts => ({ 'credential-shaped': 0, 'fake-fixture': 0, 'not-a-secret': 0 });

/** A repository's work tree: DIR/owner+name. */
export function treeOf(dir: string, repo: string): string {
  return join(dir, repo.replace('/', '+'));
}

function labelIndex(labels: readonly RealCodeLabel[]): Map<string, RealCodeLabel> {
  return new Map(labels.map((l) => [`${l.repo}\0${l.tool}\0${l.rule}\0${l.path}\0${l.line}`, l]));
}

/** The label of a finding: the one at any of its places, for its rule and tool. */
function judge(
  index: Map<string, RealCodeLabel>,
  repo: string,
  tool: RealCodeLabel['tool'],
  rule: string,
  places: ReadonlyArray<[string, number]>,
) {
  for (const [path, line] of places) {
    const l = index.get(`${repo}\0${tool}\0${rule}\0${path}\0${line}`);
    if (l) return l;
  }
  return undefined;
}

export async function evaluateRepo(
  labels: RealCodeLabels,
  repo: string,
  tree: string,
  gitleaks?: string,
): Promise<RepoResult> {
  const index = labelIndex(labels.labels);
  const result = await scan({ paths: [tree], lookup: false }).result;
  const lr: Judged = { counts: zero(), byConfidence: {}, unlabelled: [] };
  for (const f of result.findings) {
    const places = f.locations
      .filter((l) => l.kind === 'file')
      .map((l) => [relative(tree, l.path), l.line] as [string, number]);
    const label = judge(index, repo, 'leakradius', f.rule, places);
    if (!label) {
      lr.unlabelled.push(describe(f, tree));
      continue;
    }
    lr.counts[label.class]++;
    (lr.byConfidence[f.confidence] ??= zero())[label.class]++;
  }
  return {
    repo,
    bytes: result.stats.bytes,
    leakradius: lr,
    fixtures: result.stats.fixtures ?? 0,
    gitleaks: gitleaks ? runGitleaks(index, repo, tree, gitleaks) : undefined,
  };
}

function describe(f: Finding, tree: string): string {
  const l = f.locations[0]!;
  const where = l.kind === 'file' ? `${relative(tree, l.path)}:${l.line}` : `${l.kind}:${l.line}`;
  return `${where}  ${f.rule} (${f.confidence})  ${(l.excerpt ?? '').slice(0, 120)}`;
}

/** gitleaks' findings, one per rule and secret (it reports every occurrence), judged like ours. */
function runGitleaks(index: Map<string, RealCodeLabel>, repo: string, tree: string, bin: string): Judged {
  const out = mkdtempSync(join(tmpdir(), 'leakradius-gitleaks-'));
  try {
    const report = join(out, 'report.json');
    spawnSync(
      bin,
      ['detect', '--no-git', '-s', tree, '--no-banner', '-f', 'json', '-r', report, '--exit-code', '0', '-l', 'error'],
      { encoding: 'utf8', maxBuffer: 1 << 26 },
    );
    const found = existsSync(report)
      ? (JSON.parse(readFileSync(report, 'utf8')) as Array<{
          RuleID: string;
          Secret: string;
          File: string;
          StartLine: number;
        }>)
      : [];
    const bySecret = new Map<string, { rule: string; places: Array<[string, number]> }>();
    for (const x of found) {
      const k = `${x.RuleID}\0${x.Secret}`;
      if (!bySecret.has(k)) bySecret.set(k, { rule: x.RuleID, places: [] });
      bySecret.get(k)!.places.push([relative(tree, x.File), x.StartLine]);
    }
    const judged: Judged = { counts: zero(), byConfidence: {}, unlabelled: [] };
    for (const { rule, places } of bySecret.values()) {
      const label = judge(index, repo, 'gitleaks', rule, places);
      if (label) judged.counts[label.class]++;
      else judged.unlabelled.push(`${places[0]![0]}:${places[0]![1]}  ${rule}`);
    }
    return judged;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const total = (c: ClassCounts) => c['credential-shaped'] + c['fake-fixture'] + c['not-a-secret'];
const precision = (c: ClassCounts) => (total(c) ? `${((100 * c['credential-shaped']) / total(c)).toFixed(1)}%` : '-');
const per100 = (n: number, bytes: number) => ((n * 100e6) / bytes).toFixed(2);
function add(into: ClassCounts, c: ClassCounts): void {
  for (const k of CLASSES) into[k] += c[k];
}

/** Shown findings: n (credential-shaped / fake fixture / not a secret), strict precision. */
function cell(c: ClassCounts): string {
  return (
    `${String(total(c)).padStart(3)} (${c['credential-shaped']}/${c['fake-fixture']}/${c['not-a-secret']}) ` +
    `${precision(c).padStart(6)}`
  );
}

export function formatRealCode(
  labels: RealCodeLabels,
  results: readonly RepoResult[],
  skipped: readonly string[],
): string {
  const out: string[] = [];
  out.push('Real-code corpus: findings at default settings (offline), judged by hand (eval/real-code/labels.json).');
  out.push('Each cell: shown findings (credential-shaped/fake fixture/not a secret) strict precision.');
  out.push('');
  out.push(
    `${'repository'.padEnd(24)} ${'MB'.padStart(5)}  ${'leakradius before'.padEnd(24)} ` +
      `${'leakradius now'.padEnd(24)} fixtures  gitleaks`,
  );
  const sums = { before: zero(), now: zero(), gl: zero(), bytes: 0, fixtures: 0, glRun: false };
  for (const r of results) {
    const before = zero();
    for (const c of Object.values(labels.before[r.repo]?.byConfidence ?? {})) add(before, c!);
    add(sums.before, before);
    add(sums.now, r.leakradius.counts);
    sums.bytes += r.bytes;
    sums.fixtures += r.fixtures;
    if (r.gitleaks) {
      add(sums.gl, r.gitleaks.counts);
      sums.glRun = true;
    }
    out.push(
      `${r.repo.padEnd(24)} ${(r.bytes / 1e6).toFixed(1).padStart(5)}  ${cell(before).padEnd(24)} ` +
        `${cell(r.leakradius.counts).padEnd(24)} ${String(r.fixtures).padStart(8)}  ` +
        `${r.gitleaks ? cell(r.gitleaks.counts) : '-'}`,
    );
  }
  out.push(
    `${'total'.padEnd(24)} ${(sums.bytes / 1e6).toFixed(1).padStart(5)}  ${cell(sums.before).padEnd(24)} ` +
      `${cell(sums.now).padEnd(24)} ${String(sums.fixtures).padStart(8)}  ${sums.glRun ? cell(sums.gl) : '-'}`,
  );
  out.push('');
  out.push(
    `strict precision:        leakradius ${precision(sums.now)} (before ` +
      `${precision(sums.before)})${sums.glRun ? `, gitleaks ${precision(sums.gl)}` : ''}`,
  );
  out.push(
    `not a secret per 100 MB: leakradius ${per100(sums.now['not-a-secret'], sums.bytes)} (before ` +
      `${per100(sums.before['not-a-secret'], sums.bytes)})` +
      `${sums.glRun ? `, gitleaks ${per100(sums.gl['not-a-secret'], sums.bytes)}` : ''}`,
  );
  out.push(
    `credential-shaped shown:  leakradius ${sums.now['credential-shaped']} (before ` +
      `${sums.before['credential-shaped']})${sums.glRun ? `, gitleaks ${sums.gl['credential-shaped']}` : ''}`,
  );
  out.push('');
  out.push('leakradius per confidence (before → now):');
  for (const conf of ['high', 'medium', 'low'] as const) {
    const b = zero();
    const n = zero();
    for (const r of results) {
      const bc = labels.before[r.repo]?.byConfidence[conf];
      if (bc) add(b, bc);
      const nc = r.leakradius.byConfidence[conf];
      if (nc) add(n, nc);
    }
    out.push(`  ${conf.padEnd(7)} ${cell(b).padEnd(24)} → ${cell(n)}`);
  }
  for (const s of skipped) out.push(`skipped: ${s}`);
  const fresh = results.flatMap((r) => [
    ...r.leakradius.unlabelled.map((u) => `${r.repo}: leakradius ${u}`),
    ...(r.gitleaks?.unlabelled ?? []).map((u) => `${r.repo}: gitleaks ${u}`),
  ]);
  out.push('');
  out.push(`Findings new since the labels were made (${fresh.length}; judge them and add labels):`);
  for (const f of fresh) out.push(`  ${f}`);
  return out.join('\n');
}

/** Evaluate every labelled repository present under dir; the others are skipped with how to get them. */
export async function evaluateRealCode(
  labelsFile: string,
  dir: string,
  gitleaks?: string,
): Promise<{ text: string; results: RepoResult[] }> {
  const labels = JSON.parse(readFileSync(labelsFile, 'utf8')) as RealCodeLabels;
  const results: RepoResult[] = [];
  const skipped: string[] = [];
  for (const r of labels.repos) {
    const tree = treeOf(dir, r.name);
    if (!existsSync(tree)) {
      skipped.push(
        `${r.name}: not present at ${tree} (git clone https://github.com/${r.name} ${tree} && git -C ${tree} ` +
          `checkout ${r.commit})`,
      );
      continue;
    }
    results.push(await evaluateRepo(labels, r.name, tree, gitleaks));
  }
  return { text: formatRealCode(labels, results, skipped), results };
}
