import { readFileSync } from 'node:fs';
import { LineIndex } from './line-index.js';
import { redactSecrets } from './redact.js';
import type { Diagnostic } from './types.js';

export interface RenderOptions {
  color?: boolean;
  /** text of files by path; files not given are read from disk when a frame is drawn */
  sources?: Map<string, string>;
  /** lines of context around the offending line */
  context?: number;
}

const paint = (on: boolean, code: number, s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);
const SEVERITY_COLOR = { error: 31, warning: 33, info: 36 } as const;

/** `file:line:col: severity CODE message`, a code frame, then `hint:`. */
export function renderDiagnostic(d: Diagnostic, options: RenderOptions = {}): string {
  const color = options.color ?? false;
  const where = [d.file, d.line, d.column].filter((x) => x !== undefined).join(':');
  const head = `${where ? `${where}: ` : ''}${paint(color, SEVERITY_COLOR[d.severity], d.severity)} ${paint(color, 2, d.code)} ${d.message}`;
  const parts = [head];
  const frame = d.file && d.line ? codeFrame(d, options) : undefined;
  if (frame) parts.push(frame);
  if (d.hint) parts.push(`  ${paint(color, 1, 'hint:')} ${d.hint}`);
  return parts.join('\n');
}

export function renderDiagnostics(list: readonly Diagnostic[], options: RenderOptions = {}): string {
  if (list.length === 0) return '';
  const counts = { error: 0, warning: 0, info: 0 };
  for (const d of list) counts[d.severity]++;
  const ordered = [...list].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0),
  );
  const body = ordered.map((d) => renderDiagnostic(d, options)).join('\n');
  return `${body}\n${counts.error} error(s), ${counts.warning} warning(s), ${counts.info} info\n`;
}

const fileCache = new Map<string, LineIndex | null>();
// indexes of given texts, one per text and not one per diagnostic (a file of 30,000 findings was
// indexed 30,000 times)
const givenCache = new WeakMap<Map<string, string>, Map<string, LineIndex>>();

function indexFor(file: string, sources?: Map<string, string>): LineIndex | undefined {
  const given = sources?.get(file);
  if (given !== undefined) {
    const indexes = givenCache.get(sources!) ?? new Map<string, LineIndex>();
    givenCache.set(sources!, indexes);
    const cached = indexes.get(file);
    if (cached?.text === given) return cached;
    const index = new LineIndex(given);
    indexes.set(file, index);
    return index;
  }
  if (!fileCache.has(file)) {
    try {
      fileCache.set(file, new LineIndex(readFileSync(file, 'utf8')));
    } catch {
      fileCache.set(file, null);
    }
  }
  return fileCache.get(file) ?? undefined;
}

/** Widest code-frame line shown; a longer line (a one-line JSON file) is cut around the column. */
const FRAME_WIDTH = 120;

function codeFrame(d: Diagnostic, options: RenderOptions): string | undefined {
  const index = indexFor(d.file!, options.sources);
  const line = d.line!;
  if (!index || line > index.lineCount) return undefined;
  const context = options.context ?? 1;
  const first = Math.max(1, line - context);
  const last = Math.min(index.lineCount, line + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    // Secrets are hidden before the line is cut, so a cut cannot leave half a secret unmarked.
    const raw = index.lineText(n).replaceAll('\t', '    ');
    const full = redactedLine(index, n, raw);
    const before =
      n === line && d.column
        ? index
            .lineText(n)
            .slice(0, d.column - 1)
            .replaceAll('\t', '    ')
        : '';
    // a line without secrets keeps its length: the caret's column needs no second redaction
    const shown = cut(full, full === raw ? before.length : redactSecrets(before).length);
    const marker = n === line ? '>' : ' ';
    out.push(`  ${marker} ${String(n).padStart(width)} | ${shown.text}`);
    if (n === line && d.column) {
      const len = d.endLine === line && d.endColumn && d.endColumn > d.column ? d.endColumn - d.column : 1;
      const room = Math.max(1, shown.text.length - shown.caret);
      out.push(`    ${' '.repeat(width)} | ${' '.repeat(shown.caret)}${'^'.repeat(Math.min(len, 80, room))}`);
    }
  }
  return out.join('\n');
}

// each shown line is redacted once per text, not once per frame that shows it (a frame shows
// up to three lines, and a flood of findings on neighbouring lines shows each line three times)
const redactedLines = new WeakMap<LineIndex, Map<number, string>>();

function redactedLine(index: LineIndex, n: number, raw: string): string {
  const lines = redactedLines.get(index) ?? new Map<number, string>();
  redactedLines.set(index, lines);
  let text = lines.get(n);
  if (text === undefined) {
    text = redactSecrets(raw);
    lines.set(n, text);
  }
  return text;
}

/** The part of a long line around `column`, marked with … where it was cut; `caret` is the column in it. */
function cut(text: string, column: number): { text: string; caret: number } {
  if (text.length <= FRAME_WIDTH) return { text, caret: column };
  const start = Math.max(0, Math.min(column - FRAME_WIDTH / 3, text.length - FRAME_WIDTH));
  const head = start > 0 ? '…' : '';
  const tail = start + FRAME_WIDTH < text.length ? '…' : '';
  return {
    text: `${head}${text.slice(start, start + FRAME_WIDTH)}${tail}`,
    caret: column - start + head.length,
  };
}
