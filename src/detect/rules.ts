// Rules are data: rules/*.yml, validated at load. A broken rule is an error naming file and rule.

import {
  type BigIntStats,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { isAscii } from 'node:buffer';
import { homedir, tmpdir } from 'node:os';
import { join, dirname, basename, resolve } from 'node:path';
import { createRequire } from 'node:module';
import type * as Zod from 'zod';
import type * as Yaml from 'yaml';
import { UsageError, schemaProblem } from '../errors.js';
import { builtinRulesDir, codeFile } from '../package/own-files.js';
import { type DigestInput, sha256Hex } from '../secret/digest.js';
import { readCacheFile } from './cache-file.js';
import { STRUCTURE_NAMES, VALIDATOR_NAMES, type StructureName, type ValidatorName } from './checksum.js';
import type { Tier } from '../types.js';

const requireLazy = createRequire(import.meta.url);
let zodModule: typeof Zod | undefined;
let yamlModule: typeof Yaml | undefined;
/** zod and yaml, loaded on first use (both ship CommonJS, so this stays synchronous). */
export const lazyZod = (): typeof Zod => (zodModule ??= requireLazy('zod') as typeof Zod);
export const lazyYaml = (): typeof Yaml => (yamlModule ??= requireLazy('yaml') as typeof Yaml);

// The schemas (and zod, and yaml) load only when a rule file must be parsed: with the parsed-rules
// cache warm, the pre-commit hook never pays for them.
function buildSchemas() {
  const { z } = lazyZod();
  const tierSchema = z.enum(['critical', 'high', 'medium', 'low', 'info']);
  const noLookup = z
    .custom<never>(() => false, {
      message:
        'rule files cannot declare a lookup: built-in rules have theirs in src/providers/registry.ts, and ' +
        'other rules are looked up only as the provider’s built-in rules would be (see --lookup-user-rules); ' +
        'remove this key',
    })
    .optional();

  const ruleSchema = z
    .object({
      id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
      name: z.string().min(1),
      provider: z.string().min(1).optional(),
      type: z.string().min(1).optional(),
      pattern: z.string().min(1),
      keywords: z.array(z.string().min(2, 'keywords need at least 2 characters')).optional(),
      /** RE2 regex on the file path ("/"-separated): the rule runs only on files whose path matches. */
      path: z.string().min(1).optional(),
      entropy: z.number().min(0).max(8).optional(),
      validate: z.enum(VALIDATOR_NAMES as [ValidatorName, ...ValidatorName[]]).optional(),
      /** A shape check the secret must pass (decoded id, timestamp, JSON header), else the match is dropped. */
      structure: z.enum(STRUCTURE_NAMES as [StructureName, ...StructureName[]]).optional(),
      confidence: z.enum(['high', 'medium', 'low']).optional(),
      /** Name or number of the capture group holding the secret; default: group "secret", else 1. */
      secret_group: z.union([z.string(), z.number().int().min(0)]).optional(),
      /** Bytes around a keyword hit where the pattern may match (default 256 before, 1024 after). */
      context: z
        .object({
          before: z.number().int().min(0).max(65536).optional(),
          after: z.number().int().min(1).max(65536).optional(),
        })
        .strict()
        .optional(),
      /** Drop placeholder-looking values (default true). */
      placeholders: z.boolean().optional(),
      /** Typical tier when nothing else is known about the token. */
      tier: tierSchema.optional(),
      examples: z.array(z.string()).min(1, 'every rule needs at least one example'),
      negative_examples: z.array(z.string()).min(1, 'every rule needs at least one negative example'),
      remediation: z.object({ revoke: z.string(), replace_with: z.string() }).strict().optional(),
      /** Rejected: a lookup is chosen by rule id in src/providers (a rule file cannot send a token anywhere). */
      lookup: noLookup,
      /** Free-form notes and references. */
      references: z.array(z.string()).optional(),
      /**
       * false: the rule only feeds composites (an account SID, a client id, a user name); its
       * matches are never reported on their own.
       */
      report_alone: z.boolean().optional(),
    })
    .strict();

  const ruleId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes');

  /**
   * A composite secret: several rules' matches that only work together (AWS key id + secret key),
   * found within `within_lines` lines of each other in one blob, reported as ONE finding whose secret
   * is the parts' secrets joined by "\n" in `parts` order.
   */
  const compositeSchema = z
    .object({
      id: ruleId,
      name: z.string().min(1),
      provider: z.string().min(1).optional(),
      type: z.string().min(1).optional(),
      parts: z.array(ruleId).min(2, 'a composite needs at least two parts').max(8),
      within_lines: z.number().int().min(0).max(200).optional(),
      confidence: z.enum(['high', 'medium', 'low']).optional(),
      tier: tierSchema.optional(),
      examples: z.array(z.string()).min(1, 'every composite needs at least one example'),
      negative_examples: z.array(z.string()).min(1, 'every composite needs at least one negative example'),
      remediation: z.object({ revoke: z.string(), replace_with: z.string() }).strict().optional(),
      lookup: noLookup,
      references: z.array(z.string()).optional(),
    })
    .strict();

  const ruleFileSchema = z.union([
    z
      .object({
        provider: z.string().min(1).optional(),
        rules: z.array(z.unknown()),
        composites: z.array(z.unknown()).optional(),
      })
      .strict(),
    z.array(z.unknown()),
  ]);
  return { ruleSchema, compositeSchema, ruleFileSchema };
}
let schemaCache: ReturnType<typeof buildSchemas> | undefined;
const schemas = () => (schemaCache ??= buildSchemas());

/** The keys a rule and a composite may have (test/provider-registry.test.ts: every one is read). */
export function ruleSchemaKeys(): { rule: string[]; composite: string[] } {
  const { ruleSchema, compositeSchema } = schemas();
  return { rule: Object.keys(ruleSchema.shape), composite: Object.keys(compositeSchema.shape) };
}
export type RuleDefinition = Zod.z.infer<ReturnType<typeof buildSchemas>['ruleSchema']>;

/** A validated rule, ready for the detector. Plain data, so it crosses to worker threads. */
export interface Rule {
  readonly id: string;
  readonly name: string;
  readonly provider: string;
  readonly type: string;
  readonly pattern: string;
  readonly keywords: readonly string[];
  /** Runs only on files (archive members, git blobs) whose path matches this RE2 regex, over the whole file. */
  readonly path?: string;
  readonly entropy?: number;
  readonly validate?: ValidatorName;
  readonly structure?: StructureName;
  readonly confidence: 'high' | 'medium' | 'low';
  readonly secretGroup?: string | number;
  readonly before: number;
  readonly after: number;
  readonly placeholders: boolean;
  readonly tier?: Tier;
  readonly examples: readonly string[];
  readonly negativeExamples: readonly string[];
  readonly remediation?: { readonly revoke: string; readonly replaceWith: string };
  /** The file the rule came from, for messages. */
  readonly source: string;
  /** false: matches only feed composites and are never reported alone (default true). */
  readonly reportAlone?: boolean;
  /**
   * Set on a composite rule: no pattern of its own; formed from its parts' matches (rule ids, in
   * the order their secrets are joined) found within `withinLines` lines of each other.
   */
  readonly composite?: { readonly parts: readonly string[]; readonly withinLines: number };
}

/** Default window of a composite: the parts sit within this many lines of each other. */
export const COMPOSITE_WITHIN_LINES = 5;

export function defaultRulesDir(): string {
  return builtinRulesDir();
}

/** Turn YAML text into rules; throws UsageError naming the file, rule and key. */
export function parseRuleFile(text: string, source: string): Rule[] {
  let doc: unknown;
  try {
    doc = lazyYaml().parse(text);
  } catch (err) {
    throw new UsageError(`${source}: invalid YAML: ${(err as Error).message}`);
  }
  const file = schemas().ruleFileSchema.safeParse(doc);
  if (!file.success) throw new UsageError(`${source}: expected "rules:" with a list of rules (or a list of rules)`);
  const fileProvider = Array.isArray(file.data) ? undefined : file.data.provider;
  const list = Array.isArray(file.data) ? file.data : file.data.rules;
  const composites = Array.isArray(file.data) ? [] : (file.data.composites ?? []);
  return [
    ...list.map((raw, i) => toRule(raw, source, fileProvider, i)),
    ...composites.map((raw, i) => toComposite(raw, source, fileProvider, i)),
  ];
}

/** A composite as a Rule with no pattern or keywords: it travels wherever rules go (workers, cache key). */
export function toComposite(raw: unknown, source: string, fileProvider: string | undefined, index = 0): Rule {
  const parsed = schemas().compositeSchema.safeParse(raw);
  const id = (raw as { id?: unknown } | null)?.id;
  const name = typeof id === 'string' ? `composite "${id}"` : `composite #${index + 1}`;
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.join('.') || '(composite)';
    throw new UsageError(`${source}: ${name}: ${key}: ${schemaProblem(issue)}`);
  }
  const c = parsed.data;
  if (new Set(c.parts).size !== c.parts.length)
    throw new UsageError(`${source}: ${name}: parts: a part is listed twice`);
  return {
    id: c.id,
    name: c.name,
    provider: c.provider ?? fileProvider ?? basename(source).replace(/\.ya?ml$/, ''),
    type: c.type ?? 'composite',
    pattern: '',
    keywords: [],
    confidence: c.confidence ?? 'high',
    before: 0,
    after: 0,
    placeholders: false,
    tier: c.tier,
    examples: c.examples,
    negativeExamples: c.negative_examples,
    remediation: c.remediation ? { revoke: c.remediation.revoke, replaceWith: c.remediation.replace_with } : undefined,
    source,
    composite: { parts: c.parts, withinLines: c.within_lines ?? COMPOSITE_WITHIN_LINES },
  };
}

