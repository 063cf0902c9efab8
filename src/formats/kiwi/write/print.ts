/**
 * KIWI AST → XML text in KIWI's own style: an XML declaration, a blank line, prolog
 * comments, four-space indentation, empty elements self-closed, text-only elements on one
 * line, and a final newline.
 */
import type { XComment, XDocument, XElement } from '../ast.js';

const INDENT = '    ';

export function escapeText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export function escapeAttr(value: string): string {
  return escapeText(value).replaceAll('"', '&quot;').replaceAll('\n', '&#10;').replaceAll('\t', '&#9;');
}

function commentText(text: string): string {
  return text.replaceAll('--', '- -').replace(/-$/, '- ');
}

function printComment(c: XComment, depth: number): string {
  return `${INDENT.repeat(depth)}<!--${commentText(c.text)}-->\n`;
}

function printElement(el: XElement, depth: number): string {
  const pad = INDENT.repeat(depth);
  const attrs = Object.entries(el.attrs)
    .map(([k, v]) => ` ${k}="${escapeAttr(v)}"`)
    .join('');
  const kids = el.children.filter((c) => c.kind !== 'text' || c.text.trim() !== '');
  if (kids.length === 0) return `${pad}<${el.name}${attrs}/>\n`;
  if (kids.every((c) => c.kind === 'text')) {
    const text = kids.map((c) => (c.kind === 'text' ? c.text : '')).join('');
    return `${pad}<${el.name}${attrs}>${escapeText(text)}</${el.name}>\n`;
  }
  let out = `${pad}<${el.name}${attrs}>\n`;
  for (const c of kids) {
    if (c.kind === 'element') out += printElement(c, depth + 1);
    else if (c.kind === 'comment') out += printComment(c, depth + 1);
    else out += `${INDENT.repeat(depth + 1)}${escapeText(c.text.trim())}\n`;
  }
  return `${out}${pad}</${el.name}>\n`;
}

export function printDocument(doc: XDocument): string {
  let out = '<?xml version="1.0" encoding="utf-8"?>\n\n';
  for (const c of doc.prolog) out += printComment(c, 0);
  return out + printElement(doc.root, 0);
}
