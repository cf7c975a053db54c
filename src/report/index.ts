// Reporters: one small module per format over the same result. Adding a format touches nothing else.

import type { ScanResult } from '../types.js';
import { renderJson } from './json.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { renderCsv } from './csv.js';
import { renderGitlab } from './gitlab.js';

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

export function render(format: Format, result: ScanResult, options: ReportOptions): string {
  switch (format) {
    case 'text':
      return renderText(result, options);
    case 'json':
      return renderJson(result, options);
    case 'sarif':
      return renderSarif(result, options);
    case 'html':
      return renderHtml(result, options);
    case 'junit':
      return renderJunit(result, options);
    case 'csv':
      return renderCsv(result, options);
    case 'gitlab':
      return renderGitlab(result, options);
  }
}
