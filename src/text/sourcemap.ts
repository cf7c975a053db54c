// Source maps carry the original sources in `sourcesContent`: a secret in src/config.ts survives
// minification there. Each embedded source is scanned as its own blob, named as the map names it.

/** A part of a JSON blob scanned as its own text, with the name its location carries. */
export interface EmbeddedText {
  readonly name: string;
  readonly text: string;
}

/** The sources a source map embeds, or undefined when `json` is not a source map with sourcesContent. */
export function sourceMapSources(json: unknown): EmbeddedText[] | undefined {
  if (!json || typeof json !== 'object') return undefined;
  const map = json as { sources?: unknown; sourcesContent?: unknown; sourceRoot?: unknown; sections?: unknown };
  if (Array.isArray(map.sections)) {
    // Index maps: each section holds a map of its own.
    const out = map.sections.flatMap((s: { map?: unknown }) => sourceMapSources(s?.map) ?? []);
    return out.length ? out : undefined;
  }
  if (!Array.isArray(map.sourcesContent)) return undefined;
  const root = typeof map.sourceRoot === 'string' ? map.sourceRoot : '';
  const sources = Array.isArray(map.sources) ? map.sources : [];
  const out: EmbeddedText[] = [];
  map.sourcesContent.forEach((content: unknown, i: number) => {
    if (typeof content !== 'string' || content.length === 0) return;
    const source = typeof sources[i] === 'string' ? (sources[i] as string) : `(source ${i})`;
    out.push({ name: root && !/^[a-z]+:/i.test(source) ? joinRoot(root, source) : source, text: content });
  });
  return out;
}

function joinRoot(root: string, source: string): string {
  return root.endsWith('/') ? root + source : `${root}/${source}`;
}
