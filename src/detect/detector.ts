// Turns bytes into candidates. One keyword pass decides which rules can fire and where; RE2 then
// runs only in bounded windows around those keyword hits. Pure: no I/O.

import RE2 from 're2';
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { hasStructure, validate } from './checksum.js';
import {
  isPlaceholder,
  isReference,
  lineAllows,
  lineAllowsNext,
  namesNoSecret,
  rejectInContext,
  shannonEntropy,
} from './filters.js';
import { redact } from '../secret/redact.js';
import { addDecodedMatches, encodedSpans } from './decode.js';
import { lastAtMost } from './sorted.js';
import { credentialStoreKind } from './fixture.js';
import type { Rule } from './rules.js';
import { UsageError } from '../errors.js';
import type { Candidate } from '../types.js';

export interface Allowlist {
  /** Regular expressions (RE2 syntax) matched against the secret. */
  readonly regexes?: readonly string[];
  /** A secret containing one of these words (case-insensitive) is allowed. */
  readonly stopwords?: readonly string[];
  /** sha1 hex of known secrets (a detect-secrets baseline): allowed. */
  readonly hashedSecrets?: readonly string[];
}

export interface RawMatch {
  readonly rule: number;
  readonly start: number; // byte offset of the secret
  readonly end: number;
  readonly matchStart: number;
  readonly matchEnd: number;
  readonly secret: string;
  /** Decodings that revealed it (decode.ts); start/end then span the encoded secret. */
  readonly decoded?: readonly string[];
}

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

const NEWLINE = 10;
const NO_RULES: readonly number[] = [];
const EXCERPT_RADIUS = 40;
/**
 * Aho-Corasick over case-folded bytes, as a full DFA (one table lookup per byte). Each state knows
 * the rules of every keyword that ends there (its own and those along its failure links), so
 * overlapping keywords ("_pass" inside "db_password") all wake their rules.
 */
class KeywordAutomaton {
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
   * [hit - before, hit + length + after) in place. Pure arithmetic per hit, no call: hits on
   * everyday keywords come by the million, and a callback with two native index searches per hit
   * cost more than the RE2 work it saved. `lists[rule]` is flat [a0, b0, a1, b1, ...].
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
        const a = pos - before[rule]!;
        const b = i + 1 + after[rule]!;
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
    }
  }
}

/** Gap (bytes) below which a rule's neighbouring windows are searched in one RE2 call. */
const COALESCE_GAP = 8 * 1024;
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
 * After a coalesced run, keep only matches lying wholly inside one of the original windows
 * list[i..j): a rule still matches only near its keywords, exactly as with one call per window.
 */
function keepInsideWindows(
  out: RawMatch[],
  from: number,
  list: readonly number[],
  i: number,
  j: number,
  dropped?: (m: RawMatch) => void,
): void {
  let w = i;
  let keep = from;
  for (let k = from; k < out.length; k++) {
    const m = out[k]!;
    while (w < j && list[w + 1]! <= m.matchStart) w += 2;
    if (w < j && m.matchStart >= list[w]! && m.matchEnd <= list[w + 1]!) out[keep++] = m;
    else dropped?.(m);
  }
  out.length = keep;
}

/** Segments of a joined buffer (scanSegments): [starts[i], ends[i]) each, and those to rescan alone. */
export interface Segments {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  readonly dirty: Set<number>;
}

/** Index of the segment holding byte `pos`. */
function segmentAt(segs: Segments, pos: number): number {
  return lastAtMost(segs.starts, pos);
}

/** Marks every segment that bytes [from, to) touch, to be scanned alone. */
function markDirty(segs: Segments, from: number, to: number): void {
  const last = segmentAt(segs, to - 1);
  for (let i = segmentAt(segs, from); i <= last; i++) segs.dirty.add(i);
}

const CONFIDENCE_RANK = { high: 3, medium: 2, low: 1 } as const;

/** Bytes that can sit inside a token: a window must not start or end inside a run of them. */
const TOKEN_BYTE = (() => {
  const t = new Uint8Array(256);
  for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-.~') t[ch.charCodeAt(0)] = 1;
  return t;
})();

function compilePath(r: Rule): RE2 {
  try {
    return new RE2(r.path!);
  } catch (err) {
    throw new UsageError(`${r.source}: rule "${r.id}": path does not compile with RE2: ${(err as Error).message}`);
  }
}

function compilePattern(r: Rule, flags: string): RE2 {
  try {
    return new RE2(r.pattern, flags);
  } catch (err) {
    throw new UsageError(`${r.source}: rule "${r.id}": pattern does not compile with RE2: ${(err as Error).message}`);
  }
}

export class Detector {
  readonly rules: readonly Rule[];
  /** Compiled on a rule's first keyword hit: start-up compiles nothing a scan does not use. */
  private readonly patterns: Array<RE2 | undefined>;
  /** Whether a rule's search pattern had its capture groups removed (undefined: searched with them). */
  private readonly captures: Array<boolean | undefined> = [];
  /** The rules' own patterns, sticky: run at a match to locate the secret. */
  private readonly anchored: Array<RE2 | undefined> = [];
  /** Per rule: match bytes with the byte on either side → secret span within the match (null: none). */
  private readonly spanCache: Array<Map<string, readonly [number, number] | null> | undefined> = [];
  /** The same patterns with indices, anchored: for the rare match whose secret group is ambiguous. */
  private readonly exactPatterns: Array<RE2 | undefined> = [];
  private readonly prefilter: KeywordAutomaton | null;
  private readonly unkeyed: number[] = [];
  /** Rules with a `path`: never woken by keywords, run over a whole file whose path matches. */
  private readonly pathRules: Array<{ readonly rule: number; readonly path: RE2 }> = [];
  /** Per-rule context bytes before and after a keyword hit. */
  private readonly before: Int32Array;
  private readonly after: Int32Array;
  private readonly gating: {
    covered: Float64Array;
    scanned: number;
    nextLearn: number;
    set?: InstanceType<typeof RE2.Set>;
    order: number[];
    members?: Set<number>;
  };
  /** Per-rule raw window lists, reused by every findMatches call (emptied after use). */
  private readonly scratch: number[][];
  private readonly allowRegexes: RE2[];
  private readonly stopwords: string[];
  private readonly hashedSecrets: ReadonlySet<string>;
  /** Composite rules whose parts are all present in this rule set. */
  readonly composites: readonly CompositeSpec[];
  /** Ids of rules whose matches only feed composites. */
  readonly partOnly: ReadonlySet<string>;
  /** Ids of every rule a composite is made of, and the part-only ones: what combineParts looks at. */
  readonly parts: ReadonlySet<string>;

