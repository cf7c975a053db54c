// The GitHub Action: a thin shell that reads inputs and the event, scans, and reports to GitHub.

import * as core from '@actions/core';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { scanGit } from '../scan/scan-git.js';
import { renderSarif } from '../report/sarif.js';
import { renderHtml } from '../report/html.js';
import { annotate, maskSecrets, writeSummary } from '../report/github.js';
import { UsageError, errorMessage } from '../errors.js';
import { VERSION } from '../package/version.js';
import { MODES, isForkPullRequest, planScan, type EventPayload, type Mode } from './event.js';
import { ensureRange, isShallow, newBranchBase } from './git-depth.js';
import { TIERS, atOrAbove, type Tier } from '../types.js';
import type { GitScanOptions } from '../scan/scan-git.js';

export const INPUTS = [
  'path',
  'mode',
  'fail-on',
  'lookup',
  'baseline',
  'config',
  'sarif-file',
  'html-file',
  'token',
] as const;
export const OUTPUTS = ['findings', 'highest-tier', 'sarif-file', 'html-file'] as const;

function choice<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`input "${name}" must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

export async function runAction(): Promise<number> {
  const token = core.getInput('token');
  if (token) core.setSecret(token); // read only to keep it masked; leakradius sends it nowhere
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  const path = core.getInput('path') || '.';
  const repo = isAbsolute(path) ? path : resolve(workspace, path);
  const mode = choice<Mode>('mode', core.getInput('mode') || 'auto', MODES);
  const failOn = choice<Tier | 'none'>('fail-on', core.getInput('fail-on') || 'high', [...TIERS, 'none']);
  const lookup = core.getInput('lookup') ? core.getBooleanInput('lookup') : true;
  const sarifInput = core.getInput('sarif-file') || 'leakradius.sarif';
  const sarifFile = isAbsolute(sarifInput) ? sarifInput : join(workspace, sarifInput);
  const htmlInput = core.getInput('html-file');
  const htmlFile = htmlInput && (isAbsolute(htmlInput) ? htmlInput : join(workspace, htmlInput));
  const eventName = process.env.GITHUB_EVENT_NAME ?? '';
  const payload: EventPayload = process.env.GITHUB_EVENT_PATH
    ? (JSON.parse(readFileSync(process.env.GITHUB_EVENT_PATH, 'utf8')) as EventPayload)
    : {};

  const plan = planScan(mode, eventName, payload);
  core.info(`leakradius ${VERSION}: ${plan.why}`);
  const options: { -readonly [K in keyof GitScanOptions]: GitScanOptions[K] } = {
    repo,
    config: core.getInput('config') || undefined,
    baseline: core.getInput('baseline') || undefined,
    onWarning: (w) => core.warning(`${w.subject}: ${w.message}`),
  };
  if (plan.kind === 'range') {
    await ensureRange(repo, plan.base, plan.head, core.info);
    options.range = `${plan.base}..${plan.head}`;
  } else if (plan.kind === 'new-branch') {
    const base = await newBranchBase(repo, plan.head, plan.defaultBranch, core.info);
    if (base) options.range = `${base}..${plan.head}`;
    else options.branches = [plan.head];
  } else if (await isShallow(repo)) {
    core.warning(
      'full-history scan of a shallow checkout: only the fetched commits are scanned; set `fetch-depth: 0` on actions/checkout',
    );
  }

  // Lookups send each found token to its provider's official API only (read-only calls). A fork's
  // pull request runs with a read-only token and no secrets: lookups are skipped there.
  const fork = isForkPullRequest(payload);
  if (lookup && !fork) options.lookup = { timeoutMs: 10_000 };
  const startedAt = new Date().toISOString();
  const run = scanGit(options);
  const result = await run.result;
  maskSecrets(result.findings);

  const l = result.stats.lookups;
  const lookupNote = !lookup
    ? 'off (input lookup: false); tiers are inferred from the tokens themselves'
    : fork
      ? 'skipped: pull request from a fork; tiers are inferred from the tokens themselves'
      : l
        ? `${l.attempted} looked up (${l.live} live, ${l.revoked} revoked, ${l.unknown} unknown), ${l.notChecked} without a lookup${l.hosts.length ? `; hosts: ${l.hosts.join(', ')}` : ''}`
        : 'nothing to look up';

  const prefix = relative(workspace, repo);
  annotate(result.findings, prefix && !prefix.startsWith('..') ? `${prefix}/` : '');
  writeFileSync(sarifFile, renderSarif(result, { toolVersion: VERSION }));
  if (htmlFile) {
    mkdirSync(dirname(htmlFile), { recursive: true });
    const target = `${process.env.GITHUB_REPOSITORY ?? repo}: ${plan.why}`;
    writeFileSync(htmlFile, renderHtml(result, { toolVersion: VERSION, scan: { target, startedAt } }));
    core.setOutput('html-file', htmlFile);
  }
  const highest = TIERS.find((t) => result.findings.some((f) => f.blast.tier === t)) ?? 'none';
  const failed = failOn !== 'none' && result.findings.some((f) => atOrAbove(f.blast.tier, failOn));
  core.setOutput('findings', result.findings.length);
  core.setOutput('highest-tier', highest);
  core.setOutput('sarif-file', sarifFile);
  await writeSummary(result, { scanned: plan.why, lookupNote, failOn, failed });
  if (failed)
    core.setFailed(
      `leakradius: ${result.findings.filter((f) => atOrAbove(f.blast.tier, failOn as Tier)).length} finding(s) at or above ${failOn}`,
    );
  return failed ? 1 : 0;
}

runAction().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    core.setFailed(`leakradius: ${errorMessage(err)}`);
    process.exitCode = err instanceof UsageError ? 2 : 1;
  },
);
