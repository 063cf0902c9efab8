/**
 * One model for both Packer syntaxes: variables, locals, sources (builders), and the build's
 * provisioners and post-processors, each with the position it was written at. HCL2 templates
 * are folders (every `*.pkr.hcl` and `*.auto.pkrvars.hcl` beside the file read); legacy JSON
 * is one file.
 */
import { type Node as JsonNode, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { LineIndex } from '../../../diagnostics/line-index.js';
import { appendAll } from '../../../input/append.js';
import type { SourcePosition } from '../../../ir/positions.js';
import type { HclValue } from '../hcl-value.js';
import { type HclBlock, HclError, type HclItem, parseHcl } from './hcl.js';

export interface Attr {
  name: string;
  value: HclValue;
  at: SourcePosition;
  /** a variable block's other settings (type, description, sensitive, validation) */
  settings?: Record<string, HclValue>;
}

export interface Plugin {
  type: string;
  attrs: Attr[];
  at: SourcePosition;
}

export interface Source extends Plugin {
  name: string;
}

export interface Template {
  syntax: 'hcl' | 'json';
  variables: Attr[];
  locals: Attr[];
  sources: Source[];
  /** sources the build block names, as `TYPE.NAME` */
  buildSources: string[];
  provisioners: Plugin[];
  postProcessors: Plugin[];
  /** top-level blocks or keys imgc keeps as written (packer, data, description, …) */
  other: Attr[];
  at: SourcePosition;
}

export type Loaded =
  | { ok: true; template: Template }
  | { ok: false; at: SourcePosition; language: string; detail: string };

function emptyTemplate(syntax: 'hcl' | 'json', at: SourcePosition): Template {
  return {
    syntax,
    variables: [],
    locals: [],
    sources: [],
    buildSources: [],
    provisioners: [],
    postProcessors: [],
    other: [],
    at,
  };
}

// ---------------------------------------------------------------- HCL2

function attrsOf(body: HclItem[], at: (o: number) => SourcePosition): Attr[] {
  const out: Attr[] = [];
  for (const item of body) {
    if (item.kind === 'attr') out.push({ name: item.name, value: item.value, at: at(item.offset) });
    else out.push({ name: item.type, value: blockValue(item), at: at(item.offset) });
  }
  return out;
}

/** A nested block (e.g. `dynamic`, `override`) kept as data: {labels, body}. */
function blockValue(block: HclBlock): HclValue {
  const body: Record<string, HclValue> = {};
  for (const item of block.body)
    body[
      item.kind === 'attr'
        ? item.name
        : `${item.type}${item.labels.length ? ` ${item.labels.join(' ')}` : ''}`
    ] = item.kind === 'attr' ? item.value : blockValue(item);
  return { $block: block.labels, ...body } as unknown as HclValue;
}

export function addHclFile(t: Template, text: string, file: string): Loaded | undefined {
  let items: HclItem[];
  const lines = new LineIndex(text);
  const at = (o: number): SourcePosition => ({ file, ...lines.position(o) });
  try {
    items = parseHcl(text);
  } catch (e) {
    if (e instanceof HclError) return { ok: false, at: at(e.offset), language: 'HCL2', detail: e.message };
    throw e;
  }
  for (const item of items) {
    const where = at(item.offset);
    if (item.kind === 'attr') {
      // a variables file: name = value
      t.variables.push({ name: item.name, value: item.value, at: where });
      continue;
    }
    const body = attrsOf(item.body, at);
    if (item.type === 'variable' && item.labels[0]) {
      const def = body.find((a) => a.name === 'default');
      const others = body.filter((a) => a.name !== 'default');
      t.variables.push({
        name: item.labels[0],
        value: def ? def.value : null,
        at: where,
        ...(others.length ? { settings: Object.fromEntries(others.map((a) => [a.name, a.value])) } : {}),
      });
    } else if (item.type === 'locals') appendAll(t.locals, body);
    else if (item.type === 'local' && item.labels[0]) {
      const expr = body.find((a) => a.name === 'expression');
      t.locals.push({ name: item.labels[0], value: expr ? expr.value : null, at: where });
    } else if (item.type === 'source' && item.labels.length === 2)
      t.sources.push({ type: item.labels[0]!, name: item.labels[1]!, attrs: body, at: where });
    else if (item.type === 'build') addBuild(t, item, at);
    else t.other.push({ name: [item.type, ...item.labels].join(' '), value: blockValue(item), at: where });
  }
  return undefined;
}

function addBuild(t: Template, build: HclBlock, at: (o: number) => SourcePosition): void {
  for (const item of build.body) {
    if (item.kind === 'attr') {
      if (item.name === 'sources' && Array.isArray(item.value))
        for (const s of item.value)
          if (typeof s === 'string') t.buildSources.push(s.replace(/^source\./, ''));
      continue;
    }
    if (item.type === 'source' && item.labels[0]) {
      t.buildSources.push(item.labels[0].replace(/^source\./, ''));
      continue;
    }
    const plugin = { type: item.labels[0] ?? '', attrs: attrsOf(item.body, at), at: at(item.offset) };
    if (item.type === 'provisioner') t.provisioners.push(plugin);
    else if (item.type === 'post-processor') t.postProcessors.push(plugin);
    else if (item.type === 'post-processors')
      for (const inner of item.body)
        if (inner.kind === 'block')
          t.postProcessors.push({
            type: inner.labels[0] ?? '',
            attrs: attrsOf(inner.body, at),
            at: at(inner.offset),
          });
  }
}

export function hclTemplate(files: { file: string; text: string }[]): Loaded {
  const t = emptyTemplate('hcl', { file: files[0]!.file, line: 1, column: 1 });
  for (const f of files) {
    const failed = addHclFile(t, f.text, f.file);
    if (failed) return failed;
  }
  return { ok: true, template: t };
}

// ---------------------------------------------------------------- legacy JSON

function jsonValue(node: JsonNode): HclValue {
  switch (node.type) {
    case 'object': {
      const out: Record<string, HclValue> = {};
      for (const p of node.children ?? []) out[String(p.children![0]!.value)] = jsonValue(p.children![1]!);
      return out;
    }
    case 'array':
      return (node.children ?? []).map(jsonValue);
    default:
      return node.value as HclValue;
  }
}

function jsonPlugins(node: JsonNode | undefined, at: (o: number) => SourcePosition): Plugin[] {
  if (node?.type !== 'array') return [];
  const out: Plugin[] = [];
  for (const item of node.children ?? []) {
    // a post-processor sequence is a list inside the list
    const members = item.type === 'array' ? (item.children ?? []) : [item];
    for (const m of members) {
      if (m.type === 'string') {
        out.push({ type: String(m.value), attrs: [], at: at(m.offset) });
        continue;
      }
      if (m.type !== 'object') continue;
      const attrs: Attr[] = [];
      let type = '';
      for (const p of m.children ?? []) {
        const key = String(p.children![0]!.value);
        const value = jsonValue(p.children![1]!);
        if (key === 'type') type = String(value);
        else attrs.push({ name: key, value, at: at(p.offset) });
      }
      out.push({ type, attrs, at: at(m.offset) });
    }
  }
  return out;
}

export function jsonTemplate(text: string, file: string): Loaded {
  const lines = new LineIndex(text);
  const at = (o: number): SourcePosition => ({ file, ...lines.position(o) });
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: false });
  if (errors.length || !root)
    return {
      ok: false,
      at: at(errors[0]?.offset ?? 0),
      language: 'JSON',
      detail: errors[0] ? printParseErrorCode(errors[0].error) : 'empty file',
    };
  const t = emptyTemplate('json', at(root.offset));
  if (root.type !== 'object')
    return { ok: false, at: at(root.offset), language: 'JSON', detail: 'a template is a JSON object' };
  for (const p of root.children ?? []) {
    const key = String(p.children![0]!.value);
    const node = p.children![1]!;
    if (key === 'variables' && node.type === 'object')
      for (const v of node.children ?? [])
        t.variables.push({
          name: String(v.children![0]!.value),
          value: jsonValue(v.children![1]!),
          at: at(v.offset),
        });
    else if (key === 'builders')
      for (const b of jsonPlugins(node, at)) {
        const name = b.attrs.find((a) => a.name === 'name');
        t.sources.push({
          ...b,
          name: typeof name?.value === 'string' ? name.value : b.type,
          attrs: b.attrs.filter((a) => a.name !== 'name'),
        });
      }
    else if (key === 'provisioners') appendAll(t.provisioners, jsonPlugins(node, at));
    else if (key === 'post-processors') appendAll(t.postProcessors, jsonPlugins(node, at));
    else t.other.push({ name: key, value: jsonValue(node), at: at(p.offset) });
  }
  return { ok: true, template: t };
}
