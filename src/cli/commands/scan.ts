import type { CommandModule } from 'yargs';
import { archiveOptions, lookupOptions, restoreStdin, scanningOptions, setExitCode, validThreads } from '../options.js';
import { Progress, finishRun, printWarning } from '../output.js';

export const scanCommand: CommandModule = {
  command: 'scan <paths..>',
  describe: 'Scan files and directories (- reads stdin)',
  builder: (y) =>
    scanningOptions(y)
      .positional('paths', { type: 'string', array: true, demandOption: true, describe: 'Files or directories; - for stdin' })
      .example('$0 scan .', 'Scan the current directory')
      .example('kubectl logs -f pod | $0 scan -', 'Scan a stream as it arrives')
      .example('$0 scan build/ --format sarif -o leakradius.sarif', 'Write SARIF for code scanning'),
  handler: async (argv) => {
    const args = argv as unknown as ScanArgs;
    const progress = new Progress();
    const paths = restoreStdin(args.paths);
    const { scan } = await import('../../scan.js');
    const run = scan({
      paths,
      exclude: args.exclude,
      threads: validThreads(args.threads),
      config: args.config,
      rulesDir: args.rules,
      baseline: args.baseline,
      includeFixtures: args['include-fixtures'],
      ...archiveOptions(args),
      lookup: lookupOptions(args, true),
      onWarning: printWarning,
      onProgress: progress.update,
    });
    setExitCode(await finishRun(run, { format: args.format, output: args.output, showSecrets: args['show-secrets'], stream: paths.includes('-') }, progress));
  },
};

/** The options scanningOptions() declares, as the handler receives them. */
export interface ScanArgs {
  paths: string[];
  format: 'text' | 'json' | 'sarif';
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
}
