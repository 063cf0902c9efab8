/**
 * Top-level `<include from="..."/>`: the included file's `<image>` children replace the
 * include element, as KIWI's include.xsl does. One level only: an include inside an
 * included file is reported and dropped. Symlinked targets are followed; only regular files
 * within the input size limit are read.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { appendAll } from '../../../input/append.js';
import { InputRejected, readInputTextSync } from '../../../input/bounded.js';
import { tooDeepDiagnostic } from '../../../input/nesting.js';
import type { XChild, XElement } from '../ast.js';
import { kiwiCodes } from '../codes.js';
import { looksLikeMarkup, parseMarkup } from './markup.js';
import { parseXml } from './xml.js';

export interface IncludeResult {
  diagnostics: Diagnostic[];
  files: string[];
}

export function includePath(from: string, descriptionDir: string): string | undefined {
  if (from.startsWith('this://')) return join(descriptionDir, from.slice('this://'.length));
  if (from.startsWith('file://')) {
    const path = from.slice('file://'.length);
    return isAbsolute(path) ? path : join(descriptionDir, path);
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(from)) return undefined;
  return isAbsolute(from) ? from : join(descriptionDir, from);
}

export function expandIncludes(root: XElement, descriptionDir: string, file: string): IncludeResult {
  const diagnostics: Diagnostic[] = [];
  const files: string[] = [];
  const out: XChild[] = [];
  for (const child of root.children) {
    if (child.kind !== 'element' || child.name !== 'include') {
      out.push(child);
      continue;
    }
    const from = child.attrs.from ?? '';
    const at = { file: child.file ?? file, ...(child.attrPos.from ?? child.pos) };
    const path = includePath(from, descriptionDir);
    if (!path) {
      diagnostics.push(diag(kiwiCodes.includeBadUri, { from }, at));
      continue;
    }
    let text: string;
    let target = path;
    try {
      ({ text, path: target } = readFollowingStubs(path));
    } catch (e) {
      if (e instanceof InputRejected) {
        diagnostics.push(e.diagnostic(at));
        continue;
      }
      const reason =
        (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((e as Error).message);
      diagnostics.push(diag(kiwiCodes.includeMissing, { from, reason }, at));
      continue;
    }
    files.push(target);
    const tooDeep = looksLikeMarkup(target, text) && tooDeepDiagnostic(text, 'yaml', target);
    if (tooDeep) {
      diagnostics.push(tooDeep);
      continue;
    }
    const parsed = looksLikeMarkup(target, text) ? parseMarkup(text, target) : parseXml(text, target);
    appendAll(diagnostics, parsed.diagnostics);
    if (!parsed.doc) continue;
    for (const c of parsed.doc.root.children) {
      if (c.kind === 'element' && c.name === 'include') {
        diagnostics.push(
          diag(
            kiwiCodes.includeNested,
            { from: c.attrs.from ?? '' },
            { file: target, ...(c.attrPos.from ?? c.pos) },
          ),
        );
        continue;
      }
      out.push(c);
    }
  }
  root.children = out;
  return { diagnostics, files };
}

/**
 * Reads a file, following git symlink stubs: a checkout without symlink support (core.symlinks
 * false) stores a link as a one-line file holding the target's relative path.
 */
export function readFollowingStubs(path: string): { text: string; path: string } {
  let current = path;
  for (let hop = 0; hop < 8; hop++) {
    const text = readInputTextSync(current);
    const stub = /^([^\s<>{}:]+)\n?$/.exec(text);
    if (!stub || text.length > 1024) return { text, path: current };
    const next = join(dirname(current), stub[1]!);
    if (!existsSync(next)) return { text, path: current };
    current = next;
  }
  return { text: readInputTextSync(current), path: current };
}
