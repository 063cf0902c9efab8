/**
 * A linear pre-scan that finds where a document nests too deep, before a recursive parser or
 * printer could overflow the stack. Depth counts open brackets (`[`, `{`) outside strings, plus
 * for TOML the dotted parts of a key on the current line, plus for YAML the indentation steps
 * and the `key: ` colons on the current line.
 * Approximate on purpose: it must never miss deep input, and real files stay far below the limit.
 */
import { coreCodes } from '../diagnostics/codes/core.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { MAX_NESTING } from './bounded.js';

export type Syntax = 'json' | 'toml' | 'yaml';

export interface TooDeep {
  /** 1-based */
  line: number;
  column: number;
  /** 0-based offset of the bracket or key part that went too deep */
  offset: number;
}

export function findTooDeep(text: string, syntax: Syntax, limit = MAX_NESTING): TooDeep | undefined {
  let brackets = 0;
  let dots = 0;
  let indent = 0;
  let atLineStart = true;
  let line = 1;
  let lineStart = 0;
  // YAML quotes and comments are not tracked: an apostrophe in a plain scalar is no quote, and
  // counting brackets inside them can only over-count.
  const quotes = syntax !== 'yaml';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      lineStart = i + 1;
      dots = 0;
      indent = 0;
      atLineStart = true;
      continue;
    }
    if (atLineStart && syntax === 'yaml' && (c === ' ' || c === '-')) {
      indent++;
      if (indent / 2 + brackets > limit) return { line, column: i - lineStart + 1, offset: i };
      continue;
    }
    atLineStart = false;
    if (quotes && (c === '"' || c === "'")) {
      i = endOfString(text, i, c, syntax);
      continue;
    }
    if (syntax === 'toml' && c === '#') {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
      continue;
    }
    if (c === '[' || c === '{') brackets++;
    else if (c === ']' || c === '}') brackets = Math.max(0, brackets - 1);
    else if (c === '.' && syntax === 'toml') dots++;
    // `a: b: c:` nests a map per colon on one line in YAML
    else if (c === ':' && syntax === 'yaml' && /[ \t\n]/.test(text[i + 1] ?? '\n')) dots++;
    else continue;
    if (brackets + dots + indent / 2 > limit) return { line, column: i - lineStart + 1, offset: i };
  }
  return undefined;
}

/** Index of the closing quote (or the end of the line); a single quote opens a string only in TOML. */
function endOfString(text: string, open: number, quote: string, syntax: Syntax): number {
  if (quote === "'" && syntax === 'json') return open;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && quote === '"') i++;
    else if (c === quote) return i;
    else if (c === '\n') return i - 1;
  }
  return text.length;
}

/** The depth of a JSON value, stopping early once it passes `limit` (iterative: safe on any input). */
export function valueDepthExceeds(value: unknown, limit = MAX_NESTING): boolean {
  const stack: Array<{ v: unknown; d: number }> = [{ v: value, d: 0 }];
  while (stack.length) {
    const { v, d } = stack.pop()!;
    if (d > limit) return true;
    if (v && typeof v === 'object') {
      for (const child of Object.values(v))
        if (child && typeof child === 'object') stack.push({ v: child, d: d + 1 });
    }
  }
  return false;
}

/** IMGC1052 at the place `text` first nests too deep, or undefined. */
export function tooDeepDiagnostic(
  text: string,
  syntax: Syntax,
  file: string,
  limit = MAX_NESTING,
): Diagnostic | undefined {
  const at = findTooDeep(text, syntax, limit);
  if (!at) return undefined;
  return diag(
    coreCodes.inputTooDeep,
    { what: `this ${syntax.toUpperCase()} document`, limit },
    { file, line: at.line, column: at.column },
  );
}

/**
 * IMGC1052 for a parser that ran out of stack on nesting the pre-scan cannot see (the yaml
 * package nests a map per `"a":` in `"a":"b":"c":...`, no space needed after a quoted key), at
 * the start of the longest line, where such a chain sits; undefined for any other error.
 */
export function stackOverflowDiagnostic(
  e: unknown,
  text: string,
  syntax: Syntax,
  file: string,
  limit = MAX_NESTING,
): Diagnostic | undefined {
  if (!(e instanceof RangeError) || !/call stack/i.test(e.message)) return undefined;
  let line = 1;
  let longest = { line: 1, length: -1 };
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && text[i] !== '\n') continue;
    if (i - start > longest.length) longest = { line, length: i - start };
    line++;
    start = i + 1;
  }
  return diag(
    coreCodes.inputTooDeep,
    { what: `this ${syntax.toUpperCase()} document`, limit },
    { file, line: longest.line, column: 1 },
  );
}
