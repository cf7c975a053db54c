// `leakradius revoke`: revoke one leaked credential. The token comes from stdin or an environment
// variable, never from argv; the revoking call runs only after --yes or a typed confirmation.

import { createReadStream, openSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import type { CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';
import { setExitCode } from '../options.js';
import { EXIT_CLEAN, EXIT_FINDINGS } from '../output.js';
import { TOKEN_OPTIONS, analyseToken, readToken } from './lookup.js';

interface RevokeArgs {
  _: Array<string | number>;
  'from-env'?: string;
  type?: string;
  fingerprint?: string;
  yes: boolean;
  'lookup-timeout': number;
  rules?: string;
}

/** Asks on the terminal: stdin when it is one (the token came from the environment), else /dev/tty. */
async function askOnTerminal(question: string): Promise<boolean> {
  let input: NodeJS.ReadableStream = process.stdin;
  if (!process.stdin.isTTY) {
    let fd: number;
    try {
      fd = openSync('/dev/tty', 'r');
    } catch {
      throw new UsageError('revoke asks before revoking and there is no terminal to ask on: give --yes to confirm');
    }
    input = createReadStream('', { fd });
  }
  const rl = createInterface({ input, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question}\nType "yes" to revoke: `)).trim());
  } finally {
    rl.close();
    if (input !== process.stdin) (input as ReturnType<typeof createReadStream>).destroy();
  }
}

export const revokeCommand: CommandModule = {
  command: 'revoke',
  describe:
    'Revoke one leaked credential at its provider (token on stdin or in an environment variable), or print the steps',
  builder: (y) =>
    y
      .strict(false)
      .strictOptions()
      .options(TOKEN_OPTIONS)
      .option('fingerprint', {
        type: 'string',
        describe: "Revoke only if the token is this finding (the report's fingerprint, or its first 12+ characters)",
      })
      .option('yes', {
        alias: 'y',
        type: 'boolean',
        default: false,
        describe: 'Revoke without asking (after reading who loses access)',
      })
      .example(
        'pbpaste | $0 revoke --fingerprint 3f9a0c1d2e4b5a67',
        'Revoke the token on the clipboard, the one the report lists',
      )
      .example('LEAKRADIUS_TOKEN=… $0 revoke --yes', 'Revoke without a prompt (CI, scripts)'),
  handler: async (argv) => {
    const args = argv as unknown as RevokeArgs;
    // A stray argument is most likely the token: refused here, where yargs would echo it.
    if (args._.length > 1)
      throw new UsageError(
        'revoke takes the token on stdin or from an environment variable, never as an argument (other processes ' +
          'can read argv); if you typed it, it is in your shell history too',
      );
    const wanted = args.fingerprint?.trim().toLowerCase();
    if (wanted !== undefined && !/^[0-9a-f]{12,64}$/.test(wanted))
      throw new UsageError('--fingerprint takes the hex fingerprint from a report (at least its first 12 characters)');
    const input = await readToken(args);
    // Checked offline first: a token revoke refuses is sent nowhere, not even to a lookup.
    const found = await analyseToken(input, { ...args, offline: true, 'deep-lookup': false });
    if (found.length > 1)
      throw new UsageError(`the input holds ${found.length} credentials; revoke takes one at a time`);
    const { fingerprint, ruleName, redacted } = found[0]!;
    if (wanted && !fingerprint.startsWith(wanted))
      throw new UsageError(
        `the token given is ${ruleName} ${redacted} with fingerprint ${fingerprint.slice(0, 16)}…, ` +
          `not the finding ${wanted}; nothing revoked`,
      );
    // The lookup names the identity the confirmation shows, and says whether it is already revoked.
    const f = (await analyseToken(input, { ...args, offline: false, 'deep-lookup': false }))[0]!;
    const { revokeFinding } = await import('../../revoke/index.js');
    const outcome = await revokeFinding(f, {
      yes: args.yes,
      confirm: askOnTerminal,
      timeoutMs: Math.round(args['lookup-timeout'] * 1000),
    });
    const lines = [`${outcome.kind}: ${outcome.message}`];
    if (outcome.kind === 'steps') lines.push(...outcome.steps.map((s, i) => `  ${i + 1}. ${s}`));
    if (outcome.kind === 'revoked') lines.push(`next: replace it with ${f.blast.remediation.replaceWith}`);
    process.stdout.write(lines.join('\n') + '\n');
    setExitCode(outcome.kind === 'revoked' || outcome.kind === 'already-revoked' ? EXIT_CLEAN : EXIT_FINDINGS);
  },
};
