import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Location } from '../types.js';

/**
 * "src/app.ts:12:5", "release.zip!lib/app.jar!config.properties:3:1", "ab12cd34ef56:path:7"; "api: …" when merged.
 * Paths and authors come from the scanned content: their control characters are shown, never sent.
 */
export function formatLocation(l: Location): string {
  return escapeControls(l.source === undefined ? formatPlace(l) : `${l.source}: ${formatPlace(l)}`);
}

// C0 and C1 controls, DEL, the Unicode line and paragraph separators (a line break to some viewers),
// and the bidirectional overrides that reorder what a reader sees.
const CONTROLS = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from a scanned tree (a file name, a commit author) as inert characters: `\x1b]0;…\x07` is
 * printed as those characters, so no escape sequence or line break reaches a terminal or a log.
 */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => {
    const n = c.charCodeAt(0);
    return n > 0xff ? `\\u${n.toString(16).padStart(4, '0')}` : `\\x${n.toString(16).padStart(2, '0')}`;
  });
}

function formatPlace(l: Location): string {
  const pos = `${l.line}:${l.column}`;
  const via = l.decoded?.length ? ` (decoded: ${l.decoded.join(' → ')})` : '';
  switch (l.kind) {
    case 'file':
      return `${l.path}:${pos}${via}`;
    case 'stdin':
      return `(stdin):${pos}${via}`;
    case 'archive':
      return `${l.chain.join('!')}:${pos}${via}`;
    case 'git':
      return `${l.commit.slice(0, 12)}:${l.path}:${pos} (${l.author}, ${l.date.slice(0, 10)})${via}`;
  }
}

/** The path a location points at, for SARIF artifactLocation and annotations. */
export function locationPath(l: Location): string {
  switch (l.kind) {
    case 'file':
    case 'git':
      return l.path;
    case 'stdin':
      return '(stdin)';
    case 'archive':
      return l.chain[0] ?? '';
  }
}

/**
 * A path as a report read on another machine needs it: relative, with "/" separators. A path
 * under an absolute scan root (or outside the working directory) becomes relative to the root
 * that holds it (a file's own directory if none does), and `root` says which.
 */
export function rootRelative(path: string, roots: readonly string[] = []): { path: string; root?: string } {
  const slashed = (p: string) => p.split(sep).join('/').split('\\').join('/');
  if (!isAbsolute(path) && !/^\.\.(?:[\\/]|$)/.test(path)) return { path: slashed(path).replace(/^(?:\.\/)+/, '') };
  const abs = resolve(path);
  const holds = (r: string) => abs === r || abs.startsWith(r.endsWith(sep) ? r : r + sep);
  const root = roots.filter(holds).sort((a, b) => b.length - a.length)[0] ?? dirname(abs);
  return { path: slashed(relative(root, abs)) || '.', root };
}
