// Blast radius: a score and tier with the reasons behind it, practices, and remediation.
// Pure: a function of the finding's scope, locations and the rule; `now` is a parameter.

import type { Rule } from '../detect/rules.js';
import {
  strongest,
  type Access,
  type BlastRadius,
  type Finding,
  type Grant,
  type Location,
  type Practice,
  type PracticeVerdict,
  type Tier,
} from '../types.js';

export { strongest } from '../types.js';
import { remediationFor } from '../providers/remediation.js';
import { credentialStoreKind, weakLeakReason } from '../detect/fixture.js';

const TIER_SCORE: Record<Tier, number> = { critical: 90, high: 70, medium: 50, low: 30, info: 10 };
/** Base score of a live token by the strongest access it holds. */
const LIVE_PRIVILEGE: Record<Access, number> = { admin: 65, write: 50, read: 35 };
const DAY = 86_400_000;
/** Exposure older than this violates "rotated". */
const ROTATE_DAYS = 90;
/** An expiry further out than this is as good as none. */
const LONG_EXPIRY_DAYS = 366;

export function tierForScore(score: number): Tier {
  if (score >= 85) return 'critical';
  if (score >= 65) return 'high';
  if (score >= 45) return 'medium';
  if (score >= 25) return 'low';
  return 'info';
}

export type RankInput = Pick<Finding, 'scope' | 'confidence'> &
  Partial<Pick<Finding, 'locations' | 'occurrences' | 'firstSeen' | 'presentAtHead' | 'fixture' | 'secret' | 'type'>>;
/** A fixture's score at most: `info`, below every leak. */
const FIXTURE_SCORE = 10;
type RankRule = Pick<Rule, 'name' | 'provider' | 'tier' | 'remediation'>;

function names(grants: readonly Grant[], access: Access, max = 6): string {
  const list = [...new Set(grants.filter((gr) => gr.access === access).map((gr) => gr.resource))];
  return list.slice(0, max).join(', ') + (list.length > max ? ` and ${list.length - max} more` : '');
}

const ORG_WIDE =
  /\b(org|organization|organisation|account|workspace|all|every|global|enterprise|team)\b|admin:org|\*/i;

