// Git's test for binary content, alone: the git scan needs it without content.ts's file and
// archive readers.

/** Git's rule: a NUL byte in the first 8000 bytes makes a file binary. */
export const BINARY_PROBE = 8000;

/** By memchr: a byte loop over every blob of a history cost ~2 s. */
export function looksBinary(head: Uint8Array): boolean {
  return Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, BINARY_PROBE)).indexOf(0) !== -1;
}
