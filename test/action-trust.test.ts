// The Action on a hostile pull request (issue 17): the PR's own files can never switch its check
// off. Each attack runs on a real repository, the Action's entry point as the runner starts it.

import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitRepo } from './git-repo.js';
import { cleanupTempDirs, runCli, tempDir, token } from './helpers.js';
import { clone, prPayload, renderSummary, runAction } from './action-run.js';

afterAll(cleanupTempDirs);

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

/** Writes `path` in `dir`'s repository as the PR author would, from the PR's token. */
type Attack = {
  readonly name: string;
  /** Files on main before the PR (the trusted side). */
  readonly base?: Record<string, string>;
  /** Files the PR adds besides its token (config edits); may depend on the token. */
  readonly pr: (secret: string) => Record<string, string>;
  readonly inputs?: Record<string, string>;
  /** Config files the summary must list as changed. */
  readonly changed: readonly string[];
};

const ATTACKS: readonly Attack[] = [
  {
    name: 'allow.paths: ["**"] in .leakradius.yml',
    pr: () => ({ '.leakradius.yml': 'allow:\n  paths: ["**"]\n' }),
    changed: ['.leakradius.yml'],
  },
  {
    name: 'exclude: ["**"] in .leakradius.yml',
    base: { '.leakradius.yml': 'exclude: ["vendor/**"]\n' },
    pr: () => ({ '.leakradius.yml': 'exclude: ["vendor/**", "**"]\n' }),
    changed: ['.leakradius.yml'],
  },
  {
    name: 'allow.regexes: [".*"] in .leakradius.yml',
    pr: () => ({ '.leakradius.yml': 'allow:\n  regexes: [".*"]\n' }),
    changed: ['.leakradius.yml'],
  },
  {
    name: 'disabled_rules in .leakradius.yml',
    pr: () => ({ '.leakradius.yml': 'disabled_rules: [github-classic-pat]\n' }),
    changed: ['.leakradius.yml'],
  },
  {
    name: 'a gitleaks [allowlist] in .gitleaks.toml',
    pr: () => ({
      '.gitleaks.toml': '[extend]\nuseDefault = true\n\n[allowlist]\nregexes = [".*"]\npaths = [".*"]\n',
    }),
    changed: ['.gitleaks.toml'],
  },
  {
    name: "a detect-secrets .secrets.baseline with the token's hashed_secret",
    pr: (secret) => ({
      '.secrets.baseline': JSON.stringify({
        version: '1.5.0',
        results: { 'app.env': [{ type: 'GitHub Token', hashed_secret: sha1(secret), line_number: 1 }] },
      }),
    }),
    changed: ['.secrets.baseline'],
  },
  {
    name: 'an explicit config input edited by the PR',
    base: { 'ci/leakradius.yml': 'exclude: ["vendor/**"]\n' },
    pr: () => ({ 'ci/leakradius.yml': 'allow:\n  paths: ["**"]\n' }),
    inputs: { config: 'ci/leakradius.yml' },
    changed: ['ci/leakradius.yml'],
  },
];

/** main with a harmless file (and the attack's base files); the PR adds a token and the attack's edits. */
function pullRequest(attack: Pick<Attack, 'base' | 'pr'>, seed: string) {
  const origin = GitRepo.init('lr-trust-');
  const secret = token('{{github:ghp_}}', seed);
  const base = origin.commit('initial', { 'README.md': '# app\n', ...attack.base });
  origin.git('checkout', '-q', '-b', 'feature');
  const head = origin.commit('config and token', { 'app.env': `GITHUB_TOKEN=${secret}\n`, ...attack.pr(secret) });
  origin.git('checkout', '-q', 'main');
  return { origin, base, head, secret };
}

