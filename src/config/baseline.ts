// Baselines: the findings a team has accepted, stored as fingerprints keyed by the baseline's own
// salt (src/secret/fingerprint.ts), which is made once and kept when the file is written again.
// No secret and no position is stored, so moving code never churns the file; entries are sorted,
// one per line, so the file stays human-readable and merges cleanly. A version 1 file (sha256 of
// rule and secret, reversible with a word list) still suppresses what it lists; writing the
// baseline again rewrites each entry a scan finds, and keeps the others in their old form.

import { existsSync } from 'node:fs';
import { MAX_BASELINE_BYTES, jsonProblem, readConfigText } from './read.js';
import { UsageError } from '../errors.js';
import { writeReportFile } from '../report/write.js';
import { fingerprintWith, legacyFingerprint, newFingerprintKey, useBaselineSalt } from '../secret/fingerprint.js';
import type { Finding, Warning } from '../types.js';

export const BASELINE_VERSION = 2;
const HEX64 = /^[0-9a-f]{64}$/;

/** One accepted finding: its keyed fingerprint, or (not yet rewritten) its version 1 one. */
export type BaselineEntry =
  | { readonly fingerprint: string; readonly rule: string }
  | { readonly legacy: string; readonly rule: string };

export interface BaselineFile {
  readonly version: number;
  readonly tool: 'leakradius';
  /** The HMAC key of the fingerprints: random, secret-free, stable for the life of the file. */
  readonly salt: string;
  readonly findings: readonly BaselineEntry[];
}

const idOf = (e: BaselineEntry) => ('fingerprint' in e ? e.fingerprint : e.legacy);

/** The baseline document for these entries: sorted, duplicates folded. */
export function baselineOf(entries: readonly BaselineEntry[], salt: string): BaselineFile {
  const byId = new Map<string, BaselineEntry>();
  for (const e of entries) byId.set(idOf(e), e);
  const sorted = [...byId.values()].sort((a, b) => (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0));
  return { version: BASELINE_VERSION, tool: 'leakradius', salt, findings: sorted };
}

/** Stable text: one entry per line, so a diff or merge touches only the entries that changed. */
export function renderBaseline(doc: BaselineFile): string {
  const lines = doc.findings.map((e) => `    ${JSON.stringify(e)}`);
  const list = `${lines.join(',\n')}${lines.length ? '\n' : ''}`;
  const head = `  "version": ${doc.version},\n  "tool": "leakradius",\n  "salt": "${doc.salt}",\n`;
  return `{\n${head}  "findings": [\n${list}  ]\n}\n`;
}

/** A loaded baseline: which (rule, secret) pairs it accepts. */
export class Baseline {
  constructor(
    readonly path: string,
    readonly salt: string | undefined,
    private readonly keyed: ReadonlySet<string>,
    /** Version 1 fingerprints: sha256 of rule and secret. */
    readonly legacy: ReadonlySet<string>,
    readonly rules: ReadonlyMap<string, string>,
  ) {}

  accepts(ruleId: string, secret: string): boolean {
    if (this.salt !== undefined && this.keyed.has(fingerprintWith(this.salt, ruleId, secret))) return true;
    return this.legacy.size > 0 && this.legacy.has(legacyFingerprint(ruleId, secret));
  }

  /** What to say while entries are in the old, reversible form. */
  get warning(): Warning | undefined {
    if (!this.legacy.size) return undefined;
    return {
      subject: this.path,
      message:
        `${this.legacy.size} entr${this.legacy.size === 1 ? 'y uses' : 'ies use'} version 1 fingerprints ` +
        `(sha256 of rule and secret), which a word list can reverse: write the baseline again with ` +
        `"leakradius baseline ... --output ${this.path}" (accepted findings are kept)`,
    };
  }
}

/** Reads a baseline file. Throws UsageError naming the file when it is unreadable or malformed. */
function readBaseline(path: string): Baseline {
  return parseBaseline(readConfigText(path, { what: 'baseline', maxBytes: MAX_BASELINE_BYTES }), path);
}

/** A baseline's text (a file's, or a commit's blob); `path` names it in errors. */
export function parseBaseline(text: string, path: string): Baseline {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`baseline ${path}: ${jsonProblem(err, text)}`);
  }
  const { findings, salt, version } = (doc ?? {}) as { findings?: unknown; salt?: unknown; version?: unknown };
  if (!Array.isArray(findings))
    throw new UsageError(`baseline ${path} has no "findings" list (expected the file "leakradius baseline" writes)`);
  // Version 1 files (and hand-made ones without a salt) list sha256 fingerprints.
  const keyedFile = salt !== undefined || (typeof version === 'number' && version >= 2);
  if (keyedFile && (typeof salt !== 'string' || !HEX64.test(salt)))
    throw new UsageError(`baseline ${path}: "salt" must be 64 hex characters (write the baseline again to make one)`);
  const keyed = new Set<string>();
  const legacy = new Set<string>();
  const rules = new Map<string, string>();
  for (const [i, e] of findings.entries()) {
    const {
      fingerprint,
      legacy: old,
      rule,
    } = (e ?? {}) as { fingerprint?: unknown; legacy?: unknown; rule?: unknown };
    // A version 1 file's fingerprints are sha256 of rule and secret.
    const id = keyedFile ? (fingerprint ?? old) : fingerprint;
    if (typeof id !== 'string' || !HEX64.test(id))
      throw new UsageError(`baseline ${path}: entry ${i + 1} has no valid "fingerprint" (64 hex characters)`);
    (keyedFile && fingerprint !== undefined ? keyed : legacy).add(id);
    if (typeof rule === 'string') rules.set(id, rule);
  }
  return new Baseline(path, keyedFile ? (salt as string) : undefined, keyed, legacy, rules);
}

/**
 * The baseline at `path`, whose salt keys this process's report fingerprints from now on (so a
 * report made with --baseline shows the fingerprints the file lists).
 */
export function loadBaseline(path: string): Baseline {
  if (!existsSync(path))
    throw new UsageError(
      `cannot read the baseline ${path}: it does not exist ` +
        `(create one with "leakradius baseline ... --output ${path}")`,
    );
  const baseline = readBaseline(path);
  if (baseline.salt) useBaselineSalt(baseline.salt);
  return baseline;
}

export interface WrittenBaseline {
  readonly doc: BaselineFile;
  /** Version 1 entries this scan found, now keyed. */
  readonly migrated: number;
  /** Version 1 entries this scan did not find, kept in their old form. */
  readonly keptLegacy: number;
}

/**
 * Write the baseline of these findings to `path`, whole or not at all. An existing baseline there
 * keeps its salt; its version 1 entries are rewritten when found, else kept as they are.
 */
export function writeBaseline(path: string, findings: readonly Pick<Finding, 'rule' | 'secret'>[]): WrittenBaseline {
  const previous = existsSync(path) ? readBaseline(path) : undefined;
  const salt = previous?.salt ?? newFingerprintKey();
  const found = new Set(findings.map((f) => legacyFingerprint(f.rule, f.secret)));
  const kept = [...(previous?.legacy ?? [])].filter((id) => !found.has(id));
  const entries: BaselineEntry[] = [
    ...findings.map((f) => ({ fingerprint: fingerprintWith(salt, f.rule, f.secret), rule: f.rule })),
    ...kept.map((id) => ({ legacy: id, rule: previous!.rules.get(id) ?? 'unknown' })),
  ];
  const doc = baselineOf(entries, salt);
  writeReportFile(path, renderBaseline(doc), { what: 'the baseline' });
  return { doc, migrated: (previous?.legacy.size ?? 0) - kept.length, keptLegacy: kept.length };
}
