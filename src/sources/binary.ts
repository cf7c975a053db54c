// Git's test for binary content, alone: the git scan needs it without content.ts's file and
// archive readers.

/** Git's rule: a NUL byte in the first 8000 bytes makes a file binary. */
export const BINARY_PROBE = 8000;

export function looksBinary(head: Uint8Array): boolean {
  const n = Math.min(head.length, BINARY_PROBE);
  for (let i = 0; i < n; i++) if (head[i] === 0) return true;
  return false;
}
