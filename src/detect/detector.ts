// Turns bytes into raw matches. One keyword pass (prefilter.ts) decides which rules can fire and
// where; RE2 then runs only in bounded windows around those keyword hits. Pure: no I/O.

import RE2 from 're2';
import {
  compilePath,
  compilePattern,
  secretGroupValue,
  secretSpan,
  SPAN_CACHE_MATCH,
  SPAN_CACHE_SIZE,
  withoutCaptures,
} from './captures.js';
import { sha1Hex } from '../secret/digest.js';
import { hasStructure, validate } from './checksum.js';
import { type CompositeSpec, compositesOf } from './composite.js';
import { type Evidence, isPlaceholder, isReference, shannonEntropy } from './filters.js';
import { credentialStoreKind } from './fixture.js';
import { relaxedCounts } from './relaxed.js';
import { BroadRuleGate } from './gate.js';
import { type KeywordPrefilter, keywordPrefilter, type PrefilterStore } from './prefilter.js';
import type { Rule } from './rules.js';
import { markDirty, segmentAt, type Segments } from './segments.js';

export interface Allowlist {
  /** Regular expressions (RE2 syntax) matched against the secret. */
  readonly regexes?: readonly string[];
  /** A secret containing one of these words (case-insensitive) is allowed. */
  readonly stopwords?: readonly string[];
  /** sha1 hex of known secrets (a detect-secrets baseline): allowed. */
  readonly hashedSecrets?: readonly string[];
  /**
   * Inline pragmas (`leakradius:allow`, ...): "apply" (default) drops what they allow; "report"
   * returns it marked `allowed`, so a pull request's scan can show the allows the PR adds.
   */
  readonly pragmas?: 'apply' | 'report';
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

const NEWLINE = 10;
const NO_RULES: readonly number[] = [];
/** Paths whose readsPath answer is kept (then the memo starts over). */
const PATH_READS_MAX = 16_384;

/** Gap (bytes) below which a rule's neighbouring windows are searched in one RE2 call. */
const COALESCE_GAP = 8 * 1024;

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

const CONFIDENCE_RANK = { high: 3, medium: 2, low: 1 } as const;

/** Bytes that can sit inside a token: a window must not start or end inside a run of them. */
const TOKEN_BYTE = (() => {
  const t = new Uint8Array(256);
  for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-.~') t[ch.charCodeAt(0)] = 1;
  return t;
})();

/** What a rule's match says about a value before a placeholder guess (filters.ts: a valid checksum outranks it). */
function evidenceFor(rule: Rule, secret: string): Evidence {
  if (rule.validate && validate(rule.validate, secret)) return 'checksum';
  return rule.confidence === 'high' ? 'format' : 'none';
}

export class Detector {
  readonly rules: readonly Rule[];
  /** Compiled on a rule's first keyword hit: start-up compiles nothing a scan does not use. */
  private readonly patterns: Array<RE2 | undefined>;
  /** Whether a rule's search pattern had its capture groups removed (undefined: searched with them). */
  private readonly captures: Array<boolean | undefined> = [];
  /** Per rule: relaxed.ts's superset of its pattern (null: none), tried while the pattern is not compiled. */
  private readonly relaxed: Array<RE2 | null | undefined> = [];
  /** The rules' own patterns, sticky: run at a match to locate the secret. */
  private readonly anchored: Array<RE2 | undefined> = [];
  /** Per rule: match bytes with the byte on either side → secret span within the match (null: none). */
  private readonly spanCache: Array<Map<string, readonly [number, number] | null> | undefined> = [];
  /** The same patterns with indices, anchored: for the rare match whose secret group is ambiguous. */
  private readonly exactPatterns: Array<RE2 | undefined> = [];
  private readonly prefilter: KeywordPrefilter | null;
  private readonly unkeyed: number[] = [];
  /** Rules with a `path`: never woken by keywords, run over a whole file whose path matches. */
  private readonly pathRules: Array<{ readonly rule: number; readonly path: RE2 }> = [];
  /** Per-rule context bytes before and after a keyword hit. */
  private readonly before: Int32Array;
  private readonly after: Int32Array;
  private readonly gate: BroadRuleGate;
  /** Per-rule raw window lists, reused by every findMatches call (emptied after use). */
  private readonly scratch: number[][];
  private readonly allowRegexes: RE2[];
  /** Candidates an inline pragma allows are returned marked, not dropped (Allowlist.pragmas). */
  readonly reportPragmas: boolean;
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
    this.gate = new BroadRuleGate(rules);
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
    this.prefilter = keywordPrefilter(byKeyword, store);
    this.allowRegexes = (allow.regexes ?? []).map((r) => new RE2(r));
    this.stopwords = (allow.stopwords ?? []).map((s) => s.toLowerCase());
    this.hashedSecrets = new Set((allow.hashedSecrets ?? []).map((h) => h.toLowerCase()));
    this.reportPragmas = allow.pragmas === 'report';
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
      const possible = this.gate.possible(buf, touched, lists);
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

  /** readsPath's answers: a history asks once per change, for the same few hundred paths. */
  private readonly pathReads = new Map<string, boolean>();

  /** Whether a file at `path` is scanned differently from others (path rules, credential store). */
  readsPath(path: string): boolean {
    let reads = this.pathReads.get(path);
    if (reads === undefined) {
      reads = this.rulesForPath(path).length > 0 || credentialStoreKind(path) !== undefined;
      if (this.pathReads.size >= PATH_READS_MAX) this.pathReads.clear();
      this.pathReads.set(path, reads);
    }
    return reads;
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
    const slice = buf.subarray(a, b);
    if (this.patterns[rule] === undefined && this.cannotMatch(rule, slice)) return;
    const re = (this.patterns[rule] ??= this.compileScan(rule));
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
   * Whether the rule's relaxed pattern (relaxed.ts) finds nothing in `slice`: then its own, not
   * compiled yet and dear to compile, cannot match there either.
   */
  private cannotMatch(rule: number, slice: Buffer): boolean {
    let relaxed = this.relaxed[rule];
    if (relaxed === undefined) {
      const pattern = relaxedCounts(withoutCaptures(this.rules[rule]!.pattern).pattern);
      try {
        relaxed = pattern === undefined ? null : new RE2(pattern);
      } catch {
        relaxed = null; // the rule's own pattern says what is wrong when it compiles
      }
      this.relaxed[rule] = relaxed;
    }
    return relaxed !== null && !relaxed.test(slice as unknown as string);
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
    if (rule.placeholders) {
      const evidence = evidenceFor(rule, secret);
      if (store ? isReference(secret, evidence) : isPlaceholder(secret, evidence)) return false;
    }
    if (rule.entropy !== undefined && shannonEntropy(secret) < rule.entropy) return false;
    for (const re of this.allowRegexes) if (re.test(secret)) return false;
    if (this.stopwords.length) {
      const lower = secret.toLowerCase();
      for (const w of this.stopwords) if (lower.includes(w)) return false;
    }
    if (this.hashedSecrets.size && this.hashedSecrets.has(sha1Hex(secret))) return false;
    return true;
  }
}
