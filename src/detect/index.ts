// The detect layer's public API: rules in, candidates out. Code outside src/detect imports it from here.

export { CHUNK_OVERLAP, ChunkScanner, type ChunkScannerOptions, scanBuffer } from './chunks.js';
export type { CompositeSpec } from './composite.js';
export { type Allowlist, Detector, type RawMatch } from './detector.js';
export type { AutomatonTables, PrefilterStore } from './prefilter.js';
export { prefilterCache } from './prefilter-cache.js';
export {
  checkUniqueIds,
  defaultRulesDir,
  loadRuleSet,
  loadRulesFromDir,
  type Rule,
  verifyExamples,
  verifyExamplesCached,
} from './rules.js';
export { scanSegments } from './segments.js';
