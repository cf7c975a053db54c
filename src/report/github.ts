// GitHub Actions output: masked secrets, annotations on the lines, and a ranked job summary.

import * as core from '@actions/core';
import type { ScanResult } from '../scan.js';
import type { Finding, Location, Tier } from '../types.js';
import { sortFindings } from './json.js';
import { formatLocation, locationPath } from './location.js';

const TIER_RANK: Record<Tier, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

export function atOrAbove(tier: Tier, threshold: Tier): boolean {
  return TIER_RANK[tier] >= TIER_RANK[threshold];
}

/** Every secret is registered with the runner first, so it is masked in the job log. */
export function maskSecrets(findings: readonly Finding[]): void {
  for (const f of findings) {
    core.setSecret(f.secret);
    // Multi-line secrets (PEM) are masked line by line as well.
    if (f.secret.includes('\n')) for (const line of f.secret.split(/\r?\n/)) if (line.trim().length >= 8) core.setSecret(line.trim());
  }
}

function annotationMessage(f: Finding): string {
  return [
    `${f.ruleName} ${f.redacted}: blast radius ${f.blast.tier} (${f.blast.score}/100, ${f.blast.basis === 'lookup' ? 'looked up' : 'inferred'}).`,
    ...f.blast.reasons.map((r) => `- ${r}`),
    `Revoke: ${f.blast.remediation.revoke}`,
    `Replace with: ${f.blast.remediation.replaceWith}`,
    f.occurrences > 1 ? `Seen in ${f.occurrences} places.` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/** One annotation per finding, on its first location: error for critical/high, warning for medium, notice below. */
export function annotate(findings: readonly Finding[], workspacePrefix = ''): void {
  for (const f of sortFindings(findings)) {
    const l = f.locations[0]!;
    const props: core.AnnotationProperties = {
      title: `leakradius: ${f.ruleName} (${f.blast.tier})`,
      file: workspacePrefix + locationPath(l),
      startLine: l.line,
      startColumn: l.column,
    };
    const msg = annotationMessage(f);
    if (f.blast.tier === 'critical' || f.blast.tier === 'high') core.error(msg, props);
    else if (f.blast.tier === 'medium') core.warning(msg, props);
    else core.notice(msg, props);
  }
}

function where(l: Location): string {
  return l.kind === 'git' ? `${l.path}:${l.line} (${l.commit.slice(0, 7)})` : formatLocation(l);
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export interface SummaryContext {
  readonly scanned: string;
  readonly lookupNote?: string;
  readonly failOn: Tier | 'none';
  readonly failed: boolean;
}

export async function writeSummary(result: ScanResult, ctx: SummaryContext): Promise<void> {
  const findings = sortFindings(result.findings);
  const counts = (['critical', 'high', 'medium', 'low', 'info'] as const).map((t) => `${t}: ${findings.filter((f) => f.blast.tier === t).length}`);
  const s = result.stats;
  const summary = core.summary.addHeading(findings.length ? `leakradius: ${findings.length} leaked credential${findings.length === 1 ? '' : 's'}` : 'leakradius: no leaked credentials', 2);
  summary.addRaw(`**Scanned:** ${ctx.scanned} — ${s.commits !== undefined ? `${s.commits} commits, ` : ''}${s.files} files, ${(s.bytes / 1e6).toFixed(2)} MB in ${(s.durationMs / 1000).toFixed(1)} s`, true);
  summary.addRaw(`**By tier:** ${counts.join(' · ')}`, true);
  if (ctx.lookupNote) summary.addRaw(`**Lookups:** ${ctx.lookupNote}`, true);
  summary.addRaw(`**Result:** ${ctx.failed ? `failed (findings at or above \`${ctx.failOn}\`)` : ctx.failOn === 'none' ? 'passed (fail-on: none)' : `passed (nothing at or above \`${ctx.failOn}\`)`}`, true);
  if (findings.length) {
    summary.addTable([
      [
        { data: 'Tier', header: true },
        { data: 'Kind', header: true },
        { data: 'Where', header: true },
        { data: 'Identity', header: true },
        { data: 'Status', header: true },
        { data: 'Why', header: true },
        { data: 'What to do', header: true },
      ],
      ...findings.slice(0, 200).map((f) => [
        `${f.blast.tier} (${f.blast.score})`,
        cell(`${f.ruleName} ${f.redacted}`),
        cell(where(f.locations[0]!) + (f.occurrences > 1 ? ` +${f.occurrences - 1} more` : '')),
        cell(f.scope.identity ?? '—'),
        f.scope.status,
        cell(f.blast.reasons.slice(0, 3).join('; ')),
        cell(`Revoke: ${f.blast.remediation.revoke}. Instead: ${f.blast.remediation.replaceWith}`),
      ]),
    ]);
    if (findings.length > 200) summary.addRaw(`…and ${findings.length - 200} more (see the SARIF file).`, true);
  }
  if (result.warnings.length) summary.addDetails(`${result.stats.warnings} warning(s)`, result.warnings.slice(0, 50).map((w) => cell(`${w.subject}: ${w.message}`)).join('<br>'));
  await summary.write();
}
