/**
 * The loss report of a translation as people read it: the translate diagnostics grouped by
 * the IR section their pointer names, a one-line summary per section and per run, one
 * compact line per diagnostic with its source position, and the hint of each code once.
 * `--json` prints the same diagnostics unchanged; this is only their text form.
 */

import { isAbsolute, relative } from 'node:path';
import { translateCodes } from '../diagnostics/codes/translate.js';
import type { CodeDef } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { parsePointer } from '../ir/pointer.js';

const LOSS = translateCodes.loss.code;
const APPROXIMATED = translateCodes.lossDetail.code;
const ASSUMED = translateCodes.assumedDefault.code;
const FLATTENED = translateCodes.profileFlattened.code;

const CODES_BY_ID = new Map<string, CodeDef<never>>(
  Object.values(translateCodes).map((d) => [d.code, d as CodeDef<never>]),
);

/** Diagnostics that belong in the loss report (IMGC6001–6004), not among the read diagnostics. */
export function isLossReportDiagnostic(d: Diagnostic): boolean {
  return d.code === LOSS || d.code === APPROXIMATED || d.code === ASSUMED || d.code === FLATTENED;
}

/** The IR section a pointer lies in: its first token (`/repositories/0/id` → repositories). */
export function lossSection(d: Diagnostic): string {
  if (d.pointer === undefined || d.pointer === '') return 'image';
  return parsePointer(d.pointer)[0] ?? 'image';
}

export interface SectionTally {
  section: string;
  lost: number;
  approximated: number;
  assumed: number;
  diagnostics: Diagnostic[];
}

/** Loss-report diagnostics by IR section, in the order the sections first occur in the source. */
export function groupLosses(diagnostics: readonly Diagnostic[]): SectionTally[] {
  const sections = new Map<string, SectionTally>();
  for (const d of sortByPosition(diagnostics.filter(isLossReportDiagnostic))) {
    const name = lossSection(d);
    let s = sections.get(name);
    if (!s) {
      s = { section: name, lost: 0, approximated: 0, assumed: 0, diagnostics: [] };
      sections.set(name, s);
    }
    s.diagnostics.push(d);
    if (d.code === LOSS || d.code === FLATTENED) s.lost++;
    else if (d.code === APPROXIMATED) s.approximated++;
    else s.assumed++;
  }
  return [...sections.values()];
}

/** `mkosi: 12 fields lost in 4 sections, 3 approximated, 1 assumed`, or that nothing was lost. */
export function lossSummaryLine(diagnostics: readonly Diagnostic[], target: string): string {
  const groups = groupLosses(diagnostics);
  const lost = sum(groups, 'lost');
  const approximated = sum(groups, 'approximated');
  const assumed = sum(groups, 'assumed');
  if (!lost && !approximated && !assumed) return `${target}: nothing lost`;
  const head = lost
    ? `${plural(lost, 'field')} lost in ${plural(groups.filter((g) => g.lost).length, 'section')}`
    : 'nothing lost';
  return `${target}: ${head}, ${approximated} approximated, ${assumed} assumed`;
}

function sectionLine(s: SectionTally): string {
  const parts = [
    s.lost ? `${s.lost} lost` : '',
    s.approximated ? `${s.approximated} approximated` : '',
    s.assumed ? `${s.assumed} assumed` : '',
  ].filter(Boolean);
  return `${s.section}: ${parts.join(', ')}`;
}

export interface LossReportOptions {
  /** file positions are printed relative to this folder when they lie inside it */
  cwd?: string;
}

/** The whole report: summary, sections with their diagnostics, then each code's hint once. */
export function renderLossReport(
  diagnostics: readonly Diagnostic[],
  target: string,
  options: LossReportOptions = {},
): string {
  const groups = groupLosses(diagnostics);
  const main = mostFrequentFile(groups.flatMap((s) => s.diagnostics));
  const from = main ? `${shortPath(main, options.cwd)} → ` : '';
  const lines = [`loss report, ${from}${lossSummaryLine(diagnostics, target)}`];
  for (const s of groups) {
    lines.push(`  ${sectionLine(s)}`);
    for (const d of s.diagnostics) lines.push(`    ${where(d, main, options.cwd)}${d.code} ${d.message}`);
  }
  const codes = [...new Set(groups.flatMap((s) => s.diagnostics.map((d) => d.code)))].sort();
  const hinted = codes.filter((c) => hintOf(c));
  if (hinted.length) {
    lines.push('  hints:');
    for (const c of hinted) lines.push(`    ${c}: ${hintOf(c)}`);
  }
  return `${lines.join('\n')}\n`;
}

function hintOf(code: string): string | undefined {
  const hint = CODES_BY_ID.get(code)?.hint;
  return typeof hint === 'string' ? hint : undefined;
}

/** `line:col: ` in the report's main file, `file:line:col: ` elsewhere, nothing without a file. */
function where(d: Diagnostic, main: string | undefined, cwd: string | undefined): string {
  if (!d.file) return '';
  const file = d.file === main ? undefined : shortPath(d.file, cwd);
  return `${[file, d.line, d.column].filter((x) => x !== undefined).join(':')}: `;
}

function shortPath(file: string, cwd: string | undefined): string {
  if (!cwd || !isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  return rel.startsWith('..') ? file : rel;
}

function mostFrequentFile(list: readonly Diagnostic[]): string | undefined {
  const counts = new Map<string, number>();
  for (const d of list) if (d.file) counts.set(d.file, (counts.get(d.file) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

function sortByPosition(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      Number(a.file === undefined) - Number(b.file === undefined) ||
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0),
  );
}

const sum = (groups: SectionTally[], key: 'lost' | 'approximated' | 'assumed') =>
  groups.reduce((n, g) => n + g[key], 0);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
