// Fixtures: a trivially fake password in a test, an example or a local set-up is recorded but is not
// a leak of the same weight. Decided from the value, the place and the rule; never for a provider
// token, a private key or anything in a committed credential store. Pure: strings in, a reason out.

import { shannonEntropy } from './filters.js';

/** Rules whose secret is a password or a value found by its name, not by its own format. */
const PASSWORD_PROVIDERS = new Set([
  'generic',
  'config',
  'login',
  'database',
  'url',
  'credential-file',
  'password-hash',
]);

/** Test, spec, fixture, example, sample and documentation directories. */
const FIXTURE_DIR = new RegExp(
  String.raw`(?:^|[\\/])(?:tests?|testing|testdata|test[-_]?data|` +
    'test[-_]?utils?|__tests__|__mocks__|mocks?|spec|' +
    'specs|fixtures?|examples?|samples?|demos?|docs?|' +
    'documentation|guides?|e2e|integration[-_]?tests?|' +
    String.raw`unit[-_]?tests?|[\w-]*[-_]tests?|tests?[-_][\w-]*)[\\/]`,
  'i',
);
/** Test and example files wherever they sit: foo_test.go, test_foo.py, FooTest.java, x.spec.ts, .env.example. */
const FIXTURE_FILE = new RegExp(
  String.raw`(?:^|[\\/])(?:test_[^\\/]*|[^\\/]*(?:_test|_spec|` +
    String.raw`Tests?|Spec|[.-](?:test|spec|tests))\.[\w]+|[^\\/]*[._-](?:example|` +
    String.raw`examples|sample|dist|template|tmpl|fixture|mock)(?:\.[\w-]+)*|` +
    String.raw`README[^\\/]*|CHANGELOG[^\\/]*|[^\\/]*\.(?:md|markdown|` +
    'rst|adoc|asciidoc|ipynb))$',
);
/** Files that are credential stores or client configs: committed, they are leaks whatever they hold. */
export const CREDENTIAL_STORE_FILES: ReadonlyArray<readonly [RegExp, string]> = [
  [/(?:^|[\\/])\.?pgpass$/i, 'PostgreSQL password file (.pgpass)'],
  [/(?:^|[\\/])[._]netrc$/i, '.netrc credential file'],
  [/(?:^|[\\/])\.git-credentials$/i, 'git credential store (.git-credentials)'],
  [/(?:^|[\\/])\.docker[\\/]config\.json$/i, 'Docker client config (.docker/config.json)'],
  [/(?:^|[\\/])\.npmrc$/i, 'npm client config (.npmrc)'],
  [/(?:^|[\\/])\.pypirc$/i, 'PyPI client config (.pypirc)'],
  [/(?:^|[\\/])\.s3cfg$/i, 's3cmd config (.s3cfg)'],
  [/(?:^|[\\/])\.?htpasswd$/i, 'Apache password file (htpasswd)'],
  [/(?:^|[\\/])shadow(?:-|\.bak)?$/i, 'Unix shadow password file'],
  [/(?:^|[\\/])logins\.json$/i, 'browser login store (logins.json)'],
  [/(?:^|[\\/])\.esmtprc$/i, 'esmtp client config (.esmtprc)'],
  [/(?:^|[\\/])\.(?:msmtprc|fetchmailrc)$/i, 'mail client config'],
  [/(?:^|[\\/])(?:sftp-config\.json|\.ftpconfig|\.remote-sync\.json)$/i, 'editor SFTP/FTP upload config'],
  [/(?:^|[\\/])\.vscode[\\/]sftp\.json$/i, 'VS Code SFTP config (.vscode/sftp.json)'],
  [/(?:^|[\\/])(?:recentservers|sitemanager|filezilla)\.xml$/i, 'FileZilla saved sessions'],
  [/(?:^|[\\/])winscp\.ini$/i, 'WinSCP saved sessions'],
  [/(?:^|[\\/])data-sources\.xml$/i, 'DBeaver/DataGrip data sources (data-sources.xml)'],
  [/(?:^|[\\/])master\.key$/i, 'Rails master key (config/master.key)'],
  [/(?:^|[\\/])\.ssh[\\/]config$/i, 'SSH client config (.ssh/config)'],
  [/(?:^|[\\/])\.aws[\\/]credentials$/i, 'AWS shared credentials file'],
  [/(?:^|[\\/])\.my\.cnf$/i, 'MySQL client config (.my.cnf)'],
];

/** The kind of credential store a path is, or undefined. */
export function credentialStoreKind(path: string): string | undefined {
  for (const [re, kind] of CREDENTIAL_STORE_FILES) if (re.test(path)) return kind;
  return undefined;
}

