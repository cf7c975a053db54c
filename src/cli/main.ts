// The command line: a thin shell that parses arguments, calls the library and writes a report.

import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { scan } from '../scan.js';
import { FORMATS, type Format } from '../report/index.js';
import { UsageError, errorMessage } from '../errors.js';
import { VERSION } from '../version.js';
import { EXIT_USAGE, Progress, finishRun, printWarning } from './output.js';

/** Options every scanning command takes. */
export function scanningOptions<T>(y: Argv<T>) {
  return y
    .option('format', { alias: 'f', choices: FORMATS, default: 'text' as Format, describe: 'Report format' })
    .option('output', { alias: 'o', type: 'string', describe: 'Write the report to this file instead of stdout' })
    .option('show-secrets', { type: 'boolean', default: false, describe: 'Print full secrets in reports (never the default)' })
    .option('offline', { type: 'boolean', default: false, describe: 'Make no network calls (no provider lookups)' })
    .option('config', { alias: 'c', type: 'string', describe: 'Config file (default: .leakradius.yml at the scan root)' })
    .option('rules', { type: 'string', describe: 'Directory of rule files to use instead of the built-in rules/' })
    .option('threads', { alias: 'j', type: 'number', describe: 'Worker threads (default: all cores)' })
    .option('exclude', { alias: 'x', type: 'string', array: true, default: [] as string[], describe: 'Glob of paths to skip (repeatable)' });
}

/** yargs drops a bare "-", so it travels as this token and is turned back in the handler. */
const STDIN_TOKEN = '\u0000stdin';
const restoreStdin = (paths: readonly string[]) => paths.map((p) => (p === STDIN_TOKEN ? '-' : p));

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const cli = yargs(argv.map((a) => (a === '-' ? STDIN_TOKEN : a)))
    .scriptName('leakradius')
    .usage('$0 <command> [options]\n\nFinds leaked credentials and ranks each by its blast radius.')
    .command(
      'scan <paths..>',
      'Scan files and directories (- reads stdin)',
      (y) =>
        scanningOptions(y)
          .positional('paths', { type: 'string', array: true, demandOption: true, describe: 'Files or directories; - for stdin' })
          .example('$0 scan .', 'Scan the current directory')
          .example('kubectl logs -f pod | $0 scan -', 'Scan a stream as it arrives')
          .example('$0 scan build/ --format sarif -o leakradius.sarif', 'Write SARIF for code scanning'),
      async (args) => {
        const progress = new Progress();
        const paths = restoreStdin(args.paths as string[]);
        const run = scan({
          paths,
          exclude: args.exclude,
          threads: validThreads(args.threads),
          config: args.config,
          rulesDir: args.rules,
          onWarning: printWarning,
          onProgress: progress.update,
        });
        exitCode = await finishRun(run, { format: args.format, output: args.output, showSecrets: args['show-secrets'], stream: paths.includes('-') }, progress);
      },
    )
    .demandCommand(1, 'Give a command: scan (see --help)')
    .recommendCommands()
    .strict()
    .version(VERSION)
    .alias('h', 'help')
    .alias('V', 'version')
    .epilogue('Exit codes: 0 no findings, 1 findings, 2 usage or configuration error.')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    });
  try {
    await cli.parseAsync();
  } catch (err) {
    if (err instanceof UsageError || (err as Error)?.name === 'YError') {
      process.stderr.write(`leakradius: ${(err as Error).message}\nRun "leakradius --help" for usage.\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`leakradius: error: ${errorMessage(err)}\n`);
    return EXIT_USAGE;
  }
  return exitCode;
}

export function validThreads(n: number | undefined): number | undefined {
  if (n === undefined) return undefined;
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new UsageError(`--threads must be a whole number from 1 to 256 (got ${n})`);
  return n;
}

// A closed pipe (`leakradius scan . | head`) ends output quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

const code = await main(hideBin(process.argv));
process.exitCode = code;
