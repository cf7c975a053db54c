// scanSegments scans many small buffers (the added lines of each file in a commit, commit messages)
// in one detector pass; its answer must be exactly one scanBuffer per buffer. The buffers here are
// every rule's own examples and negative examples, plus code lines, cut at awkward places: a
// secret as the first or last bytes of a buffer, an assignment split across two buffers, a PEM
// block across three, empty buffers, CRLF.

import { describe, expect, it } from 'vitest';
import { defaultRulesDir, loadRulesFromDir } from '../src/detect/rules.js';
import { Detector, scanBuffer, scanSegments } from '../src/detect/index.js';
import { SeededRandom, expandTemplate } from '../src/detect/template.js';
import type { Candidate } from '../src/types.js';

const rules = loadRulesFromDir(defaultRulesDir());

const texts: string[] = rules.flatMap((r) => [
  ...r.examples.map((e, i) => expandTemplate(e, `${r.id}#seg#${i}`)),
  ...r.negativeExamples.map((e, i) => expandTemplate(e, `${r.id}#seg#neg#${i}`)),
]);

const CODE = [
  'const apiKey = process.env.API_KEY;',
  'export function handler(req, res) {',
  '  return res.json({ ok: true });',
  '}',
  'password = os.environ["DB_PASSWORD"]',
  '# TODO: rotate the token below',
  '',
];

/** Segments from the texts, cut where the generator says (mid-line too), with filler between. */
function segmentsOf(seed: string, count: number): Buffer[] {
  const r = new SeededRandom(seed);
  const out: Buffer[] = [];
  while (out.length < count) {
    const text = texts[r.int(texts.length)]!;
    const roll = r.int(6);
    if (roll === 0) {
      // A text cut into two or three pieces at arbitrary bytes.
      const a = r.int(text.length + 1);
      const b = a + r.int(text.length - a + 1);
      out.push(Buffer.from(text.slice(0, a)), Buffer.from(text.slice(a, b)), Buffer.from(text.slice(b)));
    } else if (roll === 1) out.push(Buffer.alloc(0));
    else if (roll === 2) out.push(Buffer.from(text.replace(/\n/g, '\r\n')));
    else {
      const lines = [text];
      for (let i = r.int(4); i > 0; i--) lines.splice(r.int(lines.length + 1), 0, CODE[r.int(CODE.length)]!);
      out.push(Buffer.from(lines.join('\n')));
    }
  }
  return out;
}

const view = (c: Candidate) => ({ ...c, secret: c.secret });

describe('scanSegments', () => {
  it('finds in each segment exactly what scanning it alone finds', () => {
    let found = 0;
    for (const seed of ['a', 'b', 'c', 'd']) {
      const segments = segmentsOf(`segments-${seed}`, 1000);
      const batched = scanSegments(new Detector(rules), segments);
      const alone = new Detector(rules);
      segments.forEach((s, i) => {
        const want = scanBuffer(alone, s).map(view);
        expect(batched[i]!.map(view), `segment ${i}: ${JSON.stringify(s.toString('latin1').slice(0, 120))}`).toEqual(
          want,
        );
        found += want.length;
      });
    }
    // The comparison means something only if plenty was found (and some of it at the edges).
    expect(found).toBeGreaterThan(1000);
  });

  it('scans a segment alone when a match reaches across a joint', () => {
    const d = new Detector(rules);
    const tok = expandTemplate('{{github:ghp_}}', 'joint');
    // "password =" ends one segment and its value starts the next: a generic rule's \s* could
    // take the joining "\n" and match across. Each segment alone has no finding there.
    const segments = [
      Buffer.from('db_password ='),
      Buffer.from(`"${expandTemplate('{{an:20}}', 'joint-pw')}"`),
      Buffer.from(`token: ${tok}`),
    ];
    const batched = scanSegments(d, segments);
    expect(batched.map((c) => c.map(view))).toEqual(segments.map((s) => scanBuffer(new Detector(rules), s).map(view)));
    expect(batched[2]!.some((c) => c.secret === tok)).toBe(true);
  });

  it('finds secrets that only decoding reveals, in a segment with nothing else', () => {
    const tok = expandTemplate('{{github:ghp_}}', 'encoded');
    const dockerAuth = Buffer.from(`bot:${tok}`).toString('base64');
    const segments = [
      Buffer.from('plain line\nanother'),
      Buffer.from(
        `  .dockerconfigjson: ` +
          `${Buffer.from(`{"auths":{"ghcr.io":{"auth":"${dockerAuth}"}}}`).toString('base64')}`,
      ),
      Buffer.from('trailing'),
      Buffer.from(`GET /hook?t=${encodeURIComponent(`token=${tok}`).replace(/_/g, '%5F')} HTTP/1.1`),
    ];
    const alone = segments.map((s) => scanBuffer(new Detector(rules), s).map(view));
    expect(alone[1]!.length, 'the base64 case is found by decoding').toBeGreaterThan(0);
    expect(alone[1]!.every((c) => c.decoded?.length)).toBe(true);
    expect(scanSegments(new Detector(rules), segments).map((c) => c.map(view))).toEqual(alone);
  });

  it('masks a rejected match in the excerpt of an accepted one on its line, as scanning alone does', () => {
    const tok = expandTemplate('{{github:ghp_}}', 'rejected-neighbour');
    // `apiKey = process.env.API_KEY` matches the generic rule and is then rejected (a reference);
    // segments holding only such matches are skipped whole, the others must keep them all.
    const segments = [
      Buffer.from('const apiKey = process.env.API_KEY;\nconst secret = settings.DEFAULT_KEY;'),
      Buffer.from(`const apiKey = process.env.API_KEY || "${tok}";`),
      Buffer.from('headers.token = process.env.SERVICE_TOKEN;'),
    ];
    const alone = segments.map((s) => scanBuffer(new Detector(rules), s).map(view));
    expect(alone[1]!.map((c) => c.secret)).toEqual([tok]);
    expect(alone[1]![0]!.excerpt).not.toContain('process.env.API_KEY');
    expect(scanSegments(new Detector(rules), segments).map((c) => c.map(view))).toEqual(alone);
  });
});