/** Where a fixture belongs, or undefined for any other place. */
export function fixturePlace(path: string): string | undefined {
  if (FIXTURE_FILE.test(path))
    return /\.(?:md|markdown|rst|adoc|asciidoc|ipynb)$|README|CHANGELOG/i.test(path)
      ? 'documentation'
      : 'a test or example file';
  if (FIXTURE_DIR.test(path))
    return /[\\/](?:docs?|documentation|guides?)[\\/]/i.test(path)
      ? 'documentation'
      : 'a test, example or fixture path';
  return undefined;
}

/** Hosts that are not a real service: loopback, reserved names, single-label container or placeholder names. */
export function isLocalHost(host: string): boolean {
  const h = host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/:\d+$/, '');
  if (/^(?:localhost|0\.0\.0\.0|::1?|\(local\)|\.|host\.docker\.internal)$/.test(h)) return true;
  if (/^127\.\d+\.\d+\.\d+$/.test(h)) return true;
  // .local, except Kubernetes' cluster.local: a real service inside a real cluster.
  if (
    /(?:^|\.)(?:localhost|test|example|invalid|lan|home\.arpa)$/.test(h) ||
    (h.endsWith('.local') && !h.endsWith('cluster.local'))
  )
    return true;
  if (/(?:^|\.)example\.(?:com|org|net)$/.test(h)) return true;
  // db, postgres, some_host, hostname: a container's service name or a placeholder, never a public host.
  return !h.includes('.') && !/^\d+$/.test(h);
}

/** A host reachable from the internet by name or address: not local, not a private network. */
export function isPublicHost(host: string): boolean {
  if (isLocalHost(host)) return false;
  return !/^(?:10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|169\.254\.)/.test(host);
}

