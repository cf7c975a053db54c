// The engine every kind of scan (files, git, a token on stdin) runs: rules and config, loaded and
// verified once.

import { existsSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { checkUniqueIds, defaultRulesDir, loadRuleSet, verifyExamplesCached, type Rule } from '../detect/rules.js';
import type { Allowlist } from '../detect/index.js';
import { EMPTY_CONFIG, findConfig, loadConfig, type Config } from '../config/config.js';
import type { Warning } from '../types.js';
import type { PragmaMode } from './collector.js';

export interface Engine {
  readonly rules: readonly Rule[];
  readonly config: Config;
  readonly allow: Allowlist;
}

/** Load and verify rules and config. Throws UsageError for anything the user must fix. */
export async function prepareEngine(opts: {
  config?: string;
  /** A config read elsewhere (a commit's: config/revision.ts), used instead of any file; null: none. */
  loaded?: Config | null;
  rulesDir?: string;
  root?: string;
  onWarning?: (w: Warning) => void;
  /** Inline allow pragmas: anything but "apply" has the detector report what they allow. */
  pragmas?: PragmaMode;
}): Promise<Engine> {
  const configPath =
    opts.loaded !== undefined ? undefined : (opts.config ?? (opts.root ? findConfig(opts.root) : undefined));
  if (opts.config && opts.loaded === undefined && !existsSync(opts.config))
    throw new UsageError(`config file not found: ${opts.config} (check the --config path)`);
  const config = opts.loaded ?? (configPath ? loadConfig(configPath) : EMPTY_CONFIG);
  const subject = config.source ?? configPath!;
  for (const key of config.ignoredKeys)
    opts.onWarning?.({
      subject,
      message: `unknown key "${key}" ignored (a config file can never change lookup endpoints)`,
    });
  for (const message of config.warnings ?? []) opts.onWarning?.({ subject, message });
  const { rules: builtin, key: builtinKey } = loadRuleSet(opts.rulesDir ?? defaultRulesDir());
  const disabled = new Set(config.disabledRules);
  const all = [...builtin, ...config.rules];
  checkUniqueIds(all);
  const known = new Set(all.map((r) => r.id));
  for (const id of disabled)
    if (!known.has(id)) opts.onWarning?.({ subject, message: `disabled_rules names an unknown rule "${id}"` });
  const rules = all.filter((r) => !disabled.has(r.id));
  await verifyExamplesCached(config.rules);
  await verifyExamplesCached(builtin, builtinKey);
  return {
    rules,
    config,
    allow: {
      regexes: config.allowRegexes,
      stopwords: config.stopwords,
      hashedSecrets: config.hashedSecrets,
      ...(opts.pragmas && opts.pragmas !== 'apply' ? { pragmas: 'report' as const } : {}),
    },
  };
}
