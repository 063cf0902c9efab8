/**
 * XML text → KIWI AST with positions. fast-xml-parser's validator reports the first
 * well-formedness error with its line and column; the parser (preserveOrder, metadata)
 * gives element offsets, and attribute positions are found by scanning each start tag.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { diag } from '../../../diagnostics/define.js';
import { LineIndex } from '../../../diagnostics/line-index.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { KEEP_DANGEROUS_NAMES, refusedXmlName } from '../../shared/xml-names.js';
import type { Pos, XChild, XComment, XDocument, XElement } from '../ast.js';
import { kiwiCodes } from '../codes.js';

export interface ParsedXml {
  doc?: XDocument;
  diagnostics: Diagnostic[];
}

type FxpNode = Record<string, unknown>;

const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

const parser = new XMLParser({
  preserveOrder: true,
  captureMetaData: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  commentPropName: '#comment',
  cdataPropName: '#cdata',
  processEntities: true,
  htmlEntities: false,
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: false,
  ignorePiTags: false,
  ...KEEP_DANGEROUS_NAMES,
});

export function normalizeXmlText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

export function parseXml(input: string, file: string): ParsedXml {
  const text = normalizeXmlText(input);
  const lines = new LineIndex(text);
  const checked = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (checked !== true) {
    const { msg, line, col } = checked.err;
    return {
      diagnostics: [diag(kiwiCodes.xmlMalformed, { detail: msg }, { file, line, column: Math.max(1, col) })],
    };
  }
  const unresolved = unresolvedEntities(text, lines, file);
  if (unresolved.length) return { diagnostics: unresolved };
  const refused = refusedXmlName(text);
  if (refused)
    return {
      diagnostics: [
        diag(kiwiCodes.refusedXmlName, { name: refused.name }, { file, ...lines.position(refused.offset) }),
      ],
    };
  let nodes: FxpNode[];
  try {
    nodes = parser.parse(text) as FxpNode[];
  } catch (e) {
    return {
      diagnostics: [
        diag(
          kiwiCodes.xmlMalformed,
          { detail: e instanceof Error ? e.message : String(e) },
          { file, line: 1, column: 1 },
        ),
      ],
    };
  }
  const build = new TreeBuilder(text, lines, file);
  const prolog: XComment[] = [];
  let root: XElement | undefined;
  for (const node of nodes) {
    const child = build.node(node);
    if (!child) continue;
    if (child.kind === 'element') {
      if (child.name.startsWith('?')) continue;
      root ??= child;
    } else if (child.kind === 'comment' && !root) prolog.push(child);
  }
  if (!root)
    return {
      diagnostics: [
        diag(kiwiCodes.xmlMalformed, { detail: 'no root element' }, { file, line: 1, column: 1 }),
      ],
    };
  if (root.name !== 'image') {
    return { diagnostics: [diag(kiwiCodes.notKiwi, { found: root.name }, { file, ...root.pos })] };
  }
  return { doc: { file, prolog, root }, diagnostics: [] };
}

class TreeBuilder {
  private commentCursor = 0;
  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
    private readonly file: string,
  ) {}

  node(node: FxpNode): XChild | undefined {
    for (const key of Object.keys(node)) {
      if (key === ':@') continue;
      const value = node[key];
      if (key === '#text') return { kind: 'text', text: String(value) };
      if (key === '#cdata') return { kind: 'text', text: cdataText(value) };
      if (key === '#comment') return this.comment(value);
      return this.element(key, node);
    }
    return undefined;
  }

  private comment(value: unknown): XComment {
    const text = cdataText(value);
    const at = this.text.indexOf(`<!--${text}`, this.commentCursor);
    const c: XComment = { kind: 'comment', text };
    if (at >= 0) {
      c.pos = this.lines.position(at);
      this.commentCursor = at + 4;
    }
    return c;
  }

  private element(name: string, node: FxpNode): XElement {
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries((node[':@'] as Record<string, unknown>) ?? {})) attrs[k] = String(v);
    const el: XElement = { kind: 'element', name, attrs, attrPos: {}, children: [], file: this.file };
    const meta = (node as Record<symbol, { startIndex?: number } | undefined>)[META];
    if (meta?.startIndex !== undefined) {
      el.pos = this.lines.position(meta.startIndex);
      el.attrPos = this.attributePositions(meta.startIndex);
      if (this.commentCursor < meta.startIndex) this.commentCursor = meta.startIndex;
    }
    const kids = node[name];
    if (Array.isArray(kids)) {
      for (const k of kids as FxpNode[]) {
        const child = this.node(k);
        if (child) el.children.push(child);
      }
    }
    return el;
  }

  private attributePositions(start: number): Record<string, Pos> {
    const out: Record<string, Pos> = {};
    const re = /([^\s=/>"']+)\s*=\s*("[^"]*"|'[^']*')|(\/?>)/gy;
    let i = start + 1;
    while (i < this.text.length && !/[\s/>]/.test(this.text[i]!)) i++;
    for (;;) {
      while (i < this.text.length && /\s/.test(this.text[i]!)) i++;
      re.lastIndex = i;
      const m = re.exec(this.text);
      if (!m || m[3]) break;
      out[m[1]!] = this.lines.position(i);
      i = re.lastIndex;
    }
    return out;
  }
}

function cdataText(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => String((v as FxpNode)['#text'] ?? '')).join('');
  return String(value ?? '');
}

const PREDEFINED = new Set(['lt', 'gt', 'amp', 'quot', 'apos']);
const MAX_ENTITY_REPORTS = 10;

/**
 * fast-xml-parser leaves a reference it does not expand as literal text, which would land in
 * the IR unnoticed: undeclared names, and entities whose value refers to other entities.
 */
function unresolvedEntities(text: string, lines: LineIndex, file: string): Diagnostic[] {
  const doctype = /<!DOCTYPE[^[>]*\[([\s\S]*?)\]\s*>/.exec(text);
  const simple = new Set<string>();
  const nested = new Set<string>();
  for (const m of (doctype?.[1] ?? '').matchAll(/<!ENTITY\s+([^\s%]+)\s+(?:"([^"]*)"|'([^']*)')/g)) {
    ((m[2] ?? m[3] ?? '').includes('&') ? nested : simple).add(m[1]!);
  }
  const out: Diagnostic[] = [];
  const body = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|&([A-Za-z_:][\w.:-]*);/g;
  body.lastIndex = doctype ? doctype.index + doctype[0].length : 0;
  for (let m = body.exec(text); m && out.length < MAX_ENTITY_REPORTS; m = body.exec(text)) {
    const name = m[1];
    if (name === undefined || PREDEFINED.has(name) || simple.has(name)) continue;
    const why = nested.has(name) ? 'its value refers to other entities' : 'it is not declared';
    out.push(diag(kiwiCodes.entityUnresolved, { name, why }, { file, ...lines.position(m.index) }));
  }
  return out;
}
