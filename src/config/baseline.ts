// Baselines: the findings a team has accepted, stored as fingerprints (sha256 of rule + secret).
// No secret and no position is stored, so moving code never churns the file; entries are sorted,
// one per line, so the file stays human-readable and merges cleanly.

import { readFileSync, writeFileSync } from 'node:fs';
import { UsageError, errorMessage } from '../errors.js';
import type { Finding } from '../types.js';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  readonly fingerprint: string;
  readonly rule: string;
}

export interface BaselineFile {
  readonly version: number;
  readonly tool: 'leakradius';
  readonly findings: readonly BaselineEntry[];
}

/** The baseline document for these findings: sorted by fingerprint, duplicates folded. */
export function baselineOf(findings: readonly Pick<Finding, 'fingerprint' | 'rule'>[]): BaselineFile {
  const byFingerprint = new Map<string, BaselineEntry>();
  for (const f of findings) byFingerprint.set(f.fingerprint, { fingerprint: f.fingerprint, rule: f.rule });
  const entries = [...byFingerprint.values()].sort((a, b) =>
    a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0,
  );
  return { version: BASELINE_VERSION, tool: 'leakradius', findings: entries };
}

/** Stable text: one entry per line, so a diff or merge touches only the entries that changed. */
export function renderBaseline(doc: BaselineFile): string {
  const lines = doc.findings.map((e) => `    ${JSON.stringify({ fingerprint: e.fingerprint, rule: e.rule })}`);
  return `{\n  "version": ${doc.version},\n  "tool": "leakradius",\n  "findings": [\n${lines.join(',\n')}${lines.length ? '\n' : ''}  ]\n}\n`;
}

export function writeBaseline(path: string, findings: readonly Pick<Finding, 'fingerprint' | 'rule'>[]): BaselineFile {
  const doc = baselineOf(findings);
  try {
    writeFileSync(path, renderBaseline(doc));
  } catch (err) {
    throw new UsageError(`cannot write the baseline to ${path}: ${errorMessage(err)}`);
  }
  return doc;
}

/** Fingerprints in a baseline file. Throws UsageError naming the file when it is missing or malformed. */
export function loadBaseline(path: string): ReadonlySet<string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(
      `cannot read the baseline ${path}: ${errorMessage(err)} (create one with "leakradius baseline ... --output ${path}")`,
    );
  }
  return parseBaseline(text, path);
}

/** Fingerprints in a baseline's text; `path` names it in errors. */
export function parseBaseline(text: string, path: string): ReadonlySet<string> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`baseline ${path} is not valid JSON: ${errorMessage(err)}`);
  }
  const findings = (doc as { findings?: unknown })?.findings;
  if (!Array.isArray(findings))
    throw new UsageError(`baseline ${path} has no "findings" list (expected the file "leakradius baseline" writes)`);
  const out = new Set<string>();
  for (const [i, e] of findings.entries()) {
    const fp = (e as { fingerprint?: unknown })?.fingerprint;
    if (typeof fp !== 'string' || !/^[0-9a-f]{64}$/.test(fp))
      throw new UsageError(`baseline ${path}: entry ${i + 1} has no valid "fingerprint" (64 hex characters)`);
    out.add(fp);
  }
  return out;
}