/** Hosts named near the secret: `@host` after it, `host=`/`Server=`/`Data Source=` fields. */
export function hostsNear(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/@(\[[0-9a-f:.]+\]|[A-Za-z0-9_][\w.-]*)(?=[:/?#\s"'`;,)]|$)/gi)) out.push(m[1]!);
  for (const m of text.matchAll(/:\/\/(?:[^@/\s"']*@)?([A-Za-z0-9_][\w.-]*)/g)) out.push(m[1]!);
  for (const m of text.matchAll(
    /(?<![@/.\w-])(?:host(?:name)?|server|data source|addr(?:ess)?)\s*[=:]\s*["']?(\(local\)|[\w.-]+)/gi,
  ))
    out.push(m[1]!.replace(/\\.*$/, ''));
  return out;
}

/**
 * Words that say a value is made up: what it is (password, secret, test), placeholders (foo, bar),
 * filler (my, super, strong). A value whose letters are only these, with any digits and symbols and
 * in leetspeak, announces itself as fake. Real weak passwords (names, seasons, animals) are not here.
 */
const FAKE_WORDS = [
  'password',
  'passwd',
  'passphrase',
  'pass',
  'pwd',
  'secret',
  'sekret',
  'test',
  'testing',
  'tester',
  'foo',
  'bar',
  'baz',
  'qux',
  'quux',
  'example',
  'sample',
  'dummy',
  'fake',
  'mock',
  'hunter',
  'changeme',
  'change',
  'me',
  'letmein',
  'qwerty',
  'asdf',
  'zxcv',
  'super',
  'my',
  'your',
  'some',
  'very',
  'hard',
  'strong',
  'weak',
  'new',
  'old',
  'wrong',
  'bad',
  'good',
  'another',
  'other',
  'word',
  'key',
  'token',
  'abc',
  'xyz',
  'the',
  'is',
  'not',
  'here',
  'it',
  'this',
  'that',
  'top',
  'safe',
  'only',
  'valid',
  'invalid',
  'correct',
  'incorrect',
  'user',
  'username',
  'demo',
  'for',
  'of',
  'to',
  'and',
  'in',
  'on',
  'at',
  'with',
  'from',
  'by',
];
const FAKE_WORD_SET = new Set(FAKE_WORDS);
const LONGEST_FAKE_WORD = Math.max(...FAKE_WORDS.map((w) => w.length));
/** Products' documented default passwords: made up when they are the whole value (`tiger`, `postgres`, `admin123`). */
const DEFAULT_PASSWORDS = new Set([
  'admin',
  'administrator',
  'root',
  'guest',
  'tiger',
  'scott',
  'postgres',
  'postgresql',
  'mysql',
  'mariadb',
  'oracle',
  'mongo',
  'mongodb',
  'redis',
  'rabbitmq',
  'sa',
  'sys',
  'system',
  'manager',
  'master',
  'masterkey',
  'welcome',
  'default',
  'changeit',
]);
/** Leetspeak, two ways: 3 reads as e in "s3cret" and as s in "pa33word"; 1 as i and as l. */
const LEET: ReadonlyArray<Record<string, string>> = [
  { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's' },
  { '0': 'o', '1': 'l', '3': 's', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's' },
];

/** Fake words only, or a product's default password alone or with a digit sequence (`Admin12345`). */
function madeUp(v: string): boolean {
  const digits = v.replace(/[^0-9]/g, '');
  return LEET.some((leet) => {
    const letters = segments(v, leet).join('').toLowerCase();
    if (allFakeWords(letters)) return true;
    return DEFAULT_PASSWORDS.has(letters) && (digits.length <= 1 || digitSequence(digits));
  });
}

/** Fake or default words (of four letters or more) anywhere in the value: `knextest`, `tiger^5HHH`. */
const FAKE_STEMS = [...FAKE_WORDS, ...DEFAULT_PASSWORDS].filter((w) => w.length >= 4);
function mentionsFake(v: string): boolean {
  const lower = plain(v).toLowerCase();
  return FAKE_STEMS.some((w) => lower.includes(w));
}

/** 123, 12345, 4321: each digit one more (or one less) than the one before. */
function digitSequence(digits: string): boolean {
  if (digits.length < 3) return false;
  const step = digits.charCodeAt(1) - digits.charCodeAt(0);
  if (Math.abs(step) !== 1) return false;
  for (let i = 2; i < digits.length; i++) if (digits.charCodeAt(i) - digits.charCodeAt(i - 1) !== step) return false;
  return true;
}

/** Whether the letters of `s` split wholly into fake-value words (a DP over the letters). */
function allFakeWords(letters: string): boolean {
  if (letters.length < 2) return false;
  const ok = new Array<boolean>(letters.length + 1).fill(false);
  ok[0] = true;
  for (let i = 1; i <= letters.length; i++)
    for (let j = Math.max(0, i - LONGEST_FAKE_WORD); j < i && !ok[i]; j++)
      if (ok[j] && FAKE_WORD_SET.has(letters.slice(j, i))) ok[i] = true;
  return ok[letters.length]!;
}

/** The value's own words: letter runs split at case changes, after leetspeak inside words. */
function segments(value: string, leet?: Record<string, string>): string[] {
  const delet = !leet
    ? value
    : value.replace(/(?<=[A-Za-z][013457@$]*)[013457@$](?=[013457@$]*[A-Za-z])/g, (c) => leet[c] ?? c);
  return delet.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z\u00c0-\u024f]+/g) ?? [];
}

/** The ~150 most common letter pairs of English words: random letters rarely chain them. */
const COMMON_BIGRAMS = new Set(
  (
    'th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me de hi ri ro ' +
    'ic ne ea ' +
    'ra ce li ch ll be ma si om ur ca el ta la ns di fo ho pe ec pr no ct us ac ot il tr ly nc et ut ss so rs un lo ' +
    'wa ge ie ' +
    'wh ee wi em ad ol rt po we na ul ni ts mo ow pa im mi ai sh ir su id os iv ia am fi ci vi pl ig tu ev ld ry mp ' +
    'fe bl ab ' +
    'gh ty op wo sa ay ex ke fr oo av ag if ap gr od bo sp rd do uc bu ei ov by rm ep tt oc fa ef cu rn sc gi da yo ' +
    'cr cl du ' +
    'ga qu ue ff ba ey ls va um pp ua up lu go ht ru ug ds lt pi rc rr eg au ck ew mu br bi pt ak pu ui rg ib tl ny ' +
    'ki rk ys ' +
    'ob mm fu ph og ms ye ud mb ip ub oi rl gu dr ks ft wn nu af hu nn eo vo rv nf gn sm fl ok nk kn gs dy ze ws sk ' +
    'rf eu wr'
  ).split(' '),
);

/** A letter run that reads as a word: vowels, and letter pairs that English words use. */
function pronounceable(seg: string): boolean {
  const s = seg.toLowerCase();
  if (s.length < 3) return false;
  const vowels = (s.match(/[aeiouäöüéèáàíóú]/g) ?? []).length;
  if (vowels / s.length < 0.25 || /[^aeiouyäöüéèáàíóú]{4,}/.test(s)) return false;
  let common = 0;
  for (let i = 1; i < s.length; i++) if (COMMON_BIGRAMS.has(s.slice(i - 1, i + 1))) common++;
  return common >= (s.length - 1) * 0.75;
}

function sequentialOrRepeated(s: string): boolean {
  const distinct = new Set(s).size;
  if (distinct <= 2 || (distinct < 6 && distinct <= s.length / 3)) return true;
  const lower = s.toLowerCase();
  let run = 1;
  for (let i = 1; i < lower.length; i++) {
    const d = lower.charCodeAt(i) - lower.charCodeAt(i - 1);
    run = Math.abs(d) === 1 || d === 0 ? run + 1 : 1;
    if (run >= 6) return true;
  }
  return false;
}

/** A percent-encoded value read as what it encodes. */
function plain(value: string): string {
  if (!/%[0-9a-f]{2}/i.test(value)) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Why a password looks chosen by a person for show rather than generated, or undefined:
 * made of fake-value words, of words, sequential or repeated, or short.
 */
export function weakPassword(value: string): string | undefined {
  const v = plain(value).replace(/^(["'])(.*)\1$/, '$2');
  if (madeUp(v)) return 'a made-up value';
  if (sequentialOrRepeated(v)) return 'repeated or sequential characters';
  if (v.length < 8) return 'short';
  // Leetspeak only where letters dominate: in a hex or base64 token digits are digits.
  const digits = (v.match(/[0-9]/g) ?? []).length;
  const segs = segments(v, digits * 4 > v.length ? undefined : LEET[0]);
  const wordy = segs.filter((s) => s.length >= 4 && pronounceable(s)).reduce((n, s) => n + s.length, 0);
  if (wordy >= v.length * 0.6) return 'made of words';
  return undefined;
}

/** A generated secret: long, varied, not made of words. Such values stay findings even in tests. */
export function randomLooking(value: string): boolean {
  const v = plain(value);
  if (v.length < 12 || weakPassword(v)) return false;
  // A UUID is an identifier (a record id, a test value); a provider's UUID-shaped keys have their own rules.
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)) return false;
  return shannonEntropy(v) >= 3.0;
}

/** `user:pass` or `user:pass@host` hidden in base64 (a Basic credential): the decoded text. */
function base64Text(value: string): string | undefined {
  if (!/^[A-Za-z0-9+/]{8,}={0,2}$/.test(value) || value.length % 4 !== 0) return undefined;
  const text = Buffer.from(value, 'base64').toString('utf8');
  return /^[\x20-\x7e]+$/.test(text) && text.includes(':') ? text : undefined;
}

export interface FixtureRule {
  readonly id: string;
  readonly provider: string;
  readonly type: string;
  readonly composite?: unknown;
}

export interface Place {
  readonly path?: string;
  /** The line around the secret, secret masked: the host it is for. */
  readonly excerpt?: string;
}

/**
 * Why this finding is a fixture, or undefined when it is a leak. Only passwords and named values
 * qualify; a provider token, a private key or a credential-store file never does.
 */
export function fixtureReason(rule: FixtureRule, secret: string, place: Place): string | undefined {
  if (!PASSWORD_PROVIDERS.has(rule.provider)) return undefined;
  const path = place.path ?? '';
  if (credentialStoreKind(path)) return undefined;
  const where = fixturePlace(path);
  if (rule.provider === 'password-hash') {
    if (where) return `hash of a test password in ${where}`;
    // Documentation shows what a hashing call returns in a comment; a stored hash sits in a value or a file.
    if (/^\s*(?:#|\/\/|--|;|\*|<!--)/.test(place.excerpt ?? ''))
      return 'hash shown in a comment (an example of output)';
    return /\$[\w./]*(?:0123456|123456789|abcdefgh)/i.test(secret) ? 'hash with a made-up salt' : undefined;
  }
  // A pair is judged by its password (the last part); a Basic credential by what it encodes.
  const parts = secret.split('\n');
  let value = parts[parts.length - 1]!;
  const decoded = base64Text(value);
  if (decoded) value = decoded.slice(decoded.indexOf(':') + 1);
  if (randomLooking(value)) return undefined;
  const hosts = hostsNear(place.excerpt ?? '');
  const local = hosts.length > 0 && hosts.every(isLocalHost);
  const weak = weakPassword(value);
  const what = weak ? `${weak} password` : 'password';
  // Documentation that names a real host is a pasted credential, not an example.
  if (where && (where !== 'documentation' || !hosts.some((h) => !isLocalHost(h))))
    return `test fixture: ${what} in ${where}`;
  // A passphrase of words for a local host may still be generated; made-up, short or sequential is not.
  if (local && ((weak && weak !== 'made of words') || mentionsFake(value)))
    return `local set-up: ${what} for ${hosts.find(isLocalHost)}`;
  // A made-up value is a leak only where it opens a public host.
  if (weak === 'a made-up value' && !hosts.some(isPublicHost)) return 'a made-up password';
  return undefined;
}

/** "weak password" for a weak value that is a leak anyway (a real host, a real config). */
export function weakLeakReason(rule: Pick<FixtureRule, 'provider' | 'type'>, secret: string): string | undefined {
  if (
    !PASSWORD_PROVIDERS.has(rule.provider) ||
    rule.provider === 'password-hash' ||
    rule.type === 'key' ||
    rule.type === 'secret'
  )
    return undefined;
  const parts = secret.split('\n');
  const why = weakPassword(parts[parts.length - 1]!);
  return why ? `weak password (${why}): easy to guess as well as leaked` : undefined;
}