export function toRule(raw: unknown, source: string, fileProvider: string | undefined, index = 0): Rule {
  const parsed = schemas().ruleSchema.safeParse(raw);
  const id = (raw as { id?: unknown } | null)?.id;
  const name = typeof id === 'string' ? `rule "${id}"` : `rule #${index + 1}`;
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.join('.') || '(rule)';
    throw new UsageError(`${source}: ${name}: ${key}: ${schemaProblem(issue)}`);
  }
  const r = parsed.data;
  const provider = r.provider ?? fileProvider ?? basename(source).replace(/\.ya?ml$/, '');
  // A path rule is woken by its path, not by keywords: keywords would be a second gate nobody expects.
  if (r.path !== undefined && r.keywords?.length)
    throw new UsageError(
      `${source}: ${name}: keywords: a rule with path runs on every file its path matches; remove keywords`,
    );
  // The pattern is compiled once, by the Detector, which reports a bad pattern the same way.
  return {
    id: r.id,
    name: r.name,
    provider,
    type: r.type ?? 'generic',
    pattern: r.pattern,
    keywords: r.keywords ?? [],
    ...(r.path !== undefined ? { path: r.path } : {}),
    entropy: r.entropy,
    validate: r.validate,
    ...(r.structure ? { structure: r.structure } : {}),
    confidence: r.confidence ?? 'medium',
    secretGroup: r.secret_group,
    before: r.context?.before ?? 256,
    after: r.context?.after ?? 1024,
    placeholders: r.placeholders ?? true,
    tier: r.tier,
    examples: r.examples,
    negativeExamples: r.negative_examples,
    remediation: r.remediation ? { revoke: r.remediation.revoke, replaceWith: r.remediation.replace_with } : undefined,
    source,
    ...(r.report_alone === false ? { reportAlone: false } : {}),
  };
}

