// What every kind of scan shares while it runs: stats, bounded warnings, the baseline filter and
// the one FindingSet (dedupe, first and last seen). Findings are streamed as they are first found.

import { FindingSet } from '../dedupe/finding-set.js';
import type { SeenTracker } from '../dedupe/seen.js';
import { rankFinding } from '../rank/rank.js';
import { loadBaseline, type Baseline } from '../config/baseline.js';
import type { Rule } from '../detect/rules.js';
import type { Engine } from './engine.js';
import type { ScanOptions } from './scan.js';
import {
  emptyStats,
  type Candidate,
  type Finding,
  type Origin,
  type ScanResult,
  type ScanStats,
  type Warning,
} from '../types.js';

/**
 * Inline allow pragmas: "apply" (default) drops what they allow; "list" drops it from the findings
 * and lists it in ScanResult.allowed; "ignore" reports it as a finding and lists it as well.
 */
export type PragmaMode = 'apply' | 'list' | 'ignore';

/** Warnings kept in the result; all are counted and passed to onWarning. */
const MAX_WARNINGS = 1000;

/** What every kind of scan shares: stats, bounded warnings, one FindingSet, the baseline filter. */
export class ScanCollector {
  readonly stats: ScanStats = emptyStats();
  readonly warnings: Warning[] = [];
  // process.hrtime, not performance.now(): the global `performance` loads node:perf_hooks (~1 ms of the hook).
  private readonly started = process.hrtime.bigint();
  private findings: FindingSet | undefined;
  /** What inline pragmas allowed (pragmas: list or ignore). */
  private allowed: FindingSet | undefined;
  private rules: ReadonlyMap<string, Rule> = new Map();
  private baseline: Baseline | undefined;

  constructor(
    private readonly options: Pick<ScanOptions, 'onWarning' | 'maxLocations' | 'baseline' | 'includeFixtures'> & {
      readonly pragmas?: PragmaMode;
    },
    private readonly emit: (f: Finding) => void,
  ) {}

  readonly warn = (w: Warning): void => {
    this.stats.warnings++;
    if (w.incomplete) this.stats.incomplete = (this.stats.incomplete ?? 0) + 1;
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(w);
    this.options.onWarning?.(w);
  };

  /** Call once the engine is ready, before recording. `baseline`: one read elsewhere (a commit's); null: none. */
  start(engine: Engine, baseline?: Baseline | null): void {
    this.rules = new Map(engine.rules.map((r) => [r.id, r]));
    this.findings = new FindingSet(this.rules, this.options.maxLocations);
    if ((this.options.pragmas ?? 'apply') !== 'apply')
      this.allowed = new FindingSet(this.rules, this.options.maxLocations);
    if (baseline !== undefined) this.baseline = baseline ?? undefined;
    else if (this.options.baseline) this.baseline = loadBaseline(this.options.baseline);
    if (this.baseline?.warning) this.warn(this.baseline.warning);
  }

  /** `order`: in history, the commit's place (larger = newer), for first and last seen. */
  readonly record = (origin: Origin, candidates: readonly Candidate[], order = 0): void => {
    for (const c of candidates) {
      if (this.baseline?.accepts(c.ruleId, c.secret)) {
        this.stats.baselined = (this.stats.baselined ?? 0) + 1;
        continue;
      }
      if (c.allowed && this.allowed) {
        this.allowed.add(origin, c, order);
        if (this.options.pragmas !== 'ignore') continue;
      }
      const f = this.findings!.add(origin, c, order);
      if (f) {
        this.stats.findings++;
        // Shown as it is found (the streamed text report) with a provisional tier from its first
        // place; the pipeline ranks every finding once more, for the result (pipeline.ts).
        f.blast = rankFinding(this.rules.get(f.rule)!, f);
        this.emit(f);
      }
    }
  };

  /** First and last seen of each secret in history. */
  get seen(): SeenTracker | undefined {
    return this.findings?.seen;
  }

  result(rules: readonly Rule[]): ScanResult {
    this.stats.durationMs = Number(process.hrtime.bigint() - this.started) / 1e6;
    const all = this.findings?.all() ?? [];
    // Fixtures are counted, and reported only when asked for (--include-fixtures).
    const fixtures = all.filter((f) => f.fixture).length;
    const findings = this.options.includeFixtures ? all : all.filter((f) => !f.fixture);
    if (fixtures && !this.options.includeFixtures) this.stats.fixtures = fixtures;
    this.stats.findings = findings.length;
    const allowed = this.allowed ? { allowed: this.allowed.all() } : {};
    return { findings, stats: this.stats, warnings: this.warnings, rules, ...allowed };
  }
}
