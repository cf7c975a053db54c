// What a token says about itself, without a network call: the shape every offline fact function returns.

import type { Access, Grant } from '../../types.js';

/** What offline analysis adds to a scope. */
export interface OfflineFacts {
  identity?: string;
  grants?: Grant[];
  expiresAt?: string | null;
  environment?: 'production' | 'test';
  facts: string[];
  /** A class that has a narrower sibling (classic PAT vs fine-grained) → "granular" violated; true → ok. */
  granular?: { ok: boolean; why: string };
  /** Encrypted private key, public key, ingest-only key: a weaker finding than the rule tier says. */
  weaker?: string;
  /** Admin-class token (service_role, org admin key): stronger than the rule tier says. */
  stronger?: string;
  /** Proven expired by its own claims (unverified: a server could ignore them). */
  expired?: boolean;
  /** A planted canary (honeytoken): who runs it. Never looked up: a call fires the owner's alarm. */
  canary?: string;
}

export type FactFn = (s: string, now: number) => OfflineFacts;

export const g = (resource: string, access: Access): Grant => ({ resource, access });
