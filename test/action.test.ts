import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { GitRepo } from './git-repo.js';
import { ROOT, cleanupTempDirs, token } from './helpers.js';
import { FakeProviders } from './fakes/server.js';
import { ZERO, clone, cmarkGfm, expectNoSecretOutsideMasks, prPayload, runAction } from './action-run.js';

/** An origin with a secret already on main, and a feature branch that adds a new one. */
function setup() {
  const origin = GitRepo.init('lr-action-');
  const oldSecret = token('{{github:ghp_}}', 'action-old');
  const newSecret = token('{{github:ghp_}}', 'action-new');
  origin.commit('initial', { 'README.md': '# app\n', 'legacy.env': `TOKEN=${oldSecret}\n` });
  const base = origin.commit('more on main', { 'src/main.js': 'console.log(1);\n' });
  origin.git('checkout', '-q', '-b', 'feature');
  origin.commit('feature work', { 'src/feature.js': 'export const f = 1;\n' });
  const head = origin.commit('add config', { 'app.env': `# settings\nGITHUB_TOKEN=${newSecret}\n` });
  origin.git('checkout', '-q', 'main');
  return { origin, base, head, oldSecret, newSecret };
}

describe('GitHub Action', () => {
  afterAll(cleanupTempDirs);

  it("on a pull request reports only the PR's secret, with annotation, summary, outputs and SARIF", async () => {
    const { origin, base, head, oldSecret, newSecret } = setup();
    const ws = clone(origin, 'feature');
    const run = await runAction(ws, 'pull_request', prPayload(base, head), { 'fail-on': 'info' }, origin.env);
    expect(run.stderr).toBe('');
    expect(run.code, run.stdout).toBe(1);
    expect(run.outputs.findings).toBe('1');
    expect(run.outputs['highest-tier']).toMatch(/^(critical|high|medium|low|info)$/);
    expect(run.outputs['sarif-file']).toBe(join(ws, 'leakradius.sarif'));
    expect(run.stdout).toContain(`::add-mask::${newSecret}`);
    // Workflow command properties: title (":" escaped as %3A), file, line and column of the secret.
    const annotation = run.stdout.split('\n').find((l) => /^::(error|warning|notice) /.test(l))!;
    expect(annotation).toMatch(/title=leakradius%3A GitHub[^,]*\((critical|high|medium|low|info)\)/);
    expect(annotation).toContain('file=app.env,line=2,col=14::');
    expect(annotation).toMatch(/Revoke: .*Replace with: /);
    expect(run.stdout).not.toContain('legacy.env');
    expect(run.summary).toContain('leakradius: 1 leaked credential');
    expect(run.summary).toContain('| Tier | Kind | Where | Identity | Status | Why | What to do |');
    expect(run.summary).toContain('app.env:2');
    expect(run.summary).toContain('pull request #7');
    expect(run.sarif!.runs[0]!.results).toHaveLength(1);
    expect(run.sarif!.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('app.env');
    expect(run.outputs['html-file']).toBeUndefined();
    expectNoSecretOutsideMasks(run, [oldSecret, newSecret]);
  });

  it('follows fail-on: passes when the findings are below it, and with none', async () => {
    const { origin, base, head } = setup();
    const ws = clone(origin, 'feature');
    const first = await runAction(
      ws,
      'pull_request',
      prPayload(base, head),
      { 'fail-on': 'none', 'fail-on-new': 'none' },
      origin.env,
    );
    expect(first.code).toBe(0);
    const tier = first.outputs['highest-tier']!;
    const above = { critical: null, high: 'critical', medium: 'high', low: 'medium', info: 'low' }[tier];
    if (above) {
      const r = await runAction(
        ws,
        'pull_request',
        prPayload(base, head),
        { 'fail-on': above, 'fail-on-new': 'none' },
        origin.env,
      );
      expect(r.code).toBe(0);
      expect(r.summary).toContain(`nothing at or above \`${above}\``);
    }
    const at = await runAction(
      ws,
      'pull_request',
      prPayload(base, head),
      { 'fail-on': tier, 'fail-on-new': 'none' },
      origin.env,
    );
    expect(at.code).toBe(1);
  });

  it('fails a scan that could not read part of the pull request, unless allow-incomplete is true', async () => {
    const origin = GitRepo.init('lr-action-');
    const base = origin.commit('initial', { 'README.md': '# app\n' });
    origin.git('checkout', '-q', '-b', 'feature');
    // An xz stream: recognised, not decompressed, so what it holds is not read.
    writeFileSync(join(origin.dir, 'app.log.xz'), Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0, 0, 0, 0, 0]));
    origin.git('add', 'app.log.xz');
    origin.git('commit', '-qm', 'add a compressed log');
    const head = origin.git('rev-parse', 'HEAD').trim();
    origin.git('checkout', '-q', 'main');
    const ws = clone(origin, 'feature');
    const failed = await runAction(ws, 'pull_request', prPayload(base, head), {}, origin.env);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^::error::leakradius: incomplete scan: 1 part not read \(.*app\.log\.xz/m);
    expect(failed.outputs.findings).toBe('0');
    const allowed = await runAction(
      ws,
      'pull_request',
      prPayload(base, head),
      { 'allow-incomplete': 'true' },
      origin.env,
    );
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/^::warning::.*app\.log\.xz/m);
  });

  it('writes the HTML report when html-file is given, with no secret in it', async () => {
    const { origin, base, head, oldSecret, newSecret } = setup();
    const ws = clone(origin, 'feature');
    const run = await runAction(
      ws,
      'pull_request',
      prPayload(base, head),
      { 'fail-on': 'none', 'fail-on-new': 'none', 'html-file': 'reports/leakradius.html' },
      origin.env,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.outputs['html-file']).toBe(join(ws, 'reports', 'leakradius.html'));
    const html = readFileSync(run.outputs['html-file']!, 'utf8');
    expect(html.match(/<tr id="row-f\d+"/g)).toHaveLength(1);
    expect(html).toContain('app.env');
    expect(html).toContain('pull request #7');
    for (const s of [oldSecret, newSecret]) expect(html).not.toContain(s);
  });

  it("deepens a shallow checkout to find the pull request's base", async () => {
    const { origin, base, head, newSecret, oldSecret } = setup();
    const ws = clone(origin, 'feature', 1);
    const run = await runAction(
      ws,
      'pull_request',
      prPayload(base, head),
      { 'fail-on': 'none', 'fail-on-new': 'none' },
      origin.env,
    );
    expect(run.code).toBe(0);
    expect(run.outputs.findings).toBe('1');
    expect(run.stdout).toMatch(/deepening|fetching/);
    expectNoSecretOutsideMasks(run, [newSecret, oldSecret]);
  });

  it('on a push scans the pushed commits; on a new branch, the commits not on the default branch', async () => {
    const { origin, base, head } = setup();
    const ws = clone(origin, 'feature');
    const push = await runAction(
      ws,
      'push',
      {
        before: base,
        after: head,
        ref: 'refs/heads/feature',
        repository: { full_name: 'acme/app', default_branch: 'main' },
      },
      { 'fail-on': 'none', 'fail-on-new': 'none' },
      origin.env,
    );
    expect(push.code).toBe(0);
    expect(push.outputs.findings).toBe('1');
    const created = await runAction(
      ws,
      'push',
      {
        before: ZERO,
        after: head,
        created: true,
        ref: 'refs/heads/feature',
        repository: { full_name: 'acme/app', default_branch: 'main' },
      },
      { 'fail-on': 'none', 'fail-on-new': 'none' },
      origin.env,
    );
    expect(created.code).toBe(0);
    expect(created.outputs.findings).toBe('1');
    expect(created.stdout).toContain('new branch');
    // A full scan (schedule) sees both the old and the new secret.
    const full = await runAction(ws, 'schedule', {}, { 'fail-on': 'none', 'fail-on-new': 'none' }, origin.env);
    expect(full.outputs.findings).toBe('2');
  });

  it("looks the PR's token up at the provider and ranks it by the scopes it holds", async () => {
    const { origin, base, head, newSecret } = setup();
    const fake = await new FakeProviders({
      github: {
        broad: { headers: { 'x-oauth-scopes': 'repo, admin:org' }, body: { login: 'fixture-bot', site_admin: false } },
      },
    }).start();
    try {
      const ws = clone(origin, 'feature');
      const env = { ...origin.env, LEAKRADIUS_ENDPOINT_GITHUB: fake.url('github', 'broad') };
      const run = await runAction(
        ws,
        'pull_request',
        prPayload(base, head),
        { 'fail-on': 'high', lookup: 'true' },
        env,
      );
      expect(run.code).toBe(1);
      expect(run.outputs['highest-tier']).toBe('critical');
      // The identity, then the repositories it reaches (issue 18).
      expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
        'GET /user',
        'GET /user/repos?per_page=100&sort=pushed',
      ]);
      expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${newSecret}`);
      expect(run.summary).toMatch(/1 looked up \(1 live/);
      expect(run.summary).toContain('fixture-bot');
      expect(run.stdout).toMatch(/admin:org/);
      expectNoSecretOutsideMasks(run, [newSecret]);
    } finally {
      await fake.close();
    }
  });

  it('skips lookups for a pull request from a fork and says so', async () => {
    const { origin, base, head } = setup();
    const ws = clone(origin, 'feature');
    const run = await runAction(
      ws,
      'pull_request',
      prPayload(base, head, true),
      { 'fail-on': 'none', 'fail-on-new': 'none', lookup: 'true' },
      origin.env,
    );
    expect(run.code).toBe(0);
    expect(run.summary).toContain('skipped: pull request from a fork');
  });

  it.skipIf(!cmarkGfm)(
    'writes a summary that renders as GitHub Markdown (cmark-gfm), with what the PR controls escaped',
    async () => {
      const origin = GitRepo.init('lr-action-md-');
      const base = origin.commit('initial', { 'README.md': '# app\n' });
      origin.git('checkout', '-q', '-b', 'feature');
      // A file name a pull request chooses: HTML, a table cell edge, emphasis and a link.
      const hostile = '<img src=x onerror=alert(1)> | *em* [l](http:\\e).env';
      const head = origin.commit('add config', {
        [hostile]: `GITHUB_TOKEN=${token('{{github:ghp_}}', 'action-md')}\n`,
      });
      origin.git('checkout', '-q', 'main');
      const ws = clone(origin, 'feature');
      // A lookup that fails (nothing listens on port 9): one warning.
      const env = { ...origin.env, LEAKRADIUS_ENDPOINT_GITHUB: 'http://127.0.0.1:9' };
      const run = await runAction(
        ws,
        'pull_request',
        prPayload(base, head),
        { 'fail-on': 'none', 'fail-on-new': 'none', lookup: 'true' },
        env,
      );
      expect(run.code, run.stdout).toBe(0);
      const html = execFileSync(
        'cmark-gfm',
        ['--unsafe', '-e', 'table', '-e', 'autolink', '-e', 'strikethrough', '-e', 'tagfilter'],
        { input: run.summary, encoding: 'utf8' },
      );
      const text = html.replace(/<[^>]+>/g, '');
      expect(text).not.toContain('**');
      for (const label of ['Scanned:', 'By tier:', 'Lookups:', 'Result:'])
        expect(html).toContain(`<strong>${label}</strong>`);
      expect(html).toMatch(/<table>\s*<thead>\s*<tr>\s*<th>Tier<\/th>/);
      const row = /<tbody>\s*<tr>([\s\S]*?)<\/tr>/.exec(html)![1]!;
      expect(row.match(/<td>/g)).toHaveLength(7);
      expect(row).toContain('&lt;img src=x onerror=alert(1)&gt; | *em* [l](http:\\e).env:1');
      // HTML only where the summary itself opens and closes it: allowed tags, balanced.
      const tags = [...html.matchAll(/<(\/?)([a-z0-9]+)[^>]*>/g)].map((m) => ({ close: m[1] === '/', name: m[2]! }));
      const allowed = new Set([
        'h2',
        'p',
        'strong',
        'code',
        'table',
        'thead',
        'tbody',
        'tr',
        'th',
        'td',
        'details',
        'summary',
        'ul',
        'li',
      ]);
      expect(tags.filter((t) => !allowed.has(t.name)).map((t) => t.name)).toEqual([]);
      const open: string[] = [];
      for (const t of tags) {
        if (!t.close) open.push(t.name);
        else expect(open.pop()).toBe(t.name);
      }
      expect(open).toEqual([]);
      // The warning, counted and listed once.
      expect(html).toMatch(
        /<details><summary>1 warning<\/summary>\s*<ul>\s*<li>lookup GitHub: [^<]*<\/li>\s*<\/ul>\s*<\/details>/,
      );
    },
  );

  it('explains a missing base that cannot be fetched', async () => {
    const { origin, head } = setup();
    const ws = clone(origin, 'feature', 1);
    const run = await runAction(
      ws,
      'pull_request',
      prPayload('f'.repeat(40), head),
      { 'fail-on': 'none', 'fail-on-new': 'none' },
      origin.env,
    );
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/::error::leakradius: commit ffffffffffff is not in the checkout.*fetch-depth: 0/);
  });
});

describe('action.yml', () => {
  const action = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
    outputs: Record<string, { description: string }>;
    runs: { using: string; main: string };
  };
  const source = readFileSync(join(ROOT, 'src', 'action', 'main.ts'), 'utf8');
  const read = new Set([...source.matchAll(/core\.get(?:Boolean)?Input\('([\w-]+)'\)/g)].map((m) => m[1]!));
  const written = new Set([...source.matchAll(/core\.setOutput\('([\w-]+)'/g)].map((m) => m[1]!));

  it('declares exactly the inputs the code reads', () => {
    expect(new Set(Object.keys(action.inputs))).toEqual(read);
    expect(action.inputs['fail-on']!.default).toBe('high');
    expect(action.inputs['sarif-file']!.default).toBe('leakradius.sarif');
  });

  it('declares exactly the outputs the code writes', () => {
    expect(new Set(Object.keys(action.outputs))).toEqual(written);
  });

  it('runs the bundled entry point on the node24 runtime (test/action-bundle.test.ts runs it)', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'action-dist/main.cjs' });
    expect(existsSync(join(ROOT, action.runs.main))).toBe(true);
  });
});
