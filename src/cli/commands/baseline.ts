import type { CommandModule } from 'yargs';
import { restoreStdin, scanningOptions, setExitCode, validThreads } from '../options.js';
import { printWarning } from '../output.js';
import { gitOptions, gitScanOptions, type GitArgs } from './git.js';
import { PATHS_POSITIONAL, type ScanArgs } from './scan.js';
import type { ScanRun } from '../../scan/scan.js';

const DEFAULT_FILE = '.leakradius-baseline.json';

async function write(run: ScanRun, output: string | undefined): Promise<void> {
  const result = await run.result;
  const file = output ?? DEFAULT_FILE;
  const { writeBaseline } = await import('../../config/baseline.js');
  const { doc, migrated, keptLegacy } = writeBaseline(file, result.findings);
  const n = doc.findings.length;
  const old = [
    migrated && `${migrated} version 1 entr${migrated === 1 ? 'y' : 'ies'} rewritten with keyed fingerprints`,
    keptLegacy && `${keptLegacy} not found by this scan kept in the version 1 form`,
  ].filter(Boolean);
  process.stderr.write(
    `leakradius: baseline of ${n} finding${n === 1 ? '' : 's'} written to ${file}` +
      `${old.length ? ` (${old.join('; ')})` : ''}\n`,
  );
  setExitCode(0);
}

export const baselineCommand: CommandModule = {
  command: 'baseline <source>',
  describe: `Record current findings as accepted (fingerprints only) in ${DEFAULT_FILE}`,
  builder: (y) =>
    y
      .command({
        command: 'scan [paths..]',
        describe: 'Baseline the findings of a file or directory scan',
        builder: (s) => scanningOptions(s).positional('paths', PATHS_POSITIONAL),
        handler: async (argv) => {
          const args = argv as unknown as ScanArgs;
          const { scan } = await import('../../scan/scan.js');
          await write(
            scan({
              paths: restoreStdin(args.paths),
              exclude: args.exclude,
              threads: validThreads(args.threads),
              config: args.config,
              rulesDir: args.rules,
              onWarning: printWarning,
            }),
            args.output,
          );
        },
      })
      .command({
        command: 'git [repo]',
        describe: 'Baseline the findings of a git history scan',
        builder: (g) => gitOptions(g),
        handler: async (argv) => {
          const args = argv as unknown as GitArgs;
          const { scanGit } = await import('../../scan/scan-git.js');
          await write(scanGit({ ...gitScanOptions(args), baseline: undefined, lookup: false }), args.output);
        },
      })
      .demandCommand(1, 'Say what to baseline: "baseline scan <paths..>" or "baseline git [repo]"')
      .example(
        '$0 baseline scan . --output .leakradius-baseline.json',
        'Accept what a scan of this directory finds today',
      )
      .example('$0 baseline git --output .leakradius-baseline.json', 'Accept what the git history holds today')
      .example('$0 git --baseline .leakradius-baseline.json', 'Then report only new findings'),
  handler: () => undefined,
};
