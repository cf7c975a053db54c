/**
 * An error the user can fix: bad usage, a missing path, an invalid rule or config.
 * The CLI prints the message and exits 2. Problems with one file are warnings instead.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(message: string) {
    super(message);
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

/**
 * What to do when the native regular-expression module did not load (never built, or built for
 * another Node.js): undefined for any other error.
 */
export function nativeModuleProblem(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException | undefined;
  const first = String(e?.message ?? '').split('\n')[0]!;
  const loading =
    e?.code === 'MODULE_NOT_FOUND' || e?.code === 'ERR_DLOPEN_FAILED' || /NODE_MODULE_VERSION/.test(first);
  if (!loading || !/re2\.node|[\\/]re2[\\/]|'re2'/.test(String(e?.message))) return undefined;
  return (
    `the native module re2 (leakradius' regular expressions) did not load: ${first}. ` +
    `Rebuild it for this Node.js (${process.version}): run "npm rebuild re2" in the leakradius directory ` +
    "(it compiles against this Node's headers: set npm_config_nodedir if they are not found; needs python3, make, g++)"
  );
}

/**
 * A schema problem in words that never quote the value found (a config may be someone's
 * credentials): zod's own message, except where it would ("received 'AKIA…'").
 */
export function schemaProblem(issue: import('zod').ZodIssue): string {
  if (issue.code === 'invalid_enum_value') return `expected one of ${issue.options.join(', ')}`;
  if (issue.code === 'invalid_literal') return `expected ${JSON.stringify(issue.expected)}`;
  return issue.message;
}
