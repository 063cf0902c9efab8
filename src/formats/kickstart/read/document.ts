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
import { type KsWord, lexLine } from '../lexer.js';
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

export function parseDocument(lines: readonly SourceLine[], version: KsVersion): KsDocument {
  const sections = new Set(sectionNames(version));
  const endRequired = isAtLeast(version, 'F8');
  const doc: KsDocument = { items: [], diagnostics: [] };
  let open: KsSection | undefined;
  let skippingUnknown = false;

  const locate = (line: SourceLine, column = firstColumn(line.text)): KsLocation => ({
    file: line.file,
    line: line.line,
    column,
  });

  const lexOrReport = (line: SourceLine) => {
    const lexed = lexLine(line.text);
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

  const openSection = (line: SourceLine): void => {
    const lexed = lexOrReport(line);
    const words = lexed?.words ?? [
      { value: line.text.trim().split(/\s+/)[0]!, raw: '', column: firstColumn(line.text) },
    ];
    open = {
      kind: 'section',
      name: words[0]!.value,
      args: words.slice(1),
      body: [],
      at: locate(line),
      closed: false,
    };
    doc.items.push(open);
  };

  for (const line of lines) {
    const trimmed = line.text.trim();
    if (open) {
      const keepAll = KEEPS_ALL_LINES.has(open.name);
      if ((trimmed === '' || trimmed.startsWith('#')) && !keepAll) continue;
      if (trimmed.startsWith('%')) {
        const first = trimmed.split(/\s+/)[0]!;
        if (first === '%end') {
          open.closed = true;
          open = undefined;
          continue;
        }
        if (sections.has(first)) {
          if (endRequired)
            doc.diagnostics.push(diag(kickstartCodes.sectionNotClosed, { name: open.name }, open.at));
          openSection(line);
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
      if (trimmed.split(/\s+/)[0] === '%end') skippingUnknown = false;
      continue;
    }
    if (trimmed.startsWith('%')) {
      const first = trimmed.split(/\s+/)[0]!;
      if (sections.has(first)) {
        openSection(line);
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
    const lexed = lexOrReport(line);
    if (!lexed || lexed.words.length === 0) continue;
    const [head, ...args] = lexed.words;
    doc.items.push({ kind: 'command', name: head!.value, args, at: locate(line, head!.column) });
  }
  if (open && endRequired)
    doc.diagnostics.push(diag(kickstartCodes.sectionNotClosed, { name: open.name }, open.at));
  return doc;
}

function firstColumn(text: string): number {
  return text.search(/\S/) + 1 || 1;
}
