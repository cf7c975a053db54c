// The data that flows through the pipeline: sources → detect → dedupe → scope → rank → report.

// Type-only, so this file stays a leaf at run time (test/import-direction.test.ts allows it).
import type { Rule } from './detect/rules.js';

/** Where a blob of bytes came from. Sources produce these; they never interpret content. */
export type Origin =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'stdin' }
  | {
      readonly kind: 'git';
      readonly commit: string;
      readonly author: string;
      readonly email?: string;
      readonly date: string; // ISO 8601 author date
      readonly path: string; // file path, or "(commit message)"
    }
  | {
      readonly kind: 'archive';
      /** Outer archive first: ["release.zip", "lib/app.jar", "config/application.properties"]. */
      readonly chain: readonly string[];
    };

export type OriginKind = Origin['kind'];

/**
 * Bytes a source hands to the scan loop (src/scan/), with where they came from. Sources sniff,
 * decompress and decode (archives, gzip, UTF-16, source maps); they never run rules.
 */
export type Blob = {
  readonly origin: Origin;
  /** The blob's own path ("/"-separated), for path rules: a file, an archive member, a git path; none for stdin. */
  readonly path?: string;
} & (
  | {
      /** The whole content. */
      readonly bytes: Buffer;
      readonly chunks?: undefined;
    }
  | {
      /**
       * The content in order, for large or streamed blobs. A chunk stays valid until the one after the next is
       * read.
       */
      readonly chunks: Iterable<Buffer> | AsyncIterable<Buffer>;
      readonly bytes?: undefined;
    }
);

/** A position inside a blob: 1-based line, 1-based column in Unicode code points. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

export type Location = Origin &
  Position & {
    /** A bounded, redacted excerpt of the line around the secret. Never holds a secret. */
    readonly excerpt?: string;
    /** Decodings that revealed the secret, outermost first, e.g. ["base64"]. */
    readonly decoded?: readonly string[];
    /** A composite's last line, and the line of each part in the rule's part order. */
    readonly endLine?: number;
    readonly parts?: readonly number[];
    /** The scan this location came from (repository, branch, log directory), set by `merge`. */
    readonly source?: string;
  };

