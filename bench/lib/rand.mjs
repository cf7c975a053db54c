// Seeded, fast PRNG and word lists for the benchmark generators. Everything the generators write
// is a pure function of the seed, so every machine benchmarks the same bytes.

export class Rng {
  constructor(seed) {
    let h = 2166136261 >>> 0;
    for (const c of String(seed)) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
    this.s = h || 1;
  }
  /** mulberry32: a float in [0, 1). */
  next() {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n) {
    return (this.next() * n) | 0;
  }
  range(lo, hi) {
    return lo + this.int(hi - lo + 1);
  }
  pick(arr) {
    return arr[(this.next() * arr.length) | 0];
  }
  chance(p) {
    return this.next() < p;
  }
  chars(alphabet, n) {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[(this.next() * alphabet.length) | 0];
    return s;
  }
  hex(n) {
    return this.chars('0123456789abcdef', n);
  }
}

export const NOUNS = [
  'user',
  'account',
  'order',
  'invoice',
  'session',
  'token',
  'tokenizer',
  'password',
  'key',
  'keyboard',
  'cache',
  'config',
  'request',
  'response',
  'handler',
  'service',
  'client',
  'logger',
  'metric',
  'item',
  'product',
  'cart',
  'payment',
  'event',
  'queue',
  'worker',
  'job',
  'schedule',
  'retry',
  'timeout',
  'buffer',
  'stream',
  'parser',
  'renderer',
  'layout',
  'theme',
  'route',
  'query',
  'filter',
  'page',
  'cursor',
  'index',
  'value',
  'result',
  'error',
  'status',
  'message',
  'channel',
  'tenant',
  'project',
  'repository',
  'commit',
  'branch',
  'build',
  'artifact',
  'deployment',
  'cluster',
  'node',
  'pod',
  'volume',
  'secretRef',
  'credential',
  'permission',
  'role',
  'policy',
  'group',
  'member',
  'invite',
  'webhook',
  'signature',
  'upload',
  'download',
  'file',
  'folder',
  'image',
  'thumbnail',
  'video',
  'comment',
  'thread',
  'notification',
  'search',
  'suggestion',
  'ranking',
  'score',
  'report',
  'export',
  'import',
  'migration',
  'schema',
  'record',
];
export const VERBS = [
  'get',
  'set',
  'load',
  'save',
  'create',
  'update',
  'delete',
  'find',
  'list',
  'build',
  'parse',
  'render',
  'validate',
  'normalize',
  'fetch',
  'sync',
  'refresh',
  'resolve',
  'compute',
  'merge',
  'apply',
  'emit',
  'handle',
  'process',
  'format',
  'encode',
  'decode',
  'hash',
  'verify',
  'rotate',
  'revoke',
  'issue',
];
export const WORDS = (
  'the a of to and in is that for it as with be on not this by are or from at an but have which one all ' +
  'we can more will if about when there so up out into time only new some could these two may first then ' +
  'do any like my now over such our man me even most made after also did many before must through back ' +
  'years where much your way well down should because each just those people how too little state good ' +
  'very make world still own see men work long get here between both life being under never day same ' +
  'another know while last might us great old year off come since against go came right used take three ' +
  'token password key secret configuration environment variable deploy service cluster request response ' +
  'cache database migration schema endpoint handler middleware session cookie header authentication'
).split(' ');

export const camel = (a, b) => a + b[0].toUpperCase() + b.slice(1);
export const snake = (s) => s.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
export const pascal = (s) => s[0].toUpperCase() + s.slice(1);

export function sentence(r, min = 6, max = 18) {
  const n = r.range(min, max);
  const w = [];
  for (let i = 0; i < n; i++) w.push(r.pick(WORDS));
  w[0] = pascal(w[0]);
  return w.join(' ') + '.';
}
