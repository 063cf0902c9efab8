/**
 * The KIWI AST: a plain XML element tree with source positions. Every KIWI markup (XML,
 * and YAML/JSON in the xmltodict convention) is parsed into it; upgrades, includes and
 * lowering all work on it, and the emitter prints it back.
 */

export interface Pos {
  line: number;
  column: number;
}

export interface XElement {
  kind: 'element';
  name: string;
  attrs: Record<string, string>;
  /** where each attribute was written; absent for synthesized nodes */
  attrPos: Record<string, Pos>;
  children: XChild[];
  pos?: Pos;
  /** the file the element was read from (an include fragment differs from the main file) */
  file?: string;
}

export interface XComment {
  kind: 'comment';
  text: string;
  pos?: Pos;
}

export interface XText {
  kind: 'text';
  text: string;
}

export type XChild = XElement | XComment | XText;

export interface XDocument {
  file: string;
  /** comments and processing instructions before the root element */
  prolog: XComment[];
  root: XElement;
}

/** The position-free JSON form of an element, as kept in `ir.extensions.kiwi`. */
export interface XJson {
  name: string;
  attrs?: Record<string, string>;
  text?: string;
  children?: XJson[];
}

export function element(
  name: string,
  attrs: Record<string, string | undefined> = {},
  children: XChild[] = [],
): XElement {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) clean[k] = v;
  return { kind: 'element', name, attrs: clean, attrPos: {}, children };
}

export function textElement(
  name: string,
  text: string,
  attrs: Record<string, string | undefined> = {},
): XElement {
  return element(name, attrs, [{ kind: 'text', text }]);
}

export function childElements(el: XElement, name?: string): XElement[] {
  return el.children.filter(
    (c): c is XElement => c.kind === 'element' && (name === undefined || c.name === name),
  );
}

export function firstChild(el: XElement, name: string): XElement | undefined {
  return childElements(el, name)[0];
}

/** Concatenated text content, trimmed; undefined when the element has none. */
export function textOf(el: XElement | undefined): string | undefined {
  if (!el) return undefined;
  const parts: string[] = [];
  const walk = (e: XElement) => {
    for (const c of e.children) {
      if (c.kind === 'text') parts.push(c.text);
      else if (c.kind === 'element') walk(c);
    }
  };
  walk(el);
  const text = parts.join('').trim();
  return text === '' ? undefined : text;
}

export function toJson(el: XElement): XJson {
  const out: XJson = { name: el.name };
  if (Object.keys(el.attrs).length) out.attrs = { ...el.attrs };
  const kids = childElements(el).map(toJson);
  if (kids.length) out.children = kids;
  else {
    const text = textOf(el);
    if (text !== undefined) out.text = text;
  }
  return out;
}

export function fromJson(json: XJson): XElement {
  const el = element(json.name, json.attrs ?? {});
  if (json.children) el.children = json.children.map(fromJson);
  else if (json.text !== undefined) el.children = [{ kind: 'text', text: json.text }];
  return el;
}

export function cloneElement(el: XElement): XElement {
  return {
    ...el,
    attrs: { ...el.attrs },
    attrPos: { ...el.attrPos },
    children: el.children.map((c) => (c.kind === 'element' ? cloneElement(c) : { ...c })),
  };
}

/** Comma-separated list attribute (`profiles="a,b"`, `arch="x86_64,aarch64"`). */
export function listAttr(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