export function rankFinding(rule: RankRule, finding: RankInput, now = Date.now()): BlastRadius {
  const { scope } = finding;
  const reasons: string[] = [];
  const grants = scope.grants;
  const top = strongest(grants);
  const expiresMs = scope.expiresAt ? Date.parse(scope.expiresAt) : NaN;
  const expired = (!Number.isNaN(expiresMs) && expiresMs < now) || Boolean(scope.offline?.expired);
  const looked = scope.status === 'live' || scope.status === 'revoked';
  const firstSeen = firstSeenDate(finding);
  const ageDays = firstSeen ? Math.floor((now - firstSeen.getTime()) / DAY) : undefined;
  let score: number;

  if (scope.offline?.canary) {
    score = 5;
    reasons.push(`canary token: someone planted this to detect scanners; do not use (${scope.offline.canary})`);
  } else if (scope.status === 'revoked') {
    score = 5;
    reasons.push(
      `revoked or invalid: the ${rule.provider} lookup rejected it${scope.checkedAt ? ` (${scope.checkedAt})` : ''}`,
    );
  } else if (scope.status === 'live' && expired) {
    score = 8;
    reasons.push(`expired ${scope.expiresAt ?? ''}`.trim());
  } else if (scope.status === 'live') {
    // A proven-live token outranks anything inferred: +15 over its privilege.
    score = (top ? LIVE_PRIVILEGE[top] : TIER_SCORE[rule.tier ?? 'medium'] - 20) + 15;
    reasons.push(`live: the ${rule.provider} lookup accepted it${scope.identity ? ` as ${scope.identity}` : ''}`);
    if (top) reasons.push(`${top} access: ${names(grants, top)}`);
    else reasons.push(`scopes not exposed by ${rule.provider}: typically ${rule.tier ?? 'medium'} for ${rule.name}`);
    if (grants.some((gr) => gr.access === top && ORG_WIDE.test(gr.resource))) {
      score += 5;
      reasons.push('reaches a whole organization or account');
    }
  } else {
    score = TIER_SCORE[rule.tier ?? 'medium'];
    const why =
      scope.status === 'unknown'
        ? `: no verdict from the lookup${scope.noVerdict ? ` (${scope.noVerdict})` : ''}`
        : '';
    reasons.push(`${rule.name}: typically ${rule.tier ?? 'medium'} (inferred from the token; not looked up${why})`);
    if (top === 'admin') {
      score += 5;
      reasons.push(`admin access per the token itself: ${names(grants, 'admin')}`);
    } else if (top === 'read') {
      score -= 15;
      reasons.push(`read-only per the token itself: ${names(grants, 'read')}`);
    } else if (top === 'write') reasons.push(`write access per the token itself: ${names(grants, 'write')}`);
    if (scope.offline?.stronger) {
      score += 15;
      reasons.push(`${scope.offline.stronger}: more than the usual ${rule.name}`);
    }
    if (expired) {
      score = Math.min(score, 30);
      reasons.push(
        `expired per its own claims (${scope.expiresAt ?? 'expiry passed'}): low unless the server ignores expiry`,
      );
    }
  }

  if (scope.status !== 'revoked' && !scope.offline?.canary && !(looked && expired)) {
    if (scope.offline?.weaker) {
      score -= 30;
      reasons.push(scope.offline.weaker);
    }
    if (scope.environment === 'test') {
      score -= 30;
      reasons.push('test-mode key: no access to live data');
    } else if (scope.environment === 'production' && scope.status === 'live') {
      score += 5;
      reasons.push('production (live mode)');
    }
    if (scope.expiresAt === null && scope.environment !== 'test') {
      score += 5;
      reasons.push('never expires');
    }
    if (ageDays !== undefined && ageDays > ROTATE_DAYS) {
      score += ageDays > 365 ? 5 : 3;
      reasons.push(`exposed for ${ageDays} days (first seen ${firstSeen!.toISOString().slice(0, 10)})`);
    }
    const occurrences = finding.occurrences ?? 1;
    if (occurrences >= 10) {
      score += 3;
      reasons.push(`found in ${occurrences} places`);
    }
    if (finding.presentAtHead === true) {
      score += 2;
      reasons.push('still present at HEAD');
    } else if (finding.presentAtHead === false) reasons.push('only in history (still exposed to anyone with a clone)');
    // A failed checksum doubts the string; once the provider accepted it, there is nothing left to doubt.
    if (finding.confidence === 'low' && scope.status !== 'live') {
      score -= 15;
      reasons.push('low confidence that this is a real credential');
    }
    const store = locationPaths(finding.locations ?? [])
      .map(credentialStoreKind)
      .find(Boolean);
    if (store) reasons.push(`in a committed ${store}: a leak whatever its value`);
    const weak =
      !finding.fixture && finding.secret !== undefined
        ? weakLeakReason({ provider: rule.provider, type: finding.type ?? '' }, finding.secret)
        : undefined;
    if (weak) reasons.push(weak);
  }
  // A test fixture is recorded, never ranked as a leak, unless a lookup proved it works.
  if (finding.fixture && scope.status !== 'live') {
    score = Math.min(score, FIXTURE_SCORE);
    reasons.unshift(`test fixture, not a leak: ${finding.fixture}`);
  }
  score = Math.max(0, Math.min(100, Math.round(score)));
  const { practices, evidence } = checkPractices(finding, now, firstSeen, ageDays, expired);
  const fallback = remediationFor(rule.provider);
  return {
    score,
    tier: tierForScore(score),
    basis: looked ? 'lookup' : 'inferred',
    reasons,
    practices,
    evidence,
    remediation: {
      revoke: rule.remediation?.revoke ?? fallback?.revoke ?? `Revoke or rotate the credential at ${rule.provider}.`,
      replaceWith:
        rule.remediation?.replaceWith ??
        fallback?.replaceWith ??
        'A narrowly scoped, expiring credential kept in a secret store.',
    },
  };
}

