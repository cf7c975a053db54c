// Lookups are hostile input too (issue 17.18, 17.27, 17.29): a provider's answer is untrusted text,
// a cloned repository's rule cannot send a local password to a provider, and an endpoint that never
// answers cannot hold a scan for an hour. Real loopback servers (test/fakes/server.ts), real CLI.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrich, endpointVariable } from '../src/scope/lookup/index.js';
import type { Warning } from '../src/types.js';
import { makeFindings } from './fakes/findings.js';
import { FakeProviders } from './fakes/server.js';
import { cleanupTempDirs, runCli, tempDir, token } from './helpers.js';

const slackToken = token('xoxb-{{digits:12}}-{{digits:13}}-{{an:24}}', 'hostile-slack');
const githubToken = token('{{github:ghp_}}', 'hostile-github');

const fake = new FakeProviders({
  // An error body that quotes the token back, as some APIs do.
  slack: { quoting: { body: { ok: false, error: `invalid_auth for ${slackToken}` } } },
  // An identity that tries to inject a workflow command and terminal escapes, and a long fact.
  github: {
    injecting: {
      headers: { 'x-oauth-scopes': 'repo' },
      body: {
        login: `octo\n::warning file=x::all clear\u001b]0;pwned\u0007\u001b[2J${'x'.repeat(500)}`,
        type: `User ${githubToken}`,
      },
    },
  },
  openai: { models: { body: { object: 'list', data: [] } } },
});
beforeAll(() => fake.start().then(() => undefined));
afterAll(async () => {
  await fake.close();
  cleanupTempDirs();
});

async function lookUp(
  items: Parameters<typeof makeFindings>[0],
  env: NodeJS.ProcessEnv,
  opts: Parameters<typeof enrich>[2] = {},
) {
  const { findings, rules } = makeFindings(items);
  const warnings: Warning[] = [];
  await enrich(findings, rules, { env, timeoutMs: 3000, backoffMs: 5, onWarning: (w) => warnings.push(w), ...opts });
  return { findings, warnings };
}

describe('provider text reaches reports only cleaned (17.18)', () => {
  it('masks a token that the error body quotes back', async () => {
    const { findings } = await lookUp([{ secret: slackToken, provider: 'slack' }], {
      [endpointVariable('slack')]: fake.url('slack', 'quoting'),
    });
    const f = findings[0]!;
    expect(f.scope.status).toBe('revoked');
    expect(f.scope.facts.join('\n')).toContain('invalid_auth for [secret]');
    expect(JSON.stringify(f.scope)).not.toContain(slackToken);
  });

  it('neutralises newlines and terminal escapes in an identity, and caps its length', async () => {
    const { findings } = await lookUp([{ secret: githubToken, provider: 'github' }], {
      [endpointVariable('github')]: fake.url('github', 'injecting'),
    });
    const s = findings[0]!.scope;
    expect(s.status).toBe('live');
    expect(s.identity).toMatch(/^octo\\u000a::warning/);
    expect(JSON.stringify(s).match(/[\u0000-\u001f]/)).toBeNull();
    expect(s.identity!.length).toBeLessThanOrEqual(200);
    expect(s.facts.join('\n')).toContain('account type User [secret]');
    expect(JSON.stringify(s)).not.toContain(githubToken);
  });

  it('prints the cleaned identity in the text report of the real CLI', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ci.env'), `GITHUB_TOKEN=${githubToken}\n`);
    const env = { LEAKRADIUS_OFFLINE: '', [endpointVariable('github')]: fake.url('github', 'injecting') };
    const text = await runCli(['scan', dir], { env });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('identity octo\\u000a::warning file=x::all clear\\u001b]0;pwned');
    // No line of the report starts a workflow command, and no escape reaches the terminal.
    expect(text.stdout.split('\n').some((l) => l.trimStart().startsWith('::'))).toBe(false);
    expect(text.stdout).not.toContain('\u001b');
    const json = await runCli(['scan', dir, '--format', 'json'], { env });
    expect(json.stdout).not.toContain(githubToken);
    expect(json.stdout).toContain('octo\\\\u000a::warning');
  });
});

