// The command line: a thin shell that parses arguments, calls the library and writes a report.

import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import { STDIN_TOKEN, getExitCode, resetExitCode } from './options.js';
import { stagedHookArgs } from './hook-args.js';
import { gitCommand } from './commands/git.js';
import { UsageError, errorMessage } from '../errors.js';
import { VERSION } from '../version.js';
import { EXIT_USAGE } from './output.js';

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
    process.stderr.write(`leakradius: error: ${errorMessage(err)}\n`);
    return EXIT_USAGE;
  }
  return getExitCode();
}

/** Everything but the hook's plain command line: yargs, loaded only then. */
async function parse(argv: string[]): Promise<void> {
  const [{ default: yargs }, { commands }] = await Promise.all([import('yargs'), import('./commands/index.js')]);
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
    .epilogue('Exit codes: 0 no findings, 1 findings, 2 usage or configuration error.')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    })
    .parseAsync();
}
