// Runs the Action's entry point as the runner does, against a real repository cloned into a workspace.

import { expect } from 'vitest';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { GitRepo } from './git-repo.js';
import { ROOT, tempDir } from './helpers.js';

export const ENTRY = join(ROOT, 'dist', 'action', 'main.js');
export const cmarkGfm = spawnSync('cmark-gfm', ['--version']).status === 0;
export const ZERO = '0'.repeat(40);

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
  sarif?: {
    runs: Array<{
      results: Array<{
        ruleId: string;
        locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
      }>;
    }>;
  };
}

/** Runs the Action's entry point the way the runner does: env, event file, summary and output files. */
export function runAction(
  workspace: string,
  eventName: string,
  payload: object,
  inputs: Record<string, string>,
  env: NodeJS.ProcessEnv,
): Promise<ActionRun> {
  const dir = tempDir('lr-runner-');
  const eventPath = join(dir, 'event.json');
  const summaryPath = join(dir, 'summary.md');
  const outputPath = join(dir, 'output.txt');
  writeFileSync(eventPath, JSON.stringify(payload));
  writeFileSync(summaryPath, '');
  writeFileSync(outputPath, '');
  const clean = Object.fromEntries(
    Object.entries(env).filter(([k]) => !k.startsWith('GITHUB_') && !k.startsWith('INPUT_')),
  );
  const inputEnv = Object.fromEntries(
    Object.entries({ 'sarif-file': 'leakradius.sarif', mode: 'auto', lookup: 'false', ...inputs }).map(([k, v]) => [
      `INPUT_${k.toUpperCase()}`,
      v,
    ]),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ENTRY], {
      cwd: workspace,
      env: {
        ...clean,
        ...inputEnv,
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: eventName,
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_STEP_SUMMARY: summaryPath,
        GITHUB_OUTPUT: outputPath,
        GITHUB_WORKSPACE: workspace,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const outputs: Record<string, string> = {};
      const raw = readFileSync(outputPath, 'utf8');
      for (const m of raw.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]!] = m[3]!;
      const sarifPath = join(workspace, inputs['sarif-file'] ?? 'leakradius.sarif');
      resolve({
        code,
        stdout,
        stderr,
        summary: readFileSync(summaryPath, 'utf8'),
        outputs,
        sarif: existsSync(sarifPath) ? JSON.parse(readFileSync(sarifPath, 'utf8')) : undefined,
      });
    });
  });
}

export function clone(origin: GitRepo, branch: string, depth?: number): string {
  const ws = join(tempDir('lr-ws-'), 'ws');
  execFileSync(
    'git',
    ['clone', '-q', ...(depth ? ['--depth', String(depth)] : []), '--branch', branch, `file://${origin.dir}`, ws],
    { env: origin.env },
  );
  return ws;
}

export const prPayload = (base: string, head: string, fork = false) => ({
  pull_request: {
    number: 7,
    commits: 2,
    base: { sha: base, ref: 'main' },
    head: { sha: head, ref: 'feature', repo: { fork, full_name: fork ? 'someone/app' : 'acme/app' } },
  },
  repository: { full_name: 'acme/app', default_branch: 'main' },
});

export function expectNoSecretOutsideMasks(run: ActionRun, secrets: string[]) {
  for (const stream of [run.stdout, run.stderr]) {
    const unmasked = stream
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    for (const s of secrets) expect(unmasked.includes(s), 'secret in the log').toBe(false);
  }
}

/** The job summary as GitHub renders it: cmark-gfm with GitHub's extensions, raw HTML allowed. */
export function renderSummary(markdown: string): string {
  return execFileSync(
    'cmark-gfm',
    ['--unsafe', '-e', 'table', '-e', 'autolink', '-e', 'strikethrough', '-e', 'tagfilter'],
    { input: markdown, encoding: 'utf8' },
  );
}
