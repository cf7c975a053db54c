// Issue 17.24: the cache directory (parsed rules, keyword automaton) decides which rules run, so
// what is read from it is keyed by content and checked. Real cache files, the real CLI.

import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAscii } from 'node:buffer';
import { loadRuleSet } from '../src/detect/rules.js';
import { GitRepo } from './git-repo.js';
import { cleanupTempDirs, runCli, tempDir, token } from './helpers.js';

afterAll(cleanupTempDirs);

/** A file with one GitHub token, and an empty cache directory for the CLI. */
function setUp(prefix: string): { file: string; env: NodeJS.ProcessEnv; cache: string } {
  const dir = tempDir(prefix);
  const file = join(dir, 'deploy.env');
  writeFileSync(file, `GITHUB_TOKEN=${token('{{github:ghp_}}', prefix)}\n`);
  const cache = join(dir, 'cache');
  return { file, cache, env: { LEAKRADIUS_CACHE_DIR: cache } };
}

const entries = (cache: string, prefix: string) =>
  readdirSync(cache)
    .filter((n) => n.startsWith(prefix))
    .map((n) => join(cache, n));

/**
 * A rules directory with one rule, for "corpa_" tokens, and a file holding a "corpb_" token:
 * `args` scans it; `edit` rewrites the rule for "corpb_" at the same size and puts its mtime back.
 */
function corpRules(prefix: string): { args: string[]; edit: () => void } {
  const dir = tempDir(prefix);
  const rules = join(dir, 'rules');
  mkdirSync(rules);
  const file = join(rules, 'corp.yml');
  // Whole seconds, so the edit can keep the time exactly.
  const when = 1_700_000_000;
  const write = (tokenPrefix: string) => {
    writeFileSync(
      file,
      'rules:\n  - id: corp-token\n    name: Corp token\n    provider: corp\n' +
        `    pattern: '\\b(${tokenPrefix}_[0-9a-f]{32})\\b'\n    keywords: [${tokenPrefix}_]\n` +
        `    examples: ['t = ${tokenPrefix}_{{hex:32}}']\n    negative_examples: ['t = x']\n`,
    );
    utimesSync(file, when, when);
  };
  write('corpa');
  const target = join(dir, 'app.env');
  writeFileSync(target, `T=${token('corpb_{{hex:32}}', prefix)}\n`);
  return { args: ['scan', target, '--rules', rules], edit: () => write('corpb') };
}

