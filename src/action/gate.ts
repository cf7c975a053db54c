// Whether the job fails, and why: pure, from the scan's result and the gate inputs.

import { atOrAbove, type Finding, type Tier } from '../types.js';
import { escapeControls } from '../report/location.js';

export interface Gates {
  /** fail-on: any finding of the scan at or above this tier fails the job. */
  readonly failOn: Tier | 'none';
  /**
   * fail-on-new: a finding the scanned commits add, at or above this tier, fails the job. A
   * credential a pull request adds is a leak whatever its tier (a database password or a webhook
   * ranks low without a lookup); fixtures are not findings unless asked for, so they never count.
   */
  readonly failOnNew: Tier | 'none';
  /** Whether the scan read only what its commits add (pr and push modes): then every finding is new. */
  readonly added: boolean;
  /** Secrets a pull request allows with its own inline pragmas, when allow-pragmas-in-pr is false. */
  readonly pragmasRefused?: number;
  /**
   * Parts of the input not read (a corrupt or over-budget archive, a blob git could not give),
   * with what they were; they fail the job unless allow-incomplete is true, like the CLI's exit 3.
   */
  readonly incomplete?: { readonly count: number; readonly subjects: readonly string[]; readonly allowed: boolean };
}

/** One line per gate that fails ("2 findings at or above high (fail-on)"); empty when the job passes. */
export function gateFailures(findings: readonly Finding[], gates: Gates): string[] {
  const out: string[] = [];
  const count = (n: number, what: string) => `${n} finding${n === 1 ? '' : 's'} ${what}`;
  const { failOn, failOnNew } = gates;
  if (gates.added && failOnNew !== 'none') {
    const n = findings.filter((f) => atOrAbove(f.blast.tier, failOnNew)).length;
    const tier = failOnNew === 'info' ? '' : ` at or above ${failOnNew}`;
    if (n) out.push(count(n, `added by these commits${tier} (fail-on-new: ${failOnNew})`));
  }
  const refused = gates.pragmasRefused ?? 0;
  if (refused)
    out.push(
      `${refused} secret${refused === 1 ? '' : 's'} allowed by a pragma the pull request adds ` +
        '(allow-pragmas-in-pr: false)',
    );
  if (failOn !== 'none') {
    const n = findings.filter((f) => atOrAbove(f.blast.tier, failOn)).length;
    if (n) out.push(count(n, `at or above ${failOn} (fail-on: ${failOn})`));
  }
  const gap = gates.incomplete;
  if (gap && gap.count > 0 && !gap.allowed) {
    const shown = gap.subjects.slice(0, 3).map(escapeControls).join(', ') + (gap.subjects.length > 3 ? ', …' : '');
    out.push(
      `incomplete scan: ${gap.count} part${gap.count === 1 ? '' : 's'} not read (${shown}); ` +
        'see the warnings (allow-incomplete: true accepts it)',
    );
  }
  return out;
}
