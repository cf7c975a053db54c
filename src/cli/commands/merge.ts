// `leakradius merge`: JSON reports of many scans into one report, in any format.

import { existsSync, readFileSync } from 'node:fs';
import fg from 'fast-glob';
import { basename } from 'node:path';
import type { CommandModule } from 'yargs';
import { UsageError, errorMessage } from '../../errors.js';
import type { Format } from '../../report/index.js';
import { SCANNING_OPTIONS, restoreStdin, setExitCode } from '../options.js';
import { finishRun, printWarning } from '../output.js';

interface MergeArgs {
  reports: string[];
  format: Format;
  output?: string;
  'show-secrets': boolean;
  rules?: string;
}

/**
 * Report arguments with a glob (`'reports/**\/*.json'`, quoted so the shell leaves it, or from a shell
 * that does not expand globs) become the files they match, sorted; a glob that matches none is an error.
 */
export function expandReportGlobs(args: readonly string[]): string[] {
  return args.flatMap((arg) => {
    if (existsSync(arg) || !fg.isDynamicPattern(arg)) return [arg];
    const files = fg.sync(arg, {
      onlyFiles: true,
      dot: false,
      followSymbolicLinks: false,
    });
    if (files.length === 0) throw new UsageError(`no report matches ${arg} (give JSON reports from --format json)`);
    return files.sort();
  });
}

/** "api" for reports/api.json; the path itself where two reports share a file name. */
export function reportLabels(paths: readonly string[]): string[] {
  const short = paths.map((p) => basename(p).replace(/\.json$/i, ''));
  return short.map((s, i) => (short.indexOf(s) !== short.lastIndexOf(s) ? paths[i]!.replace(/\.json$/i, '') : s));
}

export const mergeCommand: CommandModule = {
  command: 'merge <reports..>',
  describe: 'Merge JSON reports of many scans into one report: one row per credential, with every location',
  builder: (y) =>
    y
      .positional('reports', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'JSON reports (from --format json); a quoted glob such as "reports/**/*.json" is expanded',
      })
      .options({
        format: SCANNING_OPTIONS.format,
        output: SCANNING_OPTIONS.output,
        'show-secrets': SCANNING_OPTIONS['show-secrets'],
        rules: SCANNING_OPTIONS.rules,
      })
      .example(
        '$0 merge reports/*.json --format html -o leakradius.html',
        'One HTML report for every repository scanned',
      )
      .example('$0 merge api.json web.json --format sarif -o all.sarif', 'One SARIF file'),
  handler: async (argv) => {
    const args = argv as unknown as MergeArgs;
    const given = restoreStdin(args.reports);
    if (given.includes('-')) throw new UsageError('merge reads report files, not stdin');
    const paths = expandReportGlobs(given);
    const labels = reportLabels(paths);
    const inputs = paths.map((p, i) => {
      try {
        return { label: labels[i]!, text: readFileSync(p, 'utf8'), file: p };
      } catch (err) {
        throw new UsageError(`cannot read the report ${p}: ${errorMessage(err)}`);
      }
    });
    const [{ mergeReports }, { prepareEngine, ScanRun }] = await Promise.all([
      import('../../dedupe/merge.js'),
      import('../../scan/scan.js'),
    ]);
    // The rule catalogue only describes rules in SARIF; merging needs no scan.
    const { rules } = await prepareEngine({ rulesDir: args.rules, onWarning: printWarning });
    const merged = mergeReports(inputs, rules);
    const run = new ScanRun(async () => merged.result);
    const code = await finishRun(run, {
      format: args.format,
      output: args.output,
      showSecrets: args['show-secrets'],
      scanned: merged.scan.target,
      startedAt: merged.scan.startedAt,
    });
    setExitCode(code);
  },
};
