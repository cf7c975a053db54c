import { describe, expect, it } from 'vitest';
import { ChunkScanner, Detector, scanBuffer } from '../src/detect/index.js';
import { toRule } from '../src/detect/rules.js';
import { shannonEntropy, isPlaceholder, rejectInContext } from '../src/detect/filters.js';
import { redact } from '../src/secret/redact.js';
import { token } from './helpers.js';

const ghRule = toRule(
  {
    id: 'gh',
    name: 'GitHub token',
    pattern: '\\b(ghp_[A-Za-z0-9]{36})\\b',
    keywords: ['ghp_'],
    validate: 'github',
    examples: ['{{github:ghp_}}'],
    negative_examples: ['ghp_x'],
  },
  'test',
  'github',
);
const genericRule = toRule(
  {
    id: 'generic',
    name: 'Generic password',
    pattern: `(?i)\\b(?:password|secret)\\s*[:=]\\s*["']?([^\\s"']{8,64})`,
    keywords: ['password', 'secret'],
    entropy: 3,
    examples: ['password = "{{an:16}}"'],
    negative_examples: ['password = "aaaaaaaaaa"'],
  },
  'test',
  'generic',
);
const detector = new Detector([ghRule, genericRule]);
const tok = token('{{github:ghp_}}', 'detector');

/** Line and column (1-based, code points) of `needle` in `text`. */
function position(text: string, needle: string): { line: number; column: number } {
  const idx = text.indexOf(needle);
  const before = text.slice(0, idx);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line, column: [...text.slice(lineStart, idx)].length + 1 };
}

describe('Detector', () => {
  it('reports line and column in code points on lines with multi-byte characters', () => {
    const text = `first\nconst greeting = "héllo wörld ✓"; const t = "${tok}";\n`;
    const [c] = scanBuffer(detector, text);
    expect(c).toMatchObject({ ruleId: 'gh', secret: tok, ...position(text, tok), checksum: 'valid' });
  });

  it('finds a secret that spans a chunk boundary exactly once, at every split point', () => {
    const filler = 'x = 1\n'.repeat(50);
    const text = `${filler}token: ${tok}\n${filler}`;
    const buf = Buffer.from(text);
    const at = buf.indexOf(tok);
    for (let split = at - 3; split <= at + tok.length + 3; split++) {
      const scanner = new ChunkScanner(detector, { overlap: 128 });
      const found = [...scanner.push(buf.subarray(0, split)), ...scanner.push(buf.subarray(split), true)];
      expect(found, `split at ${split}`).toHaveLength(1);
      expect(found[0]).toMatchObject({ secret: tok, ...position(text, tok) });
    }
  });

  it('keeps line and column right across many small chunks', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `line ${i} ${'é'.repeat(i % 7)}`);
    lines[217] = `  secret_token = "${tok}"`;
    const text = lines.join('\n');
    const buf = Buffer.from(text);
    const scanner = new ChunkScanner(detector, { overlap: 100 });
    const found = [];
    for (let i = 0; i < buf.length; i += 97) found.push(...scanner.push(buf.subarray(i, i + 97)));
    found.push(...scanner.push(Buffer.alloc(0), true));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject(position(text, tok));
  });

  it('reports a finding from a stream as soon as its line is complete (eager mode)', () => {
    const scanner = new ChunkScanner(detector, { eager: true });
    expect(scanner.push(Buffer.from(`log line\nAuthorization: token ${tok}\n`))).toHaveLength(1);
    expect(scanner.push(Buffer.from('more\n'), true)).toHaveLength(0);
  });

  it('honours leakradius:allow, gitleaks:allow and detect-secrets pragmas', () => {
    expect(scanBuffer(detector, `t = "${tok}" // leakradius:allow`)).toHaveLength(0);
    expect(scanBuffer(detector, `t = "${tok}" # gitleaks:allow`)).toHaveLength(0);
    expect(scanBuffer(detector, `t = "${tok}" # pragma: allowlist secret`)).toHaveLength(0);
    expect(scanBuffer(detector, `# pragma: allowlist nextline secret\nt = "${tok}"`)).toHaveLength(0);
    expect(scanBuffer(detector, `# nothing here\nt = "${tok}"`)).toHaveLength(1);
  });

  it('drops placeholders and low-entropy values but keeps random ones', () => {
    expect(scanBuffer(detector, 'password = "${DB_PASSWORD}"')).toHaveLength(0);
    expect(scanBuffer(detector, 'password = "changeme123"')).toHaveLength(0);
    expect(scanBuffer(detector, 'password = "<your-password>"')).toHaveLength(0);
    expect(scanBuffer(detector, 'password = "aaaabbbb"')).toHaveLength(0);
    const real = token('{{an:20}}', 'pw');
    expect(scanBuffer(detector, `password = "${real}"`).map((c) => c.secret)).toEqual([real]);
  });

  it('marks a token whose checksum does not hold', () => {
    const broken = tok.slice(0, -1) + (tok.endsWith('A') ? 'B' : 'A');
    expect(scanBuffer(detector, broken)[0]?.checksum).toBe('invalid');
  });

  it('applies config allowlists: regexes and stopwords', () => {
    const d = new Detector([ghRule], { regexes: ['^ghp_'] });
    expect(scanBuffer(d, tok)).toHaveLength(0);
    const s = new Detector([genericRule], { stopwords: ['fixture'] });
    expect(scanBuffer(s, `password = "Fixture${token('{{an:12}}', 's')}"`)).toHaveLength(0);
  });

  it('never puts any part of a secret beyond its redacted prefix into an excerpt', () => {
    const other = token('{{github:ghp_}}', 'other');
    const text = `a=${tok} b=${other} password="${token('{{an:20}}', 'x')}"`;
    for (const c of scanBuffer(detector, text)) {
      expect(c.excerpt).not.toContain(tok.slice(6));
      expect(c.excerpt).not.toContain(other.slice(6));
      expect(c.excerpt).not.toContain(c.secret);
    }
  });

  it('bounds excerpts on a huge single line', () => {
    const text = 'var a=1;'.repeat(200_000) + `var t="${tok}";` + 'var b=2;'.repeat(1000);
    const [c] = scanBuffer(detector, text);
    expect(c!.line).toBe(1);
    expect(c!.column).toBe(200_000 * 8 + 8);
    expect(c!.excerpt!.length).toBeLessThan(160);
  });
});