/**
 * Every rule file in `dir`, parsed and schema-checked. Parsing YAML and checking it cost more than
 * the pre-commit hook's whole budget, so the result is cached as JSON, keyed by each file's name
 * and content and by the parser's build (parserBuild), and checked when read back (cachedRuleSet).
 */
export function loadRulesFromDir(dir: string): Rule[] {
  return loadRuleSet(dir).rules;
}

let parsedHere = false;
/** Whether this process parsed a rules directory (its parsed-rules cache entry was missing or stale). */
export function rulesParsedHere(): boolean {
  return parsedHere;
}

/**
 * loadRulesFromDir, with the rules' rulesKey: the cache stores it beside the rules, since hashing
 * every rule again cost ~8 ms of each start.
 */
export function loadRuleSet(dir: string): { rules: Rule[]; key: string } {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort();
  } catch (err) {
    throw new UsageError(`cannot read the rules directory ${dir}: ${(err as Error).message}`);
  }
  const paths = names.map((n) => join(dir, n));
  // The files' identities first: an unchanged directory need not be read and hashed (~5 ms of the
  // pre-commit hook's start) when an entry keyed by them names the content's key.
  const stats = paths.map((p) => statSync(p, { bigint: true }));
  const byStat = join(cacheDir(), `${STAT_PREFIX}${rulesStatName(dir)}`);
  const identities = rulesIdentities(names, stats);
  const known = knownContentKey(readCacheFile(byStat)?.toString('utf8'), identities);
  let texts: string[] | undefined;
  const read = () => (texts ??= paths.map((p) => readFileSync(p, 'utf8')));
  const key = known ?? rulesDirKey(dir, names, read());
  const hit = cachedRuleSet(readCacheFile(join(cacheDir(), `rules-${key}.json`)), paths);
  if (hit) {
    if (!known) rememberStatKey(byStat, key, identities, stats);
    return hit;
  }
  // Read once: hashed for the cache key, parsed.
  parsedHere = true;
  const contentKey = rulesDirKey(dir, names, read());
  const cached = join(cacheDir(), `rules-${contentKey}.json`);
  const rules: Rule[] = [];
  paths.forEach((path, i) => rules.push(...parseRuleFile(read()[i]!, path)));
  const set = { rules, key: rulesKey(rules) };
  try {
    mkdirSync(dirname(cached), { recursive: true });
    const tmp = `${cached}.${process.pid}.tmp`;
    // readCacheFile skips group-writable entries; asciiJson: read back as one-byte text (cachedRuleSet).
    writeFileSync(tmp, asciiJson(set), { mode: 0o644 });
    renameSync(tmp, cached);
    pruneCache('rules-');
    rememberStatKey(byStat, contentKey, identities, stats);
  } catch {
    // A read-only cache is fine: rules are parsed again next time.
  }
  return set;
}