describe("a pull request cannot switch off its own check (17.1): the base commit's config applies", () => {
  it.each(ATTACKS)('$name', async (attack) => {
    const { origin, base, head } = pullRequest(attack, `trust-${attack.name}`);
    const ws = clone(origin, 'feature');
    const run = await runAction(ws, 'pull_request', prPayload(base, head), { ...attack.inputs }, origin.env);
    expect(run.outputs.findings, run.stdout).toBe('1');
    expect(run.code).toBe(1);
    expect(run.summary).toContain('leakradius: 1 leaked credential');
    expect(run.summary).toContain(`**Config:** from the base commit ${base.slice(0, 12)}`);
    expect(run.summary).toContain('config changed by these commits (not applied to this scan)');
    for (const path of attack.changed) {
      expect(run.summary).toMatch(new RegExp(`^- ${path.replace(/[.*]/g, '\\$&')}: (added|modified)$`, 'm'));
      // An annotation on the changed file, for the reviewer reading the diff.
      expect(run.stdout).toMatch(new RegExp(`^::warning title=leakradius%3A config change,file=${path}::`, 'm'));
    }
  });

  it('the baseline input: a fingerprint the PR adds to it does not hide its token', async () => {
    const baselineFile = '.leakradius-baseline.json';
    const empty = '{\n  "version": 1,\n  "tool": "leakradius",\n  "findings": [\n  ]\n}\n';
    const { origin, base, secret } = pullRequest({ base: { [baselineFile]: empty }, pr: () => ({}) }, 'trust-bl');
    // The PR author records their own token as accepted, with the real CLI, and commits the file.
    origin.git('checkout', '-q', 'feature');
    const written = await runCli(['baseline', 'git', origin.dir, '--output', join(origin.dir, baselineFile)]);
    expect(written.code, written.stderr).toBe(0);
    const head = origin.commit('accept my token');
    origin.git('checkout', '-q', 'main');
    const ws = clone(origin, 'feature');
    const payload = prPayload(base, head);
    const run = await runAction(ws, 'pull_request', payload, { baseline: baselineFile }, origin.env);
    expect(run.outputs.findings, run.stdout).toBe('1');
    expect(run.code).toBe(1);
    expect(run.summary).toMatch(/^- \.leakradius-baseline\.json: modified$/m);
    // The base's baseline still applies: the same token accepted on main is not reported.
    const accepted = GitRepo.init('lr-trust-accepted-');
    accepted.commit('initial', { 'README.md': '# app\n', 'old.env': `GITHUB_TOKEN=${secret}\n` });
    const written2 = await runCli(['baseline', 'git', accepted.dir, '--output', join(accepted.dir, baselineFile)]);
    expect(written2.code, written2.stderr).toBe(0);
    const base2 = accepted.commit('accept it');
    accepted.git('checkout', '-q', '-b', 'feature');
    const head2 = accepted.commit('copy it', { 'app.env': `GITHUB_TOKEN=${secret}\n` });
    const again = await runAction(
      clone(accepted, 'feature'),
      'pull_request',
      prPayload(base2, head2),
      { baseline: baselineFile },
      accepted.env,
    );
    expect(again.outputs.findings, again.stdout).toBe('0');
    expect(again.code).toBe(0);
    expect(again.summary).not.toContain('config changed');
  });

  it("keeps applying the base's config: what main allows stays allowed, and no changes are listed", async () => {
    const { origin, base, head } = pullRequest(
      { base: { '.leakradius.yml': 'allow:\n  paths: ["app.env"]\n' }, pr: () => ({}) },
      'trust-keep',
    );
    const run = await runAction(clone(origin, 'feature'), 'pull_request', prPayload(base, head), {}, origin.env);
    expect(run.outputs.findings, run.stdout).toBe('0');
    expect(run.code).toBe(0);
    expect(run.summary).not.toContain('config changed');
  });

  it("git --range A..B --config-from-base applies A's config; without the flag, the working tree's", async () => {
    const { origin, base, head } = pullRequest(ATTACKS[0]!, 'trust-cli');
    origin.git('checkout', '-q', 'feature');
    const range = `${base}..${head}`;
    const trusted = await runCli(['git', origin.dir, '--range', range, '--config-from-base', '--format', 'json']);
    expect(trusted.code, trusted.stderr).toBe(1);
    expect(JSON.parse(trusted.stdout).findings).toHaveLength(1);
    const checkout = await runCli(['git', origin.dir, '--range', range, '--format', 'json']);
    expect(checkout.code, checkout.stderr).toBe(0);
    const noRange = await runCli(['git', origin.dir, '--config-from-base']);
    expect(noRange.code).toBe(2);
    expect(noRange.stderr).toContain('needs --range');
  });

  it('refuses a config symlink in the base commit instead of following it', async () => {
    const origin = GitRepo.init('lr-trust-link-');
    const outside = join(tempDir('lr-trust-outside-'), 'creds.yml');
    const secret = token('{{github:ghp_}}', 'trust-link');
    origin.commit('initial', { 'README.md': '# app\n' });
    writeFileSync(outside, 'allow:\n  paths: ["**"]\n');
    symlinkSync(outside, join(origin.dir, '.leakradius.yml'));
    const base = origin.commit('link the config');
    origin.git('checkout', '-q', '-b', 'feature');
    const head = origin.commit('token', { 'app.env': `GITHUB_TOKEN=${secret}\n` });
    origin.git('checkout', '-q', 'main');
    const run = await runAction(clone(origin, 'feature'), 'pull_request', prPayload(base, head), {}, origin.env);
    expect(run.outputs.findings, run.stdout).toBe('1');
    expect(run.stdout).toMatch(/::warning::[0-9a-f]{12}:\.leakradius\.yml: a symbolic link; not followed/);
  });
});

