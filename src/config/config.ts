// .leakradius.yml (found at the scan root, or --config): allowlists, disabled and extra rules.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import RE2 from 're2';
import { UsageError, schemaProblem } from '../errors.js';
import { lazyYaml, lazyZod, toRule, type Rule } from '../detect/rules.js';
import { configKind, parseDetectSecretsBaseline, parseGitleaksConfig } from './compat.js';
import { MAX_BASELINE_BYTES, MAX_CONFIG_BYTES, re2Problem, readConfigText, yamlProblem } from './read.js';

// Built on first use: zod loads only when there is a config file to check.
function buildConfigSchema() {
  const { z } = lazyZod();
  return z
    .object({
      /** Rule ids to switch off. */
      disabled_rules: z.array(z.string()).optional(),
      allow: z
        .object({
          /** Glob patterns of paths never scanned. */
          paths: z.array(z.string()).optional(),
          /** RE2 patterns: a secret matching one is allowed. */
          regexes: z.array(z.string()).optional(),
          /** Words: a secret containing one is allowed. */
          stopwords: z.array(z.string()).optional(),
        })
        .strict()
        .optional(),
      /** Extra rules, in the same format as rules/*.yml. */
      rules: z.array(z.unknown()).optional(),
      /** Glob patterns to exclude, like --exclude. */
      exclude: z.array(z.string()).optional(),
    })
    .passthrough();
}
let configSchema: ReturnType<typeof buildConfigSchema> | undefined;

export interface Config {
  readonly source?: string;
  readonly disabledRules: readonly string[];
  readonly allowPaths: readonly string[];
  readonly allowRegexes: readonly string[];
  readonly stopwords: readonly string[];
  readonly exclude: readonly string[];
  readonly rules: readonly Rule[];
  /** Keys that were present but are not ours (e.g. an attempt to set a lookup endpoint). */
  readonly ignoredKeys: readonly string[];
  /** RE2 patterns: a file whose path matches one is not scanned (gitleaks / detect-secrets configs). */
  readonly excludePathRegexes?: readonly string[];
  /** sha1 hex of known secrets (a detect-secrets baseline's hashed_secret): not reported. */
  readonly hashedSecrets?: readonly string[];
  /** What a foreign config holds that leakradius does not support, one line each. */
  readonly warnings?: readonly string[];
}

export const EMPTY_CONFIG: Config = {
  disabledRules: [],
  allowPaths: [],
  allowRegexes: [],
  stopwords: [],
  exclude: [],
  rules: [],
  ignoredKeys: [],
};

/** Looked for in this order at the first directory scanned: ours, then gitleaks', then detect-secrets'. */
export const CONFIG_FILE_NAMES = ['.leakradius.yml', '.leakradius.yaml', '.gitleaks.toml', '.secrets.baseline'];

export function findConfig(root: string): string | undefined {
  for (const n of CONFIG_FILE_NAMES) {
    const p = join(root, n);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export function loadConfig(path: string): Config {
  // A detect-secrets baseline lists every accepted secret: it may be larger than a config.
  return configFromText(readConfigText(path, { what: 'config', maxBytes: MAX_BASELINE_BYTES }), path);
}

/** A config file's text as a Config; `path` names it in errors and decides its kind (ours, gitleaks', ...). */
export function configFromText(text: string, path: string): Config {
  const kind = configKind(path, text);
  if (kind !== 'detect-secrets' && Buffer.byteLength(text) > MAX_CONFIG_BYTES)
    throw new UsageError(`cannot read the config ${path}: a config file may be at most ${MAX_CONFIG_BYTES} bytes`);
  switch (kind) {
    case 'gitleaks':
      return parseGitleaksConfig(text, path);
    case 'detect-secrets':
      return parseDetectSecretsBaseline(text, path);
    default:
      return parseConfig(text, path);
  }
}

export function parseConfig(text: string, source: string): Config {
  let doc: unknown;
  try {
    doc = lazyYaml().parse(text) ?? {};
  } catch (err) {
    throw new UsageError(`${source}: ${yamlProblem(err)}`);
  }
  const parsed = (configSchema ??= buildConfigSchema()).safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`${source}: ${issue.path.join('.') || '(top level)'}: ${schemaProblem(issue)}`);
  }
  const c = parsed.data;
  const known = new Set(['disabled_rules', 'allow', 'rules', 'exclude']);
  const ignoredKeys = Object.keys(c).filter((k) => !known.has(k));
  for (const [i, r] of (c.allow?.regexes ?? []).entries()) {
    try {
      new RE2(r);
    } catch (err) {
      throw new UsageError(`${source}: allow.regexes.${i}: not a valid RE2 pattern (${re2Problem(err)})`);
    }
  }
  return {
    source,
    disabledRules: c.disabled_rules ?? [],
    allowPaths: c.allow?.paths ?? [],
    allowRegexes: c.allow?.regexes ?? [],
    stopwords: c.allow?.stopwords ?? [],
    exclude: c.exclude ?? [],
    rules: (c.rules ?? []).map((r, i) => toRule(r, source, 'custom', i)),
    ignoredKeys,
  };
}
