// The first dedupe step, per blob: a log with a token on every line stays small on its way from a
// worker. FindingSet (finding-set.ts) then folds every blob's candidates into one finding per secret.

import type { Candidate } from '../types.js';

/** Occurrences of one secret listed per blob; the rest are counted. */
const MAX_PER_SECRET = 100;

/** Collapses repeats of the same secret in one blob: the first MAX_PER_SECRET listed, the rest counted. */
export class CandidateSink {
  readonly list: Candidate[] = [];
  private readonly counts = new Map<string, { kept: number; extra: number; last: number }>();
  add(batch: readonly Candidate[]): void {
    for (const c of batch) {
      const key = `${c.ruleId}\0${c.secret}`;
      const n = this.counts.get(key);
      if (!n) {
        this.counts.set(key, { kept: 1, extra: 0, last: this.list.length });
        this.list.push(c);
      } else if (n.kept < MAX_PER_SECRET) {
        n.kept++;
        n.last = this.list.length;
        this.list.push(c);
      } else {
        // A candidate that already stands for more (one range of a split file) counts them too.
        n.extra += 1 + (c.extra ?? 0);
      }
    }
  }
  result(): Candidate[] {
    for (const n of this.counts.values()) {
      if (!n.extra) continue;
      const last = this.list[n.last]!;
      this.list[n.last] = { ...last, extra: (last.extra ?? 0) + n.extra };
    }
    return this.list;
  }
}
