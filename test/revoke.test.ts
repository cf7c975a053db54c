// `leakradius revoke` against loopback fakes that answer like each provider's documented API:
// GitHub's credential revocation API, GitLab's DELETE /personal_access_tokens/self, Slack's auth.revoke.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli, token, type RunResult } from './helpers.js';
import { FakeProviders, type SeenRequest } from './fakes/server.js';
import { analyseToken } from '../src/cli/commands/lookup.js';
import { revokeFinding } from '../src/revoke/index.js';
import { fingerprint } from '../src/dedupe/finding-set.js';

const tokens = {
  github: token('{{github:ghp_}}', 'revoke-github'),
  gitlab: token('glpat-{{an:20}}', 'revoke-gitlab'),
  slack: token('xoxb-{{digits:12}}-{{digits:13}}-{{an:24}}', 'revoke-slack'),
  stripe: token('sk_live_{{an:24}}', 'revoke-stripe'),
  installation: token('{{github:ghs_}}', 'revoke-installation'),
  dropbox: token('sl.u.{{b64url:400}}', 'revoke-dropbox'),
};
const notFound = { status: 404, body: { message: 'Not Found' } };

/** GitHub: GET /user for the identity; POST /credentials/revoke, unauthenticated, answers 202. */
const github = (revokeStatus: number) => (r: SeenRequest) => {
  if (r.headers.authorization === `Bearer ${tokens.installation}`) {
    if (r.method === 'DELETE' && r.path === '/installation/token') return { status: 204 };
    return { status: 403, body: { message: 'Resource not accessible by integration' } };
  }
  if (r.method === 'GET' && r.path === '/user')
    return { headers: { 'x-oauth-scopes': 'repo, workflow' }, body: { login: 'octo-fixture', type: 'User' } };
  if (r.method === 'POST' && r.path === '/credentials/revoke') {
    if (r.headers.authorization) return { status: 403, body: { message: 'authenticated requests are refused' } };
    const body = JSON.parse(r.body) as { credentials?: unknown };
    if (!Array.isArray(body.credentials) || body.credentials.length === 0)
      return { status: 422, body: { message: 'Validation Failed' } };
    return revokeStatus === 202
      ? { status: 202, body: {} }
      : { status: revokeStatus, body: { message: 'Validation Failed' } };
  }
  return notFound;
};
/** GitLab: GET and DELETE /api/v4/personal_access_tokens/self with PRIVATE-TOKEN. */
const gitlab = (revoked: boolean) => (r: SeenRequest) => {
  if (r.path !== '/api/v4/personal_access_tokens/self' || r.headers['private-token'] !== tokens.gitlab)
    return { status: 401, body: { message: '401 Unauthorized' } };
  if (r.method === 'GET')
    return {
      body: { id: 7, name: 'mirror', revoked, active: !revoked, scopes: ['api'], user_id: 42, expires_at: null },
    };
  if (r.method === 'DELETE') return revoked ? { status: 401, body: { message: '401 Unauthorized' } } : { status: 204 };
  return notFound;
};
/** Slack: POST /api/auth.test for the identity; POST /api/auth.revoke with the bearer token. */
const slack = (r: SeenRequest) => {
  if (r.headers.authorization !== `Bearer ${tokens.slack}`) return { body: { ok: false, error: 'not_authed' } };
  if (r.path === '/api/auth.test')
    return { body: { ok: true, team: 'Acme', user: 'deploy-bot', team_id: 'T1', user_id: 'U1' } };
  if (r.path === '/api/auth.revoke') return { body: { ok: true, revoked: true } };
  return { body: { ok: false, error: 'unknown_method' } };
};

const fakes = new FakeProviders({
  github: { live: github(202), spammed: github(422) },
  gitlab: { live: gitlab(false), revoked: gitlab(true) },
  slack: { live: slack },
  dropbox: {
    live: (r) => {
      if (r.headers.authorization !== `Bearer ${tokens.dropbox}`)
        return { status: 401, body: { error_summary: 'invalid_access_token/' } };
      if (r.path === '/2/users/get_current_account')
        return { body: { account_id: 'dbid:fixture', email: 'fixture@example.com' } };
      if (r.path === '/2/auth/token/revoke' && r.body === '') return { body: 'null' };
      return { status: 400, body: 'Error in call' };
    },
  },
  stripe: {
    live: (r) => (r.path === '/v1/account' ? { body: { id: 'acct_fixture', charges_enabled: true } } : notFound),
  },
});

