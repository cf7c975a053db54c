import type { Argv, CommandModule, Options, PositionalOptions } from 'yargs';
// Library code loads in the handler: `git --staged` runs on every commit and must start fast.
import type { GitScanOptions, GitStrategy } from '../../scan/scan-git.js';
import { lookupOptions, scanningOptions, setExitCode, validThreads } from '../options.js';
import { EXIT_FINDINGS, Progress, finishRun, outputArgs, printWarning } from '../output.js';
import { formatLocation } from '../../report/location.js';
import type { ScanArgs } from './scan.js';
import type { ScanResult } from '../../types.js';

/** What to read from git, as data (see SCANNING_OPTIONS). */
export const GIT_OPTIONS = {
  staged: {
    type: 'boolean',
    default: false,
    describe: 'Scan only the staged change (added lines; what the pre-commit hook runs)',
  },
  range: { type: 'string', describe: 'Scan only the commits in BASE..HEAD (what CI on a pull request runs)' },
  'config-from-base': {
    type: 'boolean',
    default: false,
    describe: "With --range: read the config and baseline from BASE's tree, not the working tree (CI on a PR)",
  },
  branch: {
    alias: 'b',
    type: 'string',
    array: true,
    describe: 'Scan only these branches or revisions (default: every ref, including the stash)',
  },
  since: { type: 'string', describe: 'Only commits more recent than this date ("2024-01-01", "3 months ago")' },
  'max-commits': { type: 'number', describe: 'Scan at most this many commits (newest first)' },
  // "patches" (`git log -p`) stays a reader for tests only: git's own diff hides a binary-to-text change
  // and follows `-diff` attributes, which a scanned repository controls.
  strategy: {
    choices: ['diff', 'blobs'] as const,
    default: 'diff' as GitStrategy,
    hidden: true,
    describe: 'History reader: diff (git log --raw + cat-file, added lines found here) or blobs (every unique blob)',
  },
} as const satisfies Record<string, Options>;

/** The repository positional of `git` and `baseline git`. */
export const REPO_POSITIONAL = {
  type: 'string',
  default: '.',
  describe: 'A directory inside the repository',
} as const satisfies PositionalOptions;

/** What to read from git: shared by `git` and `baseline git`. */
export function gitOptions<T>(y: Argv<T>) {
  return scanningOptions(y).positional('repo', REPO_POSITIONAL).options(GIT_OPTIONS);
}

export interface GitArgs extends Omit<ScanArgs, 'paths'> {
  repo: string;
  staged: boolean;
  range?: string;
  'config-from-base': boolean;
  branch?: string[];
  since?: string;
  'max-commits'?: number;
  strategy: GitStrategy;
}

export function gitScanOptions(args: GitArgs): GitScanOptions {
  return {
    repo: args.repo,
    staged: args.staged,
    range: args.range,
    configFromBase: args['config-from-base'],
    branches: args.branch,
    since: args.since,
    maxCommits: args['max-commits'],
    strategy: args.strategy,
    threads: validThreads(args.threads),
    config: args.config,
    rulesDir: args.rules,
    baseline: args.baseline,
    includeFixtures: args['include-fixtures'],
    exclude: args.exclude,
    // The pre-commit hook stays offline unless asked: it must be fast and work without a network.
    lookup: lookupOptions(args, !args.staged),
    onWarning: printWarning,
  };
}

export const gitCommand: CommandModule = {
  command: 'git [repo]',
  describe: 'Scan git history (every ref by default), the staged change, or a commit range',
  builder: (y) =>
    gitOptions(y)
      .example('$0 git', 'Scan the whole history of the repository here')
      .example('$0 git --staged', 'Scan what is about to be committed (pre-commit hook)')
      .example('$0 git --range origin/main..HEAD', "Scan only a pull request's commits")
      .example('$0 git --baseline .leakradius-baseline.json', 'Report only findings not in the baseline'),
  handler: async (argv) => {
    const args = argv as unknown as GitArgs;
    const progress = new Progress(Boolean(process.stderr.isTTY) && !args.staged && !args.quiet);
    const { scanGit } = await import('../../scan/scan-git.js');
    const run = scanGit({ ...gitScanOptions(args), onProgress: progress.update });
    const code = await finishRun(run, { ...outputArgs(args), scanned: gitTarget(args) }, progress);
    if (args.staged && code === EXIT_FINDINGS) process.stderr.write(blockedMessage(await run.result));
    setExitCode(code);
  },
};

/** "repo", "repo (staged)", "repo (main..HEAD)": what a git scan read, for the reports. */
function gitTarget(args: GitArgs): string {
  const what = args.staged ? 'staged' : (args.range ?? args.branch?.join(', '));
  return `${args.repo}${what ? ` (${what})` : ''}${args.since ? ` since ${args.since}` : ''}`;
}

/** What the pre-commit hook says when it stops a commit: where, what, and the two ways out. */
export function blockedMessage(result: ScanResult): string {
  const lines = ['', 'leakradius: commit blocked: the staged change adds a secret.'];
  for (const f of result.findings)
    for (const l of f.locations.slice(0, 20)) lines.push(`  at ${formatLocation(l)}  ${f.ruleName} (${f.redacted})`);
  lines.push(
    '',
    'Either:',
    '  - remove it from the file (load it from the environment or a secret store), then `git add` the file again;',
    '    if it was ever pushed or shared, revoke it too; or',
    '  - if it is a known test fixture, not a real secret, mark the line with a comment containing',
    '    `leakradius:allow` (or put `leakradius:allow-next-line` on the line before) and `git add` it again.',
    '',
  );
  return lines.join('\n');
}
