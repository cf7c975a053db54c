// Configs of other scanners, read as leakradius configs so a team keeps its tuning when it moves:
// - a gitleaks TOML config: [[rules]] (regex, keywords, entropy, secretGroup), [allowlist] and
//   [[allowlists]] (paths, regexes, stopwords), [extend] useDefault;
// - a detect-secrets .secrets.baseline: its results become known secrets (matched by
//   hashed_secret = sha1 of the secret), its file/secret exclusion filters become allowlists.
// Keys that have no leakradius meaning are named in warnings, never silently dropped.

import RE2 from 're2';
import { createRequire } from 'node:module';
import type * as SmolToml from 'smol-toml';
import { UsageError } from '../errors.js';
import { sha1Hex } from '../secret/digest.js';
import { jsonProblem, re2Problem, tomlProblem } from './read.js';
import type { Rule } from '../detect/rules.js';
// Used inside functions only, so the import cycle with config.ts is harmless.
import { EMPTY_CONFIG, type Config } from './config.js';

export type ConfigKind = 'leakradius' | 'gitleaks' | 'detect-secrets';

/** Which kind of config a file is, from its name and, failing that, its content. */
export function configKind(path: string, text: string): ConfigKind {
  if (/\.toml$/i.test(path)) return 'gitleaks';
  if (/\.secrets\.baseline$|secrets[-_.]?baseline(?:\.json)?$/i.test(path)) return 'detect-secrets';
  const head = text.trimStart();
  if (head.startsWith('{') && /"plugins_used"|"results"\s*:|"generated_at"/.test(text)) return 'detect-secrets';
  if (/^\s*\[\[rules\]\]|^\s*\[allowlist\]|^\s*\[\[allowlists\]\]|^\s*\[extend\]/m.test(text)) return 'gitleaks';
  return 'leakradius';
}

/** sha1 of a secret, as detect-secrets stores it (hashed_secret). */
export function detectSecretsHash(secret: string): string {
  return sha1Hex(secret);
}

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

function strings(v: unknown, where: string, source: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw new UsageError(`${source}: ${where}: expected a list of strings`);
  return v as string[];
}

function checkRegex(pattern: string, where: string, source: string): string {
  try {
    new RE2(pattern);
  } catch (err) {
    throw new UsageError(`${source}: ${where}: not a valid RE2 pattern (${re2Problem(err)})`);
  }
  return pattern;
}

/** A gitleaks rule id as a leakradius rule id (lower-case letters, digits and dashes). */
function ruleId(id: string): string {
  const s = id
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s || 'rule';
}

interface Allow {
  paths: string[];
  regexes: string[];
  stopwords: string[];
}

function readAllowlist(t: Table, where: string, source: string, warnings: string[]): Allow {
  const known = new Set([
    'description',
    'paths',
    'regexes',
    'stopwords',
    'regexTarget',
    'commits',
    'condition',
    'targetRules',
  ]);
  for (const k of Object.keys(t))
    if (!known.has(k)) warnings.push(`${where}.${k} is not a gitleaks allowlist key; ignored`);
  const target = t.regexTarget;
  if (target !== undefined && target !== 'secret')
    warnings.push(
      `${where}.regexTarget other than "secret" is not supported (leakradius matches allowlist regexes ` +
        'against the secret); its regexes are matched against the secret',
    );
  if (t.commits !== undefined)
    warnings.push(`${where}.commits is not supported (use a baseline: leakradius baseline git); ignored`);
  if (t.condition !== undefined && t.condition !== 'OR')
    warnings.push(`${where}.condition other than "OR" is not supported; each entry allows on its own (OR)`);
  if (t.targetRules !== undefined)
    warnings.push(`${where}.targetRules is not supported; the allowlist applies to every rule`);
  return {
    paths: strings(t.paths, `${where}.paths`, source).map((p, i) => checkRegex(p, `${where}.paths.${i}`, source)),
    regexes: strings(t.regexes, `${where}.regexes`, source).map((p, i) =>
      checkRegex(p, `${where}.regexes.${i}`, source),
    ),
    stopwords: strings(t.stopwords, `${where}.stopwords`, source),
  };
}

