// Summarise .cpuprofile files (node --cpu-prof): top self-time functions across all threads.
// Standalone: node bench/lib/profile.mjs <dir-or-files...> [--top N]

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function summarise(files, top = 15, root = process.cwd()) {
  const self = new Map();
  const threads = [];
  let total = 0;
  for (const file of files) {
    const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
    const byId = new Map(prof.nodes.map((n) => [n.id, n]));
    let t = 0;
    let idle = 0;
    for (let i = 0; i < prof.samples.length; i++) {
      const n = byId.get(prof.samples[i]);
      const dt = (prof.timeDeltas[i] ?? 0) / 1000;
      const cf = n.callFrame;
      const url = cf.url ? cf.url.replace(/^file:\/\//, '').replace(root + '/', '') : '';
      const key = `${cf.functionName || '(anonymous)'}\t${url ? `${url}:${cf.lineNumber + 1}` : ''}`;
      self.set(key, (self.get(key) ?? 0) + dt);
      t += dt;
      if (cf.functionName === '(idle)') idle += dt;
    }
    threads.push({ file: path.basename(file), ms: t, idleMs: idle });
    total += t;
  }
  const busy = total - (self.get('(idle)\t') ?? 0);
  const rows = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, ms]) => {
      const [fn, where] = k.split('\t');
      return { fn, where, ms, pctTotal: (100 * ms) / total, pctBusy: fn === '(idle)' ? null : (100 * ms) / busy };
    });
  return { threads, total, busy, rows };
}

export function formatSummary(s) {
  const out = [];
  out.push('| thread profile | sampled ms | idle ms |', '|---|---:|---:|');
  for (const t of s.threads) out.push(`| ${t.file} | ${t.ms.toFixed(0)} | ${t.idleMs.toFixed(0)} |`);
  out.push('', `Top ${s.rows.length} functions by self time (all threads; % of non-idle samples):`, '');
  out.push('| # | function | location | self ms | % busy |', '|---:|---|---|---:|---:|');
  s.rows.forEach((r, i) =>
    out.push(
      `| ${i + 1} | \`${r.fn}\` | ${r.where || '(native/VM)'} | ${r.ms.toFixed(0)} | ${r.pctBusy == null ? '(idle)' : r.pctBusy.toFixed(1) + '%'} |`,
    ),
  );
  return out.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const ti = args.indexOf('--top');
  const top = ti >= 0 ? Number(args.splice(ti, 2)[1]) : 15;
  const files = args.flatMap((a) =>
    fs.statSync(a).isDirectory()
      ? fs
          .readdirSync(a)
          .filter((f) => f.endsWith('.cpuprofile'))
          .map((f) => path.join(a, f))
      : [a],
  );
  console.log(formatSummary(summarise(files, top)));
}
