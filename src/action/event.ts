// What the Action scans, decided from the workflow event alone (pure: easy to test with a payload).

import { UsageError } from '../errors.js';

export type Mode = 'auto' | 'pr' | 'push' | 'full';
export const MODES: readonly Mode[] = ['auto', 'pr', 'push', 'full'];

/** The parts of a GitHub event payload the Action reads. */
export interface EventPayload {
  readonly pull_request?: {
    readonly number?: number;
    readonly commits?: number;
    readonly base?: { readonly sha?: string; readonly ref?: string };
    readonly head?: {
      readonly sha?: string;
      readonly ref?: string;
      readonly repo?: { readonly fork?: boolean; readonly full_name?: string } | null;
    };
  };
  readonly before?: string;
  readonly after?: string;
  readonly ref?: string;
  readonly created?: boolean;
  readonly forced?: boolean;
  readonly repository?: { readonly default_branch?: string; readonly full_name?: string };
}

export type ScanPlan =
  | {
      readonly kind: 'range';
      readonly base: string;
      readonly head: string;
      readonly why: string;
      readonly expectedCommits?: number;
      /** The commits of a pull request (not a push). */
      readonly pullRequest?: boolean;
    }
  /** A new branch: its commits not on the default branch. */
  | { readonly kind: 'new-branch'; readonly head: string; readonly defaultBranch: string; readonly why: string }
  | { readonly kind: 'full'; readonly why: string };

const ZERO_SHA = /^0{40}$/;

export function planScan(mode: Mode, eventName: string, payload: EventPayload): ScanPlan {
  const effective: Mode =
    mode !== 'auto'
      ? mode
      : eventName === 'pull_request' || eventName === 'pull_request_target'
        ? 'pr'
        : eventName === 'push'
          ? 'push'
          : 'full';
  if (effective === 'full')
    return {
      kind: 'full',
      why: `full history (${mode === 'auto' ? `${eventName || 'unknown'} event` : 'mode: full'})`,
    };
  if (effective === 'pr') {
    const pr = payload.pull_request;
    const base = pr?.base?.sha;
    const head = pr?.head?.sha;
    if (!base || !head)
      throw new UsageError(
        `mode "pr" needs a pull_request event payload with base.sha and head.sha (event: ${eventName || 'none'}); ` +
          `use mode: full or push for other events`,
      );
    return {
      kind: 'range',
      base,
      head,
      why: `pull request #${pr?.number ?? '?'}: ${base.slice(0, 7)}..${head.slice(0, 7)}`,
      expectedCommits: pr?.commits,
      pullRequest: true,
    };
  }
  const after = payload.after;
  if (!after || ZERO_SHA.test(after)) {
    if (after && ZERO_SHA.test(after)) return { kind: 'full', why: 'branch deleted: nothing new to scan' };
    throw new UsageError(`mode "push" needs a push event payload with "after" (event: ${eventName || 'none'})`);
  }
  const before = payload.before;
  if (!before || ZERO_SHA.test(before) || payload.created) {
    return {
      kind: 'new-branch',
      head: after,
      defaultBranch: payload.repository?.default_branch ?? 'main',
      why: `new branch ${payload.ref ?? ''}: commits not on ${payload.repository?.default_branch ?? 'main'}`.trim(),
    };
  }
  return {
    kind: 'range',
    base: before,
    head: after,
    why: `push${payload.forced ? ' (forced)' : ''}: ${before.slice(0, 7)}..${after.slice(0, 7)}`,
  };
}

export function isForkPullRequest(payload: EventPayload): boolean {
  return (
    Boolean(payload.pull_request?.head?.repo?.fork) ||
    (Boolean(payload.pull_request?.head?.repo?.full_name) &&
      payload.pull_request?.head?.repo?.full_name !== payload.repository?.full_name)
  );
}
