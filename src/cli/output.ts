// What every scanning command shares: warnings, progress, streaming, the report and the exit code.

import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { render, type Format } from '../report/index.js';
import { renderFinding, thousands } from '../report/text.js';
import { escapeControls } from '../report/location.js';
import { VERSION } from '../package/version.js';
import { writeReportFile } from '../report/write.js';
import { atOrAbove, notReadSubjects, type Finding, type ScanStats, type Warning } from '../types.js';
import type { ScanRun } from '../scan/scan-run.js';
import type { ScanResult } from '../types.js';
import type { FailOn } from './options.js';
import type { ScanArgs } from './commands/scan.js';

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
/** No finding, but part of the input was not read (a budget spent, an unreadable file): fail closed. */
export const EXIT_INCOMPLETE = 3;

export interface OutputArgs {
  format: Format;
  output?: string;
  showSecrets?: boolean;
  /** Print text findings as they are found (stdin, streams). */
  stream?: boolean;
  /** What was scanned, for the JSON and HTML reports. */
  scanned?: string;
  /** When the scan started (default: now less its duration). */
  startedAt?: string;
  /** Lookups run once the scan ends: a streamed finding says its lookup is still to come. */
  lookupPending?: boolean;
  /** Exit 1 only for a finding at or above this tier (default: any finding). */
  failOn?: FailOn;
  /** Nothing on stdout or stderr when nothing is found. */
  quiet?: boolean;
  /** Report only the findings a lookup confirmed live. */
  onlyLive?: boolean;
  /** The paths scanned: SARIF makes locations under an absolute one relative to it. */
  paths?: readonly string[];
  /** Exit 0, not 3, when a scan without findings could not read everything. */
  allowIncomplete?: boolean;
}

/** The report options every scanning command takes, from its parsed arguments. */
type ReportArgs = Pick<
  ScanArgs,
  'format' | 'output' | 'show-secrets' | 'fail-on' | 'quiet' | 'only-live' | 'allow-incomplete'
>;
export function outputArgs(args: ReportArgs): OutputArgs {
  return {
    format: args.format,
    output: args.output,
    showSecrets: args['show-secrets'],
    failOn: args['fail-on'],
    quiet: args.quiet,
    onlyLive: args['only-live'],
    allowIncomplete: args['allow-incomplete'],
  };
}

/** The progress line on screen, cleared before a warning so the two never share a line. */
let shownProgress: Progress | undefined;

export function printWarning(w: Warning): void {
  shownProgress?.clear();
  // Subjects are names from the scanned tree: a newline in one must not start a line of its own.
  process.stderr.write(`leakradius: warning: ${escapeControls(w.subject)}: ${escapeControls(w.message)}\n`);
}

/** Progress on stderr, only on a TTY and only once a scan has run longer than a second. */
export class Progress {
  private timer: NodeJS.Timeout | undefined;
  private stats: Readonly<ScanStats> | undefined;
  private shown = false;
  private readonly started = Date.now();
  constructor(
    private readonly enabled = Boolean(process.stderr.isTTY),
    /** Bytes read so far, files not yet done included (a large .gz is one file for minutes). */
    private readonly bytesRead: () => number = () => 0,
  ) {
    if (this.enabled) this.timer = setInterval(() => this.draw(), 250).unref();
  }
  update = (stats: Readonly<ScanStats>): void => {
    this.stats = stats;
  };
  private draw(): void {
    if (Date.now() - this.started < 1000) return;
    const s = this.stats ?? { files: 0, bytes: 0, findings: 0 };
    const bytes = Math.max(s.bytes, this.bytesRead());
    this.shown = true;
    shownProgress = this;
    const mb = (bytes / 1e6).toFixed(1);
    process.stderr.write(`\r\x1b[Kscanning: ${thousands(s.files)} files, ${mb} MB, ${s.findings} findings`);
  }
  /** Clear the line (the next tick draws it again). */
  clear(): void {
    if (!this.shown) return;
    process.stderr.write('\r\x1b[K');
    this.shown = false;
  }
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.clear();
    if (shownProgress === this) shownProgress = undefined;
  }
}

