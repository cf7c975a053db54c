// The scope stage after a scan: rank again with every location (first-seen dates, occurrences),
// and, when asked, look each secret up at its provider and rank once more.

import type { ScanResult } from '../scan/scan.js';
import type { Warning } from '../types.js';
import { rerank } from '../rank/rank.js';
import type { LookupOptions } from './lookup/index.js';

export interface ScopeStageOptions {
  /** Provider lookups; absent or false = offline (the library default). */
  readonly lookup?: LookupOptions | false;
  /** Records a warning: the scan's collector, which counts, keeps and prints it once. */
  readonly onWarning?: (w: Warning) => void;
}

export async function finishScope(result: ScanResult, options: ScopeStageOptions): Promise<ScanResult> {
  const rules = new Map(result.rules.map((r) => [r.id, r]));
  if (!options.lookup || result.findings.length === 0) {
    rerank(result.findings, rules);
    return result;
  }
  // The lookup code (62 providers) loads only when lookups are on: the offline hook never pays for it.
  const { enrich } = await import('./lookup/index.js');
  const summary = await enrich(result.findings, result.rules, { ...options.lookup, onWarning: options.onWarning });
  result.stats.lookups = summary;
  return result;
}
