// First and last seen of each secret across history: part of dedupe (FindingSet keeps one).

import type { Origin, SeenAt } from '../types.js';

/**
 * Oldest and newest commit, by author date, at which each finding was added. Equal dates (a
 * cherry-pick keeps its author date) are ordered by the commit's place in history, `order`, larger
 * = newer, so the answer is the same however many git processes read the history, in any order.
 */
export class SeenTracker {
  private readonly byFingerprint = new Map<
    string,
    { first: SeenAt; firstT: number; firstO: number; last: SeenAt; lastT: number; lastO: number }
  >();
  /** Place in history of each commit that holds a finding (for ordering locations). */
  private readonly orders = new Map<string, number>();
  add(fp: string, o: Extract<Origin, { kind: 'git' }>, order: number): void {
    const t = Date.parse(o.date);
    const at = { commit: o.commit, date: o.date };
    this.orders.set(o.commit, order);
    const s = this.byFingerprint.get(fp);
    if (!s) {
      this.byFingerprint.set(fp, { first: at, firstT: t, firstO: order, last: at, lastT: t, lastO: order });
      return;
    }
    if (t < s.firstT || (t === s.firstT && order < s.firstO)) {
      s.first = at;
      s.firstT = t;
      s.firstO = order;
    }
    if (t > s.lastT || (t === s.lastT && order > s.lastO)) {
      s.last = at;
      s.lastT = t;
      s.lastO = order;
    }
  }
  get(fp: string) {
    return this.byFingerprint.get(fp);
  }
  orderOf(commit: string): number | undefined {
    return this.orders.get(commit);
  }
}
