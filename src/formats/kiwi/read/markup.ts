/**
 * KIWI YAML and JSON descriptions → the same AST as XML. KIWI reads them through
 * anymarkup, which uses xmltodict's layout: one top-level key `image`, attributes as
 * `@name` keys, text as `#text` (or a plain scalar), repeated elements as lists.
 */
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { coreCodes } from '../../../diagnostics/codes/core.js';
import { diag } from '../../../diagnostics/define.js';
import { LineIndex } from '../../../diagnostics/line-index.js';
import { complexKeyOffset } from '../../../lib/yaml-keys.js';
import { MAX_YAML_TOKENS, offsetPastTokenLimit } from '../../../lib/yaml-tokens.js';
import type { XElement } from '../ast.js';
import { kiwiCodes } from '../codes.js';
import { normalizeXmlText, type ParsedXml } from './xml.js';

export function parseMarkup(input: string, file: string): ParsedXml {
  const text = normalizeXmlText(input);
  const lineCounter = new LineCounter();
  const pastLimit = offsetPastTokenLimit(text);
  if (pastLimit !== undefined) {
    return {
      diagnostics: [
        diag(
          coreCodes.yamlTooManyTokens,
          { what: 'the KIWI description', limit: MAX_YAML_TOKENS },
          { file, ...new LineIndex(text).position(pastLimit) },
        ),
      ],
    };
  }
  // prettyErrors copies the source line into every error: quadratic on a long line of errors
  // (a 727 KB config.json took a minute); the first error is described the same way below
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const at = (node: Node | null | undefined) => {
    const offset = node?.range?.[0];
    if (offset === undefined) return undefined;
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const first = doc.errors[0];
  if (first) {
    const p = lineCounter.linePos(first.pos[0]);
    return {
      diagnostics: [
        diag(
          kiwiCodes.markupInvalid,
          { detail: firstLineOf(first.message, first.pos[0], text, lineCounter) },
          { file, line: p.line, column: p.col },
        ),
      ],
    };
  }
  const complexKey = complexKeyOffset(doc);
  if (complexKey !== undefined) {
    const p = lineCounter.linePos(complexKey);
    return {
      diagnostics: [
        diag(
          kiwiCodes.markupInvalid,
          { detail: 'a mapping key must be a plain string' },
          { file, line: p.line, column: p.col },
        ),
      ],
    };
  }
  const top = doc.contents;
  if (
    !isMap(top) ||
    top.items.length !== 1 ||
    String((top.items[0]!.key as Node & { value?: unknown })?.toJSON?.() ?? '') !== 'image'
  ) {
    return {
      diagnostics: [
        diag(
          kiwiCodes.markupInvalid,
          { detail: 'expected exactly one top-level key "image"' },
          { file, line: 1, column: 1 },
        ),
      ],
    };
  }

  const toElement = (name: string, node: Node | null, keyNode: Node | null): XElement => {
    const el: XElement = { kind: 'element', name, attrs: {}, attrPos: {}, children: [], file };
    const pos = at(keyNode) ?? at(node);
    if (pos) el.pos = pos;
    if (node === null || node === undefined) return el;
    if (isScalar(node)) {
      if (node.value !== null) el.children.push({ kind: 'text', text: String(node.value) });
      return el;
    }
    if (!isMap(node)) return el;
    for (const item of node.items) {
      const key = String(isScalar(item.key) ? item.key.value : item.key);
      const value = item.value as Node | null;
      if (key.startsWith('@')) {
        el.attrs[key.slice(1)] = isScalar(value)
          ? String(value.value ?? '')
          : String(value?.toJSON?.() ?? '');
        const p = at(item.key as Node);
        if (p) el.attrPos[key.slice(1)] = p;
      } else if (key === '#text') {
        if (isScalar(value) && value.value !== null)
          el.children.push({ kind: 'text', text: String(value.value) });
      } else if (isSeq(value)) {
        for (const entry of value.items) el.children.push(toElement(key, entry as Node, item.key as Node));
      } else el.children.push(toElement(key, value, item.key as Node));
    }
    return el;
  };

  const pair = top.items[0]!;
  const root = toElement('image', pair.value as Node | null, pair.key as Node);
  return { doc: { file, prolog: [], root }, diagnostics: [] };
}

/** YAML/JSON (not XML) by extension or by content. */
export function looksLikeMarkup(path: string, text: string): boolean {
  if (/\.(ya?ml|json)$/i.test(path)) return true;
  const head = text.replace(/^\uFEFF/, '').trimStart();
  return !head.startsWith('<') && /^(\{|image\s*:|["']image["']\s*:)/.test(head);
}

/**
 * The first line of the message the yaml package's prettyErrors option gives: the position,
 * and a colon when it would show the source line (the line, or the one before it, has
 * something other than spaces, or the line is cut to 80 characters).
 */
export function firstLineOf(message: string, offset: number, text: string, lines: LineCounter): string {
  if (offset === -1) return message.split('\n')[0]!;
  const { line, col } = lines.linePos(offset);
  const start = lines.lineStarts[line - 1]!;
  let end = lines.lineStarts[line] ?? text.length;
  while (end > start && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  const source = text.slice(start, end);
  const shown =
    source.length > 80 || /[^ ]/.test(source) || (line > 1 && /^ *$/.test(source.slice(0, col - 1)));
  return `${message} at line ${line}, column ${col}${shown ? ':' : ''}`.split('\n')[0]!;
}
