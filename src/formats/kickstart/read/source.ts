/**
 * Turns a kickstart and everything it pulls in into one stream of lines, each remembering its
 * file and line, the way pykickstart sees it:
 * - `%ksappend` is a textual pre-pass over the main file only (any line whose stripped text
 *   starts with it, even inside a script), one level deep;
 * - `%include` is spliced in wherever it stands (commands, %packages, scripts), recursively;
 * - relative paths resolve against the including file's folder, then `includePath`;
 * - /tmp, /run, /mnt and URLs exist only while installing: info, not an error;
 * - files are read bounded (regular files, size limit) and once each; all spliced lines
 *   together are capped, so an include graph that repeats files cannot blow up.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { coreCodes } from '../../../diagnostics/codes/core.js';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import {
  InputRejected,
  MAX_DEFINITION_LINES,
  MAX_INCLUDED_LINES,
  readInputTextSync,
} from '../../../input/bounded.js';
import { kickstartCodes } from '../codes.js';
import { lexLine } from '../lexer.js';

export interface SourceLine {
  text: string;
  file: string;
  /** 1-based */
  line: number;
}

export interface SourceOptions {
  /** extra folders searched for relative %include/%ksappend names, after the includer's own */
  includePath?: string[];
  /** reads a file; defaults to the file system */
  readText?: (path: string) => string;
}

export interface LoadedSource {
  lines: SourceLine[];
  /** every file read, the main one first */
  files: string[];
  /** the files of those that came in through %ksappend */
  appended: string[];
  /** install-time includes that were not read */
  runtimeIncludes: string[];
  diagnostics: Diagnostic[];
  /** the main file is too long to read (IMGC1055): no lines */
  refused?: boolean;
}

const RUNTIME_PATH = /^(\/tmp\/|\/run\/|\/mnt\/|[a-z][a-z0-9+.-]*:\/\/)/i;

