// The RE2.Set gate in front of the rules with everyday keywords: one set pass over a buffer says
// which of them can match at all, so only those run their own search. Never changes results.

import RE2 from 're2';
import type { Rule } from './rules.js';

/** Buffers smaller than this run every woken rule: the set pass would cost more than it saves. */
const GATE_MIN_BYTES = 256;
/** Memory for the gate set's DFA (RE2's default of 8 MiB made it 30% slower on source trees). */
const GATE_MAX_MEM = 64 << 20;
/** Bytes scanned before the broad rules are chosen (again at 16x, 256x, ...). */
const GATE_LEARN_BYTES = 2 * 1024 * 1024;
/** A rule whose windows covered this share of the bytes scanned is broad. */
const GATE_SHARE = 0.1;
/** Broad rules in the set at most: a bigger set's DFA gets slower than the searches it saves. */
const GATE_MAX_RULES = 16;

/**
 * Rules with everyday keywords ("token", "key", "user", "password") get windows over most of a
 * source file or log chunk, and each then costs a full RE2 pass that usually finds nothing. Those
 * rules are first tried together in ONE pass of an RE2.Set over the buffer; only the ones it
 * reports can match, and only they run their own search. Which rules are broad is learnt from the
 * windows of the first megabytes scanned (it depends on the corpus), so the set is built once or
 * twice, not per buffer. Gating never changes results: a rule the set does not report cannot match
 * anywhere in the buffer, so not in its windows either.
 */
export class BroadRuleGate {
  /** Per rule: bytes its windows covered so far. */
  private readonly covered: Float64Array;
  private scanned = 0;
  private nextLearn = GATE_LEARN_BYTES;
  private set: InstanceType<typeof RE2.Set> | undefined;
  /** The rule behind each pattern of the set. */
  private order: number[] = [];
  private members: Set<number> | undefined;

  constructor(private readonly rules: readonly Rule[]) {
    this.covered = new Float64Array(rules.length);
  }

  /**
   * The touched rules that may match in `buf` (given their raw windows `lists`), or undefined when
   * every one must run.
   */
  possible(buf: Buffer, touched: readonly number[], lists: readonly number[][]): ReadonlySet<number> | undefined {
    let broadHere = 0;
    // A rule is broad here when its windows cover an eighth of the buffer (a quarter of a small one,
    // such as the added lines of one file in a commit, where every window spans most of it).
    const floor = buf.length < 4096 ? buf.length / 4 : Math.max(1024, buf.length / 8);
    for (const rule of touched) {
      const list = lists[rule]!;
      let covered = 0;
      for (let i = 0; i < list.length; i += 2) covered += Math.min(buf.length, list[i + 1]!) - Math.max(0, list[i]!);
      this.covered[rule] = this.covered[rule]! + covered;
      if (this.members?.has(rule) && covered >= floor) broadHere++;
    }
    this.scanned += buf.length;
    if (this.scanned >= this.nextLearn) this.learn();
    if (!this.set || broadHere < 2 || buf.length < GATE_MIN_BYTES) return undefined;
    let hits: number[];
    try {
      hits = this.set.match(buf as unknown as string);
    } catch {
      return undefined; // the set's DFA ran out of memory: search every rule
    }
    const possible = new Set(touched);
    for (const rule of this.members!) possible.delete(rule);
    for (const i of hits) possible.add(this.order[i]!);
    return possible;
  }

  /** (Re)build the gate set from the rules whose windows covered the most bytes so far. */
  private learn(): void {
    const covered = this.covered;
    const members = this.members;
    this.nextLearn = this.scanned * 16;
    const ranked = [...covered.keys()]
      .filter((r) => covered[r]! >= this.scanned * GATE_SHARE && !this.rules[r]!.composite)
      .sort((x, y) => covered[y]! - covered[x]!)
      .slice(0, GATE_MAX_RULES);
    if (ranked.length < 2 || (members && ranked.length === members.size && ranked.every((r) => members.has(r))))
      return;
    try {
      this.set = new RE2.Set(
        ranked.map((r) => this.rules[r]!.pattern),
        '',
        { maxMem: GATE_MAX_MEM },
      );
      this.order = ranked;
      this.members = new Set(ranked);
    } catch {
      this.set = undefined;
      this.members = undefined;
    }
  }
}