/** A gitleaks TOML config as a leakradius config. */
export function parseGitleaksConfig(text: string, source: string): Config {
  let doc: Table;
  try {
    // smol-toml loads only when a gitleaks config is actually read.
    doc = (createRequire(import.meta.url)('smol-toml') as typeof SmolToml).parse(text) as Table;
  } catch (err) {
    throw new UsageError(`${source}: ${tomlProblem(err)}`);
  }
  const warnings: string[] = [];
  const known = new Set(['title', 'description', 'extend', 'rules', 'allowlist', 'allowlists', 'minVersion']);
  for (const k of Object.keys(doc)) if (!known.has(k)) warnings.push(`${k} is not a gitleaks config key; ignored`);

  const extend = doc.extend;
  if (extend !== undefined) {
    if (!isTable(extend)) throw new UsageError(`${source}: extend: expected a table`);
    for (const k of Object.keys(extend)) {
      if (k === 'useDefault') continue;
      if (k === 'path' || k === 'url')
        warnings.push(
          `extend.${k} is not supported (leakradius does not load other configs); its rules are not loaded`,
        );
      else if (k === 'disabledRules')
        warnings.push(
          'extend.disabledRules names gitleaks rules, which leakradius does not have; list leakradius rule ids ' +
            'in disabled_rules of a .leakradius.yml instead',
        );
      else warnings.push(`extend.${k} is not supported; ignored`);
    }
  }
  if (!isTable(extend) || extend.useDefault !== true)
    warnings.push(
      "no [extend] useDefault = true: gitleaks would run only this file's rules; " +
        'leakradius still runs its built-in rules as well',
    );

  const allows: Allow[] = [];
  if (doc.allowlist !== undefined) {
    if (!isTable(doc.allowlist)) throw new UsageError(`${source}: allowlist: expected a table`);
    allows.push(readAllowlist(doc.allowlist, 'allowlist', source, warnings));
  }
  if (doc.allowlists !== undefined) {
    if (!Array.isArray(doc.allowlists))
      throw new UsageError(`${source}: allowlists: expected an array of tables ([[allowlists]])`);
    doc.allowlists.forEach((a, i) => {
      if (!isTable(a)) throw new UsageError(`${source}: allowlists.${i}: expected a table`);
      allows.push(readAllowlist(a, `allowlists.${i}`, source, warnings));
    });
  }

  const rules: Rule[] = [];
  const rawRules = doc.rules ?? [];
  if (!Array.isArray(rawRules)) throw new UsageError(`${source}: rules: expected an array of tables ([[rules]])`);
  const ruleKeys = new Set([
    'id',
    'description',
    'regex',
    'secretGroup',
    'entropy',
    'keywords',
    'path',
    'tags',
    'allowlist',
    'allowlists',
  ]);
  const seen = new Set<string>();
  rawRules.forEach((r, i) => {
    const where = `rules.${i}`;
    if (!isTable(r)) throw new UsageError(`${source}: ${where}: expected a table`);
    const gid = typeof r.id === 'string' ? r.id : '';
    if (!gid) throw new UsageError(`${source}: ${where}.id: every rule needs an id`);
    const label = `rules "${gid}"`;
    for (const k of Object.keys(r)) if (!ruleKeys.has(k)) warnings.push(`${label}: ${k} is not supported; ignored`);
    if (r.allowlist !== undefined || r.allowlists !== undefined)
      warnings.push(
        `${label}: per-rule allowlists are not supported; add their regexes or stopwords to the ` +
          'top-level [allowlist] (they then apply to every rule)',
      );
    if (typeof r.regex !== 'string' || !r.regex) {
      warnings.push(`${label}: a rule without regex (path-only) is not supported; skipped`);
      return;
    }
    if (r.path !== undefined) warnings.push(`${label}: path is not supported (the rule runs on every file)`);
    const pattern = checkRegex(r.regex, `${where}.regex`, source);
    const group = r.secretGroup;
    if (group !== undefined && (typeof group !== 'number' || !Number.isInteger(group) || group < 0))
      throw new UsageError(`${source}: ${where}.secretGroup: expected a whole number`);
    const entropy = r.entropy;
    if (entropy !== undefined && (typeof entropy !== 'number' || entropy < 0 || entropy > 8))
      throw new UsageError(`${source}: ${where}.entropy: expected a number from 0 to 8`);
    const keywords = strings(r.keywords, `${where}.keywords`, source).filter((k) => k.length >= 2);
    let id = `gitleaks-${ruleId(gid)}`;
    while (seen.has(id)) id += '-2';
    seen.add(id);
    rules.push({
      id,
      name: typeof r.description === 'string' && r.description ? r.description : gid,
      provider: 'custom',
      type: 'generic',
      pattern,
      keywords,
      entropy: entropy as number | undefined,
      confidence: 'medium',
      // gitleaks: the secret is the secretGroup'th group when set, else the whole match.
      secretGroup: (group as number | undefined) ?? 0,
      before: 256,
      after: 1024,
      placeholders: true,
      examples: [],
      negativeExamples: [],
      source,
    });
  });

  return {
    ...EMPTY_CONFIG,
    source,
    rules,
    allowRegexes: allows.flatMap((a) => a.regexes),
    stopwords: allows.flatMap((a) => a.stopwords),
    excludePathRegexes: allows.flatMap((a) => a.paths),
    warnings,
  };
}

