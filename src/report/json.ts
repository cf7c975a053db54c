// JSON report. Schema: docs/json-schema.md (version 1). Stable: fields are only ever added.

import type { ScanResult } from '../types.js';
import type { Finding } from '../types.js';
import type { ReportOptions } from './index.js';

export const JSON_SCHEMA_VERSION = 1;

export function findingToJson(f: Finding, showSecrets?: boolean): Record<string, unknown> {
  return {
    rule: f.rule,
    ruleName: f.ruleName,
    provider: f.provider,
    type: f.type,
    fingerprint: f.fingerprint,
    redacted: f.redacted,
    ...(showSecrets ? { secret: f.secret } : {}),
    confidence: f.confidence,
    occurrences: f.occurrences,
    locations: f.locations,
    ...(f.firstSeen ? { firstSeen: f.firstSeen, lastSeen: f.lastSeen } : {}),
    ...(f.presentAtHead !== undefined ? { presentAtHead: f.presentAtHead } : {}),
    ...(f.fixture ? { fixture: true, fixtureReason: f.fixture } : {}),
    ...(f.alsoMatched ? { alsoMatched: f.alsoMatched } : {}),
    scope: f.scope,
    // The resources a lookup found it reaching belong to the blast radius, as in the text report.
    blast: f.scope.reached?.length ? { ...f.blast, reached: f.scope.reached } : f.blast,
  };
}

export function renderJson(result: ScanResult, options: ReportOptions): string {
  const doc = {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: 'leakradius', version: options.toolVersion },
    ...(options.scan ? { scan: options.scan } : {}),
    stats: result.stats,
    findings: sortFindings(result.findings).map((f) => findingToJson(f, options.showSecrets)),
    warnings: result.warnings,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

const TIER_ORDER = { critical: 0, high: 1, medium: 2, low: 3, info: 4 } as const;

/** Worst first, then by rule and first location: the order every report uses. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      TIER_ORDER[a.blast.tier] - TIER_ORDER[b.blast.tier] ||
      b.blast.score - a.blast.score ||
      a.rule.localeCompare(b.rule) ||
      a.fingerprint.localeCompare(b.fingerprint),
  );
}
