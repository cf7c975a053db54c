// The stages after detection and dedupe, in order, once per scan: scope (offline facts are already
// on each finding; lookups when asked) → rank (exactly once, with every location and lookup known).
// The report stage is the caller's (the CLI and the Action render the ScanResult).

import { rerank } from '../rank/rank.js';
import { finishScope, type ScopeStageOptions } from '../scope/index.js';
import type { ScanResult } from '../types.js';

export async function finishPipeline(result: ScanResult, options: ScopeStageOptions): Promise<ScanResult> {
  await finishScope(result, options);
  rerank(result.findings, new Map(result.rules.map((r) => [r.id, r])));
  return result;
}
