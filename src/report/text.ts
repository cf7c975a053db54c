import pc from 'picocolors';
import type { ScanResult } from '../types.js';
import { TIERS, type Finding, type Practice, type ScanStats, type Tier } from '../types.js';
import type { ReportOptions } from './index.js';
import { sortFindings } from './json.js';
import { escapeControls, formatLocation } from './location.js';

const SHOWN_LOCATIONS = 5;
const SHOWN_REACHED = 5;

type Paint = (s: string) => string;
function painter(color: boolean | undefined) {
  const c = pc.createColors(Boolean(color));
  const tier: Record<Tier, Paint> = {
    critical: (s) => c.bold(c.red(s)),
    high: c.red,
    medium: c.yellow,
    low: c.cyan,
    info: c.dim,
  };
  return { c, tier };
}

/** Why a finding's confidence is low, in the reader's terms. */
function lowConfidenceWhy(f: Finding): string {
  if (f.scope.facts.some((x) => x.startsWith('checksum does not match')))
    return "its checksum does not match, so the provider most likely never issued it (a look-alike or a typo'd copy)";
  return 'a generic rule matched: a secret-looking value next to a secret-like name, no provider format to confirm it';
}

export function renderFinding(
  f: Finding,
  options: Pick<ReportOptions, 'showSecrets' | 'color'> & { readonly lookupPending?: boolean },
): string {
  const { c, tier } = painter(options.color);
  const lines: string[] = [];
  lines.push(
    `${tier[f.blast.tier](f.blast.tier.toUpperCase())}${f.fixture ? ' (test fixture)' : ''} ${c.bold(f.ruleName)} ` +
      `${c.dim(`[${f.rule}]`)}`,
  );
  lines.push(`  secret:   ${options.showSecrets ? f.secret : f.redacted}`);
  // A streamed finding is printed before the lookups, which run once the input ends.
  const pending = options.lookupPending && f.blast.basis !== 'lookup';
  const basis =
    f.blast.basis === 'lookup'
      ? 'looked up'
      : pending
        ? 'inferred; looked up when the input ends'
        : 'inferred, not looked up';
  const status = pending ? 'status not looked up yet' : `status ${f.scope.status}`;
  const identity = f.scope.identity ? `; identity ${escapeControls(f.scope.identity)}` : '';
  lines.push(`  radius:   ${f.blast.score}/100 (${basis}); ${status}${identity}`);
  if (f.confidence === 'low') lines.push(`  confidence: low: ${lowConfidenceWhy(f)}`);
  for (const r of f.blast.reasons.slice(0, 4)) lines.push(`            - ${r}`);
  const reached = f.scope.reached ?? [];
  // Every line starts with our own label, never with scanned or provider text: a CI runner trims
  // the indent and runs a line starting with "::" as a workflow command.
  for (const r of reached.slice(0, SHOWN_REACHED)) lines.push(`  reaches:  ${r.resource} [${r.access}]`);
  if (reached.length > SHOWN_REACHED) lines.push(`            … and ${reached.length - SHOWN_REACHED} more`);
  const violated = Object.entries(f.blast.practices).filter(([, v]) => v === 'violated');
  if (violated.length) {
    const practices = violated.map(([p]) => {
      const why = f.blast.evidence?.[p as Practice] ? ` (${f.blast.evidence[p as Practice]})` : '';
      return `${p}${why}`;
    });
    lines.push(`  violates: ${practices.join('; ')}`);
  }
  const shown = f.locations.slice(0, SHOWN_LOCATIONS);
  lines.push(`  found at: ${formatLocation(shown[0]!)}`);
  for (const l of shown.slice(1)) lines.push(`  also at:  ${formatLocation(l)}`);
  if (f.occurrences > shown.length) lines.push(`            … and ${f.occurrences - shown.length} more`);
  if (f.firstSeen && f.lastSeen) {
    const head =
      f.presentAtHead === undefined
        ? ''
        : f.presentAtHead
          ? '; still present at HEAD'
          : '; no longer at HEAD (still in history)';
    lines.push(
      `  history:  first ${f.firstSeen.commit.slice(0, 12)} (${f.firstSeen.date.slice(0, 10)}), last ` +
        `${f.lastSeen.commit.slice(0, 12)} (${f.lastSeen.date.slice(0, 10)})${head}`,
    );
  }
  if (shown[0]?.excerpt) lines.push(`  excerpt:  ${c.dim(escapeControls(shown[0].excerpt))}`);
  lines.push(`  revoke:   ${f.blast.remediation.revoke}`);
  lines.push(`  instead:  ${f.blast.remediation.replaceWith}`);
  return lines.join('\n');
}

