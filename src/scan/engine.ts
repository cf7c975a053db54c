// What every kind of scan (files, git) shares: the engine (rules and config, loaded and verified)
// and the run (findings as they are found, stats, bounded warnings, the baseline filter). Apart
// from scan.ts, so the git scan loads none of the file scan's readers (archives, workers).

import { existsSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { checkUniqueIds, defaultRulesDir, loadRuleSet, verifyExamplesCached, type Rule } from '../detect/rules.js';
import type { Allowlist } from '../detect/index.js';
import { EMPTY_CONFIG, findConfig, loadConfig, type Config } from '../config/config.js';
import { FindingSet, fingerprint } from '../dedupe/finding-set.js';
import { loadBaseline } from '../config/baseline.js';
import type { ScanOptions } from './scan.js';
import type { Finding, Origin, ScanStats, Warning, Candidate } from '../types.js';

export interface ScanResult {
  readonly findings: Finding[];
  readonly stats: ScanStats;
  readonly warnings: Warning[];
  readonly rules: readonly Rule[];
}

/** Warnings kept in the result; all are counted and passed to onWarning. */
const MAX_WARNINGS = 1000;

export interface Engine {
  readonly rules: readonly Rule[];
  readonly config: Config;
  readonly allow: Allowlist;
}

/** Load and verify rules and config. Throws UsageError for anything the user must fix. */
export async function prepareEngine(opts: {
  config?: string;
  rulesDir?: string;
  root?: string;
  onWarning?: (w: Warning) => void;
}): Promise<Engine> {
  const configPath = opts.config ?? (opts.root ? findConfig(opts.root) : undefined);
  if (opts.config && !existsSync(opts.config))
    throw new UsageError(`config file not found: ${opts.config} (check the --config path)`);
  const config = configPath ? loadConfig(configPath) : EMPTY_CONFIG;
  for (const key of config.ignoredKeys)
    opts.onWarning?.({
      subject: configPath!,
      message: `unknown key "${key}" ignored (a config file can never change lookup endpoints)`,
    });
  for (const message of config.warnings ?? []) opts.onWarning?.({ subject: configPath!, message });
  const { rules: builtin, key: builtinKey } = loadRuleSet(opts.rulesDir ?? defaultRulesDir());
  const disabled = new Set(config.disabledRules);
  const all = [...builtin, ...config.rules];
  checkUniqueIds(all);
  const known = new Set(all.map((r) => r.id));
  for (const id of disabled)
    if (!known.has(id))
      opts.onWarning?.({ subject: configPath!, message: `disabled_rules names an unknown rule "${id}"` });
  const rules = all.filter((r) => !disabled.has(r.id));
  await verifyExamplesCached(config.rules);
  await verifyExamplesCached(builtin, builtinKey);
  return {
    rules,
    config,
    allow: { regexes: config.allowRegexes, stopwords: config.stopwords, hashedSecrets: config.hashedSecrets },
  };
}

/** A running scan: iterate for findings as they are first found; await `result` for everything. */
export class ScanRun implements AsyncIterable<Finding> {
  readonly result: Promise<ScanResult>;
  private readonly queue: Finding[] = [];
  private wake: (() => void) | undefined;
  private ended = false;

  constructor(run: (emit: (f: Finding) => void) => Promise<ScanResult>) {
    this.result = run((f) => {
      this.queue.push(f);
      this.wake?.();
    }).finally(() => {
      this.ended = true;
      this.wake?.();
    });
    this.result.catch(() => undefined); // surfaced through iteration or by awaiting result
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Finding> {
    for (;;) {
      if (this.queue.length) {
        yield this.queue.shift()!;
        continue;
      }
      if (this.ended) {
        await this.result; // rethrows a failed scan
        return;
      }
      await new Promise<void>((r) => (this.wake = r));
      this.wake = undefined;
    }
  }
}

/** What every kind of scan shares: stats, bounded warnings, one FindingSet, the baseline filter. */
export class ScanCollector {
  readonly stats: ScanStats = {
    files: 0,
    bytes: 0,
    binarySkipped: 0,
    unreadable: 0,
    findings: 0,
    durationMs: 0,
    warnings: 0,
  };
  readonly warnings: Warning[] = [];
  private readonly started = performance.now();
  private findings: FindingSet | undefined;
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
    this.findings = new FindingSet(new Map(engine.rules.map((r) => [r.id, r])), this.options.maxLocations);
    if (this.options.baseline) this.baseline = loadBaseline(this.options.baseline);
  }

  readonly record = (origin: Origin, candidates: readonly Candidate[]): void => {
    for (const c of candidates) {
      if (this.baseline?.has(fingerprint(c.ruleId, c.secret))) {
        this.stats.baselined = (this.stats.baselined ?? 0) + 1;
        continue;
      }
      const f = this.findings!.add(origin, c);
      if (f) {
        this.stats.findings++;
        this.emit(f);
      }
    }
  };

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

/**
 * A worker's young generation is capped at 8 MB (V8's default lets it grow to ~48 MB per isolate):
 * everything a scan allocates dies young, and with two workers the default added ~120 MB of peak
 * RSS on a log directory (360 MB → 237 MB) for no measurable speed.
 */
export const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8 } as const;

export { workerScript } from '../package/own-files.js';