/** Paths where a production credential does not belong. */
const NON_PROD_PATH =
  /(^|[\\/])(tests?|examples?|fixtures?|spec|specs|docs?|samples?|demo|__tests__|testdata)([\\/]|$)/i;

function locationPaths(locations: readonly Location[]): string[] {
  return locations
    .map((l) => (l.kind === 'file' || l.kind === 'git' ? l.path : l.kind === 'archive' ? l.chain.join('!') : ''))
    .filter(Boolean);
}

function firstSeenDate(finding: RankInput): Date | undefined {
  const known = finding.firstSeen ? Date.parse(finding.firstSeen.date) : NaN;
  if (!Number.isNaN(known)) return new Date(known);
  let first: number | undefined;
  for (const l of finding.locations ?? []) {
    if (l.kind !== 'git') continue;
    const t = Date.parse(l.date);
    if (!Number.isNaN(t) && (first === undefined || t < first)) first = t;
  }
  return first === undefined ? undefined : new Date(first);
}

function checkPractices(
  finding: RankInput,
  now: number,
  firstSeen: Date | undefined,
  ageDays: number | undefined,
  expired: boolean,
) {
  const { scope } = finding;
  const practices: Record<Practice, PracticeVerdict> = {
    scoped: 'unknown',
    granular: 'unknown',
    expiring: 'unknown',
    rotated: 'unknown',
    separated: 'unknown',
  };
  const evidence: Partial<Record<Practice, string>> = {};
  const set = (p: Practice, v: PracticeVerdict, why: string) => {
    practices[p] = v;
    evidence[p] = why;
  };

  const admin = scope.grants.filter((gr) => gr.access === 'admin');
  if (admin.length) set('scoped', 'violated', `admin-level scopes: ${names(scope.grants, 'admin')}`);
  else if (scope.grants.length)
    set('scoped', 'ok', `no admin scopes (${scope.grants.length} grant${scope.grants.length === 1 ? '' : 's'})`);

  if (scope.offline?.granular)
    set('granular', scope.offline.granular.ok ? 'ok' : 'violated', scope.offline.granular.why);

  if (scope.expiresAt === null) set('expiring', 'violated', 'never expires');
  else if (scope.expiresAt) {
    const t = Date.parse(scope.expiresAt);
    if (expired) set('expiring', 'ok', `expired ${scope.expiresAt}`);
    else if (!Number.isNaN(t) && t - now > LONG_EXPIRY_DAYS * DAY)
      set('expiring', 'violated', `expires ${scope.expiresAt.slice(0, 10)}, more than a year away`);
    else set('expiring', 'ok', `expires ${scope.expiresAt.slice(0, 10)}`);
  }

  if (ageDays !== undefined && firstSeen) {
    if (ageDays > ROTATE_DAYS)
      set(
        'rotated',
        'violated',
        `exposed since ${firstSeen.toISOString().slice(0, 10)} (${ageDays} ` +
          `days)${scope.status === 'live' ? ' and still live' : ''}`,
      );
    else set('rotated', 'ok', `first seen ${firstSeen.toISOString().slice(0, 10)} (${ageDays} days ago)`);
  }

  const paths = locationPaths(finding.locations ?? []);
  const misplaced = paths.find((p) => NON_PROD_PATH.test(p));
  const production = scope.environment === 'production' || (scope.status === 'live' && scope.environment !== 'test');
  if (scope.environment === 'test') set('separated', 'ok', 'test-mode credential');
  else if (production && misplaced)
    set('separated', 'violated', `production credential found under a test/example path: ${misplaced}`);
  else if (production && paths.length) set('separated', 'ok', 'not found under test, example, fixture or docs paths');
  return { practices, evidence };
}

/** Rank again with everything known now: all locations, lookups, first-seen dates. */
export function rerank(
  findings: readonly Finding[],
  rules: ReadonlyMap<string, Pick<Rule, 'name' | 'provider' | 'tier' | 'remediation'>>,
  now = Date.now(),
): void {
  for (const f of findings) {
    const rule = rules.get(f.rule) ?? { name: f.ruleName, provider: f.provider };
    f.blast = rankFinding(rule, f, now);
  }
}