describe('a config rule is looked up only in a shape the provider accepts (17.27)', () => {
  const password = token('{{an:24}}', 'hostile-db-password');
  const config = [
    'rules:',
    '  - id: our-db-password',
    '    name: Database password',
    '    provider: openai',
    "    pattern: 'DB_PASSWORD=([A-Za-z0-9]{24})'",
    '    keywords: [DB_PASSWORD]',
    "    examples: ['DB_PASSWORD={{an:24}}']",
    "    negative_examples: ['DB_PASSWORD=short']",
    '',
  ].join('\n');
  const scanRepo = async (extra: string[]) => {
    const dir = tempDir();
    writeFileSync(join(dir, '.leakradius.yml'), config);
    writeFileSync(join(dir, 'local.env'), `DB_PASSWORD=${password}\n`);
    const before = fake.seen('openai', 'models').length;
    const r = await runCli(['scan', dir, '--format', 'json', ...extra], {
      env: { LEAKRADIUS_OFFLINE: '', [endpointVariable('openai')]: fake.url('openai', 'models') },
    });
    return { r, sent: fake.seen('openai', 'models').length - before };
  };

  it('never sends a cloned repository’s match to the provider it names', async () => {
    const { r, sent } = await scanRepo([]);
    expect(r.code).toBe(1);
    expect(sent).toBe(0);
    const finding = JSON.parse(r.stdout).findings.find((f: { rule: string }) => f.rule === 'our-db-password');
    expect(finding.scope.status).toBe('not-checked');
    expect(finding.scope.facts.join('\n')).toMatch(/our-db-password is not a built-in rule.*--lookup-user-rules/);
  });

  it('sends it with --lookup-user-rules', async () => {
    const { sent } = await scanRepo(['--lookup-user-rules']);
    expect(sent).toBe(1);
  });
});

describe('lookups end in bounded time against an endpoint that never answers (17.29)', () => {
  const tokens = Array.from({ length: 40 }, (_, i) => token('{{github:ghp_}}', `hostile-silent-${i}`));
  const silent = () => ({ [endpointVariable('github')]: fake.url('github', 'silent') });

  it('stops calling a provider after 3 timeouts in a row, saying why', async () => {
    const started = Date.now();
    const { findings, warnings } = await lookUp(
      tokens.map((secret) => ({ secret, provider: 'github' })),
      silent(),
      { timeoutMs: 400, concurrency: 2 },
    );
    // Two at a time: without the breaker, 20 rounds of 400 ms.
    expect(Date.now() - started).toBeLessThan(3000);
    expect(findings.every((f) => f.scope.status === 'unknown')).toBe(true);
    const stopped = findings.filter((f) => /did not answer 3 times in a row/.test(f.scope.noVerdict ?? ''));
    expect(stopped.length).toBeGreaterThanOrEqual(30);
    expect(warnings.map((w) => w.message).join('\n')).toMatch(/not called again in this run/);
  });

  it('spends at most the total budget of the real CLI (--lookup-budget), and says so', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'tokens.env'), tokens.map((t, i) => `TOKEN_${i}=${t}`).join('\n'));
    const started = Date.now();
    const r = await runCli(['scan', dir, '--format', 'json', '--lookup-budget', '1', '--lookup-timeout', '60'], {
      env: { LEAKRADIUS_OFFLINE: '', ...silent() },
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/lookup budget of 1 s was spent: \d+ token\(s\) not looked up/);
    const findings = JSON.parse(r.stdout).findings as Array<{ scope: { status: string; facts: string[] } }>;
    expect(findings.length).toBe(40);
    expect(findings.every((f) => f.scope.status === 'unknown')).toBe(true);
    expect(findings[0]!.scope.facts.join('\n')).toMatch(/lookup budget of 1 s was spent/);
  });

  it('rejects a budget that is not a positive number of seconds', async () => {
    const r = await runCli(['scan', tempDir(), '--lookup-budget', '0'], { env: { LEAKRADIUS_OFFLINE: '' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--lookup-budget must be more than 0/);
  });
});