  constructor(rules: readonly Rule[], allow: Allowlist = {}, store?: PrefilterStore) {
    this.rules = rules;
    // Composites have no pattern: they are formed from their parts' candidates (combineParts).
    this.patterns = new Array(rules.length);
    this.before = Int32Array.from(rules, (r) => r.before);
    this.after = Int32Array.from(rules, (r) => r.after);
    this.scratch = rules.map(() => []);
    this.gating = { covered: new Float64Array(rules.length), scanned: 0, nextLearn: GATE_LEARN_BYTES, order: [] };
    this.composites = compositesOf(rules);
    this.partOnly = new Set(rules.filter((r) => r.reportAlone === false).map((r) => r.id));
    this.parts = new Set([...this.partOnly, ...this.composites.flatMap((c) => c.parts)]);
    const byKeyword = new Map<string, Set<number>>();
    rules.forEach((r, i) => {
      if (r.composite) return;
      if (r.path !== undefined) return void this.pathRules.push({ rule: i, path: compilePath(r) });
      if (r.keywords.length === 0) this.unkeyed.push(i);
      for (const k of r.keywords) {
        const key = k.toLowerCase();
        if (!byKeyword.has(key)) byKeyword.set(key, new Set());
        byKeyword.get(key)!.add(i);
      }
    });
    const keywords = [...byKeyword.keys()];
    // The automaton is a function of the keywords and their rules alone.
    const inputs =
      store && keywords.length
        ? [...byKeyword].map(([k, set]) => `${k}\0${[...set].join(',')}`).join('\n')
        : undefined;
    const stored = inputs !== undefined ? store!.load(inputs) : undefined;
    if (stored) {
      this.prefilter = new KeywordAutomaton(stored);
    } else {
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
      this.prefilter = keywords.length
        ? KeywordAutomaton.build(
            keywords,
            keywords.map((k) => keywordRules.get(k)!),
          )
        : null;
      if (inputs !== undefined && this.prefilter) store!.save(inputs, this.prefilter.tables);
    }
    this.allowRegexes = (allow.regexes ?? []).map((r) => new RE2(r));
    this.stopwords = (allow.stopwords ?? []).map((s) => s.toLowerCase());
    this.hashedSecrets = new Set((allow.hashedSecrets ?? []).map((h) => h.toLowerCase()));
  }

  private segOf: Int32Array | undefined;

  /**
   * Matches in `buf` whose secret starts before `limit`. With `segs` (scanSegments), buf is many
   * buffers joined by "\n": every window stays inside the segment of its keyword hit, exactly as
   * when that segment is scanned alone, and a segment where a match found across windows was
   * dropped (it may have hidden one) is marked dirty, to be scanned alone.
   */
  findMatches(buf: Buffer, limit: number, segs?: Segments, pathRules: readonly number[] = NO_RULES): RawMatch[] {
    const lists = this.scratch;
    const touched: number[] = [];
    if (this.prefilter) {
      if (!segs)
        this.prefilter.windows(buf, Math.min(buf.length, limit + 64), this.before, this.after, lists, touched);
      else {
        const of = (this.segOf ??= new Int32Array(this.rules.length));
        for (let i = 0; i < segs.starts.length; i++)
          this.prefilter.windows(buf, segs.ends[i]!, this.before, this.after, lists, touched, {
            from: segs.starts[i]!,
            id: i,
            of,
          });
      }
    }
    const out: RawMatch[] = [];
    try {
      const possible = this.gate(buf, touched, lists);
      for (const rule of touched) {
        if (possible && !possible.has(rule)) continue;
        const list = this.snap(buf, rule, lists[rule]!, segs);
        lists[rule]!.length = 0;
        this.searchWindows(rule, buf, list, limit, out, segs);
      }
    } finally {
      for (const rule of touched) lists[rule]!.length = 0;
    }
    for (const rule of this.unkeyed) {
      if (!segs) this.matchWindow(rule, buf, 0, buf.length, limit, out);
      else
        for (let i = 0; i < segs.starts.length; i++)
          this.matchWindow(rule, buf, segs.starts[i]!, segs.ends[i]!, limit, out);
    }
    for (const rule of pathRules) this.matchWindow(rule, buf, 0, buf.length, limit, out);
    out.sort((x, y) => x.start - y.start || x.rule - y.rule);
    return this.dropShadowed(out);
  }

