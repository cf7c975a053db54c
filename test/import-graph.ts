// The folder-level import graph of src/ and the rules it must keep (test/import-direction.test.ts).
// Imports are read with the TypeScript parser: static imports, re-exports and dynamic import().

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** Files relative to src/, "/"-separated: "sources/content.ts". */
  readonly from: string;
  readonly to: string;
  /** `import type` / `export type`: erased at compile time. */
  readonly typeOnly: boolean;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every relative import between files of `srcDir`. */
export function importEdges(srcDir: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of tsFiles(srcDir)) {
    const from = relative(srcDir, file).split(sep).join('/');
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const add = (spec: string, typeOnly: boolean) => {
      if (!spec.startsWith('.')) return; // a package
      const to = posix.normalize(posix.join(posix.dirname(from), spec)).replace(/\.js$/, '.ts');
      edges.push({ from, to, typeOnly });
    };
    const visit = (node: ts.Node) => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier))
        add(node.moduleSpecifier.text, node.importClause?.isTypeOnly ?? false);
      else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier))
        add(node.moduleSpecifier.text, node.isTypeOnly);
      else if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        node.arguments[0] &&
        ts.isStringLiteral(node.arguments[0])
      )
        add(node.arguments[0].text, false);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  void dirname;
  return edges;
}

/** The folder a file belongs to: its first directory under src/, or the file itself at the root. */
export function folderOf(file: string): string {
  const slash = file.indexOf('/');
  return slash === -1 ? file : `${file.slice(0, slash)}/`;
}

/** Folder → folders it imports (self-edges dropped). */
export function folderGraph(edges: readonly ImportEdge[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const e of edges) {
    const a = folderOf(e.from);
    const b = folderOf(e.to);
    if (!graph.has(b)) graph.set(b, new Set());
    let out = graph.get(a);
    if (!out) graph.set(a, (out = new Set()));
    if (a !== b) out.add(b);
  }
  return graph;
}

/** One cycle per strongly connected component with more than one folder, as a path "a/ → b/ → a/". */
export function folderCycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  // Tarjan's algorithm, then a shortest cycle through each component's first node (BFS).
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const components: string[][] = [];
  const strong = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1) components.push(c);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) strong(v);
  return components.map((c) => {
    const inside = new Set(c);
    const start = [...c].sort()[0]!;
    const prev = new Map<string, string>();
    const queue = [start];
    for (let i = 0; i < queue.length; i++) {
      const v = queue[i]!;
      for (const w of [...(graph.get(v) ?? [])].sort()) {
        if (!inside.has(w)) continue;
        if (w === start) {
          const path = [start];
          for (let x: string | undefined = v; x !== start && x; x = prev.get(x)) path.splice(1, 0, x);
          return [...path, start];
        }
        if (!prev.has(w)) {
          prev.set(w, v);
          queue.push(w);
        }
      }
    }
    return [start, start];
  });
}

/** Imports no folder may make: [from folder, to folder, why]. */
export const FORBIDDEN: ReadonlyArray<readonly [string, string, string]> = [
  ['sources/', 'detect/', 'sources yield blobs and know nothing of rules'],
  ['detect/', 'sources/', 'the detector sees blobs, not where they come from'],
  ['detect/', 'report/', 'the detector does not format output'],
  ['detect/', 'scan/', 'the scan loop drives the detector, not the reverse'],
  ['scope/', 'rank/', 'ranking runs once, in the pipeline, after scope'],
  ['scope/', 'scan/', 'scope gets findings, not the orchestrator'],
  ['report/', 'scan/', 'reports get a ScanResult (types.ts), not the orchestrator'],
  ['sources/', 'scan/', 'the scan layer consumes sources, not the reverse'],
];

/** Root files whose type-only imports stay out of the graph: the shared vocabulary every stage uses. */
export const TYPE_ONLY_LEAVES: readonly string[] = ['types.ts'];

/** Every broken rule, one line each: forbidden imports (file by file), then folder cycles (with their path). */
export function checkImports(edges: readonly ImportEdge[]): string[] {
  const problems: string[] = [];
  for (const e of edges)
    for (const [a, b, why] of FORBIDDEN)
      if (folderOf(e.from) === a && folderOf(e.to) === b)
        problems.push(`${e.from} imports ${e.to}: ${a} must not import ${b} (${why})`);
  const kept = edges.filter((e) => !(e.typeOnly && TYPE_ONLY_LEAVES.includes(e.from)));
  for (const cycle of folderCycles(folderGraph(kept))) problems.push(`folder cycle: ${cycle.join(' → ')}`);
  return problems;
}
