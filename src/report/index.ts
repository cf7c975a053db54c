// Reporters: one small module per format over the same result. Adding a format touches nothing else.

import type { ScanResult } from '../types.js';

export const FORMATS = ['text', 'json', 'sarif', 'html', 'junit', 'csv', 'gitlab'] as const;
export type Format = (typeof FORMATS)[number];

export interface ReportOptions {
  /** Include full secrets (only with --show-secrets). */
  readonly showSecrets?: boolean;
  /** ANSI colours (text, on a TTY only). */
  readonly color?: boolean;
  readonly toolVersion: string;
  /** Findings already printed while streaming: text prints only the summary for them. */
  readonly streamed?: boolean;
  /** Absolute directories scanned: locations under them are written relative to them (SARIF, GitLab). */
  readonly roots?: readonly string[];
  /** What was scanned and when (the JSON and HTML reports show it; merge reads it back). */
  readonly scan?: ScanContext;
}

export interface ScanContext {
  /** "." , "repo (origin/main..HEAD)", "3 reports: api, web, infra". */
  readonly target: string;
  /** ISO 8601. */
  readonly startedAt: string;
}

/**
 * The report in one format. Each format's module loads when it is asked for: the pre-commit hook
 * writes text and should not load the HTML page or the GitLab writer (~10 ms of its start).
 */
export async function render(format: Format, result: ScanResult, options: ReportOptions): Promise<string> {
  switch (format) {
    case 'text':
      return (await import('./text.js')).renderText(result, options);
    case 'json':
      return (await import('./json.js')).renderJson(result, options);
    case 'sarif':
      return (await import('./sarif.js')).renderSarif(result, options);
    case 'html':
      return (await import('./html.js')).renderHtml(result, options);
    case 'junit':
      return (await import('./junit.js')).renderJunit(result, options);
    case 'csv':
      return (await import('./csv.js')).renderCsv(result, options);
    case 'gitlab':
      return (await import('./gitlab.js')).renderGitlab(result, options);
  }
}