  /**
   * Rules with everyday keywords ("token", "key", "user", "password") get windows over most of a
   * source file or log chunk, and each then costs a full RE2 pass that usually finds nothing. Those
   * rules are first tried together in ONE pass of an RE2.Set over the buffer; only the ones it
   * reports can match, and only they run their own search. Which rules are broad is learnt from the
   * windows of the first megabytes scanned (it depends on the corpus), so the set is built once or
   * twice, not per buffer. Gating never changes results: a rule the set does not report cannot match
   * anywhere in the buffer, so not in its windows either.
   * Returns the touched rules that may match, or undefined when every one must run.
   */
  private gate(buf: Buffer, touched: readonly number[], lists: readonly number[][]): ReadonlySet<number> | undefined {
    const g = this.gating;
    let broadHere = 0;
    // A rule is broad here when its windows cover an eighth of the buffer (a quarter of a small one,
    // such as the added lines of one file in a commit, where every window spans most of it).
    const floor = buf.length < 4096 ? buf.length / 4 : Math.max(1024, buf.length / 8);
    for (const rule of touched) {
      const list = lists[rule]!;
      let covered = 0;
      for (let i = 0; i < list.length; i += 2) covered += Math.min(buf.length, list[i + 1]!) - Math.max(0, list[i]!);
      g.covered[rule] = g.covered[rule]! + covered;
      if (g.members?.has(rule) && covered >= floor) broadHere++;
    }
    g.scanned += buf.length;
    if (g.scanned >= g.nextLearn) this.learnGate();
    if (!g.set || broadHere < 2 || buf.length < GATE_MIN_BYTES) return undefined;
    let hits: number[];
    try {
      hits = g.set.match(buf as unknown as string);
    } catch {
      return undefined; // the set's DFA ran out of memory: search every rule
    }
    const possible = new Set(touched);
    for (const rule of g.members!) possible.delete(rule);
    for (const i of hits) possible.add(g.order[i]!);
    return possible;
  }

  /** (Re)build the gate set from the rules whose windows covered the most bytes so far. */
  private learnGate(): void {
    const g = this.gating;
    g.nextLearn = g.scanned * 16;
    const ranked = [...g.covered.keys()]
      .filter((r) => g.covered[r]! >= g.scanned * GATE_SHARE && !this.rules[r]!.composite)
      .sort((x, y) => g.covered[y]! - g.covered[x]!)
      .slice(0, GATE_MAX_RULES);
    if (ranked.length < 2 || (g.members && ranked.length === g.members.size && ranked.every((r) => g.members!.has(r))))
      return;
    try {
      g.set = new RE2.Set(
        ranked.map((r) => this.rules[r]!.pattern),
        '',
        { maxMem: GATE_MAX_MEM },
      );
      g.order = ranked;
      g.members = new Set(ranked);
    } catch {
      g.set = undefined;
      g.members = undefined;
    }
  }

  /**
   * Raw windows (merged where they overlap) → windows snapped to whole lines or whole tokens,
   * merged again where snapping made them touch. Done once per window, not once per hit.
   */
  private snap(buf: Buffer, rule: number, raw: readonly number[], segs?: Segments): number[] {
    const before = this.before[rule]!;
    const after = this.after[rule]!;
    const out: number[] = [];
    let lo = 0;
    let hi = buf.length;
    for (let i = 0; i < raw.length; i += 2) {
      const rawA = raw[i]!;
      const rawB = raw[i + 1]!;
      if (segs) {
        // A window lies inside the segment of its first hit.
        const s = segmentAt(segs, rawA + before);
        lo = segs.starts[s]!;
        hi = segs.ends[s]!;
      }
      // The first hit of the merged window starts at rawA + before; the last ends at rawB - after.
      const a = this.windowStart(buf, Math.max(lo, rawA), rawA + before, lo);
      const b = this.windowEnd(buf, Math.min(hi, rawB), Math.min(hi, rawB - after), hi);
      const n = out.length;
      if (n && a <= out[n - 1]!) out[n - 1] = Math.max(out[n - 1]!, b);
      else out.push(a, b);
    }
    return out;
  }

  /** Neighbouring windows a few hundred bytes apart run as one RE2 call; matches must stay inside one window. */
  private searchWindows(
    rule: number,
    buf: Buffer,
    list: readonly number[],
    limit: number,
    out: RawMatch[],
    segs?: Segments,
  ): void {
    const dropped = segs
      ? (m: RawMatch) => markDirty(segs, Math.min(m.matchStart, m.start), Math.max(m.matchEnd, m.end))
      : undefined;
    for (let i = 0; i < list.length; ) {
      let j = i + 2;
      while (j < list.length && list[j]! - list[j - 1]! <= COALESCE_GAP) j += 2;
      const from = out.length;
      this.matchWindow(rule, buf, list[i]!, list[j - 1]!, limit, out);
      if (j > i + 2) keepInsideWindows(out, from, list, i, j, dropped);
      i = j;
    }
  }

  /**
   * The path rules that run on a file at `path` (any: all of them, for rule verification). Most
   * files match none, and most rule sets have none: then nothing is tested at all.
   */
  rulesForPath(path: string | undefined, any = false): readonly number[] {
    if (this.pathRules.length === 0 || (path === undefined && !any)) return NO_RULES;
    if (any) return this.pathRules.map((p) => p.rule);
    const slashed = path!.replace(/\\/g, '/');
    const out = this.pathRules.filter((p) => p.path.test(slashed)).map((p) => p.rule);
    return out.length ? out : NO_RULES;
  }

  /** Whether a file at `path` is scanned differently from others (path rules, credential store). */
  readsPath(path: string): boolean {
    return this.rulesForPath(path).length > 0 || credentialStoreKind(path) !== undefined;
  }

  private byId: Map<string, Rule> | undefined;
  ruleById(id: string): Rule | undefined {
    return (this.byId ??= new Map(this.rules.map((r) => [r.id, r]))).get(id);
  }

