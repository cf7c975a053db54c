// The one place that decides how much of a secret may be shown.

const KNOWN_PREFIX = /^(?:[A-Z]{4}(?=[A-Z2-7]{16}$)|SG\.|eyJ|-----BEGIN [A-Z ]{0,40}-----)/;
/** ghp_, sk_live_, xoxb-: a provider's prefix only when random characters follow ("correct-horse-…" is a password). */
const WORD_PREFIX = /^[a-z]{2,6}[_-](?:[a-z0-9]{1,8}[_-])?/;
const looksRandom = (s: string) => s.length >= 16 && !/[-_\s]/.test(s) && /\d/.test(s) && new Set(s).size >= 12;

/**
 * "ghp_Ab…(40 chars)": a recognisable prefix plus two characters, never more than a third of the
 * secret; two characters of a random-looking one; a word-shaped password nothing but its length.
 */
export function redact(secret: string): string {
  const len = [...secret].length;
  const word = WORD_PREFIX.exec(secret)?.[0];
  const prefix = KNOWN_PREFIX.exec(secret)?.[0] ?? (word && looksRandom(secret.slice(word.length)) ? word : '');
  const visible = Math.min(prefix ? prefix.length + 2 : looksRandom(secret) ? 2 : 0, Math.floor(len / 3));
  const shown = secret.slice(0, visible).replace(/\s+/g, ' ');
  return `${shown}…(${len} chars)`;
}

/**
 * Every form in which `secret` can be read in text, cheap to derive: as is, base64 (padded, unpadded,
 * URL-safe), percent-encoded (either case of hex) and JSON-escaped. Shown text masks each of them
 * wherever it occurs, not only at the match: `password=X confirm=X` must not show the second X.
 */
export function secretForms(secret: string): string[] {
  if (secret === '') return [];
  const bytes = Buffer.from(secret, 'utf8');
  const base64 = bytes.toString('base64');
  const percent = encodeURIComponent(secret);
  return [
    ...new Set([
      secret,
      base64,
      base64.replace(/=+$/, ''),
      bytes.toString('base64url'),
      percent,
      percent.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
      JSON.stringify(secret).slice(1, -1),
    ]),
  ];
}
