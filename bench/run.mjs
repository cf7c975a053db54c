#!/usr/bin/env node
// leakradius benchmark: `npm run bench` (see bench/README.md).
//
//   BENCH_SCALE=0.1   input sizes (1 = full size: 200 MB source, 1 GB logs, 20,000 commits)
//   BENCH_RUNS=3      timed runs per tool and job (medians are reported; pre-commit: at least 9)
//   BENCH_JOBS=source,history,history-real,logs,precommit   subset of jobs
//   BENCH_TIMEOUT=3600  seconds before a single run is killed
//   BENCH_RUNS_LOGS=1 per-job override of BENCH_RUNS (BENCH_RUNS_SOURCE, _HISTORY, _HISTORY_REAL, _PRECOMMIT)
//   BENCH_REAL=sequelize,vue   which real repositories the history-real job runs (default: all of bench/lib/real.mjs)
//   BENCH_LEAKRADIUS=live   run bin/ and dist/ in place; default: a snapshot of bin/, dist/, rules/ and
//                           package.json copied to bench/work/leakradius-snapshot at start, so that a
//                           rebuild in the tree during a long run cannot mix two builds
//   BENCH_RULES=<dir>       pass --rules <dir> to leakradius (default: its built-in rules/)
//   node bench/run.mjs --profile   CPU profile of `leakradius scan` on the source tree (bench/profile-source.md)

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { measure, median } from './lib/measure.mjs';
import { installGitleaks, installSecretlint, ensureGnuTime } from './lib/peers.mjs';
import { summarise, formatSummary } from './lib/profile.mjs';
import { REAL_REPOS, ensureReal } from './lib/real.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCH = path.join(ROOT, 'bench');
const WORK = path.join(BENCH, 'work');
const CACHE = path.join(BENCH, '.cache');
const LR_CACHE = path.join(WORK, 'cache'); // leakradius's own cache of parsed rules (see L below)
const GEN_VERSION = 1;

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
// The pre-commit case takes a quarter of a second, so one busy moment on the machine moves a median
// of three: it gets at least 9 runs unless BENCH_RUNS_PRECOMMIT says otherwise (~5 s in all).
const DEFAULT_RUNS = { precommit: Math.max(9, RUNS) };
const runsFor = (id) =>
  Math.max(1, Number(process.env[`BENCH_RUNS_${id.toUpperCase().replace(/\W/g, '_')}`] ?? DEFAULT_RUNS[id] ?? RUNS));
let LR_ROOT = ROOT; // where bin/leakradius.js is run from (a snapshot by default)
const TIMEOUT = Number(process.env.BENCH_TIMEOUT ?? 3600);
const JOBS = (process.env.BENCH_JOBS ?? 'source,history,history-real,logs,precommit')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const PROFILE = process.argv.includes('--profile');
let RULES_ARGS = [];
let RULES_NOTE = 'built-in rules/';
if (!(SCALE > 0)) throw new Error('BENCH_SCALE must be a positive number');
// Node reads NODE_EXTRA_CA_CERTS at every start: 60–100 ms for the 220 KB bundle this sandbox sets,
// which a developer's shell rarely does. It is removed for every tool (gitleaks, in Go, never reads
// it; secretlint is Node too). BENCH_KEEP_ENV=1 keeps the environment as it is.
const DROPPED_ENV = process.env.BENCH_KEEP_ENV ? [] : ['NODE_EXTRA_CA_CERTS'].filter((k) => k in process.env);
const INHERITED_ENV = Object.fromEntries(DROPPED_ENV.map((k) => [k, process.env[k]]));
for (const k of DROPPED_ENV) delete process.env[k];

const log = (...a) => console.error('[bench]', ...a);
const MB = 1e6;

// ---------------------------------------------------------------------------------------------
// set-up

