/**
 * TDL text → a small element tree with positions. fast-xml-parser's validator reports the
 * first well-formedness error with its line and column; its ordered output with metadata gives
 * each element's offset.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { LineIndex } from '../../../diagnostics/line-index.js';
import { KEEP_DANGEROUS_NAMES, refusedXmlName } from '../../shared/xml-names.js';

export interface Pos {
  line: number;
  column: number;
}

export interface El {
  name: string;
  attrs: Record<string, string>;
  children: El[];
  /** the element's text (CDATA included), untrimmed */
  text: string;
  pos: Pos;
}

type FxpNode = Record<string, unknown>;
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

const parser = new XMLParser({
  preserveOrder: true,
  captureMetaData: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  cdataPropName: '#cdata',
  commentPropName: '#comment',
  processEntities: true,
  htmlEntities: false,
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ...KEEP_DANGEROUS_NAMES,
});

export type ParsedXml =
  | { ok: true; root: El }
  | { ok: false; message: string; pos: Pos; refusedName?: string };

export function parseTdlXml(input: string): ParsedXml {
  const text = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = new LineIndex(text);
  const checked = XMLValidator.validate(text);
  if (checked !== true)
    return {
      ok: false,
      message: checked.err.msg,
      pos: { line: checked.err.line, column: Math.max(1, checked.err.col) },
    };
  const refused = refusedXmlName(text);
  if (refused)
    return { ok: false, refusedName: refused.name, message: '', pos: lines.position(refused.offset) };
  let nodes: FxpNode[];
  try {
    nodes = parser.parse(text) as FxpNode[];
  } catch (e) {
    return { ok: false, message: (e as Error).message, pos: { line: 1, column: 1 } };
  }
  const build = (name: string, node: FxpNode): El => {
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries((node[':@'] as Record<string, unknown>) ?? {})) attrs[k] = String(v);
    const meta = (node as Record<symbol, { startIndex?: number } | undefined>)[META];
    const el: El = { name, attrs, children: [], text: '', pos: lines.position(meta?.startIndex ?? 0) };
    for (const child of (node[name] as FxpNode[]) ?? []) {
      const key = Object.keys(child).find((k) => k !== ':@');
      if (!key || key === '#comment') continue;
      if (key === '#text') el.text += String(child[key]);
      else if (key === '#cdata')
        el.text += ((child[key] as FxpNode[]) ?? []).map((c) => String(c['#text'] ?? '')).join('');
      else el.children.push(build(key, child));
    }
    return el;
  };
  for (const node of nodes) {
    const key = Object.keys(node).find((k) => k !== ':@');
    if (key && !key.startsWith('?') && !key.startsWith('#')) return { ok: true, root: build(key, node) };
  }
  return { ok: false, message: 'no root element', pos: { line: 1, column: 1 } };
}