describe('the default gate fails on a credential the PR adds, whatever its tier (17.17)', () => {
  /** A database password, a JWT signing secret, an api_key value and a Slack webhook: each ranks low offline. */
  const LOW_RANKED = [
    'DB_PASSWORD={{an:10}}#{{digits:3}}',
    'JWT_SECRET={{an:40}}',
    'api_key: {{an:32}}',
    'SLACK_WEBHOOK_URL=https://hooks.slack.com/services/T{{uppernum:10}}/B{{uppernum:10}}/{{an:24}}',
  ];
  const FIXTURE = { 'test/fixtures/conn.py': 'password = "hunter22"\n' };

  function withFiles(files: Record<string, string>) {
    const origin = GitRepo.init('lr-gate-');
    const base = origin.commit('initial', { 'README.md': '# app\n' });
    origin.git('checkout', '-q', '-b', 'feature');
    const head = origin.commit('settings', files);
    origin.git('checkout', '-q', 'main');
    return { ws: clone(origin, 'feature'), payload: prPayload(base, head), env: origin.env };
  }

  it('fails on four low-ranked leaks, not on a fixture; fail-on-new: none leaves fail-on alone', async () => {
    const env = LOW_RANKED.map((t, i) => token(t, `gate-${i}`)).join('\n');
    const { ws, payload, env: gitEnv } = withFiles({ 'config/app.env': `${env}\n`, ...FIXTURE });
    const run = await runAction(ws, 'pull_request', payload, {}, gitEnv);
    expect(run.outputs['highest-tier'], run.stdout).toBe('low');
    expect(run.outputs.findings).toBe('4');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('::error::leakradius: 4 findings added by these commits (fail-on-new: info)');
    expect(run.summary).toContain('**Result:** failed: 4 findings added by these commits (fail-on-new: info)');
    const tiersOnly = await runAction(ws, 'pull_request', payload, { 'fail-on-new': 'none' }, gitEnv);
    expect(tiersOnly.code).toBe(0);
    expect(tiersOnly.summary).toContain('**Result:** passed (nothing at or above `high`)');
    const mediumUp = await runAction(ws, 'pull_request', payload, { 'fail-on-new': 'medium' }, gitEnv);
    expect(mediumUp.code).toBe(0);
    expect(mediumUp.summary).toContain('passed (nothing at or above `high`, nothing added at or above `medium`)');
  });

  it('passes a PR that adds only a test fixture, and does not apply to a full-history scan', async () => {
    const { ws, payload, env } = withFiles(FIXTURE);
    const run = await runAction(ws, 'pull_request', payload, {}, env);
    expect(run.outputs.findings, run.stdout).toBe('0');
    expect(run.code).toBe(0);
    expect(run.summary).toContain('**Result:** passed (nothing at or above `high`, nothing added)');
    const leaks = withFiles({ 'config/app.env': `${token(LOW_RANKED[0]!, 'gate-full')}\n` });
    const full = await runAction(leaks.ws, 'schedule', {}, {}, leaks.env);
    expect(full.outputs.findings, full.stdout).toBe('1');
    expect(full.code).toBe(0);
  });
});

