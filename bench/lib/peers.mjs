// Peer installation, the same way every time, into bench/.cache/. Each installer returns
// { name, version, ... } or { name, skip: reason }.

import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';

const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });

export function installSecretlint(cacheDir, log) {
  const dir = path.join(cacheDir, 'secretlint');
  const bin = path.join(dir, 'node_modules', 'secretlint', 'bin', 'secretlint.js');
  const rc = path.join(dir, '.secretlintrc.json');
  try {
    if (
      !fs.existsSync(bin) ||
      !fs.existsSync(path.join(dir, 'node_modules', '@secretlint', 'secretlint-rule-preset-recommend'))
    ) {
      log('installing secretlint 13 into bench/.cache/secretlint (npm)');
      fs.mkdirSync(dir, { recursive: true });
      const res = run('npm', [
        'install',
        '--prefix',
        dir,
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        'secretlint@13',
        '@secretlint/secretlint-rule-preset-recommend@13',
      ]);
      if (res.status !== 0)
        return {
          name: 'secretlint',
          skip: `npm install failed: ${(res.stderr || res.error?.message || '').trim().split('\n').slice(-3).join(' ')}`,
        };
    }
    fs.writeFileSync(
      rc,
      JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }, null, 2) + '\n',
    );
    const v = run(process.execPath, [bin, '--version']);
    if (v.status !== 0)
      return { name: 'secretlint', skip: `secretlint does not start: ${v.stderr.trim().split('\n').pop()}` };
    const preset = JSON.parse(
      fs.readFileSync(
        path.join(dir, 'node_modules', '@secretlint', 'secretlint-rule-preset-recommend', 'package.json'),
        'utf8',
      ),
    ).version;
    return { name: 'secretlint', version: `${v.stdout.trim()} (preset-recommend ${preset})`, bin, rc };
  } catch (e) {
    return { name: 'secretlint', skip: String(e.message || e) };
  }
}

export function installGitleaks(cacheDir, log) {
  const root = path.join(cacheDir, 'gitleaks');
  const bin = path.join(root, 'usr', 'bin', 'gitleaks');
  try {
    if (!fs.existsSync(bin)) {
      log('installing gitleaks from Debian trixie into bench/.cache/gitleaks (apt-get download + dpkg-deb -x)');
      const apt = path.join(cacheDir, 'apt');
      for (const d of ['lists/partial', 'cache/archives/partial', 'dl'])
        fs.mkdirSync(path.join(apt, d), { recursive: true });
      const sources = path.join(apt, 'sources.list');
      fs.writeFileSync(sources, 'deb http://deb.debian.org/debian trixie main\n');
      const opts = [
        '-o',
        `Dir::Etc::SourceList=${sources}`,
        '-o',
        'Dir::Etc::SourceParts=/dev/null',
        '-o',
        `Dir::State::Lists=${path.join(apt, 'lists')}`,
        '-o',
        `Dir::Cache=${path.join(apt, 'cache')}`,
        '-o',
        'APT::Get::List-Cleanup=0',
        '-o',
        'APT::Sandbox::User=root',
      ];
      let res = run('apt-get', ['update', '-qq', ...opts]);
      if (res.status !== 0)
        return {
          name: 'gitleaks',
          skip: `apt-get update (trixie) failed: ${(res.stderr || res.error?.message || '').trim().split('\n').pop()}`,
        };
      const dl = path.join(apt, 'dl');
      for (const f of fs.readdirSync(dl)) fs.rmSync(path.join(dl, f));
      res = run('apt-get', ['download', '-qq', ...opts, 'gitleaks'], { cwd: dl });
      const deb = fs.readdirSync(dl).find((f) => f.endsWith('.deb'));
      if (res.status !== 0 || !deb)
        return {
          name: 'gitleaks',
          skip: `apt-get download gitleaks failed: ${(res.stderr || res.error?.message || '').trim().split('\n').pop()}`,
        };
      fs.rmSync(root, { recursive: true, force: true });
      execFileSync('dpkg-deb', ['-x', path.join(dl, deb), root]);
      fs.writeFileSync(path.join(root, 'DEB'), deb + '\n');
    }
    const deb = fs.existsSync(path.join(root, 'DEB')) ? fs.readFileSync(path.join(root, 'DEB'), 'utf8').trim() : '';
    const m = /^gitleaks_([^_]+)_/.exec(deb);
    const v = run(bin, ['version']);
    if (v.status !== 0)
      return { name: 'gitleaks', skip: `gitleaks does not start: ${(v.stderr || v.error?.message || '').trim()}` };
    return { name: 'gitleaks', version: m ? `${decodeURIComponent(m[1])} (Debian trixie)` : v.stdout.trim(), bin };
  } catch (e) {
    return { name: 'gitleaks', skip: String(e.message || e) };
  }
}

/** GNU time for peak RSS; install it with apt-get when missing and we are root. */
export function ensureGnuTime(log) {
  if (fs.existsSync('/usr/bin/time')) return '/usr/bin/time';
  if (process.getuid?.() === 0) {
    log('installing GNU time (apt-get install time) for peak-RSS measurement');
    run('apt-get', ['install', '-y', '-qq', 'time']);
    if (fs.existsSync('/usr/bin/time')) return '/usr/bin/time';
  }
  log('GNU time not available: peak RSS is read by polling /proc/<pid>/status (VmHWM)');
  return null;
}
