// Pure checks on a candidate secret: entropy, placeholders, inline allow pragmas.

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  const n = [...s].length;
  for (const c of counts.values()) {
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

// Values people write where a real secret would go. Kept conservative: a real random token never
// contains these words, while templates, docs and fixtures almost always do.
const PLACEHOLDER_PATTERNS: readonly RegExp[] = [
  /x{4,}/i, // xxxx
  /\*{3,}/, // ****
  /(.)\1{7,}/, // aaaaaaaa, 00000000
  /^<[^<>]*>$|<[a-z_ -]*(?:key|token|secret|password|pass|pwd|here|your)[a-z_ -]*>/i, // <your-key>
  /^\$\{[^}]*\}$|^\$\(|^\$[A-Z_][A-Z0-9_]*$|^%[A-Z_][A-Z0-9_]*%$/, // ${VAR}, $VAR, %VAR%, $(cmd)
  /^\{\{.*\}\}$|\{\{\s*[\w.]+\s*\}\}/, // {{ secrets.X }}
  /^\[[A-Z_ -]+\]$/, // [REDACTED]
  /change[-_ ]?me|changeit|placeholder|redacted|dummy|foobar|lorem ?ipsum|insert[-_ ]?(?:your|here)|your[-_ ]?(?:api[-_ ]?)?(?:key|token|secret|password|pass)|replace[-_ ]?me/i,
  /\b(?:sample|todo|fixme)\b/i,
  /(?:^|[^a-z])(?:example|examplekey|test[-_]?(?:key|token|secret|password))(?:[^a-z]|$)/i,
  /EXAMPLE(?:KEY)?$/, // AWS documentation keys: AKIAIOSFODNN7EXAMPLE, ...bPxRfiCYEXAMPLEKEY
  /^(?:password|passwd|secret|token|null|none|undefined|true|false|empty|string|required|optional)$/i,
  /^0123456789|^abcdefgh|^12345678|^(?:abc|123)+$/i,
];

export function isPlaceholder(secret: string): boolean {
  for (const re of PLACEHOLDER_PATTERNS) if (re.test(secret)) return true;
  return false;
}

/** Inline markers that allow a finding on their line (gitleaks and detect-secrets markers too). */
const ALLOW_MARKER = /leakradius:allow|gitleaks:allow|pragma: ?allowlist secret/;
/** detect-secrets' marker for the line below it. */
const ALLOW_NEXT_LINE = /pragma: ?allowlist nextline secret|leakradius:allow-next-line/;

export function lineAllows(line: string): boolean {
  return ALLOW_MARKER.test(line);
}

export function lineAllowsNext(line: string): boolean {
  return ALLOW_NEXT_LINE.test(line);
}
