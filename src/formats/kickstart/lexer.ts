/**
 * Word splitting of one kickstart line, as pykickstart does it with `shlex.split(line,
 * comments=True)` in POSIX mode: single quotes are literal, double quotes group and let `\"`
 * and `\\` through, a backslash outside quotes escapes the next character, and `#` starts a
 * comment wherever a new character of a word could start, even mid-word (`abc#def` is `abc`).
 * There is no line continuation. Columns are 1-based and point at the raw text.
 */
import { createRequire } from 'node:module';
import type * as Chevrotain from 'chevrotain';

let lineLexer: Chevrotain.Lexer | undefined;

/**
 * The lexer is made on first use: loading chevrotain costs about half a second of start-up,
 * which commands that never read a kickstart should not pay.
 */
function lexer(): Chevrotain.Lexer {
  if (lineLexer) return lineLexer;
  const { createToken, Lexer } = createRequire(import.meta.url)('chevrotain') as typeof Chevrotain;
  const Blank = createToken({ name: 'Blank', pattern: /[ \t\r\n\f\v]+/, group: Lexer.SKIPPED });
  const Comment = createToken({ name: 'Comment', pattern: /#[^\n]*/ });
  const Word = createToken({
    name: 'Word',
    pattern: /(?:[^\s'"\\#]|\\[^\n]|'[^']*'|"(?:[^"\\]|\\[^\n])*")+/,
  });
  const OpenQuote = createToken({ name: 'OpenQuote', pattern: /'[^']*|"(?:[^"\\]|\\[^\n])*/ });
  const TrailingBackslash = createToken({ name: 'TrailingBackslash', pattern: /\\/ });
  lineLexer = new Lexer([Blank, Comment, Word, OpenQuote, TrailingBackslash], {
    positionTracking: 'onlyOffset',
    ensureOptimizations: false,
  });
  return lineLexer;
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
  const result = lexer().tokenize(text);
  const words: KsWord[] = [];
  let comment: string | undefined;
  let problem: LexProblem | undefined;
  for (const token of result.tokens) {
    const column = token.startOffset + 1;
    const kind = token.tokenType.name;
    if (kind === 'Word') words.push({ value: unquote(token.image), raw: token.image, column });
    else if (kind === 'Comment') comment = token.image;
    else if (kind === 'OpenQuote') problem ??= { kind: 'unterminated-quote', column };
    else if (kind === 'TrailingBackslash') problem ??= { kind: 'trailing-backslash', column };
  }
  const err = result.errors[0];
  if (err && !problem) problem = { kind: 'bad-character', column: err.offset + 1 };
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
