// A cheap superset of a rule's pattern, to learn that a window cannot match before paying for the
// pattern's compile. RE2 compiles a counted repetition as that many copies of what it repeats:
// connection-string-password's `[^;"'\r\n]{1,200}` and `(?:[^;"'\r\n]{0,80};){0,8}` took ~4.7 ms
// of each pre-commit hook whose staged text holds "password =" (the Detector compiles a pattern on
// its rule's first window). With every long count left open (`{1,200}` → `{1,}`), each part of the
// pattern matches at least what it matched, and so does the whole: where the relaxed pattern finds
// nothing, the rule's own cannot match, and the scan's results are the same.

import { quotedEnd } from './captures.js';

/** Counted repetitions whose range spans at least this many are left open. */
const LONG_RANGE = 16;

/** `pattern` (RE2 syntax) with each `{m,n}` where n − m ≥ LONG_RANGE made `{m,}`; undefined if it has none. */
export function relaxedCounts(pattern: string): string | undefined {
  let out = '';
  let relaxed = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    // Escapes and classes: their braces (\{, [{], \x{41}, \p{Greek}) are no repetition.
    const quoted = quotedEnd(pattern, i);
    if (quoted !== undefined) {
      out += pattern.slice(i, quoted);
      i = quoted - 1;
      continue;
    }
    const count = c === '{' ? /^\{(\d+),(\d+)\}/.exec(pattern.slice(i, i + 16)) : null;
    if (count && Number(count[2]) - Number(count[1]) >= LONG_RANGE) {
      out += `{${count[1]},}`;
      i += count[0].length - 1;
      relaxed = true;
      continue;
    }
    out += c;
  }
  return relaxed ? out : undefined;
}