function endpoints(scenario: Partial<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const p of ['github', 'gitlab', 'slack', 'stripe', 'dropbox'] as const)
    env[`LEAKRADIUS_ENDPOINT_${p.toUpperCase()}`] = fakes.url(p, scenario[p] ?? 'live');
  return env;
}

/** No output of revoke ever holds the token. */
function expectNoToken(r: RunResult): void {
  for (const t of Object.values(tokens)) {
    expect(r.stdout).not.toContain(t);
    expect(r.stderr).not.toContain(t);
  }
}

/** The CLI in a new session: no controlling terminal to ask on, whatever runs the tests. */
const revoke = (args: string[], input: string | undefined, env: NodeJS.ProcessEnv = {}) =>
  runCli(['revoke', ...args], { input, env: { ...endpoints(), ...env }, wrapper: ['setsid'] });
const revokes = (provider: string) =>
  fakes.requests.filter((r) => r.provider === provider && /revoke|DELETE/.test(`${r.path} ${r.method}`));

describe('revoke', () => {
  beforeAll(async () => {
    await fakes.start();
  });
  afterAll(() => fakes.close());

  it(
    'revokes a GitHub token through the credential revocation ' + 'API: unauthenticated, the token in the body',
    async () => {
      const r = await revoke(['--yes'], tokens.github);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^revoked: .*GitHub accepted the revocation \(HTTP 202\)/);
      const [call, ...more] = revokes('github');
      expect(more).toHaveLength(0);
      expect(call!.method).toBe('POST');
      expect(call!.headers.authorization).toBeUndefined();
      expect(JSON.parse(call!.body)).toEqual({ credentials: [tokens.github] });
      expectNoToken(r);
    },
  );

  it(
    'revokes a GitLab token with DELETE ' +
      '/personal_access_tokens/self, the token read from an environment variable',
    async () => {
      const r = await revoke(['--yes', '--from-env', 'MIRROR_TOKEN'], undefined, { MIRROR_TOKEN: tokens.gitlab });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('GitLab revoked the token (HTTP 204)');
      const calls = revokes('gitlab');
      expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['DELETE /api/v4/personal_access_tokens/self']);
      expect(calls[0]!.headers['private-token']).toBe(tokens.gitlab);
      expectNoToken(r);
    },
  );

  it('revokes a Slack token with auth.revoke and its bearer token', async () => {
    const r = await revoke(['--yes'], undefined, { LEAKRADIUS_TOKEN: tokens.slack });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Slack revoked the token');
    expect(revokes('slack').map((c) => `${c.method} ${c.path}`)).toEqual(['POST /api/auth.revoke']);
    expectNoToken(r);
  });

  it("revokes a GitHub App installation token and a Dropbox token with each one's self-revocation call", async () => {
    const app = await revoke(['--yes'], tokens.installation);
    expect(app.code, app.stderr).toBe(0);
    expect(app.stdout).toContain('GitHub revoked the installation token (HTTP 204)');
    expect(fakes.requests.filter((q) => q.path === '/installation/token').map((q) => q.method)).toEqual(['DELETE']);
    const dropbox = await revoke(['--yes'], tokens.dropbox);
    expect(dropbox.code, dropbox.stderr).toBe(0);
    expect(dropbox.stdout).toMatch(/^revoked: .*Dropbox revoked the token/);
    expect(revokes('dropbox').map((q) => `${q.method} ${q.path}`)).toEqual(['POST /2/auth/token/revoke']);
    expectNoToken(app);
    expectNoToken(dropbox);
  });

  it('refuses without confirmation when there is no terminal to ask on, and sends no revoking request', async () => {
    const before = revokes('github').length;
    const r = await revoke([], tokens.github);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('give --yes to confirm');
    expect(revokes('github').length).toBe(before);
    expectNoToken(r);
  });

  it('asks on the terminal, naming the identity that loses access, and revokes only on "yes"', async () => {
    if (!existsSync('/usr/bin/script')) return expect.fail('needs util-linux script(1) for a pseudo-terminal');
    const ask = (answer: string) =>
      new Promise<string>((resolve, reject) => {
        // script(1) gives the CLI a pseudo-terminal; the token comes from the environment.
        const child = spawn('script', ['-qec', `"${process.execPath}" "${BIN}" revoke`, '/dev/null'], {
          cwd: ROOT,
          env: { ...process.env, ...endpoints(), NO_COLOR: '1', LEAKRADIUS_TOKEN: tokens.gitlab },
        });
        let out = '';
        let answered = false;
        child.stdin.on('error', () => undefined); // the CLI may be gone by the time a late write lands
        child.stdout.on('data', (d) => {
          out += d;
          if (!answered && out.includes('Type "yes"')) {
            answered = true;
            child.stdin.write(`${answer}\n`);
          }
        });
        child.on('error', reject);
        child.on('close', () => resolve(out));
      });
    const before = revokes('gitlab').length;
    const declined = await ask('no');
    expect(declined).toMatch(/Revoke the GitLab .* glpat-.*of user 42 \(token "mirror"\) \(live\) through GitLab/);
    expect(declined).toContain('declined: not revoked: not confirmed');
    expect(revokes('gitlab').length).toBe(before);
    const accepted = await ask('yes');
    expect(accepted).toContain('revoked: ');
    expect(revokes('gitlab').length).toBe(before + 1);
    for (const out of [declined, accepted]) expect(out).not.toContain(tokens.gitlab);
  });

  it('asks the library caller the same question and does nothing on no', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, endpoints());
    try {
      const [finding] = await analyseToken(tokens.github, {
        offline: false,
        'deep-lookup': false,
        'lookup-timeout': 5,
      });
      const questions: string[] = [];
      const before = revokes('github').length;
      const outcome = await revokeFinding(finding!, { confirm: async (q) => (questions.push(q), false) });
      expect(outcome.kind).toBe('declined');
      expect(questions).toHaveLength(1);
      expect(questions[0]).toContain('of octo-fixture (live)');
      expect(questions[0]).not.toContain(tokens.github);
      expect(revokes('github').length).toBe(before);
    } finally {
      process.env = saved;
    }
  });

  it('refuses a token on the command line without echoing it', async () => {
    const r = await revoke(['--yes', tokens.github], undefined);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('never as an argument');
    expectNoToken(r);
  });

  it(
    'checks the token against the finding the report names, and ' + 'refuses another without sending it anywhere',
    async () => {
      const before = fakes.requests.length;
      const r = await revoke(['--yes', '--fingerprint', '0123456789abcdef'], tokens.github);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/not the finding 0123456789abcdef; nothing revoked/);
      expect(fakes.requests.length).toBe(before);
      const both = await revoke(['--yes'], `${tokens.github}\n${tokens.slack}\n`);
      expect(both.code).toBe(2);
      expect(both.stderr).toContain('the input holds 2 credentials; revoke takes one at a time');
      expect(fakes.requests.length).toBe(before);
      const fp = fingerprint('github-classic-pat', tokens.github);
      const right = await revoke(['--yes', '--fingerprint', fp.slice(0, 16)], tokens.github);
      expect(right.code, right.stderr).toBe(0);
      expectNoToken(r);
      expectNoToken(both);
    },
  );

  it('says so when the provider refuses, and when the token is already revoked', async () => {
    const refused = await revoke(['--yes'], tokens.github, {
      LEAKRADIUS_ENDPOINT_GITHUB: fakes.url('github', 'spammed'),
    });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^refused: .*HTTP 422/);
    const before = revokes('gitlab').length;
    const already = await revoke(['--yes'], tokens.gitlab, {
      LEAKRADIUS_ENDPOINT_GITLAB: fakes.url('gitlab', 'revoked'),
    });
    expect(already.code, already.stderr).toBe(0);
    expect(already.stdout).toMatch(/^already-revoked: /);
    expect(revokes('gitlab').length).toBe(before);
    expectNoToken(refused);
    expectNoToken(already);
  });

  it(
    'prints the exact steps for a provider without a revocation call ' +
      '(Stripe), and sends it nothing but the lookup',
    async () => {
      const r = await revoke(['--yes'], tokens.stripe);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^steps: .*stripe has no call that revokes this credential/);
      expect(r.stdout).toMatch(/1\. Revoke or rotate it at the provider: https:\/\/dashboard\.stripe\.com\/apikeys/);
      expect(fakes.requests.filter((q) => q.provider === 'stripe').map((q) => q.path)).toEqual(['/v1/account']);
      expectNoToken(r);
    },
  );
});
