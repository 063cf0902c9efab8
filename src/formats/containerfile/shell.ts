/**
 * Just enough POSIX shell to read the RUN lines of bootc Containerfiles: words with quotes,
 * escapes and known-variable expansion, the operators that chain commands, and where each
 * word starts. A word whose value depends on something unknown (an unset variable, `$(...)`,
 * a glob the shell would expand) is marked `dynamic`, so callers never treat it as a name.
 */

export interface Word {
  kind: 'word';
  value: string;
  start: number;
  end: number;
  dynamic: boolean;
}

export interface Operator {
  kind: 'op';
  value: string;
  start: number;
  end: number;
}

export type Token = Word | Operator;

const OPERATORS = ['&&', '||', ';;', '>>', '<<', '>&', '<&', '&', '|', ';', '>', '<', '(', ')', '\n'];

export function tokenize(text: string, vars: ReadonlyMap<string, string> = new Map()): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (c === '\\' && text[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '#' && (i === 0 || isBlank(text[i - 1]!) || text[i - 1] === '\n')) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', value: op, start: i, end: i + op.length });
      i += op.length;
      continue;
    }
    const start = i;
    let value = '';
    let dynamic = false;
    const expand = (): void => {
      // at a `$`
      const rest = text.slice(i);
      let m = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(rest) ?? /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
      if (m) {
        const known = vars.get(m[1]!);
        if (known === undefined) {
          dynamic = true;
          value += m[0];
        } else value += known;
        i += m[0].length;
        return;
      }
      m = /^\$\(/.exec(rest);
      if (m) {
        const close = matchingParen(text, i + 1);
        value += text.slice(i, close + 1);
        dynamic = true;
        i = close + 1;
        return;
      }
      if (/^\$[{@*#?$!0-9-]/.test(rest)) {
        const close = rest.startsWith('${') ? text.indexOf('}', i) : i + 1;
        const end = close < 0 ? text.length - 1 : close;
        value += text.slice(i, end + 1);
        dynamic = true;
        i = end + 1;
        return;
      }
      value += '$';
      i++;
    };
    while (i < text.length) {
      const ch = text[i]!;
      if (isBlank(ch) || OPERATORS.some((o) => text.startsWith(o, i))) break;
      if (ch === "'") {
        const close = text.indexOf("'", i + 1);
        const end = close < 0 ? text.length : close;
        value += text.slice(i + 1, end);
        i = end + 1;
      } else if (ch === '"') {
        i++;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < text.length && '$`"\\\n'.includes(text[i + 1]!)) {
            if (text[i + 1] !== '\n') value += text[i + 1];
            i += 2;
          } else if (text[i] === '$') expand();
          else if (text[i] === '`') {
            dynamic = true;
            const close = text.indexOf('`', i + 1);
            value += text.slice(i, close < 0 ? text.length : close + 1);
            i = close < 0 ? text.length : close + 1;
          } else value += text[i++];
        }
        i++;
      } else if (ch === '\\') {
        if (i + 1 < text.length && text[i + 1] !== '\n') value += text[i + 1];
        i += 2;
      } else if (ch === '$') expand();
      else if (ch === '`') {
        dynamic = true;
        const close = text.indexOf('`', i + 1);
        value += text.slice(i, close < 0 ? text.length : close + 1);
        i = close < 0 ? text.length : close + 1;
      } else {
        if (ch === '*' || ch === '?' || ch === '[' || ch === '{' || ch === '~')
          dynamic = dynamic || isGlobChar(ch);
        value += ch;
        i++;
      }
    }
    // template placeholders ({{ … }}, as gomplate/Jinja leave them) are never names
    if (value.includes('{{') || value.includes('}}')) dynamic = true;
    tokens.push({ kind: 'word', value, start, end: i, dynamic });
  }
  return tokens;
}

/**
 * The shell splits words only at space, tab and newline (and we drop CR from CRLF files);
 * other Unicode spaces such as U+00A0 or U+FEFF are part of a word, as in bash.
 */
function isBlank(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r';
}

function isGlobChar(ch: string): boolean {
  return ch === '{' || ch === '~';
}

function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return text.length - 1;
}

export interface Segment {
  tokens: Token[];
  start: number;
  end: number;
}

/** Splits at `&&`, `;` and newlines: the commands a RUN chains. */
export function splitCommands(tokens: readonly Token[]): Segment[] {
  const out: Segment[] = [];
  let cur: Token[] = [];
  const flush = () => {
    if (cur.length) out.push({ tokens: cur, start: cur[0]!.start, end: cur[cur.length - 1]!.end });
    cur = [];
  };
  for (const t of tokens) {
    if (t.kind === 'op' && (t.value === '&&' || t.value === ';' || t.value === '\n')) flush();
    else cur.push(t);
  }
  flush();
  return out;
}

const CONTROL = new Set([
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'for',
  'while',
  'until',
  'do',
  'done',
  'case',
  'esac',
  '{',
  '}',
  'function',
]);

/** Commands with shell control flow are read as one opaque script. */
export function hasControlFlow(tokens: readonly Token[]): boolean {
  let commandStart = true;
  for (const t of tokens) {
    if (t.kind === 'op') {
      commandStart = t.value !== '>' && t.value !== '>>' && t.value !== '<';
      if (t.value === '(' || t.value === ')' || t.value === ';;') return true;
      continue;
    }
    if (commandStart && CONTROL.has(t.value) && !t.dynamic) return true;
    commandStart = false;
  }
  return false;
}

/** Quotes a word for a POSIX shell only when it needs it. */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
