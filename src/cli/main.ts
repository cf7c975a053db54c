// The command line: a thin shell that parses arguments, calls the library and writes a report.

import { createRequire } from 'node:module';
import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import { STDIN_TOKEN, getExitCode, resetExitCode } from './options.js';
import { stagedHookArgs } from './hook-args.js';
import { gitCommand } from './commands/git.js';
import { UsageError, errorMessage, nativeModuleProblem } from '../errors.js';
import { VERSION } from '../package/version.js';
import { EXIT_USAGE } from './output.js';

/**
 * Runs the command line and exits once its output is written: the entry of bin's modules (run.ts)
 * and of the pre-commit hook's bundle (hook.ts).
 */
export function runAndExit(argv: string[]): void {
  // A closed pipe (`leakradius scan . | head`) ends output quietly, with the exit code of what was
  // found so far (finishRun sets it before each write); any other failure to write stdout (a full
  // disk) means the report is lost: say so and exit 2, never the findings code or a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`leakradius: error: cannot write the report to stdout: ${errorMessage(err)}\n`);
    process.exit(EXIT_USAGE);
  });
  void main(argv).then((code) => {
    process.exitCode = code;
    // Done: exit once stdout and stderr are written out, instead of letting Node free its heap and
    // close every handle first (~10 ms CPU and 10-30 ms wall of each pre-commit hook run). A failed
    // write is left to the stdout error handler above, which decides the exit code.
    process.stdout.write('', (err) => {
      if (!err) process.stderr.write('', () => process.exit(code));
    });
  });
}

export async function main(argv: string[]): Promise<number> {
  resetExitCode();
  try {
    const hook = stagedHookArgs(argv);
    if (hook) {
      // The pre-commit hook's plain command line: straight to the handler yargs would call.
      await gitCommand.handler(hook as unknown as ArgumentsCamelCase);
    } else await parse(argv);
  } catch (err) {
    if (err instanceof UsageError || (err as Error)?.name === 'YError') {
      process.stderr.write(`leakradius: ${(err as Error).message}\nRun "leakradius --help" for usage.\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`leakradius: error: ${nativeModuleProblem(err) ?? errorMessage(err)}\n`);
    return EXIT_USAGE;
  }
  return getExitCode();
}

/** Everything but the hook's plain command line: yargs, loaded only then. */
async function parse(argv: string[]): Promise<void> {
  // yargs' CommonJS build: its ESM build wraps help text every N characters, mid-word.
  const yargs = createRequire(import.meta.url)('yargs') as typeof import('yargs').default;
  const { commands } = await import('./commands/index.js');
  const width = process.stdout.columns || Number(process.env.COLUMNS) || 100;
  await yargs(argv.map((a) => (a === '-' ? STDIN_TOKEN : a)))
    .scriptName('leakradius')
    .usage('$0 <command> [options]\n\nFinds leaked credentials and ranks each by its blast radius.')
    .command(commands as CommandModule[])
    .demandCommand(1, 'Give a command (see --help)')
    .recommendCommands()
    .strict()
    .version(VERSION)
    .alias('h', 'help')
    .alias('V', 'version')
    .epilogue(
      'Exit codes: 0 no findings (none at or above --fail-on), 1 findings, 2 usage or configuration error, ' +
        '3 no findings but part of the input could not be read (0 with --allow-incomplete).',
    )
    // The terminal's width, up to 120 columns (longer lines are hard to read).
    .wrap(Math.min(120, width))
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    })
    .parseAsync();
}
