// The GitHub Action: a thin shell that reads inputs and the event, scans, and reports to GitHub.

import * as core from '@actions/core';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { scanGit } from '../scan/scan-git.js';
import { renderSarif } from '../report/sarif.js';
import { writeReportFile } from '../report/write.js';
import { renderHtml } from '../report/html.js';
import { annotate, annotateAllowed, maskSecrets, writeSummary } from '../report/github.js';
import { UsageError, errorMessage } from '../errors.js';
import { VERSION } from '../package/version.js';
import { MODES, isForkPullRequest, planScan, type EventPayload, type Mode } from './event.js';
import { ensureRange, isShallow, newBranchBase, repoRoot } from './git-depth.js';
import { configChanges, type ConfigChange } from './config-changes.js';
import { configPaths } from '../config/revision.js';
import { TIERS, notReadSubjects, type Tier } from '../types.js';
import { gateFailures } from './gate.js';
import type { GitScanOptions } from '../scan/scan-git.js';

export const INPUTS = [
  'path',
  'mode',
  'fail-on',
  'fail-on-new',
  'allow-pragmas-in-pr',
  'allow-incomplete',
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
  // Fingerprints (SARIF partialFingerprints) stay the same from run to run on fresh runners: a salt
  // made from the repository's id, unless a key is set (src/secret/fingerprint.ts).
  if (!process.env.LEAKRADIUS_FINGERPRINT_KEY && process.env.GITHUB_REPOSITORY_ID)
    process.env.LEAKRADIUS_FINGERPRINT_KEY = `github-repository:${process.env.GITHUB_REPOSITORY_ID}`;
  const path = core.getInput('path') || '.';
  const repo = isAbsolute(path) ? path : resolve(workspace, path);
  const mode = choice<Mode>('mode', core.getInput('mode') || 'auto', MODES);
  const failOn = choice<Tier | 'none'>('fail-on', core.getInput('fail-on') || 'high', [...TIERS, 'none']);
  const failOnNew = choice<Tier | 'none'>('fail-on-new', core.getInput('fail-on-new') || 'info', [...TIERS, 'none']);
  const lookup = core.getInput('lookup') ? core.getBooleanInput('lookup') : true;
  const allowPragmas = core.getInput('allow-pragmas-in-pr') ? core.getBooleanInput('allow-pragmas-in-pr') : true;
  const allowIncomplete = core.getInput('allow-incomplete') ? core.getBooleanInput('allow-incomplete') : false;
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
  let ends: { base: string; head: string } | undefined;
  if (plan.kind === 'range') {
    await ensureRange(repo, plan.base, plan.head, core.info);
    ends = { base: plan.base, head: plan.head };
  } else if (plan.kind === 'new-branch') {
    const base = await newBranchBase(repo, plan.head, plan.defaultBranch, core.info);
    if (base) ends = { base, head: plan.head };
    else options.branches = [plan.head];
  } else if (await isShallow(repo)) {
    core.warning(
      'full-history scan of a shallow checkout: only the fetched commits are scanned; set `fetch-depth: 0` on ' +
        'actions/checkout',
    );
  }

  // The commits scanned may edit the config and the baseline: their base's apply, the edits are shown.
  let changes: ConfigChange[] = [];
  if (ends) {
    options.range = `${ends.base}..${ends.head}`;
    options.configFromBase = true;
    // The allows a pull request adds to its own lines are shown (allow-pragmas-in-pr: false refuses them).
    if (plan.kind === 'range' && plan.pullRequest) options.pragmas = allowPragmas ? 'list' : 'ignore';
    const root = await repoRoot(repo);
    changes = await configChanges(root, ends.base, ends.head, configPaths(root, options).inRepository);
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
        ? `${l.attempted} looked up (${l.live} live, ${l.revoked} revoked, ${l.unknown} unknown), ${l.notChecked} ` +
          `without a lookup${l.hosts.length ? `; hosts: ${l.hosts.join(', ')}` : ''}`
        : 'nothing to look up';

  const prefix = relative(workspace, repo);
  const prefixed = (path: string) => (prefix && !prefix.startsWith('..') ? `${prefix}/${path}` : path);
  annotate(result.findings, prefixed(''));
  // Never through a symlink the checkout holds, never outside the workspace (src/report/write.ts).
  writeReportFile(sarifFile, renderSarif(result, { toolVersion: VERSION }), { within: workspace });
  if (htmlFile) {
    mkdirSync(dirname(htmlFile), { recursive: true });
    const target = `${process.env.GITHUB_REPOSITORY ?? repo}: ${plan.why}`;
    const html = renderHtml(result, { toolVersion: VERSION, scan: { target, startedAt } });
    writeReportFile(htmlFile, html, { within: workspace });
    core.setOutput('html-file', htmlFile);
  }
  const highest = TIERS.find((t) => result.findings.some((f) => f.blast.tier === t)) ?? 'none';
  const allowed = result.allowed ?? [];
  const failures = gateFailures(result.findings, {
    failOn,
    failOnNew,
    added: ends !== undefined,
    pragmasRefused: allowPragmas ? 0 : allowed.length,
    incomplete: {
      count: result.stats.incomplete ?? 0,
      subjects: notReadSubjects(result.warnings),
      allowed: allowIncomplete,
    },
  });
  core.setOutput('findings', result.findings.length);
  core.setOutput('highest-tier', highest);
  core.setOutput('sarif-file', sarifFile);
  for (const c of changes)
    core.warning(`${c.status} by these commits; the scan used the base's config (it applies once merged): review it`, {
      title: 'leakradius: config change',
      file: prefixed(c.path),
    });
  if (allowPragmas) annotateAllowed(allowed, prefixed(''));
  await writeSummary(result, {
    scanned: plan.why,
    lookupNote,
    failOn,
    failOnNew: ends ? failOnNew : undefined,
    failures,
    configFrom: ends?.base,
    configChanges: changes,
    allowPragmas,
  });
  if (failures.length) core.setFailed(`leakradius: ${failures.join('; ')}`);
  return failures.length ? 1 : 0;
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
