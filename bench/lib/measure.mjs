// One timed run of one command: wall seconds (hrtime around the spawn), peak RSS (GNU time %M, or
// VmHWM polled from /proc), CPU seconds (GNU time %U + %S: the command and every child it waited
// for, such as git; none without GNU time), exit code, and the tail of stderr.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';

export function measure({ cmd, args, cwd, env, timeoutSec, gnuTime }) {
  return new Promise((resolve) => {
    const rssFile = path.join(os.tmpdir(), `leakradius-bench-rss-${process.pid}-${Date.now()}`);
    const argv = gnuTime ? [gnuTime, ['-f', '%M %U %S', '-o', rssFile, '--', cmd, ...args]] : [cmd, args];
    const start = process.hrtime.bigint();
    const child = spawn(argv[0], argv[1], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    let stderr = '';
    child.stderr.on('data', (b) => {
      stderr = (stderr + b.toString()).slice(-4000);
    });
    let hwm = 0;
    const poll = gnuTime
      ? null
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) hwm = Math.max(hwm, Number(m[1]));
          } catch {}
        }, 20);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, timeoutSec * 1000);
    child.on('close', (code, signal) => {
      const wall = Number(process.hrtime.bigint() - start) / 1e9;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      let rssKb = hwm || null;
      let cpu = null;
      if (gnuTime) {
        try {
          const lines = fs.readFileSync(rssFile, 'utf8').trim().split('\n');
          // GNU time prints "Command exited with non-zero status N" before the format line.
          const [kb, user, sys] = lines[lines.length - 1].split(' ').map(Number);
          rssKb = kb || null;
          cpu = Number.isFinite(user + sys) ? user + sys : null;
        } catch {}
        fs.rmSync(rssFile, { force: true });
      }
      resolve({ wall, rssKb, cpu, code: timedOut ? 'timeout' : (code ?? signal), stderr });
    });
  });
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
