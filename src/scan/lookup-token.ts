// The library call for one token (`leakradius lookup`, `revoke`): the same pipeline as a scan, over
// one blob that is the token itself: detect → dedupe → scope (lookups when asked) → rank.

import { UsageError } from '../errors.js';
import { Detector, scanBuffer } from '../detect/index.js';
import { FindingSet } from '../dedupe/finding-set.js';
import { canonicalProvider, lookupOfRule } from '../providers/registry.js';
import type { LookupOptions } from '../scope/lookup/index.js';
import { emptyStats, type Finding, type Warning } from '../types.js';
import { prepareEngine } from './engine.js';
import { finishPipeline } from './pipeline.js';

export interface LookupTokenOptions {
  /** A rule id or a provider, when the token's prefix is ambiguous (or it has none). */
  readonly type?: string;
  /** Directory of rule files; default: the package's rules/. */
  readonly rulesDir?: string;
  /** Provider lookups; false = offline facts only. */
  readonly lookup: LookupOptions | false;
  readonly onWarning?: (w: Warning) => void;
}

/** Every finding in `input` (one token, or a small credentials file), scoped and ranked. */
export async function lookupToken(input: string, options: LookupTokenOptions): Promise<Finding[]> {
  const engine = await prepareEngine({ rulesDir: options.rulesDir, onWarning: options.onWarning });
  const wanted = options.type?.toLowerCase();
  const rules = wanted
    ? engine.rules.filter((r) => r.id === wanted || canonicalProvider(r.provider) === canonicalProvider(wanted))
    : engine.rules;
  if (wanted && rules.length === 0) throw new UsageError(`--type ${options.type}: no rule has that id or provider`);
  let candidates = scanBuffer(new Detector(rules, engine.allow), input);
  const ruleMap = new Map(engine.rules.map((r) => [r.id, r]));
  // A provider with one rule (snyk) names that rule as well as its id does; with several (pagerduty's API key
  // and routing key), the one whose lookup takes this token.
  const single = rules.filter((r) => !r.composite);
  const token = input.trim();
  const lookable = single.filter((r) => lookupOfRule(r.id, token) !== undefined);
  const ruleId = ruleMap.has(wanted ?? '') ? wanted : single.length === 1 ? single[0]!.id : lookable[0]?.id;
  if (candidates.length === 0 && ruleId && !/\s/.test(token)) {
    // A bare token of a prefix-less kind (Datadog, Twilio auth token): trust --type.
    candidates = [{ ruleId, secret: token, line: 1, column: 1 }];
  }
  if (candidates.length === 0)
    throw new UsageError(
      `no known token type recognized in the input${wanted ? '' : '; give --type <rule-id or provider>'}`,
    );
  const set = new FindingSet(ruleMap);
  for (const c of candidates) set.add({ kind: 'stdin' }, c);
  const stats = { ...emptyStats(), files: 1, bytes: input.length };
  const result = { findings: set.all(), stats, warnings: [], rules: engine.rules };
  await finishPipeline(result, { lookup: options.lookup, onWarning: options.onWarning });
  return result.findings;
}