/**
 * Cache entries that map rule files' identities (rulesIdentities) to their content's key (rulesDirKey):
 * one per rules directory and parser build (parserBuild), holding the key, a newline and the identities.
 */
const STAT_PREFIX = 'stat-rules-';

/**
 * The stat entry's name: the rules directory and the parser's build. The identities are compared
 * whole, not hashed into the name: hashing their ~6 KB in JavaScript took ~2.5 ms of each hook run.
 */
function rulesStatName(dir: string): string {
  const self = parserBuild();
  return sha256Hex(`stat v2\0${resolve(dir)}\0${self.size}:${self.mtimeMs}`).slice(0, 32);
}

/**
 * The file that stands for the rule parser's build in the cache keys: the compiled rules module in
 * dist/, which the CLI's modules run and from which its start-up chunks and the pre-commit hook's
 * hook.cjs are bundled (scripts/bundle.mjs), so all three share one parsed-rules entry; in the
 * Action's or the single executable's bundle, the bundle file. Keyed by the running file instead, the
 * hook kept an entry of its own: its first run after any `scan` parsed the rules again (0.3-0.45 s).
 */
function parserBuild(): { size: number; mtimeMs: number } {
  return statSync(codeFile('detect/rules'));
}

/**
 * The rule files as git's index knows a file unchanged: device, inode, size, and modification and
 * change times in nanoseconds. Restoring a file's mtime after an edit still moves its ctime.
 */