function ensureBuilt() {
  if (
    fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js')) &&
    fs.existsSync(path.join(ROOT, 'dist', 'detect', 'template.js'))
  )
    return;
  log('dist/ missing: building (npx tsc -p .)');
  const r = spawnSync('npx', ['tsc', '-p', '.'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

async function ensureInput(name, generate) {
  const key = `${name}-s${SCALE}`;
  const dir = path.join(WORK, key);
  const manifestFile = path.join(WORK, `${key}.json`);
  if (fs.existsSync(manifestFile) && fs.existsSync(dir)) {
    const m = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    if (m.version === GEN_VERSION) return { dir, ...m };
  }
  log(`generating ${name} input (scale ${SCALE}) into ${path.relative(ROOT, dir)}`);
  fs.rmSync(manifestFile, { force: true });
  fs.rmSync(dir, { recursive: true, force: true });
  const t0 = Date.now();
  const meta = await generate(dir, SCALE);
  const m = { version: GEN_VERSION, scale: SCALE, generatedSeconds: (Date.now() - t0) / 1000, ...meta };
  fs.writeFileSync(manifestFile, JSON.stringify(m, null, 2) + '\n');
  log(`  ${name}: ${JSON.stringify(meta)} in ${m.generatedSeconds.toFixed(1)} s`);
  return { dir, ...m };
}

/** Read every input file once so that no tool pays for the first, cold read. */
function warm(dir) {
  spawnSync('sh', ['-c', 'find "$1" -type f -print0 | xargs -0 cat > /dev/null', 'sh', dir], { stdio: 'ignore' });
}

/**
 * Waits (30 s at most) until no other task is runnable, read from /proc/loadavg five times 200 ms
 * apart, after `sync`: a job starts once the previous one's processes have exited and its writes
 * are on disk. The 1-minute load average lags by a minute and cannot tell. (A run on 2026-11-28
 * timed pre-commit right after history at 0.257 s, load 2.7; alone on a quiet machine, 0.228 s.)
 */
async function settle() {
  spawnSync('sync');
  const running = () => {
    try {
      return Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[3].split('/')[0]);
    } catch {
      return 0; // not Linux: nothing to read, nothing to wait for
    }
  };
  const deadline = Date.now() + 30_000;
  let quiet = 0;
  while (quiet < 5 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    quiet = running() <= 1 ? quiet + 1 : 0; // 1: this process, reading
  }
  return quiet >= 5;
}

function leakradiusHasGit() {
  const r = spawnSync(process.execPath, [path.join(LR_ROOT, 'bin', 'leakradius.js'), 'git', '--help'], {
    encoding: 'utf8',
  });
  return r.status === 0 && /leakradius git/.test(r.stdout) && /--staged/.test(r.stdout);
}

// ---------------------------------------------------------------------------------------------
// findings parsers (each tool's JSON report)

const readJson = (f) => JSON.parse(fs.readFileSync(f, 'utf8') || 'null');
const parsers = {
  leakradius: (f) => {
    const j = readJson(f);
    const occ = j.findings.reduce((s, x) => s + (x.occurrences ?? x.locations?.length ?? 1), 0);
    return `${j.findings.length}${occ !== j.findings.length ? ` (${occ} occ.)` : ''}`;
  },
  gitleaks: (f) => {
    const j = readJson(f) ?? [];
    const uniq = new Set(j.map((x) => `${x.RuleID}\0${x.Secret}`)).size;
    return `${j.length}${uniq !== j.length ? ` (${uniq} unique)` : ''}`;
  },
  git: () => '—',
  secretlint: (f) => {
    const j = readJson(f) ?? [];
    return String(j.reduce((s, x) => s + (x.messages?.length ?? 0), 0));
  },
};

// ---------------------------------------------------------------------------------------------
// jobs

function defineJobs(inputs, peers, hasGit) {
  const lr = path.join(LR_ROOT, 'bin', 'leakradius.js');
  const out = (job, tool) => path.join(WORK, 'out', `${job}-${tool.replace(/\W+/g, '_')}.json`);
  const L = (job, label, args, opts = {}) => ({
    label,
    tool: 'leakradius',
    cmd: process.execPath,
    args: [lr, ...args(out(job, label)), '--format', 'json', '--offline', ...RULES_ARGS],
    // Its own cache of parsed rules: tests and other checkouts running meanwhile share the user's
    // cache, which keeps 16 entries, and could push this build's out mid-run.
    env: { LEAKRADIUS_CACHE_DIR: LR_CACHE },
    out: out(job, label),
    ok: [0, 1],
    ...opts,
  });
  const G = (job, args, opts = {}) =>
    peers.gitleaks.skip
      ? { label: 'gitleaks', skip: peers.gitleaks.skip }
      : {
          label: 'gitleaks',
          tool: 'gitleaks',
          cmd: peers.gitleaks.bin,
          args: [...args, '-f', 'json', '-r', out(job, 'gitleaks'), '--no-banner', '--exit-code', '0', '-l', 'error'],
          out: out(job, 'gitleaks'),
          ok: [0, 1],
          ...opts,
        };
  const S = (job, cwd) =>
    peers.secretlint.skip
      ? { label: 'secretlint', skip: peers.secretlint.skip }
      : {
          label: 'secretlint',
          tool: 'secretlint',
          cmd: process.execPath,
          cwd,
          args: [
            peers.secretlint.bin,
            '**/*',
            '--format',
            'json',
            '--output',
            out(job, 'secretlint'),
            '--no-gitignore',
            '--no-color',
            '--secretlintrc',
            peers.secretlint.rc,
          ],
          out: out(job, 'secretlint'),
          ok: [0, 1],
        };
  const notYet = (label) => ({ label, skip: 'not available yet (`leakradius git` is not in this build)' });

  const jobs = [];
  const { source, logs, history, precommit, real } = inputs;
  if (source) {
    if (JOBS.includes('source'))
      jobs.push({
        id: 'source',
        title: 'Source tree',
        bytes: source.bytes,
        warm: source.dir,
        goals: { gitleaks: 3, secretlint: 2 },
        tools: [
          L('source', 'leakradius', (o) => ['scan', source.dir, '-o', o]),
          G('source', ['detect', '--no-git', '--source', source.dir]),
          S('source', source.dir),
        ],
      });
  }
  if (history && JOBS.includes('history'))
    jobs.push({
      id: 'history',
      title: 'Full git history',
      bytes: history.bytes,
      warm: path.join(history.dir, '.git'),
      goals: { gitleaks: 2 },
      tools: [
        hasGit
          ? L('history', 'leakradius', (o) => ['git', history.dir, '-o', o], { cwd: history.dir })
          : notYet('leakradius'),
        G('history', ['detect', '--source', history.dir]),
      ],
    });
  // Real histories: the same two tools, and `git log -p` alone (what gitleaks reads; once, for
  // reference). A repository that is not there gets one row saying how to bring it.
  for (const repo of real ?? [])
    jobs.push({
      id: 'history-real',
      title: `Real history: ${repo.name}`,
      bytes: repo.skip ? null : repo.bytes,
      warm: repo.skip ? null : path.join(repo.dir, '.git'),
      goals: { gitleaks: 2 },
      rssGoalMb: 400,
      tools: repo.skip
        ? [{ label: 'leakradius', skip: repo.skip }]
        : [
            hasGit
              ? L(`real-${repo.name}`, 'leakradius', (o) => ['git', repo.dir, '-o', o], { cwd: repo.dir })
              : notYet('leakradius'),
            G(`real-${repo.name}`, ['detect', '--source', repo.dir]),
            {
              label: '`git log -p -U0 --all` alone',
              tool: 'git',
              cmd: 'sh',
              args: ['-c', 'git log -p -U0 --full-history --all > /dev/null', 'sh'],
              cwd: repo.dir,
              out: path.join(WORK, 'out', `real-${repo.name}-git.txt`),
              ok: [0],
              info: true,
              maxRuns: 1,
            },
          ],
    });
  if (precommit && JOBS.includes('precommit'))
    jobs.push({
      id: 'precommit',
      title: 'Pre-commit (staged)',
      bytes: null,
      warm: precommit.dir,
      goals: { gitleaks: 1 }, // issue 22: at most gitleaks' time
      tools: [
        hasGit
          ? L('precommit', 'leakradius', (o) => ['git', '--staged', '-o', o], { cwd: precommit.dir })
          : notYet('leakradius'),
        G('precommit', ['protect', '--staged', '--source', precommit.dir], { cwd: precommit.dir }),
      ],
    });
  if (logs && JOBS.includes('logs'))
    jobs.push({
      id: 'logs',
      title: 'Log directory',
      bytes: logs.bytes,
      warm: logs.dir,
      goals: { gitleaks: 10 },
      rssGoalMb: 300,
      tools: [
        L('logs', 'leakradius', (o) => ['scan', logs.dir, '-o', o]),
        G('logs', ['detect', '--no-git', '--source', logs.dir]),
      ],
    });
  return jobs;
}

async function runJobs(jobs, gnuTime, onJobDone) {
  fs.mkdirSync(path.join(WORK, 'out'), { recursive: true });
  for (const job of jobs) {
    log(`job ${job.title}: warming the page cache`);
    if (job.warm) warm(job.warm);
    if (!(await settle())) log(`job ${job.id}: other tasks were still running after 30 s; timing anyway`);
    for (const t of job.tools) t.runs = [];
    job.runs = runsFor(job.id);
    job.load = [os.loadavg()[0]];
    const RUNS = job.runs;
    for (let i = 0; i < RUNS; i++) {
      for (const t of job.tools) {
        if (t.skip || t.failed || i >= (t.maxRuns ?? RUNS)) continue;
        fs.rmSync(t.out, { force: true });
        const res = await measure({
          cmd: t.cmd,
          args: t.args,
          cwd: t.cwd ?? ROOT,
          env: t.env,
          timeoutSec: TIMEOUT,
          gnuTime,
        });
        const ok = t.ok.includes(res.code);
        let findings = '?';
        if (ok)
          try {
            findings = parsers[t.tool](t.out);
          } catch (e) {
            findings = `? (${e.message.slice(0, 40)})`;
          }
        t.runs.push({ ...res, findings });
        log(
          `  ${job.title} ${t.label} run ${i + 1}/${RUNS}: ${res.wall.toFixed(2)} s, ` +
            `${res.cpu != null ? res.cpu.toFixed(1) : '?'} CPU s, ` +
            `${res.rssKb ? (res.rssKb / 1024).toFixed(0) + ' MB' : '? MB'} RSS, exit ${res.code}, findings ${findings}`,
        );
        if (!ok) {
          t.failed = `exit ${res.code}: ${res.stderr.trim().split('\n').slice(-3).join(' / ').slice(0, 300)}`;
          log(`  ${t.label} failed: ${t.failed}`);
        }
      }
    }
    job.load.push(os.loadavg()[0]);
    onJobDone?.();
  }
}

// ---------------------------------------------------------------------------------------------
// table

function summariseJobs(jobs) {
  const rows = [];
  for (const job of jobs) {
    const stats = job.tools.map((t) => {
      if (t.skip) return { t, note: t.skip };
      if (t.failed && !t.runs.some((r) => t.ok.includes(r.code))) return { t, note: `error (${t.failed})` };
      const good = t.runs.filter((r) => t.ok.includes(r.code));
      const wall = median(good.map((r) => r.wall));
      const cpus = good.map((r) => r.cpu).filter((c) => c != null);
      const cpu = cpus.length ? median(cpus) : null;
      const rss = Math.max(...good.map((r) => r.rssKb ?? 0)) / 1024 || null;
      const walls = good.map((r) => r.wall);
      const f = (x) => (x < 10 ? x.toFixed(3) : x.toFixed(1));
      const spread = good.length > 1 ? `${f(Math.min(...walls))}–${f(Math.max(...walls))}` : '';
      const fset = [...new Set(good.map((r) => r.findings))];
      return {
        t,
        wall,
        cpu,
        rss,
        spread,
        findings: fset.join(' / '),
        n: good.length,
        note: t.failed ? `${good.length} good runs; then ${t.failed}` : '',
      };
    });
    const ref = stats[0];
    for (const s of stats) {
      let ratio = '';
      let goal = '';
      if (s.wall != null && ref.wall != null && s !== ref) {
        const x = s.wall / ref.wall; // > 1: the reference (leakradius) is faster
        ratio = `leakradius ×${x.toFixed(2)}`;
        const want = s.t.info ? undefined : job.goals?.[s.t.label];
        if (want) goal = `≥${want}×: ${x >= want ? 'met' : 'not met'}`;
      }
      if (s === ref && s.wall != null) {
        const g = [];
        if (job.rssGoalMb)
          g.push(`RSS <${job.rssGoalMb} MB: ${s.rss != null && s.rss < job.rssGoalMb ? 'met' : 'not met'}`);
        if (job.wallGoal) g.push(`median <${job.wallGoal * 1000} ms: ${s.wall < job.wallGoal ? 'met' : 'not met'}`);
        goal = g.join('; ');
      }
      rows.push({
        job: job.title,
        tool: s.t.label,
        runs: s.n ? `${s.n}` : '',
        spread: s.spread ?? '',
        load: s === stats[0] ? job.load.map((x) => x.toFixed(1)).join(' → ') : '',
        wall: s.wall != null ? (s.wall < 10 ? s.wall.toFixed(3) : s.wall.toFixed(1)) : '—',
        mbs: s.wall != null && job.bytes ? (job.bytes / MB / s.wall).toFixed(1) : '—',
        cpu: s.cpu != null ? s.cpu.toFixed(s.cpu < 10 ? 2 : 1) : '—',
        cpuPerMb: s.cpu != null && job.bytes ? (s.cpu / (job.bytes / MB)).toFixed(3) : '—',
        rss: s.rss != null ? s.rss.toFixed(0) : '—',
        findings: s.findings ?? '—',
        ratio,
        goal,
        note: s.note ?? '',
      });
    }
  }
  return rows;
}

function table(rows) {
  const head = [
    'job',
    'tool',
    'runs',
    'median s',
    'min–max s',
    'MB/s',
    'CPU s',
    'CPU s/MB',
    'peak RSS MB',
    'findings',
    'leakradius vs peer',
    'goal',
    'load avg',
    'note',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_h, i) => (i >= 2 && i <= 8 ? '---:' : '---')).join('|')}|`];
  for (const r of rows)
    lines.push(
      `| ${[r.job, r.tool, r.runs, r.wall, r.spread, r.mbs, r.cpu, r.cpuPerMb, r.rss, r.findings, r.ratio, r.goal, r.load, r.note.replace(/\|/g, '\\|')].join(' | ')} |`,
    );
  return lines.join('\n');
}

function machine(peers) {
  const sh = (c, a) => {
    const r = spawnSync(c, a, { encoding: 'utf8', cwd: ROOT });
    return r.status === 0 ? r.stdout.trim() : '?';
  };
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const commit = sh('git', ['rev-parse', '--short', 'HEAD']);
  return [
    `- CPU: ${os.cpus()[0]?.model ?? '?'}, nproc ${os.availableParallelism?.() ?? os.cpus().length}`,
    `- memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; kernel ${os.release()}; ${sh('sh', ['-c', '. /etc/os-release && echo $PRETTY_NAME'])}`,
    `- node ${process.version}; ${sh('git', ['--version'])}`,
    `- leakradius ${pkg.version} (tree at ${commit}, working copy as built in dist/); ${RULES_NOTE}`,
    ...['gitleaks', 'secretlint'].map(
      (p) => `- ${p}: ${peers[p].skip ? `skipped — ${peers[p].skip}` : peers[p].version}`,
    ),
    `- environment: ${DROPPED_ENV.length ? `${DROPPED_ENV.join(', ')} removed for every tool (Node parses the CA bundle at each start; BENCH_KEEP_ENV=1 keeps it)` : 'as inherited'}`,
  ].join('\n');
}

function describeInputs(inputs) {
  const f = (b) => `${(b / MB).toFixed(1)} MB`;
  const out = [];
  if (inputs.source)
    out.push(
      `- source tree: ${inputs.source.files} files, ${f(inputs.source.bytes)} (JS/TS/Python/JSON/YAML/Markdown/minified), ${inputs.source.planted} planted secrets`,
    );
  if (inputs.logs)
    out.push(
      `- log directory: ${inputs.logs.files} files, ${f(inputs.logs.bytes)} on disk (${f(inputs.logs.uncompressedBytes)} uncompressed; three files over 200 MB at full scale, rotated .gz generations), ${inputs.logs.planted} planted secrets; MB/s counts bytes on disk`,
    );
  if (inputs.history)
    out.push(
      `- git history: ${inputs.history.commits} commits, ${inputs.history.files} files at HEAD; MB/s counts the ${f(inputs.history.bytes)} of \`${inputs.history.bytesBasis}\`; ${inputs.history.planted} planted secrets (one only in a commit message)`,
    );
  for (const r of inputs.real ?? [])
    out.push(
      r.skip
        ? `- real history ${r.name} (github.com/${r.github}): skipped — ${r.skip}`
        : [
            `- real history ${r.name} (github.com/${r.github}, HEAD ${r.head.slice(0, 12)}, `,
            r.pinned ? 'as pinned' : 'NOT the pinned snapshot: not comparable with other tables',
            `): ${r.commits} commits, ${r.refs} refs; ${r.shape}; `,
            `MB/s counts the ${f(r.bytes)} of \`${r.bytesBasis}\``,
            r.placeholders
              ? `; ${r.placeholders} blobs absent from the snapshot (files of 4 MiB and more) read as empty ` +
                'by every tool (refs/replace)'
              : '',
          ].join(''),
    );
  if (inputs.precommit)
    out.push(
      `- pre-commit: ${inputs.precommit.files}-file repository, ${inputs.precommit.stagedFiles} staged files (two edits, one new file with a secret)`,
    );
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------