describe('filters and redaction', () => {
  it('computes Shannon entropy', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });
  it('recognises common placeholders', () => {
    for (const p of [
      'xxxxxxxx',
      '********',
      '${TOKEN}',
      '{{ secrets.TOKEN }}',
      '<your-api-key>',
      'changeme',
      '[REDACTED]',
      'AKIAIOSFODNN7EXAMPLE',
    ])
      expect(isPlaceholder(p), p).toBe(true);
    expect(isPlaceholder(tok)).toBe(false);
  });
  it('treats a version range as no secret, but not a token that starts like one', () => {
    for (const v of ['^8.20.18', '~1.2.3', '>=2.0.0', '1.2.3-beta.1', 'v10.4']) expect(isPlaceholder(v), v).toBe(true);
    const originCaKey = token('v1.0-{{hex:24}}-{{hex:146}}', 'origin-ca');
    expect(isPlaceholder(originCaKey)).toBe(false);
  });
  it('reads an image reference as a name and tag, not a password', () => {
    const generic = { provider: 'generic', type: 'password' };
    const tag = token('{{hex:12}}', 'tag');
    expect(rejectInContext(generic, tag, 'app-password:', `image: registry.example.org/app-password:${tag}`)).toBe(
      true,
    );
    expect(rejectInContext(generic, tag, 'password:', `password: ${tag}`)).toBe(false);
  });
  it('redacts to a prefix and a length', () => {
    expect(redact(tok)).toBe(`${tok.slice(0, 6)}…(40 chars)`);
    expect(redact('hunter2')).toBe('…(7 chars)');
  });
});
