/**
 * Blueprint text → plain value plus a table of source positions keyed by JSON Pointer into
 * that value. TOML is decoded by smol-toml (TOML 1.0 semantics, positioned syntax errors) and
 * located by toml-eslint-parser's AST; JSON is decoded and located by jsonc-parser.
 */
import { type Node as JsonNode, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { parse as parseToml, TomlError } from 'smol-toml';
import { type AST, parseTOML } from 'toml-eslint-parser';
import { LineIndex } from '../../../diagnostics/line-index.js';
import { escapeToken } from '../../../ir/pointer.js';
import type { PositionTable } from '../../../ir/positions.js';

export type DocumentResult =
  | { ok: true; value: unknown; positions: PositionTable }
  | { ok: false; line: number; column: number; message: string };

/** Strips a UTF-8 BOM; CRLF is handled by both parsers. */
function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function parseTomlDocument(text: string, file: string): DocumentResult {
  const source = withoutBom(text);
  let value: unknown;
  try {
    value = parseToml(source);
  } catch (e) {
    if (e instanceof TomlError) {
      return { ok: false, line: e.line, column: e.column, message: firstLine(e.message) };
    }
    throw e;
  }
  const positions: PositionTable = {};
  try {
    locateToml(source, file, positions);
  } catch {
    // smol-toml accepted what toml-eslint-parser did not: values stay, positions fall back to the file
  }
  return { ok: true, value, positions };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
}

function locateToml(source: string, file: string, positions: PositionTable): void {
  const ast = parseTOML(source, { tomlVersion: '1.0.0' });
  const arrayCounts = new Map<string, number>();
  const put = (ptr: string, loc: { start: { line: number; column: number } }) => {
    if (!(ptr in positions)) positions[ptr] = { file, line: loc.start.line, column: loc.start.column + 1 };
  };
  const visitValue = (ptr: string, node: AST.TOMLContentNode) => {
    put(ptr, node.loc);
    if (node.type === 'TOMLArray')
      for (const [i, el] of (node as AST.TOMLArray).elements.entries()) visitValue(`${ptr}/${i}`, el);
    else if (node.type === 'TOMLInlineTable')
      for (const kv of (node as AST.TOMLInlineTable).body) visitKeyValue(ptr, kv);
  };
  const visitKeyValue = (base: string, kv: AST.TOMLKeyValue) => {
    const ptr = base + keyPath(kv.key.keys);
    put(ptr, kv.loc);
    visitValue(ptr, kv.value);
  };
  for (const top of ast.body[0]!.body) {
    if (top.type === 'TOMLKeyValue') {
      visitKeyValue('', top);
      continue;
    }
    const table = top as AST.TOMLTable;
    let base = keyPath(table.key.keys);
    if (table.kind === 'array') {
      const index = arrayCounts.get(base) ?? 0;
      arrayCounts.set(base, index + 1);
      base = `${base}/${index}`;
    }
    put(base, table.loc);
    for (const kv of table.body) visitKeyValue(base, kv);
  }
}

function keyPath(keys: readonly { type: string; name?: string; value?: string }[]): string {
  return keys.map((k) => `/${escapeToken(k.type === 'TOMLBare' ? k.name! : String(k.value))}`).join('');
}

export function parseJsonDocument(text: string, file: string): DocumentResult {
  const source = withoutBom(text);
  const errors: ParseError[] = [];
  const root = parseTree(source, errors, { disallowComments: true, allowTrailingComma: false });
  const lines = new LineIndex(source);
  if (errors.length > 0 || !root) {
    const e = errors[0];
    const at = lines.position(e?.offset ?? 0);
    return {
      ok: false,
      ...at,
      message: e ? describeJsonError(printParseErrorCode(e.error)) : 'empty document',
    };
  }
  const positions: PositionTable = {};
  const visit = (node: JsonNode, ptr: string) => {
    positions[ptr] = {
      file,
      ...lines.position(node.parent?.type === 'property' ? node.parent.offset : node.offset),
    };
    if (node.type === 'object') {
      for (const prop of node.children ?? []) {
        const [key, val] = prop.children ?? [];
        if (key && val) visit(val, `${ptr}/${escapeToken(String(key.value))}`);
      }
    } else if (node.type === 'array') {
      for (const [i, child] of (node.children ?? []).entries()) visit(child, `${ptr}/${i}`);
    }
  };
  visit(root, '');
  return { ok: true, value: toValue(root), positions };
}

function toValue(node: JsonNode): unknown {
  if (node.type === 'object') {
    const out: Record<string, unknown> = {};
    for (const prop of node.children ?? []) {
      const [key, val] = prop.children ?? [];
      if (key && val) out[String(key.value)] = toValue(val);
    }
    return out;
  }
  if (node.type === 'array') return (node.children ?? []).map(toValue);
  return node.value;
}

function describeJsonError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
