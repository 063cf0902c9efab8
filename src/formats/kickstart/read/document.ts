/**
 * The kickstart document: commands and %sections, read from the flattened line stream with
 * pykickstart's section rules: from F8 on every section ends with `%end` (before F8, RHEL5
 * included, a section may also end where the next starts or at the end of the file); inside a section a line
 * starting with `%` opens a new section only if its first word is a registered section name
 * (an error: the open one was not closed); any other `%…` line is body text; blank lines and
 * comments are kept in scripts, %certificate, %addon and %anaconda, and dropped elsewhere.
 */

import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { kickstartCodes } from '../codes.js';
import { type KsWord, type LexedLine, lexLine } from '../lexer.js';
import { isAtLeast, type KsVersion, sectionNames } from '../versions.js';
import type { SourceLine } from './source.js';

export interface KsLocation {
  file: string;
  line: number;
  column: number;
}

export interface KsCommand {
  kind: 'command';
  name: string;
  /** the words after the command name */
  args: KsWord[];
  at: KsLocation;
}

export interface KsBodyLine {
  text: string;
  at: KsLocation;
}

export interface KsSection {
  kind: 'section';
  /** with the percent sign: `%packages` */
  name: string;
  args: KsWord[];
  body: KsBodyLine[];
  at: KsLocation;
  closed: boolean;
}

export type KsItem = KsCommand | KsSection;

export interface KsDocument {
  items: KsItem[];
  /** `#version=` comment of the main file, if any */
  versionComment?: string;
  diagnostics: Diagnostic[];
}

const KEEPS_ALL_LINES = new Set([
  '%pre',
  '%pre-install',
  '%post',
  '%onerror',
  '%traceback',
  '%certificate',
  '%addon',
  '%anaconda',
]);

// Lexing does not depend on the syntax version, and a file without a release is parsed once per
// candidate version (about 45): each line is trimmed and lexed once per read (cached by index
// for that array of lines), and its words after the first are one array (the lowering keys its
// option parsing on it).
interface Lexed extends LexedLine {
  args: KsWord[];
}
interface LineCache {
  trimmed: string[];
  /** the first word of a trimmed line that starts with % */
  first: (string | undefined)[];
  lexed: (Lexed | undefined)[];
}
const caches = new WeakMap<readonly SourceLine[], LineCache>();

function lineCache(lines: readonly SourceLine[]): LineCache {
  let cache = caches.get(lines);
  if (!cache) {
    cache = { trimmed: lines.map((l) => l.text.trim()), first: [], lexed: [] };
    caches.set(lines, cache);
  }
  return cache;
}

function firstWord(cache: LineCache, i: number): string {
  let first = cache.first[i];
  if (first === undefined) {
    first = /^\S*/.exec(cache.trimmed[i]!)![0];
    cache.first[i] = first;
  }
  return first;
}

function lexOnce(cache: LineCache, lines: readonly SourceLine[], i: number): Lexed {
  let lexed = cache.lexed[i];
  if (!lexed) {
    const fresh = lexLine(lines[i]!.text);
    lexed = { ...fresh, args: fresh.words.slice(1) };
    cache.lexed[i] = lexed;
  }
  return lexed;
}

export function parseDocument(lines: readonly SourceLine[], version: KsVersion): KsDocument {
  const sections = new Set(sectionNames(version));
  const endRequired = isAtLeast(version, 'F8');
  const doc: KsDocument = { items: [], diagnostics: [] };
  let open: KsSection | undefined;
  let skippingUnknown = false;
  const cache = lineCache(lines);

  const locate = (line: SourceLine, column = firstColumn(line.text)): KsLocation => ({
    file: line.file,
    line: line.line,
    column,
  });

  const lexOrReport = (i: number) => {
    const line = lines[i]!;
    const lexed = lexOnce(cache, lines, i);
    if (lexed.problem) {
      const def =
        lexed.problem.kind === 'trailing-backslash'
          ? kickstartCodes.trailingBackslash
          : kickstartCodes.unterminatedQuote;
      doc.diagnostics.push(diag(def, undefined, locate(line, lexed.problem.column)));
      return undefined;
    }
    return lexed;
  };

  const openSection = (i: number): void => {
    const line = lines[i]!;
    const lexed = lexOrReport(i);
    const words = lexed?.words ?? [{ value: firstWord(cache, i), raw: '', column: firstColumn(line.text) }];
    open = {
      kind: 'section',
      name: words[0]!.value,
      args: lexed?.args ?? words.slice(1),
      body: [],
      at: locate(line),
      closed: false,
    };
    doc.items.push(open);
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = cache.trimmed[i]!;
    if (open) {
      const keepAll = KEEPS_ALL_LINES.has(open.name);
      if ((trimmed === '' || trimmed.startsWith('#')) && !keepAll) continue;
      if (trimmed.startsWith('%')) {
        const first = firstWord(cache, i);
        if (first === '%end') {
          open.closed = true;
          open = undefined;
          continue;
        }
        if (sections.has(first)) {
          if (endRequired)
            doc.diagnostics.push(diag(kickstartCodes.sectionNotClosed, { name: open.name }, open.at));
          openSection(i);
          continue;
        }
      }
      open.body.push({ text: line.text, at: locate(line) });
      continue;
    }
    if (trimmed === '' || trimmed.startsWith('#')) {
      if (
        doc.versionComment === undefined &&
        trimmed.startsWith('#version=') &&
        line.file === lines[0]?.file
      ) {
        doc.versionComment = trimmed.slice('#version='.length).trim();
      }
      continue;
    }
    if (skippingUnknown) {
      if (firstWord(cache, i) === '%end') skippingUnknown = false;
      continue;
    }
    if (trimmed.startsWith('%')) {
      const first = firstWord(cache, i);
      if (sections.has(first)) {
        openSection(i);
        continue;
      }
      if (first === '%end') {
        doc.diagnostics.push(diag(kickstartCodes.endOutsideSection, undefined, locate(line)));
        continue;
      }
      doc.diagnostics.push(diag(kickstartCodes.unknownSection, { name: first, version }, locate(line)));
      skippingUnknown = true;
      continue;
    }
    const lexed = lexOrReport(i);
    if (!lexed || lexed.words.length === 0) continue;
    const head = lexed.words[0]!;
    doc.items.push({ kind: 'command', name: head.value, args: lexed.args, at: locate(line, head.column) });
  }
  if (open && endRequired)
    doc.diagnostics.push(diag(kickstartCodes.sectionNotClosed, { name: open.name }, open.at));
  return doc;
}

function firstColumn(text: string): number {
  return text.search(/\S/) + 1 || 1;
}