export type Tier = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const TIERS: readonly Tier[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Whether `tier` is `threshold` or worse (TIERS runs worst first). */
export function atOrAbove(tier: Tier, threshold: Tier): boolean {
  return TIERS.indexOf(tier) <= TIERS.indexOf(threshold);
}

export type Access = 'read' | 'write' | 'admin';
export interface Grant {
  readonly resource: string;
  readonly access: Access;
}

const ACCESS_ORDER: Record<Access, number> = { read: 1, write: 2, admin: 3 };

/** The strongest access among these grants (admin > write > read), if any. */
export function strongest(grants: readonly Grant[]): Access | undefined {
  let best: Access | undefined;
  for (const gr of grants) if (!best || ACCESS_ORDER[gr.access] > ACCESS_ORDER[best]) best = gr.access;
  return best;
}

export type ScopeStatus = 'live' | 'revoked' | 'unknown' | 'not-checked';

export interface Scope {
  status: ScopeStatus;
  identity?: string;
  grants: Grant[];
  /** null = never expires; undefined = not known. */
  expiresAt?: string | null;
  environment?: 'production' | 'test';
  /** Human-readable evidence, one line each. Never holds a secret. */
  facts: string[];
  /** Hints from the token itself that ranking weighs (src/scope/offline.ts). */
  offline?: {
    granular?: { ok: boolean; why: string };
    weaker?: string;
    stronger?: string;
    expired?: boolean;
    /** A planted canary (honeytoken) and who runs it: never looked up, ranked info. */
    canary?: string;
  };
  /** Concrete resources a lookup found the token reaching (organizations, repositories, projects, policies). */
  reached?: Grant[];
  /** Why a lookup gave no verdict (status unknown): a guessed host, a 403, a timeout. */
  noVerdict?: string;
  /** Where the lookup went ("api.github.com"), when one ran. */
  checkedAt?: string;
}

export type Practice = 'scoped' | 'granular' | 'expiring' | 'rotated' | 'separated';
export type PracticeVerdict = 'ok' | 'violated' | 'unknown';

export interface BlastRadius {
  score: number; // 0-100
  tier: Tier;
  /** Whether the tier rests on a provider lookup or only on offline facts. */
  basis: 'lookup' | 'inferred';
  reasons: string[];
  practices: Record<Practice, PracticeVerdict>;
  /** One line of evidence per practice verdict. */
  evidence?: Partial<Record<Practice, string>>;
  remediation: { revoke: string; replaceWith: string };
}

export type Confidence = 'high' | 'medium' | 'low';

/** One occurrence of a secret, as the detector reports it. Internal: holds the secret. */
export interface Candidate {
  readonly ruleId: string;
  readonly secret: string;
  readonly line: number;
  readonly column: number;
  readonly excerpt?: string;
  readonly decoded?: readonly string[];
  /** Checksum verdict where the rule has a validator. */
  readonly checksum?: 'valid' | 'invalid';
  /** A composite: each part's line minus `line`, in the rule's part order. */
  readonly partLines?: readonly number[];
  /** Further occurrences of the same secret in the same blob that were not listed one by one. */
  readonly extra?: number;
  /** An inline pragma allows it, on its line or the line before (only when the detector reports pragmas). */
  readonly allowed?: 'line' | 'next-line';
}

/** One distinct secret per rule, with every place it was seen. */
export interface Finding {
  readonly rule: string;
  readonly ruleName: string;
  readonly provider: string;
  readonly type: string;
  /** sha256 of rule + secret: a stable id that is safe to store. */
  readonly fingerprint: string;
  /** e.g. "ghp_Ab…(40 chars)". */
  readonly redacted: string;
  /** Kept in memory for lookups; non-enumerable, so JSON.stringify never writes it. */
  readonly secret: string;
  readonly confidence: Confidence;
  /** The first `maxLocations` places; `occurrences` counts them all. */
  locations: Location[];
  occurrences: number;
  scope: Scope;
  blast: BlastRadius;
  /** Git scans: the oldest and newest commit (by author date) that added the secret. */
  firstSeen?: SeenAt;
  lastSeen?: SeenAt;
  /** Git history scans: whether the secret is still in the tree at HEAD. */
  presentAtHead?: boolean;
  /** Why this is a test fixture, not a leak (src/detect/fixture.ts); absent for a leak. */
  fixture?: string;
  /** Other rules that matched the same secret at the same place (this finding's rule is the most specific). */
  alsoMatched?: string[];
}

export interface SeenAt {
  readonly commit: string;
  readonly date: string;
}

export interface Warning {
  /** What the warning is about: a path, an archive member, a rule file, a provider. */
  readonly subject: string;
  readonly message: string;
  /** Part of the input was not read (a budget spent, an unreadable file): the scan is incomplete (exit 3). */
  readonly incomplete?: boolean;
}

/** What an incomplete scan did not read, each once, in the order warned (CLI exit 3, the Action's gate). */
export function notReadSubjects(warnings: readonly Warning[]): string[] {
  return [...new Set(warnings.filter((w) => w.incomplete).map((w) => w.subject))];
}

/** Stats of a scan that has read nothing yet. */
export function emptyStats(): ScanStats {
  return { files: 0, bytes: 0, binarySkipped: 0, unreadable: 0, findings: 0, durationMs: 0, warnings: 0 };
}

export interface ScanStats {
  files: number;
  bytes: number;
  binarySkipped: number;
  unreadable: number;
  findings: number;
  durationMs: number;
  warnings: number;
  /** Findings judged test fixtures and left out of the report (shown with --include-fixtures). */
  fixtures?: number;
  /** Occurrences left out because the baseline lists their finding. */
  baselined?: number;
  /** Warnings that say part of the input was not read (see Warning.incomplete). */
  incomplete?: number;
  /** Commits read (git scans). */
  commits?: number;
  /** Findings left out of the report by --only-live (not confirmed live). */
  notLiveHidden?: number;
  /** Provider lookups run after the scan (absent when offline). */
  lookups?: { attempted: number; live: number; revoked: number; unknown: number; notChecked: number; hosts: string[] };
}

/** What a scan returns: every finding (all locations), stats, warnings, and the rules it ran. */
export interface ScanResult {
  readonly findings: Finding[];
  readonly stats: ScanStats;
  readonly warnings: Warning[];
  readonly rules: readonly Rule[];
  /** What inline pragmas allowed, when the scan lists them (ScanCollector's PragmaMode list or ignore). */
  readonly allowed?: Finding[];
}
