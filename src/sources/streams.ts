// Small helpers over async byte streams: look at the head and keep the whole, collect within a limit,
// drain, and a one-buffer stream.

/** The first `n` bytes of a stream (fewer if it ends), and the whole stream again from its start. */
export async function peek(
  input: AsyncIterable<Buffer>,
  n: number,
): Promise<{ head: Buffer; whole: boolean; rest: AsyncIterable<Buffer> }> {
  const it = input[Symbol.asyncIterator]();
  const parts: Buffer[] = [];
  let len = 0;
  let whole = false;
  while (len < n) {
    const r = await it.next();
    if (r.done) {
      whole = true;
      break;
    }
    parts.push(r.value);
    len += r.value.length;
  }
  const head = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  const rest = (async function* () {
    try {
      if (head.length) yield head;
      if (whole) return;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      if (!whole) await it.return?.();
    }
  })();
  return { head, whole, rest };
}

/** The whole stream in memory, or undefined (and the stream drained) past `limit` bytes. */
export async function collect(input: AsyncIterable<Buffer>, limit: number): Promise<Buffer | undefined> {
  const parts: Buffer[] = [];
  let len = 0;
  for await (const c of input) {
    len += c.length;
    if (len > limit) {
      parts.length = 0;
      continue;
    }
    parts.push(c);
  }
  return len > limit ? undefined : Buffer.concat(parts);
}

export async function drain(input: AsyncIterable<Buffer>): Promise<void> {
  for await (const _ of input) void _;
}

export async function* once(buf: Buffer): AsyncGenerator<Buffer> {
  yield buf;
}
