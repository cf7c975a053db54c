// The public detection API: everything outside detect/ imports detection from here.

export {
  CHUNK_OVERLAP,
  ChunkScanner,
  Detector,
  scanBuffer,
  scanSegments,
  type Allowlist,
  type ChunkScannerOptions,
} from './detector.js';