describe('the rules cache (17.24)', () => {
  it('does not let a cached file with no rules switch every rule off', async () => {
    const { file, env, cache } = setUp('lr-cache-empty-');
    expect((await runCli(['scan', file], { env })).code).toBe(1);
    const cached = entries(cache, 'rules-');
    expect(cached).toHaveLength(1);
    for (const f of cached) writeFileSync(f, '{"rules":[],"key":"x"}');
    const r = await runCli(['scan', file], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('github-classic-pat');
  });

  it('keys parsed rules by content: an edit that keeps size and time is seen', async () => {
    const { env, cache } = setUp('lr-cache-content-');
    const corp = corpRules('lr-cache-rules-');
    expect((await runCli(corp.args, { env })).code).toBe(0);
    expect(entries(cache, 'rules-')).toHaveLength(1);
    corp.edit();
    const r = await runCli(corp.args, { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('corp-token');
  });

  it('trusts rule files by stat only with their change time: an edit with the mtime restored is seen', async () => {
    const { env, cache } = setUp('lr-cache-stat-');
    const corp = corpRules('lr-cache-stat-rules-');
    // A stat entry is written only for files whose change time has settled (two seconds).
    await new Promise((r) => setTimeout(r, 2100));
    expect((await runCli(corp.args, { env })).code).toBe(0);
    expect(entries(cache, 'stat-rules-')).toHaveLength(1);
    // Same size, same inode, mtime put back: only the change time tells.
    corp.edit();
    const r = await runCli(corp.args, { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('corp-token');
  });

  it('ignores a cache entry that other users can write', async () => {
    const { file, env, cache } = setUp('lr-cache-mode-');
    expect((await runCli(['scan', file], { env })).code).toBe(1);
    // A well-formed entry with one rule per file, each unable to match, left writable by everyone.
    for (const f of entries(cache, 'rules-')) {
      const set = JSON.parse(readFileSync(f, 'utf8')) as { rules: Array<Record<string, unknown>> };
      for (const r of set.rules) Object.assign(r, { pattern: 'x^', keywords: ['zzzz-never'] });
      writeFileSync(f, JSON.stringify(set));
      chmodSync(f, 0o666);
    }
    const r = await runCli(['scan', file], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('github-classic-pat');
  });
});

describe('the rules cache entry', () => {
  it('is ASCII (so read as one-byte text) and reads back as the rules parsed, texts beyond ASCII included', () => {
    const dir = tempDir('lr-rules-ascii-');
    const rules = join(dir, 'rules');
    mkdirSync(rules);
    writeFileSync(
      join(rules, 'corp.yml'),
      'rules:\n  - id: corp-token\n    name: Corp token \u2014 caf\u00e9 \ud83d\udd11\n    provider: corp\n' +
        "    pattern: '\\b(corpa_[0-9a-f]{32})\\b'\n    keywords: [corpa_]\n" +
        "    examples: ['t = corpa_{{hex:32}}']\n    negative_examples: ['t = x']\n",
    );
    const cache = join(dir, 'cache');
    const before = process.env.LEAKRADIUS_CACHE_DIR;
    process.env.LEAKRADIUS_CACHE_DIR = cache;
    try {
      const parsed = loadRuleSet(rules);
      expect(parsed.rules[0]!.name).toBe('Corp token \u2014 caf\u00e9 \ud83d\udd11');
      const [entry] = entries(cache, 'rules-');
      expect(isAscii(readFileSync(entry!))).toBe(true);
      const written = statSync(entry!).ino;
      expect(loadRuleSet(rules)).toEqual(parsed);
      expect(statSync(entry!).ino).toBe(written); // read back, not parsed and written again
    } finally {
      if (before === undefined) delete process.env.LEAKRADIUS_CACHE_DIR;
      else process.env.LEAKRADIUS_CACHE_DIR = before;
    }
  });
});

describe('the keyword automaton cache (17.24)', () => {
  it('rebuilds an automaton that would wake no rule instead of using it (git scans keep one)', async () => {
    const { file, env, cache } = setUp('lr-cache-automaton-');
    const repo = GitRepo.init('lr-cache-automaton-repo-');
    // More than the few KB searched without the automaton (prefilter.ts DIRECT_BYTES): it is loaded.
    const filler = 'a line of ordinary text\n'.repeat(2000);
    repo.commit('add', { 'a-notes.txt': filler, 'deploy.env': readFileSync(file, 'utf8') });
    const scanRepo = () => runCli(['git', repo.dir], { env: { ...env, HOME: repo.env.HOME } });
    expect((await scanRepo()).code).toBe(1);
    const cached = entries(cache, 'prefilter-');
    expect(cached.length).toBeGreaterThan(0);
    // A well-formed automaton of one state that never leaves it and wakes nothing.
    // Layout (prefilter-cache.ts): header, outputLength padded to 4 bytes, delta, outputs as JSON.
    const header = Buffer.alloc(16 + 4);
    header.writeUInt32LE(0x4c525032, 0);
    header.writeUInt32LE(2, 4);
    header.writeUInt32LE(1, 8);
    header.writeUInt32LE(2, 12);
    const blind = Buffer.concat([header, Buffer.alloc(256 * 2), Buffer.from('[]')]);
    for (const f of cached) writeFileSync(f, blind);
    const r = await scanRepo();
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('github-classic-pat');
  });
});
