// CSV (RFC 4180) for spreadsheets: one row per finding, worst first, at its first location.

import type { ScanResult } from '../types.js';
import type { Finding } from '../types.js';
import type { ReportOptions } from './index.js';
import { sortFindings } from './json.js';
import { escapeControls, locationPath, rootRelative } from './location.js';

export const CSV_COLUMNS = [
  'tier',
  'score',
  'basis',
  'status',
  'rule',
  'rule_name',
  'provider',
  'confidence',
  'secret',
  'file',
  'line',
  'column',
  'commit',
  'author',
  'date',
  'occurrences',
  'identity',
  'reasons',
  'revoke',
  'fingerprint',
] as const;

/**
 * One field: quoted when it holds a comma, quote or line break; a leading =, +, -, @, tab or CR
 * gets a ' so a spreadsheet shows the text instead of running it as a formula (scanned text is hostile).
 */
export function csvField(value: string | number | undefined): string {
  let s = value === undefined ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function row(f: Finding, options: ReportOptions): Record<(typeof CSV_COLUMNS)[number], string | number | undefined> {
  const l = f.locations[0]!;
  const relative = (path: string) => rootRelative(path, options.roots).path;
  return {
    tier: f.blast.tier,
    score: f.blast.score,
    basis: f.blast.basis,
    status: f.scope.status,
    rule: f.rule,
    rule_name: f.ruleName,
    provider: f.provider,
    confidence: f.confidence,
    secret: options.showSecrets ? f.secret : f.redacted,
    file: escapeControls(
      l.kind === 'archive' ? [relative(l.chain[0]!), ...l.chain.slice(1)].join('!') : relative(locationPath(l)),
    ),
    line: l.line,
    column: l.column,
    commit: l.kind === 'git' ? l.commit : undefined,
    author: l.kind === 'git' ? l.author : undefined,
    date: l.kind === 'git' ? l.date : undefined,
    occurrences: f.occurrences,
    identity: f.scope.identity,
    reasons: f.blast.reasons.join('; '),
    revoke: f.blast.remediation.revoke,
    fingerprint: f.fingerprint,
  };
}

export function renderCsv(result: ScanResult, options: ReportOptions): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const f of sortFindings(result.findings)) {
    const r = row(f, options);
    lines.push(CSV_COLUMNS.map((c) => csvField(r[c])).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
