// The keyword prefilter: one pass over the bytes finds every rule keyword at once (case-folded
// Aho-Corasick) and opens each woken rule's windows around its hits. Pure: no I/O.

/** A built keyword automaton: plain arrays, so it can be kept between runs (PrefilterStore). */
export interface AutomatonTables {
  /** Next state, at state * 256 + byte. */
  readonly delta: Uint16Array | Uint32Array;
  /** Per state: the rules its keywords wake (sorted), or undefined. */
  readonly outputRules: ReadonlyArray<readonly number[] | undefined>;
  /** Per state: length of the longest keyword ending there. */
  readonly outputLength: Uint16Array;
}

/**
 * Where a Detector may keep its keyword automaton between runs (see prefilter-cache.ts): building
 * it was most of a Detector's start-up, which the pre-commit hook pays on every commit. `inputs`
 * names everything the automaton is built from.
 */
export interface PrefilterStore {
  load(inputs: string): AutomatonTables | undefined;
  save(inputs: string, tables: AutomatonTables): void;
}

/**
 * Aho-Corasick over case-folded bytes, as a full DFA (one table lookup per byte). Each state knows
 * the rules of every keyword that ends there (its own and those along its failure links), so
 * overlapping keywords ("_pass" inside "db_password") all wake their rules.
 */
export class KeywordAutomaton {
  private readonly delta: Uint16Array | Uint32Array;
  private readonly hasOutput: Uint8Array;
  private readonly outputRules: ReadonlyArray<readonly number[] | undefined>;
  private readonly outputLength: Uint16Array;

  constructor(readonly tables: AutomatonTables) {
    this.delta = tables.delta;
    this.outputRules = tables.outputRules;
    this.outputLength = tables.outputLength;
    this.hasOutput = new Uint8Array(tables.outputLength.length);
    tables.outputRules.forEach((rules, i) => (this.hasOutput[i] = rules ? 1 : 0));
  }

  static build(keywords: readonly string[], rulesOf: ReadonlyArray<readonly number[]>): KeywordAutomaton {
    const fold = new Uint8Array(256);
    for (let i = 0; i < 256; i++) fold[i] = i >= 65 && i <= 90 ? i + 32 : i;
    const next: Array<Map<number, number>> = [new Map()];
    const own: Array<Set<number> | undefined> = [undefined];
    const ownLen: number[] = [0];
    keywords.forEach((k, ki) => {
      let st = 0;
      for (const byte of Buffer.from(k.toLowerCase(), 'latin1')) {
        const c = fold[byte]!;
        let n = next[st]!.get(c);
        if (n === undefined) {
          n = next.length;
          next.push(new Map());
          own.push(undefined);
          ownLen.push(0);
          next[st]!.set(c, n);
        }
        st = n;
      }
      const set = (own[st] ??= new Set());
      for (const r of rulesOf[ki]!) set.add(r);
      ownLen[st] = Math.max(ownLen[st]!, k.length);
    });
    const states = next.length;
    const delta = states < 65536 ? new Uint16Array(states * 256) : new Uint32Array(states * 256);
    const fail = new Int32Array(states);
    const out: Array<Set<number> | undefined> = own.map((o) => (o ? new Set(o) : undefined));
    const outLen = new Uint16Array(states);
    ownLen.forEach((l, i) => (outLen[i] = l));
    // Breadth first, so a state's failure state (shallower) is complete before it. A state's row
    // starts as a copy of its failure state's row (one native copy, not 256 lookups; building the
    // table was a tenth of the pre-commit hook's start-up) and then takes its own trie edges.
    const queue: number[] = [];
    for (const [c, n] of next[0]!) {
      delta[c] = n;
      queue.push(n);
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const st = queue[qi]!;
      const f = fail[st]!;
      if (out[f]) {
        const merged = (out[st] ??= new Set());
        for (const r of out[f]!) merged.add(r);
        outLen[st] = Math.max(outLen[st]!, outLen[f]!);
      }
      const row = st * 256;
      delta.copyWithin(row, f * 256, f * 256 + 256);
      for (const [c, n] of next[st]!) {
        fail[n] = delta[row + c]!;
        delta[row + c] = n;
        queue.push(n);
      }
    }
    // Index by raw byte: fold case into the table once instead of per byte. Keywords are folded,
    // so no trie edge is an upper-case letter: its entry simply becomes the lower-case one's.
    for (let row = 0; row < delta.length; row += 256) delta.copyWithin(row + 65, row + 97, row + 123);
    const outputRules: Array<readonly number[] | undefined> = [];
    out.forEach((set, i) => {
      if (set?.size) outputRules[i] = [...set].sort((a, b) => a - b);
    });
    return new KeywordAutomaton({ delta, outputRules, outputLength: outLen });
  }

