import type { Location } from '../types.js';

/** "src/app.ts:12:5", "release.zip!lib/app.jar!config.properties:3:1", "ab12cd34ef56:path:7"; "api: …" when merged. */
export function formatLocation(l: Location): string {
  return l.source === undefined ? formatPlace(l) : `${l.source}: ${formatPlace(l)}`;
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
