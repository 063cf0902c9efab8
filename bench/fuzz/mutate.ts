/**
 * Mutations of definition text: structure-aware ones that work on lines and tokens the way a
 * hostile or careless author would (duplicate, delete, swap lines; odd Unicode; deep nesting;
 * huge values; pieces of another definition) and plain byte mutations. All randomness comes
 * from one seeded generator, so a run is repeatable from its seed.
 */

export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }
  /** mulberry32: fast, and good enough to pick mutations */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Characters that have broken text readers: Unicode spaces, BOMs, controls, surrogates, RTL. */
export const ODD_TEXT = [
  '\u00a0',
  '\ufeff',
  '\u000b',
  '\u000c',
  '\u0000',
  '\u2028',
  '\u2029',
  '\u200b',
  '\u202e',
  '\u3000',
  '\r',
  '\r\n',
  '\t',
  '\\',
  '\\\n',
  '\ud800',
  '\udc00',
  '😀',
  'é',
  '"',
  "'",
  '`',
  '$',
  '${',
  '$(',
  '%',
  '%%',
  '&',
  '&lol;',
  '<',
  '>',
  '<!--',
  ']]>',
  '#',
  ';',
  '=',
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  '- ',
  '*',
  '../',
  '/dev/zero',
  '-1',
  '1e999',
  '0x7fffffff',
  'NaN',
  'null',
  'true',
  '__proto__',
  'constructor',
];

/** Openers whose repetition nests deeply in some syntax. */
const NESTERS = ['[', '{', '{"a":', '[[', '<a>', 'a.', '- ', '  ', '(', '$(', '"', '\\', '%include x\n'];

/**
 * A repeat count weighted to small inputs, as coverage fuzzers grow inputs: 85 % up to `small`,
 * 13 % up to `medium`, 2 % up to `large` (megabytes, the readers' size limits and linear-time
 * paths). Big inputs find the quadratic paths; small ones are most of the volume.
 */
export function repeats(rnd: Random, small: number, medium: number, large: number): number {
  const roll = rnd.next();
  const max = roll < 0.85 ? small : roll < 0.98 ? medium : large;
  return 1 + rnd.int(max);
}

export type Mutator = (text: string, rnd: Random, other: string) => string;

/**
 * The most characters a mutation grows a text to: past the readers' 16 MiB input limit, so the
 * limit is still tried, and far below V8's longest string (~512 MiB), which four repeating
 * mutations in a row used to pass (a 2 MB line duplicated 20,000 times).
 */
export const MAX_TEXT = 24 * 1024 * 1024;

/** `count` copies of something `unit` characters long, as many as fit in MAX_TEXT after `text`. */
export function fitting(count: number, unit: number, text: string): number {
  return Math.max(0, Math.min(count, Math.floor((MAX_TEXT - text.length) / Math.max(1, unit))));
}

const lines = (text: string) => text.split('\n');

export const MUTATORS: Record<string, Mutator> = {
  duplicateLine(text, rnd) {
    const l = lines(text);
    const i = rnd.int(l.length);
    l.splice(i, 0, ...Array(fitting(repeats(rnd, 3, 200, 20_000), l[i]!.length + 1, text)).fill(l[i]!));
    return l.join('\n');
  },
  deleteLine(text, rnd) {
    const l = lines(text);
    l.splice(rnd.int(l.length), 1 + rnd.int(3));
    return l.join('\n');
  },
  swapLines(text, rnd) {
    const l = lines(text);
    const a = rnd.int(l.length);
    const b = rnd.int(l.length);
    [l[a], l[b]] = [l[b]!, l[a]!];
    return l.join('\n');
  },
  insertOdd(text, rnd) {
    const at = rnd.int(text.length + 1);
    return text.slice(0, at) + rnd.pick(ODD_TEXT) + text.slice(at);
  },
  replaceWithOdd(text, rnd) {
    const at = rnd.int(text.length + 1);
    return text.slice(0, at) + rnd.pick(ODD_TEXT) + text.slice(at + 1 + rnd.int(4));
  },
  deepNesting(text, rnd) {
    const at = rnd.int(text.length + 1);
    const opener = rnd.pick(NESTERS);
    // mostly around the 256-level limit, sometimes far past it
    return (
      text.slice(0, at) +
      opener.repeat(fitting(repeats(rnd, 300, 5_000, 20_000), opener.length, text)) +
      text.slice(at)
    );
  },
  hugeValue(text, rnd) {
    // repeat a token of the text itself, so the value sits where a real one would
    const start = rnd.int(text.length + 1);
    const piece = text.slice(start, start + 1 + rnd.int(12)) || 'x';
    const count = fitting(repeats(rnd, 200, 5_000, 200_000), piece.length, text);
    return text.slice(0, start) + piece.repeat(count) + text.slice(start);
  },
  cutTail(text, rnd) {
    return text.slice(0, rnd.int(text.length + 1));
  },
  crossOver(text, rnd, other) {
    const a = lines(text);
    const b = lines(other);
    const from = rnd.int(b.length);
    a.splice(rnd.int(a.length + 1), 0, ...b.slice(from, from + 1 + rnd.int(8)));
    return a.join('\n');
  },
  flipByte(text, rnd) {
    if (!text) return text;
    const bytes = Buffer.from(text, 'utf8');
    for (let n = 1 + rnd.int(4); n > 0; n--) {
      const i = rnd.int(bytes.length);
      bytes[i] = bytes[i]! ^ (1 << rnd.int(8));
    }
    return bytes.toString('utf8');
  },
  randomBytes(text, rnd) {
    const bytes = Buffer.alloc(1 + rnd.int(16));
    for (let i = 0; i < bytes.length; i++) bytes[i] = rnd.int(256);
    const at = rnd.int(text.length + 1);
    return text.slice(0, at) + bytes.toString('latin1') + text.slice(at);
  },
};

const NAMES = Object.keys(MUTATORS);

/** One to four mutations in a row; returns the text and the names applied. */
export function mutate(text: string, rnd: Random, other: string): { text: string; applied: string[] } {
  let out = text;
  const applied: string[] = [];
  for (let n = 1 + rnd.int(4); n > 0; n--) {
    const name = rnd.pick(NAMES);
    out = MUTATORS[name]!(out, rnd, other);
    applied.push(name);
  }
  return { text: out, applied };
}