  /**
   * The hot path: one pass over the bytes that grows each woken rule's raw windows
   * [hit - before, hit + length + after) in place. Pure arithmetic per hit: hits on everyday
   * keywords come by the million, and a callback with two native index searches per hit cost more
   * than the RE2 work it saved (openWindow is small enough to inline: the source-tree scan's CPU
   * is the same with it). `lists[rule]` is flat [a0, b0, a1, b1, ...].
   */
  windows(
    buf: Uint8Array,
    end: number,
    before: Int32Array,
    after: Int32Array,
    lists: number[][],
    touched: number[],
    seg?: { from: number; id: number; of: Int32Array },
  ): void {
    const delta = this.delta;
    const has = this.hasOutput;
    const outLen = this.outputLength;
    const outRules = this.outputRules;
    // Segment mode (scanSegments): bytes [from, end) only, and a window never merges with one
    // opened in another segment.
    const segOf = seg?.of;
    const id = seg?.id ?? 0;
    let st = 0;
    for (let i = seg?.from ?? 0; i < end; i++) {
      st = delta[(st << 8) | buf[i]!]!;
      if (has[st] !== 1) continue;
      const len = outLen[st]!;
      const pos = i + 1 - len;
      const rules = outRules[st]!;
      for (let k = 0; k < rules.length; k++) {
        const rule = rules[k]!;
        openWindow(lists, touched, rule, pos - before[rule]!, i + 1 + after[rule]!, segOf, id);
      }
    }
  }
}

/**
 * Opens the window [a, b) of `rule`, or extends its last one when they overlap (and, in segment
 * mode, that one was opened in the same segment).
 */
function openWindow(
  lists: number[][],
  touched: number[],
  rule: number,
  a: number,
  b: number,
  segOf: Int32Array | undefined,
  id: number,
): void {
  const list = lists[rule]!;
  const n = list.length;
  if (n !== 0 && a <= list[n - 1]! && (segOf === undefined || segOf[rule] === id)) {
    if (b > list[n - 1]!) list[n - 1] = b;
  } else {
    if (n === 0) touched.push(rule);
    list.push(a, b);
    if (segOf) segOf[rule] = id;
  }
}

/** Bytes a prefilter searches directly (DirectSearch) before it builds or loads its automaton. */
const DIRECT_BYTES = 32 * 1024;

/**
 * A Detector's keyword prefilter (`byKeyword`: lower-case keyword → its rules); null when no rule
 * has a keyword.
 */
export function keywordPrefilter(
  byKeyword: Map<string, Set<number>>,
  store?: PrefilterStore,
): KeywordPrefilter | null {
  return byKeyword.size ? new KeywordPrefilter(byKeyword, store) : null;
}

/**
 * The keyword automaton, built (or loaded from `store`) on first need. Until then, for up to
 * DIRECT_BYTES in all, windows are found by DirectSearch, hit for hit as the automaton finds them:
 * the pre-commit hook scans a few KB, where loading and checking the stored automaton (3.4 MB) took
 * ~10 ms of its start and the direct search takes well under one.
 */