  /** Compile every pattern now (rule verification): a bad pattern fails at load, not mid-scan. */
  compileAll(): void {
    this.rules.forEach((r, i) => {
      if (!r.composite) {
        this.patterns[i] ??= this.compileScan(i);
        this.anchored[i] ??= compilePattern(r, 'y');
      }
    });
  }

  /**
   * One secret, one finding: where a generic (lower-confidence) rule matched a span that a more
   * specific rule also matched, keep only the specific one.
   */
  private dropShadowed(sorted: RawMatch[]): RawMatch[] {
    if (sorted.length < 2) return sorted;
    const rank = (m: RawMatch) => CONFIDENCE_RANK[this.rules[m.rule]!.confidence];
    const drop = new Set<RawMatch>();
    for (let i = 0; i < sorted.length; i++) {
      const a = sorted[i]!;
      for (let j = i + 1; j < sorted.length && sorted[j]!.start < a.end; j++) {
        const b = sorted[j]!;
        // Part-only matches (composites) neither shadow nor are shadowed: combineParts decides.
        if (this.rules[a.rule]!.reportAlone === false || this.rules[b.rule]!.reportAlone === false) continue;
        if (rank(a) > rank(b)) drop.add(b);
        else if (rank(b) > rank(a)) drop.add(a);
      }
    }
    return drop.size ? sorted.filter((m) => !drop.has(m)) : sorted;
  }

  /** Move a window start that fell inside a token back to the line start or forward past the token. */
  /**
   * Snap a window start to the first whole line inside `context.before`; on a long line (no line
   * start between `a` and the hit), move it forward out of any token it cuts.
   */
  private windowStart(buf: Buffer, a: number, pos: number, lo: number): number {
    if (a === lo) return lo;
    const nl = buf.indexOf(NEWLINE, a - 1);
    if (nl !== -1 && nl < pos) return nl + 1;
    while (a < pos && TOKEN_BYTE[buf[a - 1]!]) a++;
    return a;
  }

  /**
   * Snap a window end to the last whole line inside `context.after`; on a long line, extend it to
   * the end of the token it cuts (bounded), so a long token (a JWT in a minified bundle) stays whole.
   */
  private windowEnd(buf: Buffer, b: number, hitEnd: number, hi: number): number {
    if (b >= hi) return hi;
    const last = buf.lastIndexOf(NEWLINE, b - 1);
    if (last >= hitEnd) return last;
    const cap = Math.min(hi, b + 65536);
    while (b < cap && TOKEN_BYTE[buf[b]!]) b++;
    return b;
  }

  private matchWindow(rule: number, buf: Buffer, a: number, b: number, limit: number, out: RawMatch[]): void {
    const re = (this.patterns[rule] ??= this.compileScan(rule));
    const slice = buf.subarray(a, b);
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(slice as unknown as string)) !== null) {
      const whole = m[0] as unknown as Buffer;
      if (whole.length === 0) {
        re.lastIndex++;
        continue;
      }
      const span = this.spanOf(rule, slice, m, whole);
      if (!span || span[1] <= span[0]) continue;
      const matchStart = a + m.index;
      const start = a + span[0];
      const end = a + span[1];
      if (start >= limit) continue;
      const secret = buf.toString('utf8', start, end);
      // A match that fails its structure check is no token at all: it must not shadow another rule's.
      const structure = this.rules[rule]!.structure;
      if (structure && !hasStructure(structure, secret)) continue;
      // Every RawMatch has the same fields in the same order, decoded too: the code that reads
      // them then sees one object shape (a second one made candidates() deoptimise).
      out.push({ rule, start, end, matchStart, matchEnd: matchStart + whole.length, secret, decoded: undefined });
    }
  }

  /**
   * The search runs a copy of the pattern without capture groups: RE2 then finds a match with its
   * DFA alone, and the submatch pass (half the cost of a match on the generic rules, which match
   * thousands of times per MB of code before the filters drop them) runs only to locate the secret.
   */
  private compileScan(rule: number): RE2 {
    const r = this.rules[rule]!;
    const plain = withoutCaptures(r.pattern);
    this.captures[rule] = plain.groups > 0;
    if (plain.groups === 0) return compilePattern(r, 'g');
    try {
      return new RE2(plain.pattern, 'g');
    } catch {
      this.captures[rule] = undefined; // not understood: search with the groups
      return compilePattern(r, 'g');
    }
  }

  /**
   * Byte span of the secret in `slice` for the match of `whole` at `at`. The secret's place in a
   * match depends only on the match's bytes and the byte on either side (for \b, ^ and $), so it
   * is remembered per rule: code repeats the same assignments (`apiKey = process.env.API_KEY`)
   * again and again. Otherwise the pattern with its groups runs anchored at the match.
   */
  private spanOf(rule: number, slice: Buffer, m: RegExpExecArray, whole: Buffer): [number, number] | undefined {
    const at = m.index;
    const grouped = this.captures[rule];
    if (grouped === false) return [at, at + whole.length];
    let key: string | undefined;
    let cache: Map<string, readonly [number, number] | null> | undefined;
    if (grouped && whole.length <= SPAN_CACHE_MATCH) {
      const before = at > 0 ? slice[at - 1]! : 256;
      const after = at + whole.length < slice.length ? slice[at + whole.length]! : 256;
      key = `${before},${after},${whole.toString('latin1')}`;
      cache = this.spanCache[rule] ??= new Map();
      const known = cache.get(key);
      if (known !== undefined) return known ? [at + known[0], at + known[1]] : undefined;
    }
    let span: [number, number] | undefined;
    if (grouped) {
      const exact = (this.anchored[rule] ??= compilePattern(this.rules[rule]!, 'y'));
      exact.lastIndex = at;
      const again = exact.exec(slice as unknown as string);
      if (again && again.index === at) span = this.secretSpan(rule, slice, again, again[0] as unknown as Buffer);
    } else {
      // Searched with its groups (see compileScan): locate the secret in this match.
      span = this.secretSpan(rule, slice, m, whole);
    }
    if (cache && key !== undefined) {
      if (cache.size >= SPAN_CACHE_SIZE) cache.clear();
      cache.set(key, span ? [span[0] - at, span[1] - at] : null);
    }
    return span;
  }

  /**
   * Byte span of the secret in `slice` for match `m` (found without the "d" flag): the group's
   * bytes located inside the match, or, when they occur twice in it, RE2's indices.
   */
  private secretSpan(rule: number, slice: Buffer, m: RegExpExecArray, whole: Buffer): [number, number] | undefined {
    const r = this.rules[rule]!;
    const group = secretGroupValue(m, r.secretGroup);
    if (group === whole) return [m.index, m.index + whole.length];
    if (!group || group.length === 0) return undefined;
    const at = whole.indexOf(group);
    if (at !== -1 && whole.lastIndexOf(group) === at) return [m.index + at, m.index + at + group.length];
    const exact = (this.exactPatterns[rule] ??= compilePattern(r, 'yd'));
    exact.lastIndex = m.index;
    const again = exact.exec(slice as unknown as string);
    return again ? secretSpan(again, r.secretGroup) : undefined;
  }

  /**
   * Filters that need only the secret: placeholders, entropy, allowlists. In a credential store
   * (`store`), only references (${VAR}, <password>, ****) count as placeholders: a weak password
   * committed there is still a leak.
   */
  accepts(rule: Rule, secret: string, store = false): boolean {
    if (rule.placeholders && (store ? isReference(secret) : isPlaceholder(secret))) return false;
    if (rule.entropy !== undefined && shannonEntropy(secret) < rule.entropy) return false;
    for (const re of this.allowRegexes) if (re.test(secret)) return false;
    if (this.stopwords.length) {
      const lower = secret.toLowerCase();
      for (const w of this.stopwords) if (lower.includes(w)) return false;
    }
    if (this.hashedSecrets.size && this.hashedSecrets.has(createHash('sha1').update(secret, 'utf8').digest('hex')))
      return false;
    return true;
  }
}

