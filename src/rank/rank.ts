// Blast radius: a score and tier with the reasons behind it, practices, and remediation.

import type { Rule } from '../detect/rules.js';
import type { BlastRadius, Finding, Tier } from '../types.js';

const TIER_SCORE: Record<Tier, number> = { critical: 90, high: 70, medium: 50, low: 30, info: 10 };

export function tierForScore(score: number): Tier {
  if (score >= 85) return 'critical';
  if (score >= 65) return 'high';
  if (score >= 45) return 'medium';
  if (score >= 25) return 'low';
  return 'info';
}

export function rankFinding(rule: Rule, finding: Pick<Finding, 'scope' | 'confidence'>): BlastRadius {
  const reasons: string[] = [];
  let score = TIER_SCORE[rule.tier ?? 'medium'];
  reasons.push(`${rule.name}: typically ${rule.tier ?? 'medium'} (inferred from the token type; not looked up)`);
  if (finding.scope.environment === 'test') {
    score -= 30;
    reasons.push('test-mode key: no access to live data');
  }
  if (finding.confidence === 'low') {
    score -= 15;
    reasons.push('low confidence that this is a real credential');
  }
  score = Math.max(0, Math.min(100, score));
  return {
    score,
    tier: tierForScore(score),
    basis: 'inferred',
    reasons,
    practices: { scoped: 'unknown', granular: 'unknown', expiring: 'unknown', rotated: 'unknown', separated: 'unknown' },
    remediation: {
      revoke: rule.remediation?.revoke ?? `Revoke or rotate the credential at ${rule.provider}.`,
      replaceWith: rule.remediation?.replaceWith ?? 'A narrowly scoped, expiring credential kept in a secret store.',
    },
  };
}
