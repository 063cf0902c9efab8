/**
 * A small HCL2 reader for Packer templates: blocks, attributes and comments with positions.
 * Attribute values are scanned to their end (brackets, strings with `${…}` templates and
 * heredocs balanced), then read as literal data where they are literals; anything else stays
 * the expression's text (decision 0118).
 */
import type { HclValue } from '../hcl-value.js';

export interface HclAttr {
  kind: 'attr';
  name: string;
  value: HclValue;
  /** the name's offset, the value's offset */
  offset: number;
  valueOffset: number;
}

export interface HclBlock {
  kind: 'block';
  type: string;
  labels: string[];
  body: HclItem[];
  offset: number;
}

export type HclItem = HclAttr | HclBlock;

export class HclError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const CLOSING = { '(': ')', '[': ']', '{': '}' } as const;
const IDENT_START = /[A-Za-z_]/;
const IDENT_CHAR = /[A-Za-z0-9_-]/;

export function parseHcl(text: string): HclItem[] {
  const p = new Parser(text);
  const body = p.body(false);
  return body;
}

class Parser {
  i = 0;
  constructor(readonly s: string) {}

  /** Skips spaces, newlines and comments. */
  skipBlank(newlines = true): void {
    for (;;) {
      const c = this.s[this.i];
      if (c === ' ' || c === '\t' || c === '\r' || (newlines && c === '\n')) this.i++;
      else if (c === '#' || (c === '/' && this.s[this.i + 1] === '/')) this.skipLine();
      else if (c === '/' && this.s[this.i + 1] === '*') {
        const end = this.s.indexOf('*/', this.i + 2);
        if (end < 0) throw new HclError('unterminated /* comment', this.i);
        this.i = end + 2;
      } else return;
    }
  }

  skipLine(): void {
    while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
  }

  ident(): string {
    const start = this.i;
    if (!IDENT_START.test(this.s[this.i] ?? ''))
      throw new HclError(`expected a name, found ${this.describe()}`, this.i);
    while (IDENT_CHAR.test(this.s[this.i] ?? '')) this.i++;
    return this.s.slice(start, this.i);
  }

  describe(): string {
    const c = this.s[this.i];
    return c === undefined ? 'the end of the file' : c === '\n' ? 'the end of the line' : `"${c}"`;
  }

  body(nested: boolean): HclItem[] {
    const items: HclItem[] = [];
    for (;;) {
      this.skipBlank();
      if (this.i >= this.s.length) {
        if (nested) throw new HclError('a block is not closed: expected "}"', this.i);
        return items;
      }
      if (this.s[this.i] === '}') {
        if (!nested) throw new HclError('"}" without a block to close', this.i);
        this.i++;
        return items;
      }
      const offset = this.i;
      const name = this.ident();
      this.skipBlank(false);
      if (this.s[this.i] === '=' && this.s[this.i + 1] !== '=') {
        this.i++;
        this.skipBlank(false);
        const valueOffset = this.i;
        const raw = this.expression();
        items.push({ kind: 'attr', name, value: readValue(raw), offset, valueOffset });
        continue;
      }
      const labels: string[] = [];
      while (this.s[this.i] !== '{') {
        if (this.s[this.i] === '"') labels.push(unquote(this.stringLiteral()));
        else if (IDENT_START.test(this.s[this.i] ?? '')) labels.push(this.ident());
        else
          throw new HclError(
            `expected "=", a block label or "{" after ${name}, found ${this.describe()}`,
            this.i,
          );
        this.skipBlank(false);
      }
      this.i++;
      items.push({ kind: 'block', type: name, labels, body: this.body(true), offset });
    }
  }

  /** The raw text of a quoted string starting here, templates balanced. */
  stringLiteral(): string {
    const start = this.i;
    this.i++;
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined || c === '\n') throw new HclError('a string is not closed: expected "', start);
      if (c === '\\') this.i += 2;
      else if (c === '"') {
        this.i++;
        return this.s.slice(start, this.i);
      } else if ((c === '$' || c === '%') && this.s[this.i + 1] === '{') {
        this.i += 2;
        this.balanced('}');
      } else this.i++;
    }
  }

  /** Scans to the matching close bracket (strings, heredocs and comments inside skipped). */
  balanced(close: string): void {
    for (;;) {
      this.skipBlank();
      const c = this.s[this.i];
      if (c === undefined) throw new HclError(`expected "${close}" before the end of the file`, this.i);
      if (c === close) {
        this.i++;
        return;
      }
      this.token();
    }
  }

  token(): void {
    const c = this.s[this.i]!;
    if (c === '"') this.stringLiteral();
    else if (c === '<' && this.s[this.i + 1] === '<' && /[-A-Za-z_]/.test(this.s[this.i + 2] ?? ''))
      this.heredoc();
    else if (c === '(' || c === '[' || c === '{') {
      this.i++;
      this.balanced(CLOSING[c]);
    } else if (c === ')' || c === ']' || c === '}') throw new HclError(`unbalanced "${c}"`, this.i);
    else this.i++;
  }

  heredoc(): void {
    const m = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(this.s.slice(this.i, this.i + 200));
    if (!m) throw new HclError('a heredoc must be <<NAME or <<-NAME followed by a new line', this.i);
    const start = this.i;
    this.i += m[0].length;
    for (;;) {
      const end = this.s.indexOf('\n', this.i);
      const line = this.s.slice(this.i, end < 0 ? this.s.length : end);
      this.i = end < 0 ? this.s.length : end + 1;
      if (line.trim() === m[2]) {
        if (end >= 0) this.i = end;
        return;
      }
      if (end < 0) throw new HclError(`the heredoc is not closed: expected a line "${m[2]}"`, start);
    }
  }

  /** An attribute's value: to the end of the line, brackets balanced. */
  expression(): string {
    const start = this.i;
    for (;;) {
      const c = this.s[this.i];
      if (
        c === undefined ||
        c === '\n' ||
        c === '}' ||
        c === '#' ||
        (c === '/' && (this.s[this.i + 1] === '/' || this.s[this.i + 1] === '*'))
      )
        break;
      this.token();
    }
    const raw = this.s.slice(start, this.i).trim();
    if (raw === '') throw new HclError('an attribute needs a value after "="', start);
    return raw;
  }
}

