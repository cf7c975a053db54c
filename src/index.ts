// The library: the CLI and the GitHub Action are thin shells around these calls.

export { scan, prepareEngine, ScanRun, type ScanOptions, type ScanResult } from './scan/scan.js';
export { render, FORMATS, type Format } from './report/index.js';
export { loadRulesFromDir, defaultRulesDir, parseRuleFile, type Rule } from './detect/rules.js';
export { UsageError } from './errors.js';
export type * from './types.js';
