// A real git repository in a temp dir, with deterministic authors and dates, for git tests.

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tempDir } from './helpers.js';
import type { Finding } from '../src/types.js';

const EPOCH = Date.parse('2024-01-01T00:00:00Z');

/** Environment that keeps the user's and the system's git config out of the tests. */
export function gitEnv(home: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Ada Lovelace',
    GIT_AUTHOR_EMAIL: 'ada@example.com',
    GIT_COMMITTER_NAME: 'Ada Lovelace',
    GIT_COMMITTER_EMAIL: 'ada@example.com',
    GIT_TERMINAL_PROMPT: '0',
  };
}

export class GitRepo {
  readonly env: NodeJS.ProcessEnv;
  private tick = 0;
  constructor(
    readonly dir: string,
    home = dir + '-home',
  ) {
    mkdirSync(home, { recursive: true });
    this.env = gitEnv(home);
  }

  static init(prefix = 'lr-git-'): GitRepo {
    const repo = new GitRepo(join(tempDir(prefix), 'repo'));
    mkdirSync(repo.dir, { recursive: true });
    repo.git('init', '-q', '-b', 'main');
    repo.git('config', 'user.name', 'Ada Lovelace');
    repo.git('config', 'user.email', 'ada@example.com');
    repo.git('config', 'commit.gpgsign', 'false');
    return repo;
  }

  /** Runs git; each call gets the next minute as author and committer date. */
  git(...args: string[]): string {
    const date = new Date(EPOCH + ++this.tick * 60_000).toISOString();
    return execFileSync('git', args, {
      cwd: this.dir,
      env: { ...this.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  write(path: string, text: string): this {
    mkdirSync(dirname(join(this.dir, path)), { recursive: true });
    writeFileSync(join(this.dir, path), text);
    return this;
  }

  /** Writes files, stages everything and commits; returns the new commit id. */
  commit(message: string, files: Record<string, string> = {}): string {
    for (const [p, t] of Object.entries(files)) this.write(p, t);
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.head();
  }

  head(): string {
    return this.git('rev-parse', 'HEAD').trim();
  }
}

/** A rules directory with only the GitHub classic PAT rule: git tests do not depend on the catalog. */
export function githubRulesDir(): string {
  const dir = tempDir('lr-rules-');
  writeFileSync(
    join(dir, 'github.yml'),
    `provider: github
rules:
  - id: github-classic-pat
    name: GitHub personal access token (classic)
    type: classic-pat
    pattern: '\\b(ghp_[A-Za-z0-9]{36})\\b'
    keywords: [ghp_]
    entropy: 3.0
    validate: github
    confidence: high
    tier: high
    examples:
      - 'export GITHUB_TOKEN={{github:ghp_}}'
    negative_examples:
      - 'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'
    remediation:
      revoke: https://github.com/settings/tokens
      replace_with: A fine-grained personal access token with an expiry.
`,
  );
  return dir;
}

/** What a user sees of a finding in history: counts, first and last seen, every location in its order. */
export function historyView(f: Finding) {
  return {
    f: f.fingerprint,
    n: f.occurrences,
    first: f.firstSeen?.commit,
    last: f.lastSeen?.commit,
    head: f.presentAtHead,
    at: f.locations.map((l) => (l.kind === 'git' ? `${l.commit.slice(0, 10)} ${l.path}:${l.line}:${l.column}` : '')),
  };
}