function rulesIdentities(names: readonly string[], stats: readonly BigIntStats[]): string {
  return names
    .map((n, i) => {
      const st = stats[i]!;
      return `${n}\0${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
    })
    .join('\0');
}

/** The content key in a stat entry, if the entry is for exactly these identities. */
function knownContentKey(entry: string | undefined, identities: string): string | undefined {
  if (entry === undefined || entry.length !== 33 + identities.length || !entry.endsWith(identities)) return undefined;
  return /^[0-9a-f]{32}\n/.test(entry) ? entry.slice(0, 32) : undefined;
}

/** How recent a file's change may be for its stat to be trusted (timestamps can be coarse). */
const SETTLED_NS = 2_000_000_000n;

/**
 * Writes the stat entry, unless a rule file changed within SETTLED_NS: on a file system with coarse
 * times, an edit in the same tick would keep the stat (git's "racy" entries); such files are read
 * and hashed until they settle.
 */
function rememberStatKey(file: string, key: string, identities: string, stats: readonly BigIntStats[]): void {
  const now = BigInt(Date.now()) * 1_000_000n;
  if (stats.some((st) => now - st.mtimeNs < SETTLED_NS || now - st.ctimeNs < SETTLED_NS)) return;
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${key}\n${identities}`, { mode: 0o644 });
    renameSync(tmp, file);
    pruneCache(STAT_PREFIX);
  } catch {
    // A read-only cache is fine: the rule files are read and hashed again next time.
  }
}

/** The cache key: each rule file's name and content (not its size and time), and the parser's build. */
function rulesDirKey(dir: string, names: readonly string[], texts: readonly string[]): string {
  const self = parserBuild();
  const parts: DigestInput[] = [resolve(dir), `\0${self.size}:${self.mtimeMs}`];
  names.forEach((n, i) => parts.push(`\0${n}\0${texts[i]!.length}\0`, texts[i]!));
  return sha256Hex(...parts).slice(0, 32);
}

/**
 * JSON with every character beyond ASCII escaped (\uXXXX): a few rule names and remediation texts
 * have some, and they made the whole 710 KB entry decode into a two-byte string (~1.1 ms more of
 * each hook run than a one-byte one).
 */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * A cached rule set, checked before it is used: every rule well-formed, and every rule file of the
 * directory (and no other) the source of at least one rule. `{"rules": []}` switches nothing off.
 */
function cachedRuleSet(
  bytes: Buffer | undefined,
  paths: readonly string[],
): { rules: Rule[]; key: string } | undefined {
  let set: { rules?: unknown; key?: unknown } | null;
  try {
    set = bytes && JSON.parse(bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8'));
  } catch {
    return undefined; // a torn or foreign file: parse the rules instead
  }
  if (!set || !Array.isArray(set.rules) || typeof set.key !== 'string' || !/^[0-9a-f]{64}$/.test(set.key))
    return undefined;
  // Plain loops: this runs once per start over ~700 rules, in V8's interpreter, where the
  // closures it had cost ~2 ms of the pre-commit hook.
  const sources = new Set<unknown>();
  const rules = set.rules as Array<Record<string, unknown> | null>;
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i];
    if (typeof r !== 'object' || r === null) return undefined;
    if (
      typeof r.id !== 'string' ||
      typeof r.name !== 'string' ||
      typeof r.provider !== 'string' ||
      typeof r.type !== 'string' ||
      typeof r.pattern !== 'string' ||
      typeof r.source !== 'string' ||
      !Number.isInteger(r.before) ||
      !Number.isInteger(r.after)
    )
      return undefined;
    const keywords = r.keywords;
    if (!Array.isArray(keywords)) return undefined;
    for (let k = 0; k < keywords.length; k++) if (typeof keywords[k] !== 'string') return undefined;
    sources.add(r.source);
  }
  if (sources.size !== paths.length || !paths.every((p) => sources.has(p))) return undefined;
  return set as { rules: Rule[]; key: string };
}

export function checkUniqueIds(rules: readonly Rule[]): void {
  const seen = new Map<string, string>();
  for (const r of rules) {
    const prev = seen.get(r.id);
    if (prev)
      throw new UsageError(`${r.source}: rule "${r.id}" is already defined in ${prev}; rule ids must be unique`);
    seen.set(r.id, r.source);
  }
  checkComposites(rules);
}

