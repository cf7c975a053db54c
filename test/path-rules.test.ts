// Rules with a `path:` run only on files whose path they name (a Rails master key is a bare hex
// string: only its path says what it is), and a committed credential store is a leak whatever its
// password is. Real files in temp dirs, a real tar and a real git repository, scanned by the CLI.

import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseRuleFile } from '../src/detect/rules.js';
import { cleanupTempDirs, runCli, tempDir, token } from './helpers.js';
import { tarball, writeFiles } from './archive-helpers.js';
import { GitRepo } from './git-repo.js';

afterAll(cleanupTempDirs);

interface JsonFinding {
  rule: string;
  locations: Array<{ path?: string; chain?: string[] }>;
  blast: { reasons: string[] };
  scope: { identity?: string; facts: string[] };
}

async function scanJson(args: string[]): Promise<JsonFinding[]> {
  const r = await runCli([...args, '--offline', '--format', 'json']);
  expect(r.code, r.stderr).not.toBe(2);
  return (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
}

/** Paths (relative to `dir`) where `rule` was found. */
function foundAt(findings: JsonFinding[], rule: string, dir: string): string[] {
  return findings
    .filter((f) => f.rule === rule)
    .flatMap((f) => f.locations.map((l) => (l.chain ? l.chain.join('!') : l.path!)))
    .map((p) => p.replace(dir + '/', ''))
    .sort();
}

function dockerConfig(auth: string): string {
  return `{\n  "auths": {\n    "registry.acme-build.io": {\n      "auth": "${auth}"\n    }\n  }\n}\n`;
}

function sftpConfig(password: string): string {
  const fields = {
    type: 'sftp',
    host: 'deploy.acme-shop.com',
    user: 'deploy',
    password,
    remote_path: '/var/www/shop',
  };
  return `${JSON.stringify(fields, null, 2)}\n`;
}

describe('path rules', () => {
  it('finds config/master.key by its path, and the same kind of value in other files not', async () => {
    const dir = tempDir('lr-path-');
    writeFiles(dir, {
      'config/master.key': `${token('{{hex:32}}', 'master')}\n`,
      'config/credentials/production.key': token('{{hex:32}}', 'production'),
      'keys/other.key': `${token('{{hex:32}}', 'other')}\n`,
      README: `${token('{{hex:32}}', 'readme')}\n`,
    });
    const findings = await scanJson(['scan', dir]);
    const keys = ['config/credentials/production.key', 'config/master.key'];
    expect(foundAt(findings, 'rails-master-key', dir)).toEqual(keys);
    const paths = findings.flatMap((f) => f.locations.map((l) => l.path!.replace(dir + '/', '')));
    expect(paths).not.toContain('keys/other.key');
    expect(paths).not.toContain('README');
  });

  it(
    'finds a Docker registry auth entry as a registry ' + 'credential with its user, only in a Docker config',
    async () => {
      const dir = tempDir('lr-path-');
      const auth = token('{{basic-auth:builder}}', 'docker');
      const elsewhere = dockerConfig(token('{{basic-auth:builder}}', 'other'));
      writeFiles(dir, { '.docker/config.json': dockerConfig(auth), 'app/config.json': elsewhere });
      const findings = await scanJson(['scan', dir]);
      expect(foundAt(findings, 'docker-registry-auth', dir)).toEqual(['.docker/config.json']);
      const docker = findings.find((f) => f.rule === 'docker-registry-auth')!;
      expect(docker.scope.identity).toBe('builder');
      expect(docker.scope.facts).toContain('registry user builder (decoded from the base64 auth entry)');
      expect(docker.blast.reasons.join('\n')).toContain('Docker client config');
      expect(JSON.stringify(findings)).not.toContain(auth);
    },
  );

  it('reads the path of archive members and of git blobs and history', async () => {
    const dir = tempDir('lr-path-');
    const key = token('{{hex:32}}', 'archived');
    const notes = `${token('{{hex:32}}', 'n')}\n`;
    writeFiles(dir, { 'deploy.tar': await tarball({ 'app/config/master.key': `${key}\n`, 'app/notes.txt': notes }) });
    const archived = foundAt(await scanJson(['scan', dir]), 'rails-master-key', dir);
    expect(archived).toEqual(['deploy.tar!app/config/master.key']);

    const repo = GitRepo.init();
    repo.commit('add app', { 'README.md': 'app\n' });
    const salt = `${token('{{hex:32}}', 's')}\n`;
    repo.commit('add key', { 'config/master.key': `${token('{{hex:32}}', 'committed')}\n`, 'config/salt.txt': salt });
    const history = await runCli(['git', repo.dir, '--offline', '--format', 'json']);
    const all = (JSON.parse(history.stdout) as { findings: JsonFinding[] }).findings;
    const found = all.filter((f) => f.rule === 'rails-master-key');
    expect(found.map((f) => f.locations.map((l) => l.path))).toEqual([['config/master.key']]);
  });

  it('rejects a path rule with keywords, and a path that is not RE2', async () => {
    const rule = (extra: string) =>
      `rules:\n  - id: x\n    name: X\n    pattern: 'a(b)'\n${extra}` +
      `    examples: ['ab']\n    negative_examples: ['a']\n`;
    const withKeywords = rule("    path: 'x$'\n    keywords: [ab]\n");
    expect(() => parseRuleFile(withKeywords, 'x.yml')).toThrow(/x\.yml: rule "x": keywords: a rule with path/);
    const dir = tempDir('lr-path-rules-');
    writeFiles(dir, { 'bad.yml': rule("    path: '(?<=a)b'\n") });
    const r = await runCli(['scan', dir, '--rules', dir, '--offline']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yml: rule "x": path does not compile with RE2/);
  });
});

describe('credential stores', () => {
  it('reports a weak password in an editor upload config, with the file kind as the reason', async () => {
    const dir = tempDir('lr-store-');
    writeFiles(dir, {
      'sftp-config.json': sftpConfig('password'),
      '.vscode/sftp.json': sftpConfig('changeme'),
      // Outside a credential store a weak word stays a placeholder; a reference is one everywhere.
      'deploy-settings.json': sftpConfig('password'),
      '.ftpconfig': sftpConfig('${FTP_PASSWORD}'),
    });
    const findings = await scanJson(['scan', dir]);
    const at = (path: string) => findings.filter((f) => f.locations.some((l) => l.path === join(dir, path)));
    expect(at('sftp-config.json').length).toBe(1);
    const reason = 'in a committed editor SFTP/FTP upload config: a leak whatever its value';
    expect(at('sftp-config.json')[0]!.blast.reasons).toContain(reason);
    expect(at('.vscode/sftp.json')[0]!.blast.reasons.join('\n')).toContain('VS Code SFTP config');
    expect(at('deploy-settings.json')).toEqual([]);
    expect(at('.ftpconfig')).toEqual([]);
  });

  it('still takes an access key id for an identifier: only the secret of an .s3cfg is reported', async () => {
    const dir = tempDir('lr-store-');
    const id = token('{{upper:4}}{{digits:4}}{{upper:12}}', 's3cfg-id');
    writeFiles(dir, {
      'home/u/.s3cfg': `[default]\naccess_key = ${id}\nsecret_key = ${token('{{an:40}}', 's3cfg-secret')}\n`,
    });
    const findings = await scanJson(['scan', dir]);
    expect(findings.map((f) => f.locations.map((l) => l.line))).toEqual([[3]]);
  });
});
