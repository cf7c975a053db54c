// Pure checks on a candidate secret: entropy, placeholders, inline allow pragmas, and the
// context checks (the key a value is assigned to, the line it sits on) that generic rules need.

import { sha256Hex } from '../secret/digest.js';
import { randomLooking } from './fixture.js';

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  const n = [...s].length;
  for (const c of counts.values()) {
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * What the rule's own match says about a value before any placeholder guess: its checksum is valid
 * (no stand-in typed by hand has one), it has a provider's distinctive format (a high-confidence
 * rule), or nothing.
 */
export type Evidence = 'checksum' | 'format' | 'none';

/**
 * A run of x's masks a value (xxxx). In a provider's format, a run of 4 or 5 is an accident about once
 * in 30,000 random tokens (a ghp_ body holds xxxx in some case mix that often), so there it takes 6 (once
 * in ~30 million); stand-ins written by hand fill the whole token.
 */
const X_RUN = /x{4,}/i;
const FORMAT_X_RUN = /x{6,}/i;
function xRun(secret: string, evidence: Evidence): boolean {
  return (evidence === 'none' ? X_RUN : FORMAT_X_RUN).test(secret);
}

/**
 * Values that stand for a secret kept elsewhere (a variable, a vault, a mask): no leak, even in a credential
 * store.
 */
