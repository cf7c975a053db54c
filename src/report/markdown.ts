// Text that GitHub's and GitLab's Markdown must show as itself: scanned content, paths and names
// from a pull request are hostile, and neither Markdown nor HTML in them may take effect.

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * One line of Markdown text, for after a label, in a table cell or a list item: the characters
 * that start emphasis, code, links, strikethrough, math or a cell edge are backslash-escaped,
 * HTML's as entities, autolinks (`www.`, `https://`) broken, a block marker at the start escaped,
 * and line breaks become spaces.
 */
export function markdownText(s: string): string {
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]|~$]/g, (ch) => `\\${ch}`)
    .replace(/[&<>]/g, (ch) => HTML[ch]!)
    .replace(/:\/\//g, '\\://')
    .replace(/\b(www)\./gi, '$1\\.')
    .replace(/^([#+=-]|\d+(?=[.)]))/, (m) => (/^\d/.test(m) ? `${m}\\` : `\\${m}`));
}
