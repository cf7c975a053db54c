// SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.

import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { ScanResult } from '../types.js';
import type { Finding, Location, Tier } from '../types.js';
import type { Rule } from '../detect/rules.js';
import type { ReportOptions } from './index.js';
import { sortFindings } from './json.js';
import { formatLocation, locationPath, rootRelative } from './location.js';

const LEVEL: Record<Tier, Sarif.Result.level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};
/** GitHub code scanning reads rule properties["security-severity"] (0.0-10.0). */
const SEVERITY: Record<Tier, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };

function sarifRule(rule: Rule): Sarif.ReportingDescriptor {
  const tier = rule.tier ?? 'medium';
  return {
    id: rule.id,
    name: rule.id.replace(/(^|-)([a-z0-9])/g, (_, __, ch: string) => ch.toUpperCase()),
    shortDescription: { text: rule.name },
    fullDescription: {
      text: `${rule.name} (${rule.provider}). Revoke: ${rule.remediation?.revoke ?? 'at the provider'}`,
    },
    help: {
      text:
        `Revoke: ${rule.remediation?.revoke ?? 'at the provider'}\n` +
        `Replace with: ${rule.remediation?.replaceWith ?? 'a narrowly scoped, expiring credential'}`,
    },
    defaultConfiguration: { level: LEVEL[tier] },
    properties: {
      tags: ['security', 'secret', rule.provider],
      'security-severity': SEVERITY[tier],
      precision: rule.confidence === 'high' ? 'very-high' : rule.confidence === 'medium' ? 'high' : 'medium',
    },
  };
}

/** One uriBaseId per absolute scan root ("SCANROOT", "SCANROOT2", …), written to originalUriBaseIds. */
class UriBases {
  readonly ids = new Map<string, string>();
  constructor(private readonly roots: readonly string[] | undefined) {}

  /** A relative URI (every segment percent-encoded), with the base it is relative to. */
  artifact(path: string): Sarif.ArtifactLocation {
    const rel = rootRelative(path, this.roots);
    const uri = rel.path.split('/').map(encodeURIComponent).join('/');
    if (!rel.root) return { uri };
    let id = this.ids.get(rel.root);
    if (!id) this.ids.set(rel.root, (id = this.ids.size ? `SCANROOT${this.ids.size + 1}` : 'SCANROOT'));
    return { uri, uriBaseId: id };
  }

  /** SARIF wants each base as an absolute URI ending in "/". */
  original(): Record<string, Sarif.ArtifactLocation> | undefined {
    if (!this.ids.size) return undefined;
    const base = (root: string) => ({ uri: pathToFileURL(root).href.replace(/\/?$/, '/') });
    return Object.fromEntries([...this.ids].map(([root, id]) => [id, base(root)]));
  }
}

function physical(l: Location, bases: UriBases): Sarif.Location {
  const loc: Sarif.Location = {
    physicalLocation: {
      artifactLocation: bases.artifact(locationPath(l)),
      region: {
        startLine: l.line,
        startColumn: l.column,
        ...(l.endLine && l.endLine > l.line ? { endLine: l.endLine } : {}),
        ...(l.excerpt ? { snippet: { text: l.excerpt } } : {}),
      },
    },
  };
  if (l.kind !== 'file') loc.message = { text: formatLocation(l) };
  return loc;
}

function sarifResult(f: Finding, ruleIndex: number, showSecrets: boolean | undefined, bases: UriBases): Sarif.Result {
  const first = f.locations[0]!;
  const text = [
    `${f.ruleName} ${showSecrets ? f.secret : f.redacted}: ` +
      `blast radius ${f.blast.tier} (${f.blast.score}/100, ${f.blast.basis}).`,
    ...f.blast.reasons,
    ...(f.scope.reached?.length
      ? [
          `Reaches: ${f.scope.reached
            .slice(0, 10)
            .map((r) => `${r.resource} [${r.access}]`)
            .join('; ')}${f.scope.reached.length > 10 ? ` and ${f.scope.reached.length - 10} more` : ''}.`,
        ]
      : []),
    `Revoke: ${f.blast.remediation.revoke}`,
    `Replace with: ${f.blast.remediation.replaceWith}`,
  ].join(' ');
  const result: Sarif.Result = {
    ruleId: f.rule,
    ruleIndex,
    level: LEVEL[f.blast.tier],
    message: { text },
    locations: [physical(first, bases)],
    // v2: keyed (src/secret/fingerprint.ts); v1 was sha256 of rule and secret.
    partialFingerprints: { 'leakradius/v2': f.fingerprint },
    properties: {
      tier: f.blast.tier,
      score: f.blast.score,
      status: f.scope.status,
      occurrences: f.occurrences,
      confidence: f.confidence,
    },
  };
  if (f.locations.length > 1) {
    result.relatedLocations = f.locations.slice(1, 50).map((l, i) => ({ id: i + 1, ...physical(l, bases) }));
  }
  if (f.scope.reached?.length) result.properties!.reached = f.scope.reached.map((r) => `${r.resource} [${r.access}]`);
  if (f.fixture) Object.assign(result.properties!, { fixture: true, fixtureReason: f.fixture });
  if (first.kind === 'git') result.properties!.commit = first.commit;
  if (first.kind === 'archive') result.properties!.chain = first.chain;
  return result;
}

export function renderSarif(result: ScanResult, options: ReportOptions): string {
  const findings = sortFindings(result.findings);
  const used = [...new Set(findings.map((f) => f.rule))].sort();
  const rules = used.map((id) => result.rules.find((r) => r.id === id)).filter((r): r is Rule => Boolean(r));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const bases = new UriBases(options.roots);
  const results = findings.map((f) => sarifResult(f, index.get(f.rule) ?? -1, options.showSecrets, bases));
  const originalUriBaseIds = bases.original();
  const log: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'leakradius',
            version: options.toolVersion,
            informationUri: 'https://github.com/leakradius/leakradius',
            rules: rules.map(sarifRule),
          },
        },
        ...(originalUriBaseIds ? { originalUriBaseIds } : {}),
        columnKind: 'unicodeCodePoints',
        results,
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: result.warnings
              .slice(0, 100)
              .map((w) => ({ level: 'warning' as const, message: { text: `${w.subject}: ${w.message}` } })),
          },
        ],
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
