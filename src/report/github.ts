// GitHub Actions output: masked secrets, annotations on the lines, and a ranked job summary.

import * as core from '@actions/core';
import type { ScanResult } from '../types.js';
import { TIERS, type Finding, type Location, type Tier } from '../types.js';
import { sortFindings } from './json.js';
import { formatLocation, locationPath } from './location.js';
import { markdownText } from './markdown.js';

/** Every secret is registered with the runner first, so it is masked in the job log. */
export function maskSecrets(findings: readonly Finding[]): void {
  for (const f of findings) {
    core.setSecret(f.secret);
    // Multi-line secrets (PEM) are masked line by line as well.
    if (f.secret.includes('\n'))
      for (const line of f.secret.split(/\r?\n/)) if (line.trim().length >= 8) core.setSecret(line.trim());
  }
}

function annotationMessage(f: Finding): string {
  return [
    `${f.ruleName} ${f.redacted}: blast radius ${f.blast.tier} (${f.blast.score}/100, ` +
      `${f.blast.basis === 'lookup' ? 'looked up' : 'inferred'}).`,
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

/** A notice on each secret a pull request allows with its own inline pragma, where the reviewer reads the diff. */
export function annotateAllowed(allowed: readonly Finding[], workspacePrefix = ''): void {
  for (const f of allowed) {
    const l = f.locations[0]!;
    core.notice(
      `${f.ruleName} ${f.redacted} is allowed by an inline pragma this pull request adds: ` +
        'check that it is not a real credential.',
      { title: 'leakradius: allowed in this PR', file: workspacePrefix + locationPath(l), startLine: l.line },
    );
  }
}

function where(l: Location): string {
  return l.kind === 'git' ? `${l.path}:${l.line} (${l.commit.slice(0, 7)})` : formatLocation(l);
}

export interface SummaryContext {
  readonly scanned: string;
  readonly lookupNote?: string;
  readonly failOn: Tier | 'none';
  /** fail-on-new, where the scan read only what its commits add. */
  readonly failOnNew?: Tier | 'none';
  /** Why the job fails, one line per gate (action/gate.ts); empty: it passes. */
  readonly failures: readonly string[];
  /** The commit whose config and baseline the scan applied (a range's base), if not the checkout's. */
  readonly configFrom?: string;
  /** allow-pragmas-in-pr: whether the pragmas a pull request adds allow (true) or fail (false). */
  readonly allowPragmas?: boolean;
  /** Config and baseline files the scanned commits change: not applied, shown for review. */
  readonly configChanges?: readonly { readonly path: string; readonly status: string }[];
}

const SUMMARY_ROWS = 200;
const SUMMARY_WARNINGS = 50;

/**
 * The job summary as GitHub Markdown: a heading, one paragraph per fact, a pipe table and the
 * warnings in a closed <details> block. Everything from the scan (paths, names, identities,
 * reasons, warnings) goes through markdownText, so a pull request cannot inject Markdown or HTML.
 */
export function summaryMarkdown(result: ScanResult, ctx: SummaryContext): string {
  const findings = sortFindings(result.findings);
  const counts = TIERS.map((t) => `${t}: ${findings.filter((f) => f.blast.tier === t).length}`);
  const s = result.stats;
  const n = findings.length;
  const md = [`## leakradius: ${n ? `${n} leaked credential${n === 1 ? '' : 's'}` : 'no leaked credentials'}`, ''];
  const commits = s.commits !== undefined ? `${s.commits} commits, ` : '';
  const size = `${commits}${s.files} files, ${(s.bytes / 1e6).toFixed(2)} MB in ${(s.durationMs / 1000).toFixed(1)} s`;
  md.push(`**Scanned:** ${markdownText(`${ctx.scanned} — ${size}`)}`, '');
  md.push(`**By tier:** ${counts.join(' · ')}`, '');
  if (ctx.lookupNote) md.push(`**Lookups:** ${markdownText(ctx.lookupNote)}`, '');
  const newGate =
    ctx.failOnNew === undefined || ctx.failOnNew === 'none'
      ? ''
      : `, nothing added${ctx.failOnNew === 'info' ? '' : ` at or above \`${ctx.failOnNew}\``}`;
  const verdict = ctx.failures.length
    ? `failed: ${markdownText(ctx.failures.join('; '))}`
    : ctx.failOn === 'none'
      ? `passed (fail-on: none${newGate})`
      : `passed (nothing at or above \`${ctx.failOn}\`${newGate})`;
  md.push(`**Result:** ${verdict}`, '');
  if (ctx.configFrom) md.push(`**Config:** from the base commit ${markdownText(ctx.configFrom.slice(0, 12))}`, '');
  if (ctx.configChanges?.length) {
    md.push('### leakradius config changed by these commits (not applied to this scan)', '');
    md.push('They take effect once merged. Review them: they can allow or hide findings.', '');
    for (const c of ctx.configChanges) md.push(`- ${markdownText(c.path)}: ${markdownText(c.status)}`);
    md.push('');
  }
  if (n) {
    md.push('| Tier | Kind | Where | Identity | Status | Why | What to do |');
    md.push('| --- | --- | --- | --- | --- | --- | --- |');
    for (const f of findings.slice(0, SUMMARY_ROWS)) {
      const cells = [
        `${f.blast.tier} (${f.blast.score})`,
        `${f.ruleName} ${f.redacted}`,
        where(f.locations[0]!) + (f.occurrences > 1 ? ` +${f.occurrences - 1} more` : ''),
        f.scope.identity ?? '—',
        f.scope.status,
        f.blast.reasons.slice(0, 3).join('; '),
        `Revoke: ${f.blast.remediation.revoke}. Instead: ${f.blast.remediation.replaceWith}`,
      ];
      md.push(`| ${cells.map(markdownText).join(' | ')} |`);
    }
    md.push('');
    if (n > SUMMARY_ROWS) md.push(`…and ${n - SUMMARY_ROWS} more (see the SARIF file).`, '');
  }
  const allowed = result.allowed ?? [];
  if (allowed.length) {
    // In file order, as a reviewer reads the diff.
    const places = allowed
      .flatMap((f) => f.locations.map((l) => ({ f, l })))
      .sort((a, b) => locationPath(a.l).localeCompare(locationPath(b.l)) || a.l.line - b.l.line);
    md.push(`### Allowed in this pull request by an inline pragma (${allowed.length})`, '');
    md.push(
      ctx.allowPragmas === false
        ? 'The pull request marks these with an allow pragma; allow-pragmas-in-pr is false, so they fail the job.'
        : 'The pull request marks these with an allow pragma, so they are not findings: check each is a test value.',
      '',
    );
    md.push('| Where | Kind |', '| --- | --- |');
    for (const { f, l } of places.slice(0, SUMMARY_ROWS))
      md.push(`| ${markdownText(where(l))} | ${markdownText(`${f.ruleName} ${f.redacted}`)} |`);
    md.push('');
    if (places.length > SUMMARY_ROWS) md.push(`…and ${places.length - SUMMARY_ROWS} more places.`, '');
  }
  if (result.warnings.length) {
    const listed = result.warnings.slice(0, SUMMARY_WARNINGS);
    const more = s.warnings > listed.length ? ` (the first ${listed.length} listed)` : '';
    md.push(`<details><summary>${s.warnings} warning${s.warnings === 1 ? '' : 's'}${more}</summary>`, '');
    for (const w of listed) md.push(`- ${markdownText(`${w.subject}: ${w.message}`)}`);
    md.push('', '</details>', '');
  }
  return md.join('\n');
}

export async function writeSummary(result: ScanResult, ctx: SummaryContext): Promise<void> {
  await core.summary.addRaw(summaryMarkdown(result, ctx)).write();
}
