// re2's own download mirror (its install script reads RE2_DOWNLOAD_MIRROR, a URL or a directory), laid
// out in a temp dir with the re2.node this checkout built: installing the same re2 elsewhere (the
// packed tarball, the pre-commit framework's environment) then takes that binary instead of spending
// minutes on a native build. re2 still runs its own verify-build on it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, tempDir } from './helpers.js';

export function re2MirrorEnv(): NodeJS.ProcessEnv {
  const re2 = join(ROOT, 'node_modules', 're2');
  const { version } = JSON.parse(readFileSync(join(re2, 'package.json'), 'utf8')) as { version: string };
  const dir = tempDir('lr-re2-mirror-');
  // <mirror>/<version>/<platform>-<arch>-<abi>.gz: a different re2 version finds nothing and builds.
  mkdirSync(join(dir, version));
  const slot = `${process.platform}-${process.arch}-${process.versions.modules}`;
  writeFileSync(join(dir, version, `${slot}.gz`), gzipSync(readFileSync(join(re2, 'build', 'Release', 're2.node'))));
  return { RE2_DOWNLOAD_MIRROR: dir, RE2_DOWNLOAD_SKIP_PATH: '1' };
}
