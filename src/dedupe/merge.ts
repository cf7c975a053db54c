// Many scans, one picture: JSON reports of many repositories, branches or log directories merged
// into one result, one finding per fingerprint with every location (each marked with the scan it
// came from) and one scope: the newest looked-up one.

import { z } from 'zod';
import { UsageError } from '../errors.js';
import { MAX_LOCATIONS } from './finding-set.js';
import type { Rule } from '../detect/rules.js';
import type { ScanContext } from '../report/index.js';
import type { ScanResult } from '../types.js';
import type { Confidence, Finding, Location, ScanStats, Warning } from '../types.js';
import { TIERS, emptyStats } from '../types.js';

/** Warnings kept in the merged result (as in one scan). */
const MAX_WARNINGS = 1000;
/** Scans named in the merged report's target line. */
const NAMED_SCANS = 10;

const seenAt = z.object({ commit: z.string(), date: z.string() });
const finding = z
  .object({
    rule: z.string(),
    ruleName: z.string(),
    provider: z.string(),
    type: z.string(),
    fingerprint: z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 hex fingerprint'),
    redacted: z.string(),
    secret: z.string().optional(),
    confidence: z.enum(['high', 'medium', 'low']),
    occurrences: z.number().int().nonnegative(),
    locations: z.array(
      z
        .object({ kind: z.enum(['file', 'stdin', 'git', 'archive']), line: z.number(), column: z.number() })
        .passthrough(),
    ),
    firstSeen: seenAt.optional(),
    lastSeen: seenAt.optional(),
    presentAtHead: z.boolean().optional(),
    scope: z
      .object({
        status: z.enum(['live', 'revoked', 'unknown', 'not-checked']),
        grants: z.array(z.unknown()),
        facts: z.array(z.string()),
      })
      .passthrough(),
    blast: z
      .object({
        score: z.number(),
        tier: z.enum(TIERS as [string, ...string[]]),
        basis: z.enum(['lookup', 'inferred']),
        reasons: z.array(z.string()),
      })
      .passthrough(),
  })
  .passthrough();
const report = z
  .object({
    schemaVersion: z.literal(1),
    tool: z.object({ name: z.literal('leakradius') }).passthrough(),
    scan: z.object({ target: z.string(), startedAt: z.string() }).optional(),
    stats: z.object({ files: z.number(), bytes: z.number(), durationMs: z.number() }).passthrough(),
    findings: z.array(finding),
    warnings: z.array(z.object({ subject: z.string(), message: z.string() })).default([]),
  })
  .passthrough();

/** One JSON report to merge: its text and the label its locations get (e.g. the repository). */
export interface ReportInput {
  readonly label: string;
  readonly text: string;
  /** Where it was read from, for error messages (default: the label). */
  readonly file?: string;
}

export interface MergedReports {
  readonly result: ScanResult;
  readonly scan: ScanContext;
}

type Parsed = z.infer<typeof report> & { label: string };

function parse(input: ReportInput): Parsed {
  const name = input.file ?? input.label;
  let json: unknown;
  try {
    json = JSON.parse(input.text);
  } catch (err) {
    throw new UsageError(
      `${name}: not JSON (${(err as Error).message}); merge reads reports written with --format json`,
    );
  }
  const parsed = report.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(
      `${name}: not a leakradius JSON report (schema 1): ${issue.path.join('.') || 'document'}: ${issue.message}`,
    );
  }
  return { ...parsed.data, label: input.label };
}

const CONFIDENCE: Record<Confidence, number> = { high: 2, medium: 1, low: 0 };
const looked = (f: Finding) => f.blast.basis === 'lookup' && f.scope.status !== 'not-checked';

