// Module boundaries, as Nosey Parker keeps them with crates: sources/ never run rules, detect/ never
// reads sources or formats reports, scope/ never ranks, report/ and scope/ never reach into the
// orchestrator, and no two folders import each other through any path.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkImports, folderCycles, folderGraph, importEdges, type ImportEdge } from './import-graph.js';

const SRC = join(__dirname, '..', 'src');

describe('import direction', () => {
  it('src/ keeps every boundary and has no folder cycle', () => {
    const edges = importEdges(SRC);
    expect(edges.length).toBeGreaterThan(100); // the parser found the imports at all
    expect(checkImports(edges)).toEqual([]);
  });

  it('reads static, re-exported, dynamic and type-only imports', () => {
    const edges = importEdges(SRC);
    const has = (from: string, to: string) => edges.some((e) => e.from === from && e.to === to);
    expect(has('index.ts', 'scan/index.ts')).toBe(true); // export … from
    expect(has('cli/commands/scan.ts', 'scan/scan.ts')).toBe(true); // await import()
    expect(edges.find((e) => e.from === 'types.ts' && e.to === 'detect/rules.ts')?.typeOnly).toBe(true);
  });
});

describe('the checker', () => {
  const edge = (from: string, to: string, typeOnly = false): ImportEdge => ({ from, to, typeOnly });

  it('names a forbidden import with its file', () => {
    expect(checkImports([edge('sources/content.ts', 'detect/index.ts')])).toEqual([
      'sources/content.ts imports detect/index.ts: sources/ must not import detect/ ' +
        '(sources yield blobs and know nothing of rules)',
    ]);
    expect(checkImports([edge('scope/index.ts', 'rank/rank.ts')])[0]).toMatch(/scope\/ must not import rank\//);
    expect(checkImports([edge('report/json.ts', 'scan/scan.ts', true)])[0]).toMatch(/report\/ must not import scan/);
  });

  it('reports a folder cycle with its path, however long', () => {
    const edges = [
      edge('a/x.ts', 'b/y.ts'),
      edge('b/y.ts', 'c/z.ts'),
      edge('c/z.ts', 'a/w.ts'),
      edge('c/z.ts', 'd/v.ts'),
      edge('a/x.ts', 'a/w.ts'),
    ];
    expect(checkImports(edges)).toEqual(['folder cycle: a/ → b/ → c/ → a/']);
    expect(folderCycles(folderGraph([edge('a/x.ts', 'b/y.ts'), edge('b/y.ts', 'c/z.ts')]))).toEqual([]);
  });

  it('counts a root file as its own node, and leaves only types.ts type-only imports out', () => {
    expect(checkImports([edge('types.ts', 'detect/rules.ts', true), edge('detect/rules.ts', 'types.ts')])).toEqual([]);
    expect(checkImports([edge('errors.ts', 'detect/rules.ts', true), edge('detect/rules.ts', 'errors.ts')])).toEqual([
      'folder cycle: detect/ → errors.ts → detect/',
    ]);
  });
});
