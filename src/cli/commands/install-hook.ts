import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { UsageError, errorMessage } from '../../errors.js';
import { setExitCode } from '../options.js';
import { selfCommand } from '../../package/own-files.js';
import { gitRun } from '../../sources/git/index.js';

/** The line that marks a hook as ours: only such a hook is ever overwritten or removed silently. */
export const HOOK_MARKER = '# leakradius pre-commit hook';

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The hook script: the node binary and CLI found at install time (or the single executable), else
 * `npx --no leakradius` (never a download). `extra` arguments (after `--` on the command line) are
 * passed to `git --staged`, e.g. `--baseline FILE`.
 */
export function hookScript(extra: readonly string[] = [], command: readonly string[] = selfCommand()): string {
  const [node = process.execPath, cli] = command;
  // Quiet: a clean commit prints nothing (the hook runs on every commit).
  const quiet = extra.some((a) => a === '--quiet' || a === '-q') ? [] : ['--quiet'];
  const args = ['git', '--staged', ...extra, ...quiet]
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : shellQuote(a)))
    .join(' ');
  // The staged scan is offline unless told to look tokens up. Offline, it opens no TLS connection,
  // yet Node 20 reads and parses the CA file NODE_EXTRA_CA_CERTS names at every start: ~90 ms of
  // a ~210 ms hook on a 2-core machine, where a proxy's CA is set for the whole shell.
  const online = extra.some((a) => /^--(deep-)?lookup(=true)?$/.test(a));
  return [
    '#!/bin/sh',
    `${HOOK_MARKER} (installed by "leakradius install-hook"; remove with "leakradius install-hook --uninstall")`,
    '# Blocks a commit whose staged change adds a secret. Bypass once: git commit --no-verify',
    ...(online
      ? []
      : ['# Offline: no TLS, so Node need not load extra CA certificates at start-up.', 'unset NODE_EXTRA_CA_CERTS']),
    ...(cli === undefined
      ? [`LEAKRADIUS=${shellQuote(node)}`, 'if [ -x "$LEAKRADIUS" ]; then', `  exec "$LEAKRADIUS" ${args}`, 'fi']
      : [
          `NODE=${shellQuote(node)}`,
          `LEAKRADIUS=${shellQuote(cli)}`,
          'if [ -x "$NODE" ] && [ -f "$LEAKRADIUS" ]; then',
          `  exec "$NODE" "$LEAKRADIUS" ${args}`,
          'fi',
        ]),
    `exec npx --no -- leakradius ${args}`,
    '',
  ].join('\n');
}

/** `.git/hooks`, or the directory core.hooksPath names. */
async function hooksDir(repo: string): Promise<string> {
  const ask = (args: string[]) => gitRun(repo, args).catch((err: Error) => ({ ok: false, out: '', err: err.message }));
  const top = await ask(['rev-parse', '--show-toplevel']);
  const dir = await ask(['rev-parse', '--git-path', 'hooks']);
  if (!top.ok || !dir.ok)
    throw new UsageError(`not a git repository: ${repo} (${(top.err || dir.err).split('\n')[0]})`);
  // --git-path answers relative to the directory git ran in; core.hooksPath relative to the top level
  const hooksPath = (await ask(['config', '--get', 'core.hooksPath'])).out;
  if (hooksPath && !isAbsolute(hooksPath)) return resolve(top.out, hooksPath);
  return resolve(repo, dir.out);
}

export const installHookCommand: CommandModule = {
  command: 'install-hook [repo] [-- args]',
  describe: 'Install a git pre-commit hook that runs "leakradius git --staged"',
  builder: (y) =>
    y
      .positional('repo', { type: 'string', default: '.', describe: 'A directory inside the repository' })
      .option('force', {
        type: 'boolean',
        default: false,
        describe: 'Replace a pre-commit hook that leakradius did not write',
      })
      .option('uninstall', {
        type: 'boolean',
        default: false,
        describe: 'Remove the hook (only one leakradius wrote)',
      })
      .parserConfiguration({ 'populate--': true })
      .example('$0 install-hook', 'Block commits that add a secret')
      .example('$0 install-hook -- --baseline .leakradius-baseline.json', 'Pass options to the staged scan'),
  handler: async (argv) => {
    const args = argv as unknown as {
      repo: string;
      force: boolean;
      uninstall: boolean;
      '--'?: Array<string | number>;
    };
    const dir = await hooksDir(resolve(args.repo));
    const hook = join(dir, 'pre-commit');
    const existing = existsSync(hook) ? readFileSync(hook, 'utf8') : undefined;
    const ours = existing?.includes(HOOK_MARKER) ?? false;
    if (args.uninstall) {
      if (existing === undefined)
        process.stderr.write(`leakradius: no pre-commit hook at ${hook}; nothing to remove\n`);
      else if (!ours)
        throw new UsageError(`${hook} was not written by leakradius; left alone (remove it yourself if you mean to)`);
      else {
        rmSync(hook);
        process.stderr.write(`leakradius: removed the pre-commit hook ${hook}\n`);
      }
      setExitCode(0);
      return;
    }
    if (existing !== undefined && !ours && !args.force)
      throw new UsageError(
        `${hook} already exists and was not written by leakradius; use --force to replace it, ` +
          'or call "leakradius git --staged" from it',
      );
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(hook, hookScript((args['--'] ?? []).map(String)));
      chmodSync(hook, 0o755);
    } catch (err) {
      throw new UsageError(`cannot write ${hook}: ${errorMessage(err)}`);
    }
    process.stderr.write(`leakradius: installed the pre-commit hook ${hook}\n`);
    setExitCode(0);
  },
};