/** A quoted HCL string literal's value (escapes decoded, templates kept). */
export function unquote(raw: string): string {
  return raw.slice(1, -1).replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_m, e: string) => {
    if (e === 'n') return '\n';
    if (e === 'r') return '\r';
    if (e === 't') return '\t';
    if (e.length > 1) return String.fromCodePoint(Number.parseInt(e.slice(1), 16));
    return e;
  });
}

/** Literal data where the text is a literal; otherwise the expression text. */
export function readValue(raw: string): HclValue {
  const r = new LiteralReader(raw);
  try {
    const v = r.value();
    r.blank();
    if (r.i === raw.length) return v;
  } catch {
    // not a literal: kept as an expression below
  }
  return { $expr: raw };
}

class LiteralReader {
  i = 0;
  constructor(readonly s: string) {}
  blank(): void {
    while (/[\s,]/.test(this.s[this.i] ?? '') === true && this.s[this.i] !== ',') this.i++;
    for (;;) {
      const c = this.s[this.i];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') this.i++;
      else if (c === '#' || (c === '/' && this.s[this.i + 1] === '/')) {
        while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
      } else return;
    }
  }
  fail(): never {
    throw new Error('not a literal');
  }
  value(): HclValue {
    this.blank();
    const rest = this.s.slice(this.i);
    if (rest.startsWith('"')) {
      const m = /^"(?:[^"\\\n]|\\.)*"/.exec(rest);
      if (!m) this.fail();
      this.i += m[0].length;
      return unquote(m[0]);
    }
    if (rest.startsWith('<<')) {
      const m = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n([\s\S]*?)\n?[ \t]*\2[ \t]*(?=\r?\n|$)/.exec(
        rest,
      );
      if (!m) this.fail();
      this.i += m[0].length;
      return heredocText(m[3]!, m[1] === '-');
    }
    const num = /^-?\d+(\.\d+)?([eE][-+]?\d+)?(?![A-Za-z0-9_.])/.exec(rest);
    if (num) {
      this.i += num[0].length;
      return Number(num[0]);
    }
    const word = /^(true|false|null)(?![A-Za-z0-9_.-])/.exec(rest);
    if (word) {
      this.i += word[0].length;
      return word[1] === 'null' ? null : word[1] === 'true';
    }
    if (rest.startsWith('[')) {
      this.i++;
      const out: HclValue[] = [];
      for (;;) {
        this.blank();
        if (this.s[this.i] === ']') {
          this.i++;
          return out;
        }
        out.push(this.value());
        this.blank();
        if (this.s[this.i] === ',') this.i++;
        else if (this.s[this.i] !== ']') this.fail();
      }
    }
    if (rest.startsWith('{')) {
      this.i++;
      const out: Record<string, HclValue> = {};
      for (;;) {
        this.blank();
        if (this.s[this.i] === '}') {
          this.i++;
          return out;
        }
        const key = /^("(?:[^"\\\n]|\\.)*"|[A-Za-z_][A-Za-z0-9_-]*)\s*(=|:)/.exec(this.s.slice(this.i));
        if (!key) this.fail();
        this.i += key[0].length;
        out[key[1]!.startsWith('"') ? unquote(key[1]!) : key[1]!] = this.value();
        this.blank();
        if (this.s[this.i] === ',') this.i++;
      }
    }
    return this.fail();
  }
}

function heredocText(body: string, strip: boolean): string {
  const lines = body.split('\n');
  if (!strip) return `${lines.join('\n')}\n`;
  // a loop, not Math.min(...widths): spread arguments overflow the stack past ~100,000 lines
  let indent = Number.POSITIVE_INFINITY;
  for (const l of lines) if (l.trim()) indent = Math.min(indent, /^[ \t]*/.exec(l)![0].length);
  return `${lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n')}\n`;
}
