// JUnit XML for CI systems that show test results (Jenkins, GitLab, Azure DevOps, CircleCI): one
// failing test case per finding, named by where it is; a clean scan is one passing case.

import type { ScanResult } from '../types.js';
import type { Finding } from '../types.js';
import type { ReportOptions } from './index.js';
import { sortFindings } from './json.js';
import { escapeControls, formatLocation, locationPath, rootRelative } from './location.js';

/** Characters XML 1.0 cannot hold at all (scanned content is hostile); the rest are escaped. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function xmlText(s: string): string {
  return s.replace(NOT_XML, '\uFFFD').replace(/[&<>"']/g, (ch) => ENTITY[ch]!);
}

function testCase(f: Finding, options: ReportOptions): string {
  const first = f.locations[0]!;
  const file = escapeControls(rootRelative(locationPath(first), options.roots).path);
  const secret = options.showSecrets ? f.secret : f.redacted;
  const body = [
    `${f.ruleName} ${secret}`,
    `blast radius ${f.blast.tier} (${f.blast.score}/100, ${f.blast.basis === 'lookup' ? 'looked up' : 'inferred'})`,
    `status ${f.scope.status}`,
    ...f.blast.reasons.map((r) => `- ${r}`),
    `found at:`,
    ...f.locations.slice(0, 20).map((l) => `  ${formatLocation(l)}`),
    ...(f.occurrences > 20 ? [`  … and ${f.occurrences - 20} more`] : []),
    `revoke: ${f.blast.remediation.revoke}`,
    `instead: ${f.blast.remediation.replaceWith}`,
  ].join('\n');
  const name = `${f.ruleName} (${f.rule}) at line ${first.line}, column ${first.column}`;
  const message = `${f.blast.tier}: ${f.ruleName} ${secret}`;
  return [
    `    <testcase classname="${xmlText(file)}" name="${xmlText(name)}">`,
    `      <failure type="${f.blast.tier}" message="${xmlText(message)}">${xmlText(body)}</failure>`,
    `    </testcase>`,
  ].join('\n');
}

export function renderJunit(result: ScanResult, options: ReportOptions): string {
  const findings = sortFindings(result.findings);
  const time = (result.stats.durationMs / 1000).toFixed(3);
  const passed = '    <testcase classname="leakradius" name="no leaked credentials"/>';
  const cases = findings.length ? findings.map((f) => testCase(f, options)) : [passed];
  const tests = Math.max(1, findings.length);
  const warnings = result.warnings.slice(0, 100).map((w) => `${w.subject}: ${w.message}`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="leakradius" tests="${tests}" failures="${findings.length}" errors="0" time="${time}">`,
    `  <testsuite name="leakradius" tests="${tests}" failures="${findings.length}" errors="0" skipped="0" ` +
      `time="${time}">`,
    `    <properties><property name="leakradius.version" value="${xmlText(options.toolVersion)}"/></properties>`,
    ...cases,
    ...(warnings.length ? [`    <system-err>${xmlText(warnings.join('\n'))}</system-err>`] : []),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
