import type { CommandModule, PositionalOptions } from 'yargs';
import {
  archiveOptions,
  lookupOptions,
  restoreStdin,
  scanningOptions,
  setExitCode,
  validThreads,
} from '../options.js';
import type { FailOn } from '../options.js';
import { Progress, finishRun, outputArgs, printWarning } from '../output.js';
import type { Format } from '../../report/index.js';

/** The paths positional of `scan` and `baseline scan`: "." when none is given. */
export const PATHS_POSITIONAL = {
  type: 'string',
  array: true,
  default: ['.'],
  describe: 'Files or directories; - for stdin',
} as const satisfies PositionalOptions;

export const scanCommand: CommandModule = {
  command: 'scan [paths..]',
  describe: 'Scan files and directories (- reads stdin)',
  builder: (y) =>
    scanningOptions(y)
      .positional('paths', PATHS_POSITIONAL)
      .option('follow-symlinks', {
        type: 'boolean',
        default: false,
        describe: 'Also read symlinked files whose target is outside the scanned paths (e.g. /proc/self/environ)',
      })
      .example('$0 scan .', 'Scan the current directory')
      .example('kubectl logs -f pod | $0 scan -', 'Scan a stream as it arrives')
      .example('$0 scan build/ --format sarif -o leakradius.sarif', 'Write SARIF for code scanning'),
  handler: async (argv) => {
    const args = argv as unknown as ScanArgs;
    const paths = restoreStdin(args.paths);
    const { scan, bytesRead } = await import('../../scan/scan.js');
    // No progress line under findings streamed from stdin: the two would share the terminal's lines.
    const progress = new Progress(Boolean(process.stderr.isTTY) && !args.quiet && !paths.includes('-'), bytesRead);
    const lookup = lookupOptions(args, true);
    const run = scan({
      paths,
      exclude: args.exclude,
      threads: validThreads(args.threads),
      config: args.config,
      rulesDir: args.rules,
      baseline: args.baseline,
      includeFixtures: args['include-fixtures'],
      followSymlinks: args['follow-symlinks'],
      ...archiveOptions(args),
      lookup,
      onWarning: printWarning,
      onProgress: progress.update,
    });
    const output = {
      ...outputArgs(args),
      paths,
      stream: paths.includes('-'),
      lookupPending: Boolean(lookup),
      scanned: paths.join(' '),
    };
    setExitCode(await finishRun(run, output, progress));
  },
};

/** The options scanningOptions() declares, as the handler receives them. */
export interface ScanArgs {
  paths: string[];
  format: Format;
  output?: string;
  'show-secrets': boolean;
  offline: boolean;
  lookup?: boolean;
  'deep-lookup'?: boolean;
  'lookup-timeout'?: number;
  config?: string;
  rules?: string;
  threads?: number;
  exclude: string[];
  baseline?: string;
  'include-fixtures'?: boolean;
  'max-archive-depth'?: number;
  'max-archive-bytes'?: string;
  'fail-on'?: FailOn;
  quiet: boolean;
  'only-live': boolean;
  'allow-incomplete'?: boolean;
  'follow-symlinks'?: boolean;
}
