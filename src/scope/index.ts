// The scope stage after a scan: when asked, look each secret up at its provider. Offline facts come
// earlier, with each finding (FindingSet.add); ranking comes after, once (src/scan/pipeline.ts).

import type { ScanResult, Warning } from '../types.js';
import type { LookupOptions } from './lookup/index.js';

export interface ScopeStageOptions {
  /** Provider lookups; absent or false = offline (the library default). */
  readonly lookup?: LookupOptions | false;
  /** Records a warning: the scan's collector, which counts, keeps and prints it once. */
  readonly onWarning?: (w: Warning) => void;
}

export async function finishScope(result: ScanResult, options: ScopeStageOptions): Promise<ScanResult> {
  if (!options.lookup || result.findings.length === 0) return result;
  // The lookup code (62 providers) loads only when lookups are on: the offline hook never pays for it.
  const { enrich } = await import('./lookup/index.js');
  const summary = await enrich(result.findings, result.rules, { ...options.lookup, onWarning: options.onWarning });
  result.stats.lookups = summary;
  return result;
}