export class KeywordPrefilter {
  private automaton: KeywordAutomaton | undefined;
  private direct: DirectSearch | null | undefined;
  private directBytes = DIRECT_BYTES;

  constructor(
    private readonly byKeyword: Map<string, Set<number>>,
    private readonly store?: PrefilterStore,
  ) {}

  /** The automaton's tables (built or loaded now if it was not yet). */
  get tables(): AutomatonTables {
    return this.full().tables;
  }

  private full(): KeywordAutomaton {
    return (this.automaton ??= automatonOf(this.byKeyword, this.store));
  }

  /** KeywordAutomaton.windows. */
  windows(
    buf: Uint8Array,
    end: number,
    before: Int32Array,
    after: Int32Array,
    lists: number[][],
    touched: number[],
    seg?: { from: number; id: number; of: Int32Array },
  ): void {
    const bytes = end - (seg?.from ?? 0);
    if (this.automaton === undefined && bytes <= this.directBytes) {
      this.direct ??= DirectSearch.of(this.byKeyword);
      if (this.direct) {
        this.directBytes -= bytes;
        this.direct.windows(buf, end, before, after, lists, touched, seg);
        return;
      }
    }
    this.full().windows(buf, end, before, after, lists, touched, seg);
  }
}

/** Bytes 65-90 (A-Z) as 97-122, every other byte as it is: the automaton's case folding. */
const FOLD = Uint8Array.from({ length: 256 }, (_, i) => (i >= 65 && i <= 90 ? i + 32 : i));

/**
 * The automaton's windows without the automaton, for a few KB: the keywords are looked up by the
 * two bytes at each position. At each end position the automaton wakes the rules of the longest
 * keyword ending there, with those of every keyword inside it (a shorter keyword ending there is
 * one of them), and opens their windows from that keyword's start: so does this, in the same order.
 */
class DirectSearch {
  /** Per keyword's rules with those of the keywords inside it (as the automaton's), by keyword index. */
  private readonly rulesOf = new Map<number, readonly number[]>();

  private constructor(
    private readonly byKeyword: Map<string, Set<number>>,
    private readonly names: readonly string[],
    /** Every keyword's bytes, one after another; keyword k at at[k], length[k] bytes. */
    private readonly bytes: Buffer,
    private readonly at: Int32Array,
    private readonly length: Int32Array,
    /** The keywords whose first two bytes are p: first[p], next[first[p]], ... until -1. */
    private readonly first: Int32Array,
    private readonly next: Int32Array,
  ) {}

  /** Null where a keyword has fewer than two bytes or is not ASCII: the automaton alone then. */
  static of(byKeyword: Map<string, Set<number>>): DirectSearch | null {
    const names = [...byKeyword.keys()];
    // All keywords in one string: one native check and one copy, not a loop per character (this
    // runs once, in V8's interpreter).
    const all = names.join('\n').toLowerCase();
    if (!/^[\x00-\x7f]*$/.test(all) || names.some((k) => k.length < 2)) return null;
    const bytes = Buffer.from(all, 'latin1'); // lower-case ASCII: folded already
    const at = new Int32Array(names.length);
    const length = new Int32Array(names.length);
    // Keywords by their first two bytes: a list through `next` from first[pair] (-1: none). No
    // loop over all 65,536 pairs: that alone took ~3 ms in the interpreter.
    const first = new Int32Array(65536).fill(-1);
    const next = new Int32Array(names.length);
    for (let i = 0, pos = 0; i < names.length; pos += names[i]!.length + 1, i++) {
      at[i] = pos;
      length[i] = names[i]!.length;
      const pair = (bytes[pos]! << 8) | bytes[pos + 1]!;
      next[i] = first[pair]!;
      first[pair] = i;
    }
    return new DirectSearch(byKeyword, names, bytes, at, length, first, next);
  }