/** 1204 → "1,204", without loading ICU (toLocaleString costs the hook ~30 ms). */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function summaryLine(stats: ScanStats, findings: number): string {
  const mb = (stats.bytes / 1e6).toFixed(1);
  const secs = (stats.durationMs / 1000).toFixed(1);
  const parts = [
    `${findings} finding${findings === 1 ? '' : 's'} in ${thousands(stats.files)} ` +
      `file${stats.files === 1 ? '' : 's'} (${mb} MB) in ${secs} s`,
  ];
  if (stats.binarySkipped) parts.push(`${stats.binarySkipped} binary skipped`);
  if (stats.unreadable) parts.push(`${stats.unreadable} unreadable`);
  if (stats.warnings) parts.push(`${stats.warnings} warning${stats.warnings === 1 ? '' : 's'}`);
  if (stats.fixtures)
    parts.push(`${stats.fixtures} test fixture${stats.fixtures === 1 ? '' : 's'} not shown: --include-fixtures`);
  if (stats.notLiveHidden) parts.push(`${stats.notLiveHidden} not confirmed live left out (--only-live)`);
  const lk = stats.lookups;
  if (lk)
    parts.push(
      `${lk.attempted} looked up (${lk.live} live, ${lk.revoked} revoked, ${lk.unknown} ` +
        `unknown)${lk.hosts.length ? ` at ${lk.hosts.join(', ')}` : ''}`,
    );
  return parts.join('; ');
}

export function renderText(result: ScanResult, options: ReportOptions): string {
  const out: string[] = [];
  if (result.findings.length) out.push(tierSummary(result.findings), '');
  if (!options.streamed) for (const f of sortFindings(result.findings)) out.push(renderFinding(f, options), '');
  else if (result.stats.lookups && result.findings.length) {
    out.push('After the lookups:', ...sortFindings(result.findings).map(lookedUpLine), '');
  }
  out.push(summaryLine(result.stats, result.findings.length));
  return out.join('\n') + '\n';
}

/** A streamed finding once its lookup ran: "  CRITICAL GitHub … ghp_Ab…(40 chars) at (stdin):3:7: live; …". */
function lookedUpLine(f: Finding): string {
  const identity = f.scope.identity ? `; identity ${escapeControls(f.scope.identity)}` : '';
  const basis = f.blast.basis === 'lookup' ? 'looked up' : 'not looked up';
  const where = formatLocation(f.locations[0]!);
  return (
    `  ${f.blast.tier.toUpperCase()} ${f.ruleName} ${f.redacted} at ${where}: ${f.scope.status}${identity} ` +
    `(${f.blast.score}/100, ${basis})`
  );
}

/** "2 critical (2 live, 1 admin), 1 high, 4 low": the first line a reader sees. */
export function tierSummary(findings: readonly Finding[]): string {
  const parts: string[] = [];
  for (const t of TIERS) {
    const inTier = findings.filter((f) => f.blast.tier === t);
    if (!inTier.length) continue;
    const live = inTier.filter((f) => f.scope.status === 'live').length;
    const admin = inTier.filter((f) => f.scope.grants.some((g) => g.access === 'admin')).length;
    const notes = [live && `${live} live`, admin && `${admin} admin`].filter(Boolean);
    parts.push(`${inTier.length} ${t}${notes.length ? ` (${notes.join(', ')})` : ''}`);
  }
  return parts.join(', ');
}