/** A detect-secrets .secrets.baseline as a leakradius config. */
export function parseDetectSecretsBaseline(text: string, source: string): Config {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${source}: ${jsonProblem(err, text)} (expected a detect-secrets .secrets.baseline)`);
  }
  if (!isTable(doc)) throw new UsageError(`${source}: expected a JSON object (a detect-secrets .secrets.baseline)`);
  const warnings: string[] = [];
  const known = new Set([
    'version',
    'plugins_used',
    'filters_used',
    'results',
    'generated_at',
    'exclude',
    'custom_plugin_paths',
    'word_list',
  ]);
  for (const k of Object.keys(doc))
    if (!known.has(k)) warnings.push(`${k} is not a detect-secrets baseline key; ignored`);

  const hashed = new Set<string>();
  const results = doc.results ?? {};
  if (!isTable(results)) throw new UsageError(`${source}: results: expected an object of file → list of secrets`);
  for (const [file, list] of Object.entries(results)) {
    if (!Array.isArray(list)) throw new UsageError(`${source}: results["${file}"]: expected a list`);
    list.forEach((e, i) => {
      const h = isTable(e) ? e.hashed_secret : undefined;
      if (typeof h !== 'string' || !/^[0-9a-f]{40}$/i.test(h))
        throw new UsageError(`${source}: results["${file}"][${i}].hashed_secret: expected 40 hex characters (sha1)`);
      hashed.add(h.toLowerCase());
    });
  }

  const pathRegexes: string[] = [];
  const secretRegexes: string[] = [];
  const add = (list: string[], v: unknown, where: string) => {
    for (const [i, p] of (typeof v === 'string' ? [v] : strings(v, where, source)).entries())
      list.push(checkRegex(p, `${where}.${i}`, source));
  };
  // detect-secrets < 1.0: "exclude": {"files": regex, "lines": regex}
  if (doc.exclude !== undefined) {
    if (!isTable(doc.exclude)) throw new UsageError(`${source}: exclude: expected an object`);
    if (doc.exclude.files) add(pathRegexes, doc.exclude.files, 'exclude.files');
    if (doc.exclude.lines)
      warnings.push('exclude.lines is not supported (mark lines with "pragma: allowlist secret" instead); ignored');
  }
  // Filters that leakradius applies anyway (placeholders, UUIDs, templates, references, lock files).
  const builtIn =
    /\.(?:heuristic|allowlist)\.|common\.is_baseline_file|common\.is_ignored_due_to_verification_policies/;
  const filters = doc.filters_used ?? [];
  if (!Array.isArray(filters)) throw new UsageError(`${source}: filters_used: expected a list`);
  filters.forEach((f, i) => {
    const path = isTable(f) && typeof f.path === 'string' ? f.path : '';
    const where = `filters_used.${i}`;
    if (path.endsWith('regex.should_exclude_file')) add(pathRegexes, (f as Table).pattern, `${where}.pattern`);
    else if (path.endsWith('regex.should_exclude_secret'))
      add(secretRegexes, (f as Table).pattern, `${where}.pattern`);
    else if (path.endsWith('regex.should_exclude_line'))
      warnings.push(
        `${where}: ${path} is not supported (mark lines with "pragma: allowlist secret" instead); ignored`,
      );
    else if (path.endsWith('wordlist.should_exclude_secret'))
      warnings.push(
        `${where}: ${path} (word list file) is not supported; put the words in allow.stopwords of a .leakradius.yml`,
      );
    else if (!builtIn.test(path)) warnings.push(`${where}: ${path || '(no path)'} is not supported; ignored`);
  });
  if (doc.custom_plugin_paths !== undefined)
    warnings.push('custom_plugin_paths: detect-secrets plugins cannot run in leakradius; ignored');
  if (doc.word_list !== undefined)
    warnings.push('word_list is not supported; put the words in allow.stopwords of a .leakradius.yml');
  // plugins_used picks detectors; leakradius runs its own rules, so the list changes nothing.

  return {
    ...EMPTY_CONFIG,
    source,
    allowRegexes: secretRegexes,
    excludePathRegexes: pathRegexes,
    hashedSecrets: [...hashed].sort(),
    warnings,
  };
}
