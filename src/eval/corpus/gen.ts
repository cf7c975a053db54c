// The corpus generator's tools: seeded values (Gen) and files being written with their labels.

import { SeededRandom, ALPHABETS, GENERATORS } from '../../detect/template.js';
import type { Family } from './index.js';

export const WORDS = [
  'river',
  'castle',
  'orange',
  'falcon',
  'winter',
  'summer',
  'purple',
  'rocket',
  'silver',
  'garden',
  'monkey',
  'dragon',
  'shadow',
  'tiger',
  'marble',
  'copper',
  'harbor',
  'meadow',
  'thunder',
  'pepper',
];
const SYMBOLS = '!@#%^&*-_+=?.';

export class Gen {
  readonly rng: SeededRandom;
  constructor(seed: string) {
    this.rng = new SeededRandom(seed);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.rng.int(list.length)]!;
  }
  s(alphabet: keyof typeof ALPHABETS, n: number): string {
    return this.rng.pick(ALPHABETS[alphabet]!, n);
  }
  int(a: number, b: number): number {
    return a + this.rng.int(b - a + 1);
  }
  /** A password as people pick them, and as password managers make them. */
  password(): string {
    switch (this.rng.int(6)) {
      case 0: {
        const w = this.pick(WORDS);
        return `${w[0]!.toUpperCase()}${w.slice(1)}${this.int(10, 2030)}${this.pick([...SYMBOLS])}`;
      }
      case 1:
        return this.s('an', this.int(12, 24));
      case 2: {
        let out = '';
        const alpha = ALPHABETS.an! + '!@#%^&*-_+=';
        for (let i = this.int(14, 22); i > 0; i--) out += alpha[this.rng.int(alpha.length)];
        return out;
      }
      case 3:
        return `${this.pick(WORDS)}-${this.pick(WORDS)}-${this.pick(WORDS)}-${this.int(1, 99)}`;
      case 4:
        return `${this.s('lower', this.int(5, 8))}${this.int(100, 9999)}`;
      default:
        return this.s('b64url', this.int(16, 32));
    }
  }
  /** An API secret, signing key or token without a recognisable prefix. */
  secret(): string {
    switch (this.rng.int(5)) {
      case 0:
        return this.s('hex', this.pick([32, 40, 64]));
      case 1:
        return this.s('an', this.pick([24, 32, 40]));
      case 2:
        return `${this.s('b64', 43)}=`;
      case 3:
        return this.s('b64url', this.pick([32, 43, 48]));
      default:
        return `${this.s('lowernum', 8)}-${this.s('an', 24)}`;
    }
  }
  user(): string {
    return this.pick([
      'app',
      'deploy',
      'svc_reports',
      'admin',
      'etl',
      'ci-bot',
      'backend',
      'root',
      'wp_user',
      'jenkins',
    ]);
  }
  host(): string {
    const role = this.pick(['db', 'pg', 'mysql', 'sql', 'mongo', 'cache', 'api', 'mail']);
    const id = this.s('lowernum', 5);
    const zone = this.pick(['internal', 'corp.net', 'prod.local', 'eu-west-1.rds.amazonaws.com', 'svc.cluster.local']);
    return `${role}-${id}.${zone}`;
  }
  uuid(): string {
    return GENERATORS.uuid!(this.rng, '');
  }
  pem(label: string): string {
    return GENERATORS.pem!(this.rng, label);
  }
}

/** A file being written: lines, and labels for some of them. */
export class FileBuilder {
  readonly lines: string[] = [];
  readonly labels: Array<{ line: number; family: Family; what: string }> = [];
  constructor(readonly path: string) {}
  /** Add text (may hold newlines); label its `at`-th line (0-based) when a family is given. */
  add(text: string, family?: Family, what = '', at = 0): this {
    const parts = text.split('\n');
    if (family) this.labels.push({ line: this.lines.length + 1 + at, family, what: what || this.path });
    this.lines.push(...parts);
    return this;
  }
}

/** The json.dumps / JSON.stringify of a string, without the quotes. */
export const jsonInner = (s: string) => JSON.stringify(s).slice(1, -1);

export type Maker = (g: Gen, f: (path: string) => FileBuilder, i: number) => void;
