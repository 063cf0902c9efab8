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

/** The mutations of every reader; the first runs used only these, in this order. */
export const GENERAL = Object.keys(MUTATORS);

/**
 * Pieces of one syntax: `snippets` go in at a line start (constructs a careless or hostile
 * author writes: anchors, heredocs, entities, continuations, self-includes), `nesters` repeat
 * where their repetition nests or runs on.
 */
interface Syntax {
  snippets: readonly string[];
  nesters: readonly string[];
}

export const SYNTAXES = {
  yaml: {
    snippets: [
      'a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n',
      '<<: *a\n',
      '*undefined\n',
      '---\n',
      '...\n',
      '%YAML 1.1\n',
      'key: !!binary AAAA\n',
      'key: !custom {a: 1}\n',
      'include: input.yaml\n',
      'include: [../../../../etc/passwd]\n',
      'include: /dev/zero\n',
      'key: |\n  text\n',
      'key: >-\n',
      '? complex\n: key\n',
      'steps:\n',
      '- {}\n',
      '- ~\n',
      'packages: [a, a, a]\n',
      'key: 0o777\n',
      'key: 1_000\n',
      'key: .inf\n',
      '"\\u0000": x\n',
    ],
    nesters: ['- ', '[', '{', '{a: ', '? ', '&a ', '  ', '!!seq [', 'a:\n  '],
  },
  hcl: {
    snippets: [
      'source "qemu" "x" {\n}\n',
      'build {\n  sources = ["source.qemu.x"]\n}\n',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the syntax under test, not a template
      'provisioner "shell" {\n  inline = ["${var.x}"]\n}\n',
      'variable "x" {\n  default = var.x\n}\n',
      'locals {\n  a = local.a\n}\n',
      'x = <<EOF\n',
      'x = <<-EOT\nline\nEOT\n',
      'x = "${',
      'x = "%{ if true }',
      '/* ',
      '// comment\n',
      '# comment\n',
      'x = 1e999\n',
      'x = [for s in var.l : upper(s)]\n',
      'x = {\n',
      'x = file("/dev/zero")\n',
      'x = "\\u{10FFFF}"\n',
      'dynamic "x" {\n',
      'x = a ? b : c\n',
      'x = 0x10\n',
    ],
    nesters: ['a {\n', '${', '"${', '[', '{', 'f(', '(', '%{ if x }', 'x.', '<<EOF\n'],
  },
  xml: {
    snippets: [
      '<!DOCTYPE t [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>',
      '<!ENTITY x SYSTEM "file:///dev/zero">',
      '&x;',
      '&#0;',
      '&#x110000;',
      '<![CDATA[',
      ']]>',
      '<?xml version="1.0" encoding="UTF-16"?>',
      '<?pi ?>',
      '<!-- ',
      '<os><name>Fedora</name><version>41</version><arch>x86_64</arch></os>',
      '<packages><package name="a"/><package name="a"/></packages>',
      '<files><file name="/../../etc/x">x</file></files>',
      '<commands><command name="a">rm -rf /</command></commands>',
      '<repositories><repository name="r"><url>file:///dev/zero</url></repository></repositories>',
      '<disk><size>99999999999999999999</size></disk>',
      '<a b="1" b="2"/>',
      '<x:y xmlns:x="u"/>',
      '</template>',
    ],
    nesters: ['<a>', '<a><b>', '<template>', '<!--', '<![CDATA[', '&a;', '<a x="'],
  },
  shell: {
    snippets: [
      'lb config --distribution bookworm \\\n',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the syntax under test, not a template
      'lb config noauto "${@}"\n',
      'set -e\n',
      'cat <<EOF\n',
      'EOF\n',
      "--run-command 'x'\n",
      'run-command echo $(id)\n',
      'install a,a,a,\n',
      'write /etc/x:line\\\n',
      'upload /dev/zero:/x\n',
      'password root:password:x\n',
      'root-password file:/dev/zero\n',
      'firstboot-command reboot\n',
      '[template]\n',
      'name=x\n',
      'file=x.xz\n',
      'size=99999999999999999999\n',
      ' continuation line\n',
      'LB_DISTRIBUTION="bookworm"\n',
      'LB_ARCHITECTURE="\n',
      '--packages-lists "a b"\n',
      'export X=$(cat /dev/zero)\n',
      "'unterminated\n",
      '"unterminated\n',
    ],
    nesters: ['\\\n', '$(', '`', '"', "'", '${', '<<EOF\n', '--x=', ' ', '['],
  },
} satisfies Record<string, Syntax>;

export type SyntaxName = keyof typeof SYNTAXES;

function syntaxMutators(syntax: Syntax): Record<string, Mutator> {
  return {
    insertConstruct(text, rnd) {
      const l = lines(text);
      const snippet = rnd.pick(syntax.snippets);
      const copies = fitting(repeats(rnd, 1, 50, 20_000), snippet.length, text);
      l.splice(rnd.int(l.length + 1), 0, snippet.repeat(copies));
      return l.join('\n');
    },
    nestConstruct(text, rnd) {
      const at = rnd.int(text.length + 1);
      const opener = rnd.pick(syntax.nesters);
      return (
        text.slice(0, at) +
        opener.repeat(fitting(repeats(rnd, 300, 5_000, 20_000), opener.length, text)) +
        text.slice(at)
      );
    },
    replaceValue(text, rnd) {
      // the value of a key or option on one line (after =, :, a space) becomes a construct
      const l = lines(text);
      const i = rnd.int(l.length);
      const m = /^(\s*[^\s=:]+\s*[=:\s]\s*)/.exec(l[i]!);
      l[i] = (m?.[1] ?? '') + rnd.pick(syntax.snippets).replace(/\n$/, '');
      return l.join('\n');
    },
  };
}

/** Mutation names per syntax: the general ones first, so the names of the first runs keep their order. */
const SYNTAX_MUTATORS = Object.fromEntries(
  Object.entries(SYNTAXES).map(([name, syntax]) => [name, syntaxMutators(syntax)]),
) as Record<SyntaxName, Record<string, Mutator>>;

function mutatorOf(name: string, syntax?: SyntaxName): Mutator {
  return MUTATORS[name] ?? SYNTAX_MUTATORS[syntax!][name]!;
}

/** The mutation names a syntax draws from: the general ones and its own. */
export function mutationsOf(syntax?: SyntaxName): string[] {
  return syntax ? [...GENERAL, ...Object.keys(SYNTAX_MUTATORS[syntax])] : GENERAL;
}

/** One to four mutations in a row; returns the text and the names applied. */
export function mutate(
  text: string,
  rnd: Random,
  other: string,
  syntax?: SyntaxName,
): { text: string; applied: string[] } {
  const names = mutationsOf(syntax);
  let out = text;
  const applied: string[] = [];
  for (let n = 1 + rnd.int(4); n > 0; n--) {
    const name = rnd.pick(names);
    out = mutatorOf(name, syntax)(out, rnd, other);
    applied.push(syntax && !MUTATORS[name] ? `${syntax}.${name}` : name);
  }
  return { text: out, applied };
}