const REFERENCE_PATTERNS: readonly RegExp[] = [
  /\*{3,}/, // ****
  /^<[^<>]*>$|<[a-z_ -]*(?:key|token|secret|password|pass|pwd|here|your)[a-z_ -]*>/i, // <your-key>
  /^\$\{[^}]*\}$|^\$\(|^\$[A-Z_][A-Z0-9_]*$|^%[A-Z_][A-Z0-9_]*%$/, // ${VAR}, $VAR, %VAR%, $(cmd)
  // {{ secrets.X }}, {{ .Values.key }}, a generator's {{an:20}} (rule examples in a bundle of rules)
  /^\{\{.*\}\}$|\{\{\s*[\w.]+(?::[\w.:-]*)?\s*\}\}/,
  /^\[[A-Z_ -]+\]$/, // [REDACTED]
  // References to an environment variable or a secret store instead of a value.
  new RegExp(
    String.raw`^(?:os\.environ|os\.getenv|process\.env|import\.meta\.env|` +
      String.raw`System\.getenv|ENV\[|ENV\.fetch|getenv\(|env\(|` +
      String.raw`Environment\.GetEnvironmentVariable|config\(|settings\.|` +
      String.raw`secrets\.)`,
  ),
  new RegExp(
    '^(?:vault|ssm|secretsmanager|awssm|gcpsm|azkv|sm|' +
      String.raw`op|bws|doppler|infisical|akv|ref\+[a-z]+|arn:aws:(?:secretsmanager|` +
      'ssm)):',
    'i',
  ),
  /^@Microsoft\.KeyVault\(|^\{\{resolve:|^\(\(|^#\{|^%\(/,
  new RegExp(
    String.raw`\byour\b.{0,40}\b(?:here|key|phrase|password|secret|` +
      String.raw`token)\b|[-_ ]here$|^(?:enter|put|insert|add|set)[-_ ]`,
    'i',
  ), // "put your unique phrase here", password_here
];

/** A file path or a key file's name: where the secret is, not the secret (rejectInContext judges these elsewhere). */
const LOCATION_PATTERNS: readonly RegExp[] = [
  /^[a-z][a-z0-9+.-]*:\/\/[^@\s]*$/i, // a URL without credentials
  /^(?:~|\.{1,2})?\/[\w./-]+$/,
  /^[\w./-]+\.(?:json|pem|key|p12|pfx|jks|ya?ml|txt|env|crt|cer|der|ini|conf|cfg|properties|xml|toml|gpg|asc|enc)$/i,
];

/**
 * Whether a value refers to a secret kept elsewhere; in a committed credential store, the one kind of
 * placeholder. A valid checksum outranks the guess.
 */
export function isReference(secret: string, evidence: Evidence = 'none'): boolean {
  if (evidence === 'checksum') return false;
  const any = (list: readonly RegExp[]) => list.some((re) => re.test(secret));
  return secret.trim() === '' || xRun(secret, evidence) || any(REFERENCE_PATTERNS) || any(LOCATION_PATTERNS);
}

// Values people write where a real secret would go. Kept conservative: a real random token never
// contains these words, while templates, docs and fixtures almost always do.
const PLACEHOLDER_PATTERNS: readonly RegExp[] = [
  ...REFERENCE_PATTERNS,
  /(.)\1{7,}/, // aaaaaaaa, 00000000
  new RegExp(
    'change[-_ ]?me|changeit|placeholder|redacted|dummy|' +
      'foobar|lorem ?ipsum|insert[-_ ]?(?:your|here)|your[-_ ]?(?:api[-_ ]?)?(?:key|' +
      'token|secret|password|pass)|replace[-_ ]?me',
    'i',
  ),
  /\b(?:sample|todo|fixme)\b/i,
  /(?:^|[^a-z])(?:example|examplekey|test[-_]?(?:key|token|secret|password))(?:[^a-z]|$)/i,
  /EXAMPLE(?:KEY)?$/, // AWS documentation keys: AKIAIOSFODNN7EXAMPLE, ...bPxRfiCYEXAMPLEKEY
  /^(?:password|passwd|secret|token|null|none|undefined|true|false|empty|string|required|optional)!?$/i, // secret! too
  /^0123456789|^abcdefgh|^12345678|^(?:[a-z]{2,8}[-_])?(?:abc|123)+$/i, // also jwt_abc123
  /^(?:pass|passwd|pwd|pw|secret|token|apikey|api_key|key|value|admin|root|user|guest|test)$/i,
  // Type names: `password: string;`, `pass: boolean`, `token: Buffer`.
  new RegExp(
    '^(?:boolean|bool|number|int|integer|int32|int64|' +
      'uint|str|string|object|any|void|unknown|never|bytes|' +
      'byte|char|float|double|long|date|datetime|buffer|' +
      'function|array|list|dict|map|optional|text|varchar|' +
      String.raw`blob|secretstr|securestring)\??[;,]?$`,
    'i',
  ),
  // Character encodings: writeString('mysql_native_password', 'latin1').
  /^(?:latin1|utf-?8|utf16le|ucs-?2|ascii|binary)$/i,
  // Digests: SRI and lockfile integrity (sha512-…), image digests (sha256:…).
  /^(?:sha(?:1|224|256|384|512)|md5|blake2b?|sha3-\d+)[-:=]/i,
  // Values made of words that name what should go there: "SuperSecretToken", "my-secret-key".
  /^[A-Za-z_. -]*(?:secret|token|passw(?:or)?d|api[_-]?key|private[_-]?key)[A-Za-z_. -]*$/i,
  /^(?:my|your|some|the|a)[-_]?(?:super[-_]?)?(?:secret|password|token|key)/i,
  /^(?:secret|passw(?:or)?d|token|key)[-_]for[-_]/i, // password-for-30001: says whose it would be
];

/** sha256 (first 32 hex) of keys that vendors publish in their documentation and test suites. */
const PUBLISHED_EXAMPLE_KEYS = new Set([
  '2cafc0970149a84f3b9e62eaf169f36f', // Stripe docs secret test key
  'b1471f544ceeea31333bde7e1ecbaad6', // Stripe docs publishable test key
  'f2d6ca16515033e5dce14eba840b979d', // Stripe docs (older) secret test key
  '5895b89c8fb33402a5bfc23aad5aaf86', // Stripe docs (older) publishable test key
  '3543c50b0cb9cea8e55eb1f529b79f04', // GitHub docs personal access token
  '0e3fd41c01a697720785471d74558508', // Slack docs bot token
  'ac9265e56c79b234607ec72c53753cfe', // Google Maps samples key
  '15cef4b629cc2d07a4563df9516739d4', // RFC 6455's sample Sec-WebSocket-Key ("the sample nonce")
]);

/** The jwt.io example token (sub 1234567890, John Doe) and other tokens from JWT documentation. */
function isDocumentationJwt(secret: string): boolean {
  if (!secret.startsWith('eyJ')) return false;
  const body = secret.split('.')[1];
  if (!body) return false;
  let claims: string;
  try {
    claims = Buffer.from(body, 'base64url').toString('utf8');
  } catch {
    return false;
  }
  return /"sub"\s*:\s*"1234567890"/.test(claims) && /"name"\s*:\s*"John Doe"/.test(claims);
}

/** A version or version range (package.json dependencies named "password", "token", "secret"). */
const VERSION_RANGE =
  /^(?:[~^]|[<>]=?|=)?v?\d+(?:\.(?:\d+|[xX*])){1,3}(?:-[0-9A-Za-z.-]{1,16})?(?:\+[0-9A-Za-z.-]{1,16})?$/;

/**
 * Whether a value is a stand-in for a secret (a template, a doc example, a type name). Tokens that
 * vendors publish are known, not guessed: they stay placeholders whatever the evidence; every other
 * pattern is a guess that a valid checksum outranks.
 */
export function isPlaceholder(secret: string, evidence: Evidence = 'none'): boolean {
  if (evidence !== 'checksum') {
    if (secret.length <= 40 && VERSION_RANGE.test(secret.replace(/^(?:npm|workspace|patch|portal):/, ''))) return true;
    if (xRun(secret, evidence)) return true;
    for (const re of PLACEHOLDER_PATTERNS) if (re.test(secret)) return true;
  }
  if (isDocumentationJwt(secret)) return true;
  return secret.length >= 20 && secret.length <= 200 && PUBLISHED_EXAMPLE_KEYS.has(sha256Hex(secret).slice(0, 32));
}

/** Providers whose rules match a value by the name it is assigned to, not by its own shape. */
const KEYED_PROVIDERS = new Set(['generic', 'config', 'login', 'credential-file']);

/** Code, not a value: `contextToken2`, `!questionToken`, `self.password`, `DB_PASSWORD`, `db_password`. */
function looksLikeCode(value: string, quoted: boolean): boolean {
  return (
    (quoted ? /^[!?][A-Za-z_$][\w$]*$/.test(value) : /^[!?&*]+[A-Za-z_$][\w$.]*$/.test(value)) ||
    (!quoted && /^[a-z]+(?:[A-Z][a-z]+)+\d?$/.test(value)) || // camelCase identifier
    (!quoted && /^_*[a-z][a-z0-9]*(?:_+[a-z][a-z0-9]*)+_*$/.test(value)) || // snake_case identifier
    /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(value) || // an environment variable's name
    /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+(?:\(\)?)?$/.test(value) || // obj.prop.chain
    /^[A-Za-z_$][\w$]*\[/.test(value)
  );
}

const STAND_IN = 'dummy|fake|mock|sample|example';
const STAND_IN_HASH = new RegExp(
  `(?:${STAND_IN})[\\w-]{0,20}(?:hash|passw|pw)|(?:hash|passw)[\\w-]{0,20}(?:${STAND_IN})`,
  'i',
);

/** Key names the secret rule already covers. */
const SECRET_KEY_NAME = new RegExp(
  '(?:secret|token|api[_.-]?key|apikey|access[_.-]?key|' +
    'auth[_.-]?key|private[_.-]?key|signing[_.-]?key|' +
    'encryption[_.-]?key|master[_.-]?key|app[_.-]?key|' +
    String.raw`session[_.-]?key|license[_.-]?key)["'\x60\]]*\s*(?:=|` +
    ':=|=>|:)',
);
/** Names of database, cache and lookup keys: they hold identifiers. */
const IDENTIFIER_KEY_NAME = new RegExp(
  '(?:cache|sort|partition|foreign|lookup|idempotency|' +
    'object|storage|translation|i18n|index|map|dedup|' +
    'group|routing|row|column|site|event|message|label|' +
    'locale|field|state|redis|metric|query|node|entity|' +
    'item|file|s3|bucket|schema|table|unique|composite|' +
    'hash)[_.-]?key',
);
/** Names of settings about a secret (require_password, token_length), not the secret. */
const SETTING_NAME = new RegExp(
  '(?:^|[^a-z])(?:is|has|use|enable|enabled|require|' +
    'required|show|hide|min|max|allow|no)[_.-]?[a-z_.-]*(?:password|' +
    'secret|token)|(?:password|secret|token)[_.-]?(?:length|' +
    'policy|field|label|prompt|hint|type|mode|regex|' +
    'pattern|url|uri|endpoint|path|file|name|header)',
);
/** Hosts reserved for documentation (RFC 2606, RFC 6761). */
const DOC_HOST = /^@(?:[\w-]+\.)*(?:example\.(?:com|org|net)|example|test|invalid)(?![\w.-]*[\w-]\.[a-z])/i;

/**
 * Whether a candidate is not a secret, judged from its context. `key` is the matched text before
 * the secret (e.g. `"client_secret": "`), `line` the line around it. Applies to every rule for the
 * host check; to keyed (generic) rules for the rest.
 */
export function rejectInContext(
  rule: { readonly provider: string; readonly type: string },
  secret: string,
  key: string,
  line: string,
): boolean {
  // user:pass@example.com, user:pass@host.test — documentation URLs.
  const at = line.indexOf(secret + '@');
  if (at !== -1 && DOC_HOST.test(line.slice(at + secret.length))) return true;
  // user:word@host, where the password is one short lower-case word: documentation (MDN's anonymous:flabada).
  if (rule.provider === 'url' && /^[a-z]{1,8}$/.test(secret)) return true;
  // A token in an image URL's query: README badges (codecov …/badge.svg?token=…) are meant to be public.
  const pos = line.indexOf(secret);
  if (
    pos > 0 &&
    /\.(?:svg|png|gif)\?(?:[\w.-]+=[^&\s]*&)*[\w.-]*token=$/i.test(line.slice(Math.max(0, pos - 200), pos))
  )
    return true;
  // A hash named as a stand-in (DUMMY_HASH for constant-time checks, fake_hash in fixtures) guards no password.
  const named = pos > 0 && STAND_IN_HASH.test(line.slice(Math.max(0, pos - 120), pos));
  if (rule.provider === 'password-hash' && named) return true;
  if (!KEYED_PROVIDERS.has(rule.provider)) return false;
  // An image reference (registry/app-password:1a2b3c4d): a path segment and a tag, not a key and value.
  if (pos > 0 && /[\w.-]\/[\w.-]+:$/.test(line.slice(Math.max(0, pos - 200), pos))) return true;
  const k = key.toLowerCase();
  const quoted = /["'\x60>]\s*$/.test(key);
  // A URL without credentials, a file path or a file name: where the secret is, not the secret.
  if (LOCATION_PATTERNS.some((re) => re.test(secret))) return true;
  if (!quoted && /^[A-Z][a-z]+(?:[A-Z][a-z]+)+\d?$/.test(secret)) return true; // PascalCase type name
  // A short word is prose or a sample value ("somewhere", "First pass: check"), not a password.
  if (rule.type !== 'username' && /^[A-Za-z][a-z]{0,11}$/.test(secret)) return true;
  if (/^[a-z]+(?:[A-Z][a-z]+){2,}$/.test(secret)) return true; // allowUnsafeAskPass: an identifier even when quoted
  // Scoped names in code: Foo::Bar, Token::Iterator.
  if (/::\s*$/.test(key) || secret.startsWith(':') || secret.includes('::')) return true;
  // A short number after "password" is an id, port, counter or cache key (key=password:76039), not a
  // credential worth a finding.
  if (rule.type === 'password' && /^\d{1,7}$/.test(secret)) return true;
  if (rule.type === 'secret' || rule.type === 'key') {
    // Random secrets of this length almost always hold a digit, or mix upper and lower case.
    const digit = /[0-9]/.test(secret);
    const mixed = /[A-Z]/.test(secret) && /[a-z]/.test(secret);
    if (!digit && !(mixed && secret.length >= 16)) return true;
    if (!digit && /^[A-Za-z]+(?:[-_. ][A-Za-z]+)+$/.test(secret)) return true; // Words-Joined-By-Dashes
    if (rule.type === 'key' && !digit) return true;
    // Keys the secret rule already covers: one finding per secret.
    if (rule.type === 'key' && SECRET_KEY_NAME.test(k)) return true;
    // A UUID under a *_key name is an identifier (a provider's UUID-shaped keys have their own rules).
    if (rule.type === 'key' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(secret))
      return true;
    // Names of database and cache keys hold identifiers; a generated value under `primary_key:` is
    // still a key (Rails' record encryption keys: primary_key, deterministic_key).
    if (rule.type === 'key' && /primary[_.-]?key/.test(k) && !randomLooking(secret)) return true;
    if (rule.type === 'key' && IDENTIFIER_KEY_NAME.test(k)) return true;
  }
  if (namesNoSecret(key, secret)) return true;
  if (SETTING_NAME.test(k)) return true;
  if (looksLikeCode(secret, quoted)) return true;
  const around =
    pos >= 0
      ? [line.slice(Math.max(0, pos - 200), pos), line.slice(pos + secret.length, pos + secret.length + 40)]
      : ['', ''];
  if (notAValue(secret, key, quoted, around[0]!, around[1]!)) return true;
  return false;
}

/** A name whose value is a public half or an identifier, not a secret: judged in credential stores too. */
export function namesNoSecret(key: string, secret: string): boolean {
  const k = key.toLowerCase();
  if (/public|publishable|pubkey|pub[_.-]key|[_.-]pub\b/.test(k)) return true;
  // An access key *id* (20 upper-case letters and digits) is an identifier; its secret is reported.
  return /access[_.-]?key(?:[_.-]?id)?["'\x60\]]*\s*(?:=|:=|=>|:)/.test(k) && /^[A-Z0-9]{16,32}$/.test(secret);
}

/** Keyword keys whose value names another thing (`'become_pass'`, `"caching_sha2_password"`). */
const NAMES_A_CREDENTIAL = /pass|pwd|secret|token|key|auth|credential/i;

/**
 * Code and syntax read as a value: a label, a named argument, an option, a reference, a format, a
 * path, a name in a list of names, a command. `before` and `after` are the line around the value.
 */
function notAValue(secret: string, key: string, quoted: boolean, before: string, after: string): boolean {
  // `description:`, `name:`, `debug2:` — the next key of a mapping or a label, not a value.
  if (/^[\w.-]+:$/.test(secret)) return true;
  // `dest=`, `--password=`, `default=C.X`, `playcontext=self._ctx`: named arguments and options.
  const pairForm = /["'][ \t]{0,2},[ \t]{0,4}["'\x60]?$/.test(key);
  // (Base64 padding is not an assignment: `QnDu…0ZM=`.)
  const named =
    secret.length % 4 === 0 && /^[A-Za-z0-9+/]+={1,2}$/.test(secret)
      ? null
      : /^-{0,2}([A-Za-z_][\w-]*)=(.*)$/.exec(secret);
  const code =
    named &&
    (named[2] === ''
      ? /^[a-z_][a-z_-]*$/.test(named[1]!)
      : /^(?:true|false|none|null|\d+|[A-Za-z_]\w*(?:\.\w+)+(?:\(.*\))?)$/i.test(named[2]!));
  if (!quoted && named && (pairForm || code)) return true;
  if (/^--[a-z][a-z0-9-]*=?$|^-[A-Za-z]$/.test(secret)) return true;
  // References: @VAR@ templates, @ivar, %(name)s, {0}, printf formats.
  if (/^@[A-Z_][A-Z0-9_]*@?$/.test(secret) || (!quoted && /^@[A-Za-z_]\w*$/.test(secret))) return true;
  if (/%\([\w.]+\)[sdr]|\{\d*\}/.test(secret) || /^[\w./:-]*%[sd][\w./:-]*$/.test(secret)) return true;
  // A directory or a URL: where a credential lives, not one (URLs with credentials have their own rules).
  if (/^[a-z_][a-z_.-]*\/$/.test(secret) || /^[a-z][a-z0-9+.-]*:\/\//i.test(secret)) return true;
  // A quoted snake_case name that itself names a credential (caching_sha2_password, ansible_become_pass).
  if (/^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/.test(secret) && NAMES_A_CREDENTIAL.test(secret)) return true;
  // `("key", value)` with a name or a type as the value: a list of names, a call's other argument.
  // A list of quoted names (injectNpmUser, injectNpmPassword, injectNpm2FaToken, …): a third item, not a pair.
  if (pairForm && /^["'\x60][ \t]*,[ \t]*["'\x60]/.test(after)) return true;
  // `e.password===this.options.password`: a comparison.
  if (!quoted && /^[=!]=/.test(secret)) return true;
  if (
    pairForm &&
    (/^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/.test(secret) ||
      (/^(?:[a-z]{2,}|(?:[A-Z][a-z]+){2})(?:\d{1,2})?(?:[A-Z][a-z]+(?:\d{1,2})?)+$/.test(secret) &&
        !randomLooking(secret)))
  )
    return true;
  // Expressions of minified code: `r.url.password:r.url.password=r.password`, `e.env.X||`.
  if (
    !quoted &&
    (/\|\||&&|[=!]==[\w$(!'"]|[A-Za-z_$]\?\.[A-Za-z_$]/.test(secret) ||
      /^[A-Za-z_$][\w$]*(?:\.[\w$]+)+[:=]/.test(secret))
  )
    return true;
  if (!quoted && /[\w$)\]][=!]=[A-Za-z_$(!'"]/.test(secret) && !randomLooking(secret)) return true;
  // Statements: a quote pair around minified code, `),E=n.limitMessage;!S;)n.limit=h`.
  if (/[;)][!\s]*[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+=[^=]/.test(secret)) return true;
  // A regular expression: `(\d)+`, `[a-z]*`.
  if (/\\[dwsbDWS]|[)\]][+*?]/.test(secret) && !randomLooking(secret)) return true;
  // `exports.loadAWSCredentials = loadAWSCredentials`, `calculateToken: calculateToken`,
  // `onresumptiontoken: opts.onresumptiontoken`: the value is the name again, a reference.
  const name = /([A-Za-z_$][\w$]*)["'\x60]?\]?[ \t]*(?:=|:=|=>|:)[ \t]*["'\x60]?$/.exec(key)?.[1];
  const lower = secret.toLowerCase();
  if (
    !quoted &&
    name &&
    name.length >= 4 &&
    (lower === name.toLowerCase() || lower.endsWith(`.${name.toLowerCase()}`))
  )
    return true;
  // Identifiers and type names that read as words: `calculateSha2Token`, `URLPatternComponentResult`.
  if (
    !quoted &&
    /^(?:[a-z]{2,}(?:\d{1,2})?(?:[A-Z][a-z]{2,}(?:\d{1,2})?){2,}|[A-Z]+[a-z]{2,}(?:[A-Z]+[a-z]{2,}){2,})$/.test(
      secret,
    ) &&
    !randomLooking(secret)
  )
    return true;
  // Validation rules: `'required|confirmed'`, `'nullable|string|min:8'`.
  if (/^[a-z_]+(?::[\w,.-]+)?(?:\|[a-z_]+(?::[\w,.-]+)?)+$/.test(secret)) return true;
  // Secret-store and resource names: `urn:k8s:secret:db:password`.
  if (/^urn:/i.test(secret)) return true;
  // `${NAME:+word}`: shell's alternate value, a flag.
  if (/^\+/.test(secret) && /\$\{\w+:$/.test(before)) return true;
  // PowerShell's Verb-Noun: a command, `$password = Get-Credential ...`.
  if (!quoted && /^[A-Z][a-z]+-[A-Z][A-Za-z]+$/.test(secret)) return true;
  return false;
}

/** Inline markers that allow a finding on their line (gitleaks and detect-secrets markers too). */
const ALLOW_MARKER = /leakradius:allow|gitleaks:allow|pragma: ?allowlist secret/;
/** detect-secrets' marker for the line below it. */
const ALLOW_NEXT_LINE = /pragma: ?allowlist nextline secret|leakradius:allow-next-line/;

export function lineAllows(line: string): boolean {
  return ALLOW_MARKER.test(line);
}

export function lineAllowsNext(line: string): boolean {
  return ALLOW_NEXT_LINE.test(line);
}
