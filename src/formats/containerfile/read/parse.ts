/**
 * Containerfile text → instructions with positions. Handles parser directives (`# escape=`),
 * line continuations (comment and blank lines inside them are skipped, as BuildKit does),
 * exec (JSON) form, leading `--flag[=value]` options, and heredocs (`<<EOF`, `<<-'EOF'`).
 */

import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { containerfileCodes } from '../codes.js';

export interface Flag {
  name: string;
  value?: string;
}

export interface Heredoc {
  delimiter: string;
  /** text between the opening line and the delimiter line, each line with its newline */
  body: string;
  /** `<<'EOF'` or `<<"EOF"`: no variable expansion */
  quoted: boolean;
  /** `<<-EOF`: leading tabs stripped */
  stripTabs: boolean;
  line: number;
}

export interface Instruction {
  /** upper-case keyword */
  keyword: string;
  flags: Flag[];
  /** everything after the keyword and its flags, continuations joined with a space */
  args: string;
  /** exec form, when args is a JSON array of strings */
  json?: string[];
  heredocs: Heredoc[];
  line: number;
  column: number;
  endLine: number;
  /** the instruction as written, heredoc bodies included */
  source: string;
  /** where each joined source line starts inside `args` (offsets may be negative for the keyword line) */
  pieces: { start: number; line: number; column: number }[];
}

export interface ContainerfileAst {
  directives: Record<string, string>;
  instructions: Instruction[];
}

const KEYWORDS = new Set([
  'FROM',
  'RUN',
  'CMD',
  'LABEL',
  'MAINTAINER',
  'EXPOSE',
  'ENV',
  'ADD',
  'COPY',
  'ENTRYPOINT',
  'VOLUME',
  'USER',
  'WORKDIR',
  'ARG',
  'ONBUILD',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'SHELL',
]);

const HEREDOC = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

export function parseContainerfile(
  text: string,
  file: string,
): { ast: ContainerfileAst; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const directives: Record<string, string> = {};
  let i = 0;
  for (; i < lines.length; i++) {
    const m = /^#\s*([A-Za-z]+)\s*=\s*(.*?)\s*$/.exec(lines[i]!);
    if (!m) break;
    directives[m[1]!.toLowerCase()] = m[2]!;
  }
  const escapeChar = directives.escape === '`' ? '`' : '\\';
  const instructions: Instruction[] = [];
  while (i < lines.length) {
    const first = lines[i]!;
    const trimmed = first.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      i++;
      continue;
    }
    const startLine = i + 1;
    const column = first.length - first.trimStart().length + 1;
    const sourceLines = [first];
    // the logical line is kept as parts joined at the end: growing one string and trimming it
    // per continuation was quadratic (186,000 continued lines took 137 s)
    const parts = [first.trimStart()];
    let length = parts[0]!.length;
    const setLast = (text: string) => {
      length += text.length - parts[parts.length - 1]!.length;
      parts[parts.length - 1] = text;
      if (text === '' && parts.length > 1) {
        parts.pop();
        length -= 1;
        setLast(parts[parts.length - 1]!.trimEnd());
      }
    };
    const pieces = [{ start: 0, line: startLine, column }];
    while (endsWithEscape(parts[parts.length - 1]!, escapeChar) && i + 1 < lines.length) {
      setLast(parts[parts.length - 1]!.trimEnd().slice(0, -1).trimEnd());
      i++;
      while (i < lines.length && isSkippedInContinuation(lines[i]!)) {
        sourceLines.push(lines[i]!);
        i++;
      }
      if (i >= lines.length) break;
      sourceLines.push(lines[i]!);
      const next = lines[i]!;
      pieces.push({
        start: length + 1,
        line: i + 1,
        column: next.length - next.trimStart().length + 1,
      });
      parts.push(next.trim());
      length += 1 + parts[parts.length - 1]!.length;
    }
    if (endsWithEscape(parts[parts.length - 1]!, escapeChar))
      parts[parts.length - 1] = parts[parts.length - 1]!.trimEnd().slice(0, -1);
    let logical = parts.join(' ');
    i++;
    const wordMatch = /^\S+/.exec(logical.trimStart());
    if (!wordMatch) continue;
    logical = logical.trimStart();
    const word = wordMatch[0];
    const keyword = word.toUpperCase();
    let rest = logical.slice(word.length).trim();
    const heredocs: Heredoc[] = [];
    if (keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD') {
      for (const m of rest.matchAll(HEREDOC)) {
        if (rest[m.index! + m[0].length] === '<' || rest[m.index! - 1] === '<') continue;
        const delimiter = m[3]!;
        const stripTabs = m[1] === '-';
        const bodyStart = i;
        let body = '';
        let closed = false;
        for (; i < lines.length; i++) {
          const raw = lines[i]!;
          sourceLines.push(raw);
          const candidate = stripTabs ? raw.replace(/^\t+/, '') : raw;
          if (candidate === delimiter) {
            closed = true;
            i++;
            break;
          }
          body += `${candidate}\n`;
        }
        if (!closed) {
          diagnostics.push(
            diag(containerfileCodes.unterminatedHeredoc, { delimiter }, { file, line: bodyStart, column }),
          );
        }
        heredocs.push({ delimiter, body, quoted: m[2] !== '', stripTabs, line: bodyStart + 1 });
      }
    }
    const flags: Flag[] = [];
    if (keyword !== 'ENV' && keyword !== 'LABEL' && keyword !== 'ARG') {
      for (;;) {
        const m = /^--([A-Za-z][\w-]*)(?:=("(?:[^"\\]|\\.)*"|\S*))?(?:\s+|$)/.exec(rest);
        if (!m) break;
        flags.push(m[2] === undefined ? { name: m[1]! } : { name: m[1]!, value: unquote(m[2]) });
        rest = rest.slice(m[0].length);
      }
    }
    const argsOffset = logical.trimEnd().length - rest.length;
    const ins: Instruction = {
      pieces: pieces.map((p) => ({ ...p, start: p.start - argsOffset })),
      keyword,
      flags,
      args: rest,
      heredocs,
      line: startLine,
      column,
      endLine: startLine + sourceLines.length - 1,
      source: sourceLines.join('\n'),
    };
    const json = execForm(rest);
    if (json) ins.json = json;
    if (!KEYWORDS.has(keyword)) {
      diagnostics.push(
        diag(
          containerfileCodes.unknownInstruction,
          { word },
          { file, line: startLine, column, endLine: startLine, endColumn: column + word.length },
        ),
      );
    }
    instructions.push(ins);
  }
  return { ast: { directives, instructions }, diagnostics };
}

function endsWithEscape(text: string, escapeChar: string): boolean {
  return text.trimEnd().endsWith(escapeChar);
}

function isSkippedInContinuation(line: string): boolean {
  const t = line.trim();
  return t === '' || t.startsWith('#');
}

function unquote(value: string): string {
  return value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? JSON.parse(value) : value;
}

function execForm(args: string): string[] | undefined {
  const t = args.trim();
  if (!t.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(t);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;
  } catch {
    return undefined;
  }
}

/** 1-based line and column of an offset into `ins.args`. */
export function positionInArgs(ins: Instruction, offset: number): { line: number; column: number } {
  // the last piece starting at or before offset; pieces are in order, so a binary search
  // (a linear scan per word was quadratic on a RUN continued over many lines)
  let lo = 0;
  let hi = ins.pieces.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ins.pieces[mid]!.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  const piece = ins.pieces[lo]!;
  return { line: piece.line, column: piece.column + Math.max(0, offset - piece.start) };
}