type IndexedMatch = RegExpExecArray & {
  indices?: Array<[number, number] | undefined> & { groups?: Record<string, [number, number] | undefined> };
};

/** Matches longer than this are not remembered (a PEM block is not repeated verbatim). */
const SPAN_CACHE_MATCH = 512;
/** Entries remembered per rule before the memory is cleared. */
const SPAN_CACHE_SIZE = 4096;

/**
 * The pattern with every capture group made non-capturing (same language, same preference), and
 * how many groups it had. Skips escapes, \Q…\E and character classes.
 */
export function withoutCaptures(p: string): { pattern: string; groups: number } {
  let out = '';
  let groups = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      if (p[i + 1] === 'Q') {
        const end = p.indexOf('\\E', i + 2);
        const stop = end === -1 ? p.length : end + 2;
        out += p.slice(i, stop);
        i = stop - 1;
        continue;
      }
      out += c + (p[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '[') {
      // A class: "]" right after "[" or "[^" is a literal; escapes and [:alpha:] stay inside.
      let j = i + 1;
      if (p[j] === '^') j++;
      if (p[j] === ']') j++;
      while (j < p.length && p[j] !== ']') {
        if (p[j] === '\\') j++;
        else if (p[j] === '[' && p[j + 1] === ':') {
          const close = p.indexOf(':]', j + 2);
          if (close !== -1) j = close + 1;
        }
        j++;
      }
      out += p.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === '(') {
      if (p[i + 1] !== '?') {
        groups++;
        out += '(?:';
        continue;
      }
      const named = /^\(\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(p.slice(i, i + 72));
      if (named) {
        groups++;
        out += '(?:';
        i += named[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  return { pattern: out, groups };
}

/** The secret's bytes in a match found without indices: group "secret", else 1, else the match. */
function secretGroupValue(m: RegExpExecArray, group: string | number | undefined): Buffer | undefined {
  const g = m as unknown as Buffer[] & { groups?: Record<string, Buffer | undefined> };
  if (typeof group === 'number') return g[group];
  if (typeof group === 'string') return g.groups?.[group];
  if (g.groups && 'secret' in g.groups) return g.groups.secret;
  for (let i = 1; i < g.length; i++) if (g[i] !== undefined) return g[i];
  return g[0];
}

/** Byte span of the secret inside the searched slice: group "secret", else 1, else the match. */
function secretSpan(m: RegExpExecArray, group: string | number | undefined): [number, number] | undefined {
  const ind = (m as IndexedMatch).indices;
  if (!ind) return undefined;
  if (typeof group === 'number') return ind[group];
  if (typeof group === 'string') return ind.groups?.[group];
  if (ind.groups && 'secret' in ind.groups) return ind.groups.secret;
  for (let i = 1; i < ind.length; i++) if (ind[i]) return ind[i];
  return ind[0];
}

/** Code points in buf[a, b). */
function codePoints(buf: Buffer, a: number, b: number): number {
  if (b <= a) return 0;
  const part = buf.subarray(a, b);
  if (isAscii(part)) return part.length;
  let n = 0;
  for (let i = 0; i < part.length; i++) if ((part[i]! & 0xc0) !== 0x80) n++;
  return n;
}

/**
 * The carried tail and the next chunk, joined in one buffer reused by every scanner in this thread
 * (push is synchronous, and nothing keeps a view into it: the next carry is a copy, secrets and
 * excerpts are strings). A fresh 4 MiB buffer per chunk made dead external memory pile up to
 * ~100 MB per worker before the garbage collector ran.
 */
let joined = Buffer.alloc(0);
function joinCarried(carry: Buffer, parts: readonly Buffer[]): Buffer {
  let size = carry.length;
  for (const p of parts) size += p.length;
  if (joined.length < size || joined.length > 4 * size + (8 << 20))
    joined = Buffer.allocUnsafe(Math.max(size, 1 << 20));
  let at = carry.copy(joined, 0);
  for (const p of parts) at += p.copy(joined, at);
  return joined.subarray(0, size);
}

/** Bytes carried from one chunk to the next, so a secret across a boundary is found once. */
export const CHUNK_OVERLAP = 64 * 1024;

export interface ChunkScannerOptions {
  /** Bytes kept from one chunk for the next (the longest secret that may span a boundary). */
  readonly overlap?: number;
  /**
   * Report matches up to the last complete line of every chunk instead of holding back the
   * overlap: for streams read as they grow (stdin from `kubectl logs -f`).
   */
  readonly eager?: boolean;
  /**
   * Form composites (default true). false reports every match on its own, part-only rules
   * included: rule verification checks each rule's examples that way.
   */
  readonly compose?: boolean;
  /** Path of the file scanned ("/"-separated): wakes the rules with a matching `path`. */
  readonly path?: string;
  /** Run every path rule whatever the path: rule verification checks their examples that way. */
  readonly anyPath?: boolean;
}

/**
 * Scans a byte stream chunk by chunk with an overlap, tracking line and column, and returns
 * candidates with positions. Feed the whole content as one final chunk when it fits in memory.
 */
export class ChunkScanner {
  private carry: Buffer = Buffer.alloc(0);
  private base = 0; // absolute offset of carry[0]
  private line = 1; // line number at carry[0]
  private column = 0; // code points between the start of that line and carry[0]
  private prevLineAllows = false; // the line before carry[0]'s line holds an allow-next-line marker
  /** Matches already reported that start inside the carried tail: "rule:offset". */
  private reported = new Set<string>();
  private readonly overlap: number;
  private readonly eager: boolean;
  private readonly compose: boolean;
  private readonly pathRules: readonly number[];
  private readonly path: string | undefined;
  /** The file is a credential store: weak values are leaks there, not placeholders (known at its first match). */
  private store: boolean | undefined;

  constructor(
    private readonly detector: Detector,
    options: ChunkScannerOptions = {},
  ) {
    this.overlap = options.overlap ?? CHUNK_OVERLAP;
    this.eager = options.eager ?? false;
    this.compose = options.compose ?? true;
    this.pathRules = detector.rulesForPath(options.path, options.anyPath);
    this.path = options.path;
  }

  private inStore(): boolean {
    return (this.store ??= this.path !== undefined && credentialStoreKind(this.path) !== undefined);
  }

  push(chunk: Buffer, final = false): Candidate[] {
    return this.pushParts([chunk], final);
  }

  /** push() of several pieces in a row (decompressor output), joined once with the carried tail. */
  pushParts(parts: readonly Buffer[], final = false): Candidate[] {
    const buf = !this.carry.length && parts.length === 1 ? parts[0]! : joinCarried(this.carry, parts);
    const carryStart = final ? buf.length : Math.max(0, buf.length - this.overlap);
    let commit = carryStart;
    if (final) commit = buf.length;
    else if (this.eager) commit = Math.max(carryStart, buf.lastIndexOf(NEWLINE) + 1);
    const matches = commit > 0 ? this.detector.findMatches(buf, commit, undefined, this.pathRules) : [];
    if (commit > 0) addDecodedMatches(this.detector, buf, commit, matches);
    return this.candidates(buf, matches, carryStart, final);
  }

  /** Candidates of a whole buffer whose raw matches were found in a joined buffer (scanSegments). */
  matched(buf: Buffer, matches: readonly RawMatch[]): Candidate[] {
    return this.candidates(buf, matches, buf.length, true);
  }

  /** Raw matches → candidates (filters, positions, excerpts, composites), and the carry for the next push. */
  private candidates(buf: Buffer, matches: readonly RawMatch[], carryStart: number, final: boolean): Candidate[] {
    let out: Candidate[] = [];
    const spans: RawMatch[] = []; // spans[i] is the match behind out[i], for combineParts
    const reported = new Set<string>();
    // Walk newlines up to each match; take a snapshot of the position state at carryStart.
    let pos = 0;
    let line = this.line;
    let lineStart = -1; // index of the current line's first byte, -1 = before buf
    let prevLineStart = -2;
    let snapshot: { line: number; column: number; prevLineAllows: boolean } | undefined;
    const advance = (to: number) => {
      let nl = buf.indexOf(NEWLINE, pos);
      while (nl !== -1 && nl < to) {
        line++;
        prevLineStart = lineStart;
        lineStart = nl + 1;
        nl = buf.indexOf(NEWLINE, lineStart);
      }
      pos = Math.max(pos, to);
    };
    const takeSnapshot = () => {
      advance(carryStart);
      snapshot =
        lineStart === -1
          ? { line, column: this.column + codePoints(buf, 0, carryStart), prevLineAllows: this.prevLineAllows }
          : {
              line,
              column: codePoints(buf, lineStart, carryStart),
              prevLineAllows: prevLineStart >= -1 && this.lineAllowsAt(buf, prevLineStart, lineStart),
            };
    };
    for (const m of matches) {
      if (!final && !snapshot && m.start >= carryStart) takeSnapshot();
      const key = `${m.rule}:${this.base + m.start}`;
      if (this.reported.has(key)) continue;
      if (!final && m.start >= carryStart) reported.add(key);
      advance(m.start);
      const rule = this.detector.rules[m.rule]!;
      const store = this.inStore();
      if (!this.detector.accepts(rule, m.secret, store)) continue;
      const ls = lineStart === -1 ? 0 : lineStart;
      const lineEndIdx = buf.indexOf(NEWLINE, m.start);
      const le = lineEndIdx === -1 ? buf.length : lineEndIdx;
      const lineText = buf.toString('latin1', Math.max(ls, m.start - 4096), Math.min(le, m.end + 4096));
      if (lineAllows(lineText)) continue;
      // In a credential store a weak value is still a leak; an identifier or a public half is not a secret anywhere.
      if (!m.decoded && rule.placeholders) {
        const key = buf.toString('latin1', m.matchStart, m.start);
        if (store ? namesNoSecret(key, m.secret) : rejectInContext(rule, m.secret, key, lineText)) continue;
      }
      const allowedByPrevious =
        lineStart === -1 ? this.prevLineAllows : this.lineAllowsAt(buf, prevLineStart, lineStart);
      if (allowedByPrevious) continue;
      const column =
        (lineStart === -1 ? this.column + codePoints(buf, 0, m.start) : codePoints(buf, lineStart, m.start)) + 1;
      out.push({
        ruleId: rule.id,
        secret: m.secret,
        line,
        column,
        excerpt: excerpt(buf, ls, le, m, onLine(matches, ls, le)),
        decoded: m.decoded,
        checksum: rule.validate ? (validate(rule.validate, m.secret) ? 'valid' : 'invalid') : undefined,
      });
      spans.push(m);
    }
    if (this.compose && (this.detector.composites.length || this.detector.partOnly.size))
      out = combineParts(this.detector, out, spans);
    if (final) {
      this.carry = Buffer.alloc(0);
      this.reported.clear();
      return out;
    }
    if (!snapshot) takeSnapshot();
    this.line = snapshot!.line;
    this.column = snapshot!.column;
    this.prevLineAllows = snapshot!.prevLineAllows;
    this.base += carryStart;
    this.carry = Buffer.from(buf.subarray(carryStart));
    this.reported = reported;
    return out;
  }

  /** Whether the line at [start, end) — the line before the current one — allows the next line. */
  private lineAllowsAt(buf: Buffer, start: number, end: number): boolean {
    if (start < -1) return false;
    const s = Math.max(start, 0);
    if (end - s > 8192) return false;
    return lineAllowsNext(buf.toString('latin1', s, end));
  }
}

/**
 * The matches that can touch the line [ls, le) (sorted by start): a log where a rule fires on every
 * line has thousands per chunk, and passing them all to excerpt() made each chunk quadratic.
 */
function onLine(all: readonly RawMatch[], ls: number, le: number): readonly RawMatch[] {
  const from = ls - 8192; // a multi-line match (a PEM block) starting before the line may still reach into it
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (all[mid]!.start < from) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < all.length && all[end]!.start < le) end++;
  return lo === 0 && end === all.length ? all : all.slice(lo, end);
}

/** A bounded excerpt of the line around a match, with every secret in it redacted. */
function excerpt(buf: Buffer, ls: number, le: number, m: RawMatch, all: readonly RawMatch[]): string {
  let a = Math.max(ls, m.start - EXCERPT_RADIUS);
  let b = Math.min(le, m.end + EXCERPT_RADIUS);
  // Never cut through another secret: a cut-off secret would leak its visible part.
  for (const o of all) {
    if (o === m) continue;
    if (o.start < a && o.end > a) a = Math.min(o.end, m.start);
    if (o.start < b && o.end > b) b = Math.max(o.start, m.end);
  }
  // Widen to whole characters.
  while (a > ls && (buf[a]! & 0xc0) === 0x80) a--;
  while (b < le && (buf[b]! & 0xc0) === 0x80) b++;
  const parts: string[] = [];
  let p = a;
  for (const o of all) {
    if (o.end <= a || o.start >= b) continue;
    if (o.start < p) {
      p = Math.max(p, o.end); // overlapping spans (a decoded match over a plain one): mask their union
      continue;
    }
    parts.push(buf.toString('utf8', p, o.start), redact(o.secret));
    p = o.end;
  }
  parts.push(buf.toString('utf8', p, b));
  let s = parts
    .join('')
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, ' ')
    .replace(/\r?\n/g, '⏎');
  if (a > ls) s = '…' + s;
  if (b < le) s = s + '…';
  return s.trim();
}

/** Segments joined by "\n" for scanSegments, reused (like `joined`). */
let batchBuf = Buffer.alloc(0);

/**
 * Candidates of many small buffers (the added lines of each file in a commit, commit messages):
 * exactly what scanBuffer gives for each, found in one detector pass over all of them joined by
 * "\n". A few hundred bytes per call made per-call costs (the gate's set pass, one RE2 call per
 * woken rule, the decoders' passes) dominate a history scan. In the joined buffer each segment
 * keeps its own windows (findMatches' segment mode), so its matches are those it has alone; a
 * segment is scanned alone instead where a search across windows dropped a match (it may have
 * hidden one) or where it holds an encoded run (decoded runs are searched together).
 */
export function scanSegments(detector: Detector, segments: readonly Buffer[]): Candidate[][] {
  const out: Candidate[][] = segments.map(() => []);
  if (segments.length === 0) return out;
  let size = segments.length - 1;
  for (const s of segments) size += s.length;
  if (batchBuf.length < size || batchBuf.length > 4 * size + (8 << 20))
    batchBuf = Buffer.allocUnsafe(Math.max(size, 1 << 20));
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  segments.forEach((s, i) => {
    if (i > 0) batchBuf[at++] = NEWLINE;
    starts.push(at);
    at += s.copy(batchBuf, at);
    ends.push(at);
  });
  const buf = batchBuf.subarray(0, size);
  const segs: Segments = { starts, ends, dirty: new Set() };
  const matches = detector.findMatches(buf, size, segs);
  const runs: number[] = [];
  encodedSpans(detector, buf, size, runs);
  for (let k = 0; k < runs.length; k += 2) markDirty(segs, runs[k]!, runs[k + 1]!);
  const bySegment = new Map<number, RawMatch[]>();
  for (const m of matches) {
    const i = segmentAt(segs, m.start);
    if (segs.dirty.has(i)) continue;
    const base = starts[i]!;
    let list = bySegment.get(i);
    if (!list) bySegment.set(i, (list = []));
    list.push({
      rule: m.rule,
      start: m.start - base,
      end: m.end - base,
      matchStart: m.matchStart - base,
      matchEnd: m.matchEnd - base,
      secret: m.secret,
      decoded: m.decoded,
    });
  }
  for (const [i, list] of bySegment) out[i] = new ChunkScanner(detector).matched(segments[i]!, list);
  for (const i of segs.dirty) out[i] = scanBuffer(detector, segments[i]!);
  return out;
}

/** Scan a whole in-memory text or buffer: for rule examples, stdin lines, tests. */
export function scanBuffer(
  detector: Detector,
  input: Buffer | string,
  options: Pick<ChunkScannerOptions, 'compose' | 'path' | 'anyPath'> = {},
): Candidate[] {
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  return new ChunkScanner(detector, options).push(buf, true);
}

// --- Composites ---------------------------------------------------------------------------------

export interface CompositeSpec {
  readonly rule: Rule;
  readonly parts: readonly string[];
  readonly withinLines: number;
}

function compositesOf(rules: readonly Rule[]): CompositeSpec[] {
  const ids = new Set(rules.filter((r) => !r.composite).map((r) => r.id));
  const out: CompositeSpec[] = [];
  for (const r of rules) {
    // A composite with a part switched off (disabled_rules) is off too.
    if (r.composite?.parts.every((p) => ids.has(p)))
      out.push({ rule: r, parts: r.composite.parts, withinLines: r.composite.withinLines });
  }
  return out;
}

/**
 * The composite post-pass over one push's candidates (in text order): where every part of a
 * composite was found within its line window, the parts become ONE candidate of the composite
 * rule, secret = the parts' secrets joined by "\n" in `parts` order, placed at the part found
 * first in the text. Each candidate of the first part is paired with the nearest unused
 * candidate of every other part, so repeated pairs (several profiles in one file) stay apart.
 * Other candidates over a consumed part's span (a generic rule on the same password) go too.
 * Finally, candidates of part-only rules that formed no composite are dropped.
 */
function combineParts(detector: Detector, cands: Candidate[], spans: readonly RawMatch[]): Candidate[] {
  // Most calls (a batch segment, a file) have no part at all: nothing to combine or drop.
  if (!cands.some((c) => detector.parts.has(c.ruleId))) return cands;
  const used = new Set<number>();
  const replaced = new Map<number, Candidate>(); // index of the first part → composite candidate
  const consumed: RawMatch[] = [];
  // A generic part (a password next to a user name) never takes bytes a specific provider rule
  // matched on its own: a Packagist token in a "password" field stays a Packagist token.
  const claimed = new Set<number>();
  cands.forEach((c, i) => {
    if (!detector.partOnly.has(c.ruleId)) return;
    const m = spans[i]!;
    const byProvider = cands.some(
      (o, j) =>
        j !== i &&
        !detector.partOnly.has(o.ruleId) &&
        detector.ruleById(o.ruleId)?.confidence === 'high' &&
        spans[j]!.start < m.end &&
        m.start < spans[j]!.end,
    );
    if (byProvider) claimed.add(i);
  });
  for (const spec of detector.composites) {
    const byPart = spec.parts.map((p) => {
      const idx: number[] = [];
      cands.forEach((c, i) => c.ruleId === p && !claimed.has(i) && idx.push(i));
      return idx;
    });
    if (byPart.some((l) => l.length === 0)) continue;
    for (const anchor of byPart[0]!) {
      if (used.has(anchor)) continue;
      const line = cands[anchor]!.line;
      const chosen = [anchor];
      for (const list of byPart.slice(1)) {
        let best = -1;
        for (const i of list) {
          if (used.has(i) || chosen.some((j) => spans[j]!.start === spans[i]!.start)) continue;
          const d = Math.abs(cands[i]!.line - line);
          if (d <= spec.withinLines && (best === -1 || d < Math.abs(cands[best]!.line - line))) best = i;
        }
        if (best === -1) break;
        chosen.push(best);
      }
      if (chosen.length !== spec.parts.length) continue;
      const lines = chosen.map((i) => cands[i]!.line);
      if (Math.max(...lines) - Math.min(...lines) > spec.withinLines) continue;
      const first = Math.min(...chosen);
      const at = cands[first]!;
      for (const i of chosen) {
        used.add(i);
        consumed.push(spans[i]!);
      }
      const partLines = chosen.map((i) => cands[i]!.line - at.line);
      replaced.set(first, {
        ruleId: spec.rule.id,
        secret: chosen.map((i) => cands[i]!.secret).join('\n'),
        line: at.line,
        column: at.column,
        excerpt: at.excerpt,
        partLines,
      });
    }
  }
  const out: Candidate[] = [];
  cands.forEach((c, i) => {
    const composite = replaced.get(i);
    if (composite) return out.push(composite);
    if (used.has(i)) return;
    const m = spans[i]!;
    if (consumed.some((p) => m.start < p.end && p.start < m.end)) return;
    if (detector.partOnly.has(c.ruleId)) return;
    out.push(c);
  });
  return out;
}
