// GitLab's secret-detection report (gl-secret-detection-report.json, schema 15.2.1), read by
// `artifacts: reports: secret_detection` into the merge request widget and the vulnerability report.

import { createHash } from 'node:crypto';
import type { ScanResult } from '../types.js';
import type { Finding, Location, Tier } from '../types.js';
import type { ReportOptions } from './index.js';
import { sortFindings } from './json.js';
import { formatLocation, locationPath, rootRelative } from './location.js';
import { markdownText } from './markdown.js';

export const GITLAB_SCHEMA_VERSION = '15.2.1';
const SEVERITY: Record<Tier, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};
/** GitLab's own analyzers give findings outside git history this commit. */
const NO_COMMIT = '0000000';

/** "2026-12-03T06:05:25": the schema's UTC time without zone or fraction. */
const gitlabTime = (ms: number) => new Date(ms).toISOString().slice(0, 19);

/** A stable UUID-shaped id per finding (GitLab tracks a vulnerability across pipelines by it). */
function vulnerabilityId(f: Finding): string {
  const h = createHash('sha256').update(`leakradius/${f.fingerprint}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function gitlabLocation(l: Location, roots: readonly string[] | undefined) {
  const relative = (path: string) => rootRelative(path, roots).path;
  const file =
    l.kind === 'archive' ? [relative(l.chain[0]!), ...l.chain.slice(1)].join('!') : relative(locationPath(l));
  const commit = l.kind === 'git' ? { sha: l.commit, author: l.author, date: l.date } : { sha: NO_COMMIT };
  return { file, start_line: l.line, end_line: l.line, commit };
}

function vulnerability(f: Finding, options: ReportOptions) {
  // GitLab renders the description as Markdown: what the scan found is escaped.
  const basis = f.blast.basis === 'lookup' ? 'looked up' : 'inferred';
  const others = f.locations.slice(1, 20).map((l) => `- ${markdownText(formatLocation(l))}`);
  const description = [
    `Blast radius **${f.blast.tier}** (${f.blast.score}/100, ${basis}); status ${f.scope.status}.`,
    ...f.blast.reasons.map((r) => `- ${markdownText(r)}`),
    ...(f.occurrences > 1 ? ['', `Found in ${f.occurrences} places, among them:`, ...others] : []),
  ].join('\n');
  return {
    id: vulnerabilityId(f),
    name: f.ruleName.slice(0, 255),
    description,
    severity: SEVERITY[f.blast.tier],
    solution: `Revoke: ${f.blast.remediation.revoke}\nInstead: ${f.blast.remediation.replaceWith}`.slice(0, 7000),
    identifiers: [{ type: 'leakradius_rule_id', name: `leakradius rule ${f.rule}`, value: f.rule }],
    location: gitlabLocation(f.locations[0]!, options.roots),
    // GitLab shows this field as the code; the secret goes there only when asked for.
    ...(options.showSecrets ? { raw_source_code_extract: f.secret } : {}),
  };
}

export function renderGitlab(result: ScanResult, options: ReportOptions): string {
  const end = Date.now();
  const tool = {
    id: 'leakradius',
    name: 'leakradius',
    version: options.toolVersion,
    vendor: { name: 'leakradius' },
    url: 'https://github.com/leakradius/leakradius',
  };
  const report = {
    version: GITLAB_SCHEMA_VERSION,
    scan: {
      analyzer: tool,
      scanner: tool,
      type: 'secret_detection',
      start_time: gitlabTime(end - result.stats.durationMs),
      end_time: gitlabTime(end),
      status: 'success',
      messages: result.warnings.slice(0, 100).map((w) => ({ level: 'warn', value: `${w.subject}: ${w.message}` })),
    },
    vulnerabilities: sortFindings(result.findings).map((f) => vulnerability(f, options)),
  };
  return JSON.stringify(report, null, 2) + '\n';
}
