// The pre-commit hook's command line, read without yargs. `git --staged` runs on every commit, and
// loading yargs and letting it parse (and pre-render the help it would print on failure) took a
// fifth of the hook's time. Only plain command lines are read here: the hook's `git --staged`
// with flags and option values yargs would read the same way; anything else (help, a positional,
// a repeated or unknown option, a number, a value that looks like a flag) returns undefined and
// goes through yargs, which then gives its usual answer or message.

import type { Options } from 'yargs';
import { SCANNING_OPTIONS } from './options.js';
import { GIT_OPTIONS, REPO_POSITIONAL, type GitArgs } from './commands/git.js';

const OPTIONS: Readonly<Record<string, Options>> = { ...SCANNING_OPTIONS, ...GIT_OPTIONS };

/** "--name" and each alias ("-f") → option name. */
const FLAGS = new Map<string, string>();
for (const [name, spec] of Object.entries(OPTIONS)) {
  FLAGS.set(`--${name}`, name);
  for (const alias of [spec.alias ?? []].flat()) FLAGS.set(alias.length === 1 ? `-${alias}` : `--${alias}`, name);
}

/** The arguments yargs would hand the `git` command for `argv`, or undefined if not a plain `git --staged`. */
export function stagedHookArgs(argv: readonly string[]): GitArgs | undefined {
  if (argv[0] !== 'git') return undefined;
  const args: Record<string, unknown> = { repo: REPO_POSITIONAL.default };
  for (const [name, spec] of Object.entries(OPTIONS))
    if (spec.default !== undefined) args[name] = Array.isArray(spec.default) ? [...spec.default] : spec.default;
  const given = new Set<string>();
  for (let i = 1; i < argv.length; i++) {
    const name = FLAGS.get(argv[i]!);
    if (name === undefined || given.has(name)) return undefined;
    given.add(name);
    const spec = OPTIONS[name]!;
    if (spec.type === 'boolean') {
      // yargs would take a following "true" or "false" as the flag's value: leave that to it.
      args[name] = true;
      continue;
    }
    if (spec.type === 'number' || spec.type === 'count') return undefined;
    const value = argv[++i];
    if (value === undefined || value === '' || value.startsWith('-')) return undefined;
    if (spec.choices && !(spec.choices as readonly string[]).includes(value)) return undefined;
    args[name] = spec.array ? [value] : value;
  }
  return args.staged === true ? (args as unknown as GitArgs) : undefined;
}