  private rules(keyword: number): readonly number[] {
    let rules = this.rulesOf.get(keyword);
    if (rules === undefined) {
      const k = this.names[keyword]!;
      const set = new Set<number>();
      for (let i = 0; i < k.length; i++)
        for (let j = i + 1; j <= k.length; j++) for (const r of this.byKeyword.get(k.slice(i, j)) ?? []) set.add(r);
      rules = [...set].sort((a, b) => a - b);
      this.rulesOf.set(keyword, rules);
    }
    return rules;
  }

  windows(
    buf: Uint8Array,
    end: number,
    before: Int32Array,
    after: Int32Array,
    lists: number[][],
    touched: number[],
    seg?: { from: number; id: number; of: Int32Array },
  ): void {
    const from = seg?.from ?? 0;
    const segOf = seg?.of;
    const id = seg?.id ?? 0;
    // The longest keyword ending at each position where one ends.
    const longest = new Map<number, number>();
    const { bytes, at, length, first, next } = this;
    for (let p = from; p + 1 < end; p++) {
      for (let k = first[(FOLD[buf[p]!]! << 8) | FOLD[buf[p + 1]!]!]!; k !== -1; k = next[k]!) {
        const n = length[k]!;
        const last = p + n - 1;
        if (last >= end) continue;
        const key = at[k]!;
        let j = 2;
        while (j < n && FOLD[buf[p + j]!] === bytes[key + j]) j++;
        if (j < n) continue;
        const known = longest.get(last);
        if (known === undefined || n > length[known]!) longest.set(last, k);
      }
    }
    for (const i of [...longest.keys()].sort((a, b) => a - b)) {
      const k = longest.get(i)!;
      const pos = i + 1 - this.names[k]!.length;
      for (const rule of this.rules(k))
        openWindow(lists, touched, rule, pos - before[rule]!, i + 1 + after[rule]!, segOf, id);
    }
  }
}

/**
 * The automaton over the rules' keywords, taken from `store` when it keeps one built from the same
 * inputs.
 */
function automatonOf(byKeyword: Map<string, Set<number>>, store?: PrefilterStore): KeywordAutomaton {
  const keywords = [...byKeyword.keys()];
  // The automaton is a function of the keywords and their rules alone.
  const inputs =
    store && keywords.length ? [...byKeyword].map(([k, set]) => `${k}\0${[...set].join(',')}`).join('\n') : undefined;
  const stored = inputs !== undefined ? store!.load(inputs) : undefined;
  if (stored) return new KeywordAutomaton(stored);
  // A hit on "access_token" must also wake the rules keyed on "token": the alternation reports
  // one keyword per position, so each keyword carries the rules of every keyword inside it.
  // The keywords inside a keyword are those of its substrings that are keywords: a few dozen
  // lookups per keyword, where comparing every pair of keywords cost ~30 ms at start-up.
  const keywordRules = new Map<string, number[]>();
  const empty = byKeyword.get('');
  for (const k of keywords) {
    const set = new Set<number>(empty);
    for (let i = 0; i < k.length; i++)
      for (let j = i + 1; j <= k.length; j++) for (const r of byKeyword.get(k.slice(i, j)) ?? []) set.add(r);
    keywordRules.set(
      k,
      [...set].sort((a, b) => a - b),
    );
  }
  keywords.sort((a, b) => b.length - a.length);
  // One pass over the bytes finds every keyword at once (case-folded Aho-Corasick DFA): no native
  // call per hit. RE2's alternation cost ~20 µs per exec and everyday keywords ("token",
  // "password") hit ~9,000 times per MB of source, which capped the scan near 5 MB/s.
  const prefilter = KeywordAutomaton.build(
    keywords,
    keywords.map((k) => keywordRules.get(k)!),
  );
  if (inputs !== undefined) store!.save(inputs, prefilter.tables);
  return prefilter;
}
