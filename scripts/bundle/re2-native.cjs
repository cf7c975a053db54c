'use strict';
// re2's native module inside a bundle (scripts/bundle.mjs): the copy shipped beside the bundle when
// it was built for this platform and Node ABI; anywhere else, re2 installed once with npm beside it.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { execFileSync } = require('node:child_process');

/* global LEAKRADIUS_RE2_NATIVE -- { platform, arch, modules, version }, set by scripts/bundle.mjs */
const shipped = LEAKRADIUS_RE2_NATIVE;

function warn(message) {
  // In a GitHub Actions job a workflow command makes it an annotation, not a buried log line.
  const prefix = process.env.GITHUB_ACTIONS === 'true' ? '::warning::leakradius: ' : 'leakradius: warning: ';
  process.stderr.write(`${prefix}${message}\n`);
}

function load() {
  const here = { platform: process.platform, arch: process.arch, modules: process.versions.modules };
  if (here.platform === shipped.platform && here.arch === shipped.arch && here.modules === shipped.modules) {
    return require(join(__dirname, 're2.node'));
  }
  const prefix = join(__dirname, 're2-fallback');
  const built = join(prefix, 'node_modules', 're2', 'build', 'Release', 're2.node');
  if (!existsSync(built)) {
    warn(
      `the bundled re2.node is for ${shipped.platform}-${shipped.arch}, Node ABI ${shipped.modules}; this is ` +
        `${here.platform}-${here.arch}, Node ABI ${here.modules}: installing re2@${shipped.version} with npm into ` +
        `${prefix} (once; re2 downloads a prebuilt binary where one exists, else builds it, which takes minutes)`,
    );
    const args = ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund'];
    execFileSync('npm', [...args, '--loglevel=error', `re2@${shipped.version}`], {
      stdio: ['ignore', 2, 2],
      shell: process.platform === 'win32',
    });
  }
  return require(built);
}

module.exports = load();
