// Shared test helpers: temp dirs, running the real CLI, seeded test tokens.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expandTemplate } from '../src/detect/template.js';

export const ROOT = resolve(__dirname, '..');
export const BIN = join(ROOT, 'bin', 'leakradius.js');

const dirs: string[] = [];
export function tempDir(prefix = 'lr-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
export function cleanupTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A realistic-looking token generated at test time (nothing literal in the repository). */
export function token(template = '{{github:ghp_}}', seed: string | number = 'test'): string {
  return expandTemplate(template, seed);
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  opts: {
    cwd?: string;
    input?: string | Buffer;
    env?: NodeJS.ProcessEnv;
    uid?: number;
    gid?: number;
    timeoutMs?: number;
    wrapper?: string[];
  } = {},
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    // `wrapper` runs the CLI under another command (setpriv, to drop capabilities).
    const [cmd, ...pre] = [...(opts.wrapper ?? []), process.execPath];
    const child = spawn(cmd!, [...pre, BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      // Offline unless a test asks otherwise: tests never send tokens to real providers.
      env: { ...process.env, NO_COLOR: '1', LEAKRADIUS_OFFLINE: '1', ...opts.env },
      uid: opts.uid,
      gid: opts.gid,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}