export function splitLines(text: string): string[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function loadSource(mainFile: string, options: SourceOptions = {}): LoadedSource {
  const read = options.readText ?? ((p: string) => readInputTextSync(p));
  // every file is read once: an include diamond costs lines, not reads
  const cache = new Map<string, string | Error>();
  const readText = (path: string): string => {
    let cached = cache.get(path);
    if (cached === undefined) {
      try {
        cached = read(path);
      } catch (e) {
        cached = e instanceof Error ? e : new Error(String(e));
      }
      cache.set(path, cached);
    }
    if (cached instanceof Error) throw cached;
    return cached;
  };
  const out: LoadedSource = { lines: [], files: [], appended: [], runtimeIncludes: [], diagnostics: [] };
  const main = mainFile;
  let text: string;
  try {
    text = readText(main);
  } catch (e) {
    out.diagnostics.push(
      e instanceof InputRejected
        ? e.diagnostic({ file: main })
        : diag(
            kickstartCodes.includeNotFound,
            { directive: 'kickstart', path: mainFile, tried: resolve(main) },
            { file: main },
          ),
    );
    return out;
  }
  out.files.push(main);
  const split = splitLines(text);
  if (split.length > MAX_DEFINITION_LINES) {
    const at = { file: main, line: MAX_DEFINITION_LINES + 1, column: 1 };
    out.diagnostics.push(
      diag(coreCodes.definitionTooLong, { lines: split.length, limit: MAX_DEFINITION_LINES }, at),
    );
    out.refused = true;
    return out;
  }
  // lines of every file each time it is spliced in, so exponential include graphs stop early
  let budget = MAX_INCLUDED_LINES;
  const spend = (lines: number, from: SourceLine): boolean => {
    if (budget < 0) return false;
    budget -= lines;
    if (budget >= 0) return true;
    out.diagnostics.push(
      diag(coreCodes.includeBudget, { limit: `${MAX_INCLUDED_LINES.toLocaleString('en')} lines` }, at(from)),
    );
    return false;
  };

  const locate = (name: string, from: SourceLine, directive: string): string | undefined => {
    if (RUNTIME_PATH.test(name)) {
      out.runtimeIncludes.push(name);
      out.diagnostics.push(diag(kickstartCodes.runtimeInclude, { directive, path: name }, at(from, name)));
      return undefined;
    }
    const tried = isAbsolute(name)
      ? [name]
      : [resolve(dirname(from.file), name), ...(options.includePath ?? []).map((d) => resolve(d, name))];
    for (const candidate of tried) {
      try {
        readText(candidate);
        return candidate;
      } catch (e) {
        if (e instanceof InputRejected) {
          out.diagnostics.push(e.diagnostic(at(from, name)));
          return undefined;
        }
      }
    }
    out.diagnostics.push(
      diag(
        kickstartCodes.includeNotFound,
        { directive, path: name, tried: tried.join(', ') },
        at(from, name),
      ),
    );
    return undefined;
  };

  // %ksappend: a pre-pass over the main file, one level deep.
  const mainLines: SourceLine[] = [];
  split.forEach((t, i) => {
    const line: SourceLine = { text: t, file: main, line: i + 1 };
    const stripped = t.trim();
    if (!stripped.startsWith('%ksappend')) {
      mainLines.push(line);
      return;
    }
    const name = stripped.split(' ')[1];
    if (!name) {
      out.diagnostics.push(diag(kickstartCodes.includeWithoutPath, { directive: '%ksappend' }, at(line)));
      return;
    }
    const found = locate(name, line, '%ksappend');
    if (!found) return;
    if (!out.files.includes(found)) out.files.push(found);
    out.appended.push(found);
    const appended = splitLines(readText(found));
    if (!spend(appended.length, line)) return;
    appended.forEach((a, j) => {
      mainLines.push({ text: a, file: found, line: j + 1 });
    });
  });

  const splice = (lines: SourceLine[], stack: string[]): void => {
    for (const line of lines) {
      if (budget < 0) return;
      const directive = includeDirective(line.text);
      if (!directive) {
        out.lines.push(line);
        continue;
      }
      if (directive.kind === 'ksappend') {
        if (line.file !== main) {
          out.diagnostics.push(
            diag(kickstartCodes.ksappendInInclude, { path: directive.path ?? '' }, at(line)),
          );
        }
        continue;
      }
      if (!directive.path) {
        out.diagnostics.push(diag(kickstartCodes.includeWithoutPath, { directive: '%include' }, at(line)));
        continue;
      }
      const found = locate(directive.path, line, '%include');
      if (!found) continue;
      if (stack.includes(resolve(found))) {
        out.diagnostics.push(
          diag(
            kickstartCodes.includeCycle,
            { path: directive.path, chain: stack.join(' → ') },
            at(line, directive.path),
          ),
        );
        continue;
      }
      if (!out.files.includes(found)) out.files.push(found);
      const included = splitLines(readText(found));
      if (!spend(included.length, line)) return;
      splice(
        included.map((t, i) => ({ text: t, file: found, line: i + 1 })),
        [...stack, resolve(found)],
      );
    }
  };
  splice(mainLines, [resolve(main)]);
  return out;
}

/** `%include PATH` and (left over in included files) `%ksappend PATH` lines; comments are not directives. */
function includeDirective(text: string): { kind: 'include' | 'ksappend'; path?: string } | undefined {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('%include') && !trimmed.startsWith('%ksappend')) return undefined;
  const words = lexLine(text).words.map((w) => w.value);
  if (words[0] === '%include') return words[1] ? { kind: 'include', path: words[1] } : { kind: 'include' };
  if (words[0] === '%ksappend') return words[1] ? { kind: 'ksappend', path: words[1] } : { kind: 'ksappend' };
  return undefined;
}

function at(line: SourceLine, word?: string) {
  const column = word ? line.text.indexOf(word) + 1 || 1 : line.text.search(/\S/) + 1 || 1;
  return { file: line.file, line: line.line, column };
}
