// The library: the CLI and the GitHub Action are thin shells around these calls.

export {
  scan,
  scanGit,
  lookupToken,
  prepareEngine,
  ScanRun,
  type ScanOptions,
  type GitScanOptions,
  type LookupTokenOptions,
} from './scan/index.js';
export { render, FORMATS, type Format } from './report/index.js';
export { loadRulesFromDir, defaultRulesDir, parseRuleFile, type Rule } from './detect/rules.js';
export { UsageError } from './errors.js';
export type * from './types.js';