/** Every part of a composite names a rule (not another composite) of the same set. */
export function checkComposites(rules: readonly Rule[]): void {
  const byId = new Map(rules.map((r) => [r.id, r]));
  for (const r of rules) {
    if (!r.composite) continue;
    for (const p of r.composite.parts) {
      const part = byId.get(p);
      if (!part) throw new UsageError(`${r.source}: composite "${r.id}": part "${p}" is not a known rule id`);
      if (part.composite) throw new UsageError(`${r.source}: composite "${r.id}": part "${p}" is itself a composite`);
    }
  }
}

/**
 * Every rule's examples through the rule tester (rule-tester.ts): exact findings and secrets, and
 * no finding in a negative example. Run at start-up, so a rule that misses or mis-cuts its own
 * example never ships.
 */
export async function verifyExamples(rules: readonly Rule[]): Promise<void> {
  const { RuleTester } = await import('./rule-tester.js');
  const tester = new RuleTester(rules);
  for (const rule of rules) {
    const failure = tester.check(rule)[0];
    if (failure) {
      const what = rule.composite ? 'composite' : 'rule';
      throw new UsageError(
        `${rule.source}: ${what} "${rule.id}": ${failure.kind} ${failure.index + 1} ${failure.message}; ` +
          'fix the pattern, keywords or the example',
      );
    }
  }
}

/** Where verified rule sets are remembered: $LEAKRADIUS_CACHE_DIR, else $XDG_CACHE_HOME or ~/.cache. */
export function cacheDir(): string {
  if (process.env.LEAKRADIUS_CACHE_DIR) return process.env.LEAKRADIUS_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || (homedir() ? join(homedir(), '.cache') : tmpdir());
  return join(base, 'leakradius');
}

/** Cache entries of one kind kept; older ones go when a new one is written (a build or a rule edit adds one). */
export const CACHE_KEEP = 16;

/**
 * Keep the CACHE_KEEP newest cache files whose names start with `prefix` and delete the rest, so
 * the cache does not grow with every build and rule edit. Runs only after a cache miss wrote a new
 * entry; never fatal.
 */
export function pruneCache(prefix: string, keep = CACHE_KEEP): void {
  try {
    const dir = cacheDir();
    const entries = readdirSync(dir)
      .filter((n) => n.startsWith(prefix) && !n.endsWith('.tmp'))
      .map((n) => {
        try {
          return { path: join(dir, n), t: statSync(join(dir, n)).mtimeMs };
        } catch {
          return undefined;
        }
      })
      .filter((e): e is { path: string; t: number } => e !== undefined)
      .sort((a, b) => b.t - a.t);
    for (const e of entries.slice(keep)) rmSync(e.path, { force: true });
  } catch {
    // An unreadable cache directory is not worth a warning.
  }
}

/** A hash of everything verification depends on: the same rules verify the same way. */
export function rulesKey(rules: readonly Rule[]): string {
  // v2: the rule tester pins each example's findings and secrets, not only that the rule fires.
  const parts = ['v2\0'];
  for (const r of rules) {
    const { source: _source, remediation: _r, ...behaviour } = r;
    parts.push(JSON.stringify(behaviour), '\0');
  }
  return sha256Hex(...parts);
}

/**
 * verifyExamples, remembered: a rule set that verified once is not verified again on every start
 * (it costs more than the pre-commit hook's whole budget). Any change to a rule changes the key.
 * `key`: rulesKey(rules), when the caller already has it (loadRuleSet).
 */
export async function verifyExamplesCached(rules: readonly Rule[], key?: string): Promise<void> {
  if (rules.length === 0) return;
  const marker = join(cacheDir(), `verified-${key ?? rulesKey(rules)}`);
  if (existsSync(marker)) return;
  await verifyExamples(rules);
  try {
    mkdirSync(dirname(marker), { recursive: true });
    writeFileSync(marker, `${rules.length} rules verified ${new Date().toISOString()}\n`);
    pruneCache('verified-');
  } catch {
    // A read-only home is fine: verification just runs again next time.
  }
}
