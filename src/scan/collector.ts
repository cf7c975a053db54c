// What every kind of scan shares while it runs: stats, bounded warnings, the baseline filter and
// the one FindingSet (dedupe, first and last seen). Findings are streamed as they are first found.

import { FindingSet, fingerprint } from '../dedupe/finding-set.js';
import type { SeenTracker } from '../dedupe/seen.js';
import { rankFinding } from '../rank/rank.js';
import { loadBaseline } from '../config/baseline.js';
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

/** Warnings kept in the result; all are counted and passed to onWarning. */
const MAX_WARNINGS = 1000;

/** What every kind of scan shares: stats, bounded warnings, one FindingSet, the baseline filter. */
export class ScanCollector {
  readonly stats: ScanStats = emptyStats();
  readonly warnings: Warning[] = [];
  private readonly started = performance.now();
  private findings: FindingSet | undefined;
  private rules: ReadonlyMap<string, Rule> = new Map();
  private baseline: ReadonlySet<string> | undefined;

  constructor(
    private readonly options: Pick<ScanOptions, 'onWarning' | 'maxLocations' | 'baseline' | 'includeFixtures'>,
    private readonly emit: (f: Finding) => void,
  ) {}

  readonly warn = (w: Warning): void => {
    this.stats.warnings++;
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(w);
    this.options.onWarning?.(w);
  };

  /** Call once the engine is ready, before recording. */
  start(engine: Engine): void {
    this.rules = new Map(engine.rules.map((r) => [r.id, r]));
    this.findings = new FindingSet(this.rules, this.options.maxLocations);
    if (this.options.baseline) this.baseline = loadBaseline(this.options.baseline);
  }

  /** `order`: in history, the commit's place (larger = newer), for first and last seen. */
  readonly record = (origin: Origin, candidates: readonly Candidate[], order = 0): void => {
    for (const c of candidates) {
      if (this.baseline?.has(fingerprint(c.ruleId, c.secret))) {
        this.stats.baselined = (this.stats.baselined ?? 0) + 1;
        continue;
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
    this.stats.durationMs = performance.now() - this.started;
    const all = this.findings?.all() ?? [];
    // Fixtures are counted, and reported only when asked for (--include-fixtures).
    const fixtures = all.filter((f) => f.fixture).length;
    const findings = this.options.includeFixtures ? all : all.filter((f) => !f.fixture);
    if (fixtures && !this.options.includeFixtures) this.stats.fixtures = fixtures;
    this.stats.findings = findings.length;
    return { findings, stats: this.stats, warnings: this.warnings, rules };
  }
}