describe('text output in a CI step never starts a line with scanned text (17.19)', () => {
  /** Lines the runner would run as workflow commands: it trims the indent, then looks for "::". */
  const commands = (out: string) => out.split('\n').filter((l) => l.trimStart().startsWith('::'));
  const HOSTILE = ['::error title=leakradius::no leaked credentials', 'b\n::error title=leakradius::all clear'];

  it('scan and git print every location after a fixed label, a line break in a name as ⏎', async () => {
    const secret = token('{{github:ghp_}}', 'workflow-commands');
    const repo = GitRepo.init('lr-wfc-');
    repo.commit('tokens', {
      '0.env': `GITHUB_TOKEN=${secret}\n`,
      ...Object.fromEntries(HOSTILE.map((name) => [name, `GITHUB_TOKEN=${secret}\n`])),
    });
    // Relative paths, as a CI step scanning its checkout prints them.
    const scan = await runCli(['scan', '.', '--threads', '1'], { cwd: repo.dir });
    const git = await runCli(['git', '.'], { cwd: repo.dir });
    for (const r of [scan, git]) {
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout).toMatch(/^ {2}(found at:|also at: ) .*::error title=leakradius::no leaked credentials:1:14/m);
      expect(commands(r.stdout)).toEqual([]);
      expect(commands(r.stderr)).toEqual([]);
    }
    // A location that is not the first: the line the runner would have run.
    expect(scan.stdout).toMatch(/^ {2}also at: {2}::error title=leakradius::no leaked credentials:1:14$/m);
    expect(git.stdout).toContain('b⏎::error title=leakradius::all clear');
  });
});

describe('allow pragmas a pull request adds to its own lines are shown, and refused on request (17.9)', () => {
  const PRAGMAS = [
    (t: string) => `GITHUB_TOKEN=${t} # leakradius:allow`,
    (t: string) => `GITHUB_TOKEN=${t} # gitleaks:allow`,
    (t: string) => `GITHUB_TOKEN=${t} # pragma: allowlist secret`,
    (t: string) => `# leakradius:allow-next-line\nGITHUB_TOKEN=${t}`,
    (t: string) => `# pragma: allowlist nextline secret\nGITHUB_TOKEN=${t}`,
  ];

  function pragmaPullRequest() {
    const lines = PRAGMAS.map((line, i) => line(token('{{github:ghp_}}', `pragma-${i}`)));
    // app.env is the PR's only file: these lines replace the token pullRequest() would add.
    return pullRequest({ pr: () => ({ 'app.env': `${lines.join('\n')}\n` }) }, 'pragma-unused');
  }

  it('lists each allowed secret with its place in the summary and a notice on its line', async () => {
    const { origin, base, head } = pragmaPullRequest();
    const ws = clone(origin, 'feature');
    const run = await runAction(ws, 'pull_request', prPayload(base, head), {}, origin.env);
    expect(run.outputs.findings, run.stdout).toBe('0');
    expect(run.code).toBe(0);
    const html = renderSummary(run.summary);
    expect(html).toContain('<h3>Allowed in this pull request by an inline pragma (5)</h3>');
    const table = /<h3>Allowed[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)![1]!;
    const places = [...table.matchAll(/<td>(app\.env:\d+) \([0-9a-f]{7}\)<\/td>/g)].map((m) => m[1]);
    expect(places).toEqual(['app.env:1', 'app.env:2', 'app.env:3', 'app.env:5', 'app.env:7']);
    const notices = run.stdout
      .split('\n')
      .filter((l) => l.startsWith('::notice title=leakradius%3A allowed in this PR'));
    const lines = notices.map((n) => Number(/,file=app\.env,line=(\d+)::/.exec(n)?.[1]));
    expect(lines.sort((a, b) => a - b)).toEqual([1, 2, 3, 5, 7]);
  });

  it('allow-pragmas-in-pr: false reports them as findings and fails the job', async () => {
    const { origin, base, head } = pragmaPullRequest();
    const ws = clone(origin, 'feature');
    const inputs = { 'allow-pragmas-in-pr': 'false', 'fail-on': 'none', 'fail-on-new': 'none' };
    const run = await runAction(ws, 'pull_request', prPayload(base, head), inputs, origin.env);
    expect(run.outputs.findings, run.stdout).toBe('5');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error::leakradius: 5 secrets allowed by a pragma the pull request adds (allow-pragmas-in-pr: false)',
    );
    expect(run.summary).toContain('allow-pragmas-in-pr is false, so they fail the job');
    expect(run.sarif!.runs[0]!.results).toHaveLength(5);
  });
});
