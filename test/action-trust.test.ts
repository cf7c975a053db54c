// The Action on a hostile pull request (issue 17): the PR's own files can never switch its check
// off. Each attack runs on a real repository, the Action's entry point as the runner starts it.

import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitRepo } from './git-repo.js';
import { cleanupTempDirs, runCli, tempDir, token } from './helpers.js';
import { clone, cmarkGfm, prPayload, renderSummary, runAction } from './action-run.js';
import { FakeProviders } from './fakes/server.js';

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

  it('scan and git print every location after a fixed label, a line break in a name escaped', async () => {
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
    // A line break in a name is shown escaped (report/location.ts), never as a line of its own.
    expect(git.stdout).toContain('b\\x0a::error title=leakradius::all clear');
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

describe('the job summary shows what a pull request controls as text, never as HTML (17.10)', () => {
  const FAKE_ALL_CLEAR = '</td></tr></table><h2>leakradius: no leaked credentials</h2><!--';

  it.skipIf(!cmarkGfm)(
    'paths, identities, warnings, rule names and allowed places: one heading, balanced tags',
    async () => {
      const origin = GitRepo.init('lr-html-');
      const rule = [
        'rules:',
        '  - id: corp-internal-token',
        `    name: '${FAKE_ALL_CLEAR}'`,
        "    pattern: '\\b(corp_[0-9a-f]{24})\\b'",
        '    keywords: [corp_]',
        "    examples: ['x=corp_{{hex:24}}']",
        "    negative_examples: ['corp_123']",
      ].join('\n');
      const base = origin.commit('initial', { 'README.md': '# app\n', '.leakradius.yml': `${rule}\n` });
      origin.git('checkout', '-q', '-b', 'feature');
      origin.commit('hostile names', {
        [`a${FAKE_ALL_CLEAR}.env`]: `GITHUB_TOKEN=${token('{{github:ghp_}}', 'html-a')}\n`,
        'b.env': `${token('x=corp_{{hex:24}}', 'html-b')}\n`,
        [`c${FAKE_ALL_CLEAR}.env`]: `GITHUB_TOKEN=${token('{{github:ghp_}}', 'html-c')} # leakradius:allow\n`,
        '.leakradius.yml': `${rule}\nexclude: [vendor]\n`,
      });
      // A submodule whose path the PR chooses: its warning names it.
      origin.git('update-index', '--add', '--cacheinfo', `160000,${base},s${FAKE_ALL_CLEAR}`);
      origin.git('commit', '-q', '-m', 'submodule');
      const head = origin.head();
      origin.git('checkout', '-q', 'main');
      const fake = await new FakeProviders({
        github: {
          hostile: { headers: { 'x-oauth-scopes': 'repo' }, body: { login: FAKE_ALL_CLEAR, site_admin: false } },
        },
      }).start();
      try {
        const env = { ...origin.env, LEAKRADIUS_ENDPOINT_GITHUB: fake.url('github', 'hostile') };
        const inputs = { lookup: 'true', 'fail-on': 'none', 'fail-on-new': 'none' };
        const run = await runAction(clone(origin, 'feature'), 'pull_request', prPayload(base, head), inputs, env);
        expect(run.code, run.stdout).toBe(0);
        const html = renderSummary(run.summary);
        expect(html.match(/<h2>/g)).toHaveLength(1);
        expect(html).toMatch(/^<h2>leakradius: 2 leaked credentials<\/h2>/);
        const shown =
          '&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;h2&gt;leakradius: no leaked credentials&lt;/h2&gt;&lt;!--';
        expect(html).toContain(`<td>a${shown}.env:1 (`); // a path, in the findings table
        expect(html).toContain(`<td>${shown} `); // the config's rule name, in the findings table
        expect(html).toContain(`<td>${shown}</td>`); // the identity the provider answered
        expect(html).toContain(`<td>c${shown}.env:1 (`); // a path, in the allowed table
        expect(html).toContain(`<li>s${shown}: submodule: not followed`); // a warning's subject
        const tags = [...html.matchAll(/<(\/?)([a-z0-9]+)[^>]*>/g)].map((m) => ({ close: m[1] === '/', name: m[2]! }));
        const allowed = 'h2 h3 p strong code table thead tbody tr th td details summary ul li'.split(' ');
        expect(tags.filter((t) => !allowed.includes(t.name)).map((t) => t.name)).toEqual([]);
        const open: string[] = [];
        for (const t of tags) {
          if (!t.close) open.push(t.name);
          else expect(open.pop()).toBe(t.name);
        }
        expect(open).toEqual([]);
        expect(html).not.toContain('<!--');
      } finally {
        await fake.close();
      }
    },
  );
});

describe('warnings in the Action (17.30, first half)', () => {
  it.skipIf(!cmarkGfm)('counts, lists and prints each warning once: a failed lookup and a submodule', async () => {
    const origin = GitRepo.init('lr-warn-');
    const base = origin.commit('initial', { 'README.md': '# app\n' });
    origin.git('checkout', '-q', '-b', 'feature');
    origin.commit('two tokens', {
      'a.env': `GITHUB_TOKEN=${token('{{github:ghp_}}', 'warn-a')}\n`,
      'b.env': `GITHUB_TOKEN=${token('{{github:ghp_}}', 'warn-b')}\n`,
    });
    origin.git('update-index', '--add', '--cacheinfo', `160000,${base},vendor/lib`);
    origin.git('commit', '-q', '-m', 'submodule');
    const head = origin.head();
    origin.git('checkout', '-q', 'main');
    // Nothing listens on port 9: both lookups fail the same way, which is one warning.
    const env = { ...origin.env, LEAKRADIUS_ENDPOINT_GITHUB: 'http://127.0.0.1:9' };
    const inputs = { lookup: 'true', 'fail-on': 'none', 'fail-on-new': 'none' };
    const run = await runAction(clone(origin, 'feature'), 'pull_request', prPayload(base, head), inputs, env);
    expect(run.code, run.stdout).toBe(0);
    const printed = run.stdout.split('\n').filter((l) => l.startsWith('::warning::'));
    expect(printed).toHaveLength(2);
    const html = renderSummary(run.summary);
    const listed = /<details><summary>(\d+) warnings?<\/summary>\s*<ul>([\s\S]*?)<\/ul>/.exec(html)!;
    expect(listed[1]).toBe('2');
    expect(listed[2]!.match(/<li>/g)).toHaveLength(2);
    expect(listed[2]).toContain('<li>lookup GitHub: 127.0.0.1:9: network error');
    expect(listed[2]).toContain('<li>vendor/lib: submodule: not followed');
  });
});