async function profile(source) {
  const dir = path.join(WORK, 'profile');
  const md = [
    '# leakradius CPU profile',
    '',
    `\`leakradius scan\` on the source tree (${(source.bytes / MB).toFixed(1)} MB, ${source.files} files), \`node --cpu-prof\`; generated by \`node bench/run.mjs --profile\` on ${new Date().toISOString().slice(0, 10)}.`,
    '',
  ];
  for (const threads of [null, 1]) {
    const d = path.join(dir, threads ? `threads-${threads}` : 'default');
    fs.rmSync(d, { recursive: true, force: true });
    fs.mkdirSync(d, { recursive: true });
    warm(source.dir);
    const args = [
      '--cpu-prof',
      `--cpu-prof-dir=${d}`,
      path.join(LR_ROOT, 'bin', 'leakradius.js'),
      'scan',
      source.dir,
      '--format',
      'json',
      '-o',
      path.join(d, 'report.json'),
      '--offline',
      ...RULES_ARGS,
      ...(threads ? ['--threads', String(threads)] : []),
    ];
    const t0 = Date.now();
    const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
    const wall = (Date.now() - t0) / 1000;
    const files = fs
      .readdirSync(d)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => path.join(d, f));
    log(
      `profile (${threads ? `--threads ${threads}` : 'default threads'}): exit ${r.status}, ${wall.toFixed(1)} s, ${files.length} profiles in ${path.relative(ROOT, d)}`,
    );
    md.push(
      `## ${threads ? `\`--threads ${threads}\`` : 'default threads'} — ${wall.toFixed(1)} s wall (with profiler), exit ${r.status}`,
      '',
      formatSummary(summarise(files, 15, LR_ROOT)),
      '',
    );
  }
  fs.writeFileSync(path.join(BENCH, 'profile-source.md'), md.join('\n') + '\n');
  console.log(md.join('\n'));
}

function setupLeakradius() {
  if (process.env.BENCH_LEAKRADIUS !== 'live') {
    const snap = path.join(WORK, 'leakradius-snapshot');
    fs.rmSync(snap, { recursive: true, force: true });
    fs.mkdirSync(snap, { recursive: true });
    // Times kept: bin/ runs dist/start/'s chunks only when they are not older than dist/cli/.
    for (const d of ['bin', 'dist', 'rules', 'package.json'])
      fs.cpSync(path.join(ROOT, d), path.join(snap, d), { recursive: true, preserveTimestamps: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(snap, 'node_modules'));
    LR_ROOT = snap;
  }
  const want = process.env.BENCH_RULES;
  const dir = want ? path.resolve(want) : path.join(LR_ROOT, 'rules');
  if (want) RULES_ARGS = ['--rules', dir];
  const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  const rules = files.reduce(
    (n, f) => n + (fs.readFileSync(path.join(dir, f), 'utf8').match(/^\s*- id:/gm) ?? []).length,
    0,
  );
  RULES_NOTE = `${rules} rules in ${files.length} files (${want ? `--rules ${want}` : 'built-in rules/'}); ${LR_ROOT === ROOT ? 'run in place' : 'bin/, dist/, rules/ snapshotted at start into bench/work/leakradius-snapshot'}`;
  // Parse the rules into leakradius's cache once, untimed: a cold cache (YAML, example checks) would
  // make the first timed run seconds slower.
  const empty = fs.mkdtempSync(path.join(WORK, 'empty-'));
  spawnSync(
    process.execPath,
    [path.join(LR_ROOT, 'bin', 'leakradius.js'), 'scan', empty, '--offline', ...RULES_ARGS],
    {
      env: { ...process.env, LEAKRADIUS_CACHE_DIR: LR_CACHE },
      stdio: 'ignore',
    },
  );
  fs.rmSync(empty, { recursive: true, force: true });
}

async function main() {
  ensureBuilt();
  fs.mkdirSync(WORK, { recursive: true });
  setupLeakradius();
  const gen = await import('./lib/gen.mjs');
  fs.mkdirSync(WORK, { recursive: true });
  const unknown = JOBS.filter((j) => !['source', 'history', 'history-real', 'logs', 'precommit'].includes(j));
  if (unknown.length)
    throw new Error(`BENCH_JOBS: no job ${unknown.join(', ')} (jobs: source, history, history-real, logs, precommit)`);
  const need = new Set(PROFILE ? ['source'] : JOBS);
  const inputs = {};
  if (need.has('source')) inputs.source = await ensureInput('source', gen.genSource);
  if (PROFILE) return profile(inputs.source);
  if (need.has('logs')) inputs.logs = await ensureInput('logs', gen.genLogs);
  if (need.has('history')) inputs.history = await ensureInput('history', gen.genHistory);
  if (need.has('precommit')) inputs.precommit = await ensureInput('precommit', gen.genPrecommit);
  if (need.has('history-real')) {
    const want = process.env.BENCH_REAL?.split(',').map((s) => s.trim());
    inputs.real = REAL_REPOS.filter((r) => !want || want.includes(r.name)).map((r) => ensureReal(WORK, r, log));
    for (const r of inputs.real) if (r.skip) log(`history-real: ${r.name} SKIPPED: ${r.skip}`);
  }

  const gnuTime = ensureGnuTime(log);
  fs.mkdirSync(CACHE, { recursive: true });
  // Installing is not timed, and npm may need the CA bundle (a TLS-inspecting proxy): install as inherited.
  Object.assign(process.env, INHERITED_ENV);
  const peers = { gitleaks: installGitleaks(CACHE, log), secretlint: installSecretlint(CACHE, log) };
  for (const k of DROPPED_ENV) delete process.env[k];
  for (const p of Object.values(peers))
    log(p.skip ? `peer ${p.name} SKIPPED: ${p.skip}` : `peer ${p.name} ${p.version}`);
  const hasGit = leakradiusHasGit();
  if (!hasGit)
    log('`leakradius git` is not available in this build: history and pre-commit rows say "not available yet"');

  const jobs = defineJobs(inputs, peers, hasGit);
  const started = new Date();
  const write = (final) => {
    const rows = summariseJobs(jobs.filter((j) => j.load?.length === 2));
    const md = [
      '# leakradius benchmark results',
      '',
      `Generated by \`npm run bench\` (BENCH_SCALE=${SCALE}, runs per job as in the table) on ${started.toISOString().replace(/\.\d+Z$/, 'Z')}${final ? '' : ' — IN PROGRESS, partial table'}. Tools alternate run by run on the same inputs; wall time is the median, peak RSS the maximum over runs (GNU time %M: the largest process, so a child such as \`git log\` is not added to its parent). MB = 10^6 bytes. "leakradius ×N" = peer median ÷ leakradius median (above 1: leakradius is faster). Findings: leakradius reports one finding per (rule, secret); gitleaks and secretlint report each occurrence; differing counts across runs are shown as a / b. "load avg" is the 1-minute load average at the start → end of the job (the machine's core count is below; anything above it means other processes competed for the CPU).`,
      '',
      'CPU s is the median of user + system seconds (GNU time %U + %S: the tool and every child it',
      "waited for, git included); CPU s/MB divides it by the input's MB: what a job costs whatever the",
      'cores (it replaces the withdrawn "2 threads ≥1.7× one thread" goal).',
      '',
      '## Machine',
      '',
      machine(peers),
      '',
      '## Inputs',
      '',
      describeInputs(inputs),
      '',
      '## Results',
      '',
      table(rows),
      '',
    ].join('\n');
    fs.writeFileSync(path.join(BENCH, 'results.md'), md);
    return md;
  };
  await runJobs(jobs, gnuTime, () => write(false));
  console.log(write(true));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
