import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { stagedHookArgs } from '../src/cli/hook-args.js';
import { GIT_OPTIONS, gitOptions } from '../src/cli/commands/git.js';
import { SCANNING_OPTIONS } from '../src/cli/options.js';

/** What yargs hands the `git` command's handler, limited to the options the handler reads. */
function viaYargs(argv: string[]): Record<string, unknown> {
  const parsed = gitOptions(yargs(argv.slice(1)).strict()).parseSync() as Record<string, unknown>;
  const keys = ['repo', ...Object.keys(SCANNING_OPTIONS), ...Object.keys(GIT_OPTIONS)];
  return Object.fromEntries(keys.filter((k) => parsed[k] !== undefined).map((k) => [k, parsed[k]]));
}

describe('the pre-commit hook reads its command line without yargs', () => {
  it.each([
    ['git', '--staged'],
    ['git', '--staged', '--offline', '-f', 'json', '-o', '/tmp/out.json'],
    ['git', '--staged', '-o', 'report.json', '--format', 'json', '--offline', '--rules', 'my rules'],
    ['git', '--offline', '--staged', '--baseline', '.leakradius-baseline.json', '--show-secrets'],
    ['git', '--staged', '-c', 'ci/.leakradius.yml', '-x', 'vendor/**', '--lookup', '--deep-lookup'],
    ['git', '--staged', '--exclude', '*.min.js', '--max-archive-bytes', '512MiB', '--strategy', 'blobs'],
    ['git', '--staged', '--range', 'a..b', '-b', 'main', '--since', '3 months ago'],
    ['git', '--staged', '-f', 'sarif', '--output', '123'],
  ])('%j: the arguments yargs would give', (...argv) => {
    expect(stagedHookArgs(argv)).toEqual(viaYargs(argv));
  });

  it.each([
    ['scan', '.'],
    ['git'],
    ['git', '--offline'],
    ['git', '--staged', '.'],
    ['git', '--staged', '--help'],
    ['git', '--staged', '-h'],
    ['git', '--staged', '--version'],
    ['git', '--staged', 'true'],
    ['git', '--staged', '--offline', 'false'],
    ['git', '--staged', '--no-lookup'],
    ['git', '--staged', '--format=json'],
    ['git', '--staged', '-f', 'xml'],
    ['git', '--staged', '-f', 'json', '-f', 'text'],
    ['git', '--staged', '-o'],
    ['git', '--staged', '-o', '-'],
    ['git', '--staged', '-o', '--offline'],
    ['git', '--staged', '-x', 'a', 'b'],
    ['git', '--staged', '--threads', '2'],
    ['git', '--staged', '--bogus'],
    ['git', '--staged', '--', '--offline'],
    ['git', '--staged', '-fjson'],
    ['git', '--staged', '--showSecrets'],
    ['git', '--staged', '--strategy', 'patches'],
  ])('%j: left to yargs', (...argv) => {
    expect(stagedHookArgs(argv)).toBeUndefined();
  });
});
