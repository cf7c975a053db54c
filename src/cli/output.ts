// What every scanning command shares: warnings, progress, streaming, the report and the exit code.

import { writeFileSync } from 'node:fs';
import { render, type Format } from '../report/index.js';
import { renderFinding, thousands } from '../report/text.js';
import { VERSION } from '../version.js';
import { UsageError, errorMessage } from '../errors.js';
import type { ScanResult, ScanRun } from '../scan.js';
import type { ScanStats, Warning } from '../types.js';

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export interface OutputArgs {
  format: Format;
  output?: string;
  showSecrets?: boolean;
  /** Print text findings as they are found (stdin, streams). */
  stream?: boolean;
}

export function printWarning(w: Warning): void {
  process.stderr.write(`leakradius: warning: ${w.subject}: ${w.message}\n`);
}

/** Progress on stderr, only on a TTY and only once a scan has run longer than a second. */
export class Progress {
  private timer: NodeJS.Timeout | undefined;
  private stats: Readonly<ScanStats> | undefined;
  private shown = false;
  private readonly started = Date.now();
  constructor(private readonly enabled = Boolean(process.stderr.isTTY)) {
    if (this.enabled) this.timer = setInterval(() => this.draw(), 250).unref();
  }
  update = (stats: Readonly<ScanStats>): void => {
    this.stats = stats;
  };
  private draw(): void {
    if (!this.stats || Date.now() - this.started < 1000) return;
    const s = this.stats;
    this.shown = true;
    process.stderr.write(`\r\x1b[Kscanning: ${thousands(s.files)} files, ${(s.bytes / 1e6).toFixed(1)} MB, ${s.findings} findings`);
  }
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.shown) process.stderr.write('\r\x1b[K');
  }
}

/** Consume a run, print or write the report, and return the exit code. */
export async function finishRun(run: ScanRun, args: OutputArgs, progress?: Progress): Promise<number> {
  const toStdout = !args.output;
  const color = toStdout && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  const streaming = Boolean(args.stream && args.format === 'text' && toStdout);
  let result: ScanResult;
  try {
    for await (const f of run) {
      if (streaming) process.stdout.write(renderFinding(f, { showSecrets: args.showSecrets, color }) + '\n\n');
    }
    result = await run.result;
  } finally {
    progress?.stop();
  }
  const report = render(args.format, result, { showSecrets: args.showSecrets, color, toolVersion: VERSION, streamed: streaming });
  if (args.output) {
    try {
      writeFileSync(args.output, report);
    } catch (err) {
      throw new UsageError(`cannot write the report to ${args.output}: ${errorMessage(err)}`);
    }
    const { summaryLine } = await import('../report/text.js');
    process.stderr.write(`${summaryLine(result.stats, result.findings.length)}; report written to ${args.output}\n`);
  } else {
    process.stdout.write(report);
  }
  // Fixtures, even when shown (--include-fixtures), never fail a run.
  return result.findings.some((f) => !f.fixture) ? EXIT_FINDINGS : EXIT_CLEAN;
}