/** The findings a lookup confirmed live; the rest are counted in the stats. */
function onlyLive(result: ScanResult): ScanResult {
  const live = result.findings.filter((f) => f.scope.status === 'live');
  return {
    ...result,
    findings: live,
    stats: { ...result.stats, notLiveHidden: result.findings.length - live.length },
  };
}

/** Directories the scanned paths name, absolute (a file's own directory): SARIF's base URIs. */
function scanRoots(paths: readonly string[]): string[] {
  const roots: string[] = [];
  for (const p of paths) {
    if (p === '-') continue;
    const abs = resolve(p);
    try {
      roots.push(statSync(abs).isDirectory() ? abs : dirname(abs));
    } catch {
      // the scan itself reported a path it could not read
    }
  }
  return roots;
}

/** Consume a run, print or write the report, and return the exit code. */
export async function finishRun(run: ScanRun, args: OutputArgs, progress?: Progress): Promise<number> {
  const toStdout = !args.output;
  const color = toStdout && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  // --only-live waits for the lookups, which run once the input ends.
  const streaming = Boolean(args.stream && args.format === 'text' && toStdout && !args.onlyLive);
  const failOn = args.failOn;
  // Fixtures, even when shown (--include-fixtures), never fail a run.
  const fails = (f: Finding) =>
    !f.fixture && (failOn === undefined || (failOn !== 'none' && atOrAbove(f.blast.tier, failOn)));
  let result: ScanResult;
  try {
    for await (const f of run) {
      if (!streaming) continue;
      const shown = renderFinding(f, { showSecrets: args.showSecrets, color, lookupPending: args.lookupPending });
      // Set before the write: a reader that closes the pipe (`| head`) ends the process on it (run.ts).
      if (fails(f)) process.exitCode = EXIT_FINDINGS;
      process.stdout.write(shown + '\n\n');
    }
    result = await run.result;
  } finally {
    progress?.stop();
  }
  if (args.onlyLive) result = onlyLive(result);
  const failing = result.findings.filter(fails);
  const incomplete = !failing.length && result.stats.incomplete && !args.allowIncomplete;
  const code = failing.length > 0 ? EXIT_FINDINGS : incomplete ? EXIT_INCOMPLETE : EXIT_CLEAN;
  process.exitCode = code;
  const quiet = args.quiet && result.findings.length === 0;
  if (quiet && !args.output) return notRead(result, code);
  const startedAt = args.startedAt ?? new Date(Date.now() - result.stats.durationMs).toISOString();
  const scan = args.scanned === undefined ? undefined : { target: args.scanned, startedAt };
  const report = await render(args.format, result, {
    showSecrets: args.showSecrets,
    color,
    toolVersion: VERSION,
    streamed: streaming,
    roots: scanRoots(args.paths ?? []),
    scan,
  });
  if (args.output) {
    writeReportFile(args.output, report);
    const { summaryLine } = await import('../report/text.js');
    const summary = summaryLine(result.stats, result.findings.length);
    if (!quiet) process.stderr.write(`${summary}; report written to ${args.output}\n`);
  } else {
    process.stdout.write(report);
  }
  const below = result.findings.length - failing.length;
  if (failOn && below > 0) {
    process.stderr.write(`leakradius: ${below} finding(s) below --fail-on ${failOn} do not fail the scan\n`);
  }
  return notRead(result, code);
}

/** The last line of an incomplete scan: what was not read, and what the exit code makes of it. */
function notRead(result: ScanResult, code: number): number {
  const n = result.stats.incomplete ?? 0;
  if (!n) return code;
  const subjects = notReadSubjects(result.warnings);
  const shown = subjects.slice(0, 3).map(escapeControls);
  const named = shown.join(', ') + (n > shown.length ? ' and more (see the warnings)' : '');
  const verdict =
    code === EXIT_INCOMPLETE
      ? 'exit 3 (--allow-incomplete accepts an incomplete scan)'
      : code === EXIT_CLEAN
        ? 'accepted by --allow-incomplete'
        : 'findings above are from what was read';
  process.stderr.write(`leakradius: incomplete scan: ${n} part(s) not read: ${named}; ${verdict}\n`);
  return code;
}
