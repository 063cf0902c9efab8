/**
 * Word splitting of one kickstart line, as pykickstart does it with `shlex.split(line,
 * comments=True)` in POSIX mode: single quotes are literal, double quotes group and let `\"`
 * and `\\` through, a backslash outside quotes escapes the next character, and `#` starts a
 * comment wherever a new character of a word could start, even mid-word (`abc#def` is `abc`).
 * There is no line continuation. Columns are 1-based and point at the raw text.
 */
type TokenKind = 'blank' | 'comment' | 'word' | 'open-quote' | 'trailing-backslash';

/**
 * Tried in this order at each offset; the first that matches wins. Sticky regular expressions
 * match only at `lastIndex`, so no substring is made per token.
 */
const TOKENS: readonly (readonly [TokenKind, RegExp])[] = [
  ['blank', /[ \t\r\n\f\v]+/y],
  ['comment', /#[^\n]*/y],
  ['word', /(?:[^\s'"\\#]|\\[^\n]|'[^']*'|"(?:[^"\\]|\\[^\n])*")+/y],
  ['open-quote', /'[^']*|"(?:[^"\\]|\\[^\n])*/y],
  ['trailing-backslash', /\\/y],
];

interface Token {
  kind: TokenKind;
  image: string;
  offset: number;
}

/** The tokens of a line, and the offset of the first character no token matches (a Unicode space). */
function tokenize(text: string): { tokens: Token[]; badOffset?: number } {
  const tokens: Token[] = [];
  let badOffset: number | undefined;
  let offset = 0;
  while (offset < text.length) {
    const token = tokenAt(text, offset);
    if (!token) {
      badOffset ??= offset;
      offset++;
      continue;
    }
    if (token.kind !== 'blank') tokens.push(token);
    offset += token.image.length;
  }
  return badOffset === undefined ? { tokens } : { tokens, badOffset };
}

function tokenAt(text: string, offset: number): Token | undefined {
  for (const [kind, pattern] of TOKENS) {
    pattern.lastIndex = offset;
    const m = pattern.exec(text);
    if (m && m[0].length > 0) return { kind, image: m[0], offset };
  }
  return undefined;
}

export interface KsWord {
  /** the word after quote removal */
  value: string;
  /** as written */
  raw: string;
  /** 1-based column of the first character */
  column: number;
}

export interface LexProblem {
  kind: 'unterminated-quote' | 'trailing-backslash' | 'bad-character';
  column: number;
}

export interface LexedLine {
  words: KsWord[];
  comment?: string;
  problem?: LexProblem;
}

export function lexLine(text: string): LexedLine {
  const { tokens, badOffset } = tokenize(text);
  const words: KsWord[] = [];
  let comment: string | undefined;
  let problem: LexProblem | undefined;
  for (const token of tokens) {
    const column = token.offset + 1;
    if (token.kind === 'word') words.push({ value: unquote(token.image), raw: token.image, column });
    else if (token.kind === 'comment') comment = token.image;
    else if (token.kind === 'open-quote') problem ??= { kind: 'unterminated-quote', column };
    else if (token.kind === 'trailing-backslash') problem ??= { kind: 'trailing-backslash', column };
  }
  if (badOffset !== undefined && !problem) problem = { kind: 'bad-character', column: badOffset + 1 };
  // A word glued to an unterminated quote is one broken word in shlex; do not keep its head.
  if (problem) {
    const at = problem.column;
    while (words.length > 0 && words[words.length - 1]!.column + words[words.length - 1]!.raw.length >= at) {
      words.pop();
    }
  }
  const out: LexedLine = { words };
  if (comment !== undefined) out.comment = comment;
  if (problem) out.problem = problem;
  return out;
}

function unquote(raw: string): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === "'") {
      const end = raw.indexOf("'", i + 1);
      out += raw.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (raw[i] !== '"') {
        if (raw[i] === '\\' && (raw[i + 1] === '"' || raw[i + 1] === '\\')) i++;
        out += raw[i];
        i++;
      }
      i++;
    } else if (c === '\\') {
      out += raw[i + 1] ?? '';
      i += 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Quotes a value so that `lexLine` gives it back unchanged. */
export function quoteWord(value: string): string {
  if (value !== '' && /^[A-Za-z0-9_@%+=:,./^-]+$/.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}
