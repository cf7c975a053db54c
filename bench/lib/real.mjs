// Real repositories for the `history-real` job: full histories of every ref, as GitHub serves
// them (pull-request refs included), in shapes the generated history does not have. Each is a
// mirror clone under bench/work/real/<name>/.git (core.bare=false, nothing checked out), pinned by
// its HEAD commit and a digest of its refs; a repository that is not there is skipped with a word
// on how to bring it.

import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';

export const REAL_REPOS = [
  {
    name: 'sequelize',
    github: 'sequelize/sequelize',
    shape: 'many refs and long: pull-request refs, yarn.lock rewritten in ~2,400 commits, committed browser bundles',
    head: 'c7700944925914dd936e96ad2dabb4dbdf7e9477',
    refs: 9043,
    refsDigest: 'e786d2f4029756e1',
  },
  {
    name: 'vue',
    github: 'vuejs/vue',
    shape: 'committed build output: dist/vue.js, dist/vue.min.js and friends rebuilt in hundreds of commits',
    head: '9e88707940088cb1f4cd7dd210c9168a50dc347c',
    refs: 3702,
    refsDigest: 'f26ce3bb58082b5d',
  },
  {
    name: 'uptime-kuma',
    github: 'louislam/uptime-kuma',
    shape: 'lockfile history: package-lock.json rewritten in ~900 commits',
    head: '6398a9581d1c3c427a7536559f47ccf45dac08b4',
    refs: 3013,
    refsDigest: '87a5bfad38b1b140',
  },
];

const MANIFEST_VERSION = 1;
/** Where mirrors brought by the sandbox's fetch tool live: <dir>/<owner>+<name>/repo. */
const MIRRORS = process.env.BENCH_REAL_MIRRORS ?? '/work/.mirror';

const git = (dir, args, opts = {}) =>
  spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, ...opts });

/** HEAD and a short digest of every ref but our own refs/replace/ placeholders. */
function pinOf(dir) {
  const refs = git(dir, ['for-each-ref', '--format=%(objectname) %(refname)'])
    .stdout.split('\n')
    .filter((l) => l && !l.includes(' refs/replace/'));
  const digest = crypto
    .createHash('sha256')
    .update(refs.join('\n') + '\n')
    .digest('hex')
    .slice(0, 16);
  return { head: git(dir, ['rev-parse', 'HEAD']).stdout.trim(), refs: refs.length, refsDigest: digest };
}

/** Bytes of `git log -p -U0 --full-history --all` (what gitleaks reads), streamed, never held. */
function patchBytes(dir) {
  const r = spawnSync('sh', ['-c', 'git -C "$1" log -p -U0 --full-history --all | wc -c', 'sh', dir], {
    encoding: 'utf8',
  });
  return Number(r.stdout.trim());
}

/**
 * Snapshots that lack some blobs (the fetch tool leaves out files of 4 MiB and more) stand them in
 * as the empty blob with refs/replace/<id>: every tool reads history through git, so all see the
 * same content, and `git log -p` runs to the end instead of failing at the first missing blob.
 */
function placeholders(dir) {
  const fsck = git(dir, ['fsck', '--connectivity-only', '--no-dangling']);
  const missing = [...`${fsck.stdout}\n${fsck.stderr}`.matchAll(/^missing blob ([0-9a-f]{40,64})$/gm)].map(
    (m) => m[1],
  );
  if (missing.length === 0) return 0;
  const empty = git(dir, ['hash-object', '-w', '--stdin'], { input: '' }).stdout.trim();
  for (const id of missing) git(dir, ['update-ref', `refs/replace/${id}`, empty]);
  return missing.length;
}

/** Brings one repository into bench/work/real (once) and describes it; { skip } when it cannot. */
export function ensureReal(work, spec, log) {
  const dir = path.join(work, 'real', spec.name);
  const manifestFile = path.join(work, 'real', `${spec.name}.json`);
  if (fs.existsSync(manifestFile) && fs.existsSync(path.join(dir, '.git'))) {
    const m = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    if (m.version === MANIFEST_VERSION) return { ...spec, dir, ...m };
  }
  if (!fs.existsSync(path.join(dir, '.git'))) {
    const from = path.join(MIRRORS, spec.github.replace('/', '+'), 'repo');
    if (!fs.existsSync(from))
      return {
        ...spec,
        skip:
          `not present: bring a mirror of github.com/${spec.github} (the fetch tool puts it in ${from}, or ` +
          `\`git clone --mirror <url> bench/work/real/${spec.name}/.git\`), pinned at HEAD ${spec.head.slice(0, 12)}`,
      };
    log(`history-real: cloning ${spec.github} from ${from} into ${path.relative(process.cwd(), dir)}`);
    fs.mkdirSync(dir, { recursive: true });
    const r = spawnSync('git', ['clone', '-q', '--mirror', from, path.join(dir, '.git')], { encoding: 'utf8' });
    if (r.status !== 0) return { ...spec, skip: `git clone --mirror ${from} failed: ${r.stderr.trim()}` };
  }
  git(dir, ['config', 'core.bare', 'false']); // a work tree without checkout: leakradius wants one
  git(dir, ['config', 'gc.auto', '0']); // no tool run may repack it mid-bench
  const t0 = Date.now();
  const missing = placeholders(dir);
  const pin = pinOf(dir);
  const m = {
    version: MANIFEST_VERSION,
    ...pin,
    pinned: pin.head === spec.head && pin.refsDigest === spec.refsDigest,
    commits: Number(git(dir, ['rev-list', '--all', '--count']).stdout.trim()),
    placeholders: missing,
    bytes: patchBytes(dir),
    bytesBasis: 'git log -p -U0 --full-history --all',
  };
  log(`history-real: ${spec.name}: ${JSON.stringify(m)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  fs.writeFileSync(manifestFile, JSON.stringify(m, null, 2) + '\n');
  return { ...spec, dir, ...m };
}