/** Merge reports; `rules` gives SARIF its rule metadata (findings of rules not in it still merge). */
export function mergeReports(inputs: readonly ReportInput[], rules: readonly Rule[] = []): MergedReports {
  if (inputs.length === 0) throw new UsageError('merge needs at least one JSON report');
  const reports = inputs.map(parse);
  const byFingerprint = new Map<string, { finding: Finding; scopeFrom: string; locationKeys: Set<string> }>();
  const stats: ScanStats = emptyStats();
  const warnings: Warning[] = [];
  const hosts = new Set<string>();
  for (const r of reports) {
    const s = r.stats as unknown as ScanStats;
    stats.files += s.files;
    stats.bytes += s.bytes;
    stats.binarySkipped += s.binarySkipped ?? 0;
    stats.unreadable += s.unreadable ?? 0;
    stats.durationMs += s.durationMs;
    stats.warnings += s.warnings ?? r.warnings.length;
    if (s.commits) stats.commits = (stats.commits ?? 0) + s.commits;
    if (s.baselined) stats.baselined = (stats.baselined ?? 0) + s.baselined;
    for (const h of s.lookups?.hosts ?? []) hosts.add(h);
    for (const w of r.warnings)
      if (warnings.length < MAX_WARNINGS) warnings.push({ subject: `${r.label}: ${w.subject}`, message: w.message });
    const startedAt = r.scan?.startedAt ?? '';
    for (const raw of r.findings) {
      const locations = raw.locations.map(
        (l) => ({ ...l, source: (l as { source?: string }).source ?? r.label }) as Location,
      );
      const entry = byFingerprint.get(raw.fingerprint);
      if (!entry) {
        const f = { ...raw, locations: [] as Location[] } as unknown as Finding;
        delete (f as { secret?: string }).secret;
        // Non-enumerable, as in a scan: only a report written with --show-secrets carries it.
        Object.defineProperty(f, 'secret', { value: raw.secret ?? '', enumerable: false });
        const added = { finding: f, scopeFrom: startedAt, locationKeys: new Set<string>() };
        addLocations(added, locations);
        byFingerprint.set(raw.fingerprint, added);
        continue;
      }
      const f = entry.finding;
      addLocations(entry, locations);
      f.occurrences += raw.occurrences;
      if (CONFIDENCE[raw.confidence] > CONFIDENCE[f.confidence])
        (f as { confidence: Confidence }).confidence = raw.confidence;
      if (raw.firstSeen && (!f.firstSeen || raw.firstSeen.date < f.firstSeen.date)) f.firstSeen = raw.firstSeen;
      if (raw.lastSeen && (!f.lastSeen || raw.lastSeen.date > f.lastSeen.date)) f.lastSeen = raw.lastSeen;
      if (raw.presentAtHead !== undefined) f.presentAtHead = Boolean(f.presentAtHead) || raw.presentAtHead;
      if (!f.secret && raw.secret) Object.defineProperty(f, 'secret', { value: raw.secret, enumerable: false });
      // One lookup per credential: the newest scan's lookup wins, any lookup beats an inference.
      const other = raw as unknown as Finding;
      const better =
        looked(other) !== looked(f)
          ? looked(other)
          : startedAt !== entry.scopeFrom
            ? startedAt > entry.scopeFrom
            : other.blast.score > f.blast.score;
      if (better) {
        f.scope = other.scope;
        f.blast = other.blast;
        entry.scopeFrom = startedAt;
      }
    }
  }
  const findings = [...byFingerprint.values()].map((e) => e.finding);
  stats.findings = findings.length;
  const count = (st: string) => findings.filter((f) => f.scope.status === st).length;
  if (reports.some((r) => (r.stats as { lookups?: unknown }).lookups)) {
    const [live, revoked, unknown] = [count('live'), count('revoked'), count('unknown')];
    stats.lookups = {
      attempted: live + revoked + unknown,
      live,
      revoked,
      unknown,
      notChecked: count('not-checked'),
      hosts: [...hosts].sort(),
    };
  }
  const starts = reports
    .map((r) => r.scan?.startedAt)
    .filter((d): d is string => Boolean(d))
    .sort();
  const names = reports.map((r) =>
    r.scan?.target && r.scan.target !== r.label ? `${r.label} (${r.scan.target})` : r.label,
  );
  const more = names.length > NAMED_SCANS ? `, … and ${names.length - NAMED_SCANS} more` : '';
  const scan = {
    target:
      `${reports.length} report${reports.length === 1 ? '' : 's'}: ${names.slice(0, NAMED_SCANS).join(', ')}` + more,
    startedAt: starts[0] ?? new Date().toISOString(),
  };
  return { result: { findings, stats, warnings, rules }, scan };
}

/** Adds locations not already listed (the same file in the same scan twice), up to MAX_LOCATIONS. */
function addLocations(entry: { finding: Finding; locationKeys: Set<string> }, locations: readonly Location[]): void {
  for (const l of locations) {
    const key = JSON.stringify(l);
    if (entry.locationKeys.has(key) || entry.finding.locations.length >= MAX_LOCATIONS) continue;
    entry.locationKeys.add(key);
    entry.finding.locations.push(l);
  }
}
