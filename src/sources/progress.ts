// Bytes scanned so far, counted as they are read, so progress moves while one long file (a 2 GB
// .log.gz is one job for minutes) is still being scanned. Each thread adds to its own slot of a
// shared array that the main thread sums; only that thread writes it.

let slot: Float64Array<ArrayBufferLike> = new Float64Array(1);

/** Count this thread's bytes into `counter` (a slot of a SharedArrayBuffer). */
export function countBytesInto(counter: Float64Array<ArrayBufferLike>): void {
  slot = counter;
}

export function countBytes(n: number): void {
  slot[0]! += n;
}
