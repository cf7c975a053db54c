// The pipeline façade: sources → detect → dedupe → scope → rank, for a tree (scan), a repository
// (scanGit) and one token (lookupToken). Reports render the ScanResult (src/report/).

export { scan, bytesRead, type ScanOptions } from './scan.js';
export { scanGit, GIT_STRATEGIES, type GitScanOptions, type GitStrategy } from './scan-git.js';
export { lookupToken, type LookupTokenOptions } from './lookup-token.js';
export { prepareEngine, type Engine } from './engine.js';
export { ScanRun } from './scan-run.js';
