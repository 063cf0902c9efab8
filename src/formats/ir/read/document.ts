/**
 * IR documents as text → a plain JSON value plus a position for every node, keyed by JSON
 * Pointer into that value. JSON is read by jsonc-parser in strict mode (no comments, no
 * trailing commas); YAML by the `yaml` package with a LineCounter. Only JSON data comes out:
 * YAML aliases are expanded (recursive ones refused), and tags that make non-JSON values
 * (binary, NaN, infinities) are refused with a position.
 */

import {
  getLocation,
  type Node as JsonNode,
  type ParseError,
  parseTree,
  printParseErrorCode,
} from 'jsonc-parser';
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Node as YamlNode,
} from 'yaml';
import { LineIndex } from '../../../diagnostics/line-index.js';
import { escapeToken } from '../../../ir/pointer.js';
import type { PositionTable } from '../../../ir/positions.js';
import { lookupTable } from '../../../lib/lookup-table.js';
import { aliasTargets } from '../../../lib/yaml-aliases.js';
import { MAX_YAML_TOKENS, offsetPastTokenLimit } from '../../../lib/yaml-tokens.js';

export type IrSyntax = 'json' | 'yaml';

export interface DocumentProblem {
  line: number;
  column: number;
  message: string;
}

/** Set when the document was refused for its size, not its syntax: the limit it passed. */
export interface SizeRefusal {
  tokenLimit: number;
}

export type IrDocument =
  | {
      ok: true;
      value: unknown;
      positions: PositionTable;
      /** YAML only: pointers whose value was an unquoted scalar (so `0644` became a number) */
      plainScalars: Set<string>;
      /** duplicate keys in JSON: the later value is used */
      duplicates: (DocumentProblem & { key: string })[];
    }
  | ({ ok: false; tooLarge?: SizeRefusal } & DocumentProblem);

/** Strips a UTF-8 BOM; both parsers handle CRLF. */
function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** JSON for `.json` names, YAML for `.yaml`/`.yml`, else JSON when the text starts with `{` or `[`. */
export function syntaxOf(file: string, text: string): IrSyntax {
  if (/\.json$/i.test(file)) return 'json';
  if (/\.ya?ml$/i.test(file)) return 'yaml';
  return /^\s*[{[]/.test(withoutBom(text)) ? 'json' : 'yaml';
}

export function parseIrDocument(text: string, file: string, syntax: IrSyntax): IrDocument {
  return syntax === 'json' ? parseJson(withoutBom(text), file) : parseYaml(withoutBom(text), file);
}

/** Sets a property even when it is named `__proto__`. */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

// ---------------------------------------------------------------- JSON

const JSON_EXPECTED: Record<string, string> = lookupTable({
  InvalidSymbol:
    'a value: a string in double quotes, a number, true, false, null, an object {...} or a list [...]',
  InvalidNumberFormat: 'a number such as 12, -3 or 1.5',
  PropertyNameExpected: 'a property name in double quotes',
  ValueExpected: 'a value',
  ColonExpected: '":" after the property name',
  CloseBraceExpected: '"," or "}"',
  CloseBracketExpected: '"," or "]"',
  EndOfFileExpected: 'the end of the document after its one top-level value',
  InvalidCommentToken: 'no comment (JSON has no comments)',
  UnexpectedEndOfComment: 'the end of the comment',
  UnexpectedEndOfString: 'the closing double quote of the string on the same line',
  UnexpectedEndOfNumber: 'digits after the sign, point or exponent',
  InvalidUnicode: 'four hex digits after \\u',
  InvalidEscapeCharacter: 'one of the escapes \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX',
  InvalidCharacter: 'no control character inside a string (write \\n or \\t)',
});

function foundAt(text: string, offset: number, length: number): string {
  if (offset >= text.length) return 'the end of the file';
  const token =
    length > 0 ? text.slice(offset, offset + length) : (/^\S{1,20}/.exec(text.slice(offset))?.[0] ?? '');
  const shown = token.length > 30 ? `${token.slice(0, 27)}...` : token;
  if (!shown.trim()) return 'a line break';
  return shown.startsWith('"') ? shown : JSON.stringify(shown);
}

function parseJson(text: string, file: string): IrDocument {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const lines = new LineIndex(text);
  if (!text.trim()) return { ok: false, line: 1, column: 1, message: 'the file is empty' };
  if (errors.length > 0 || !root) {
    const e = errors[0]!;
    let name = printParseErrorCode(e.error);
    // an unquoted or single-quoted property name: jsonc-parser reports the symbol, then the missing name
    const next = errors[1];
    if (name === 'InvalidSymbol' && next && printParseErrorCode(next.error) === 'PropertyNameExpected')
      name = 'PropertyNameExpected';
    const closing = text[e.offset];
    const comma = /,\s*$/.exec(text.slice(0, e.offset));
    if (
      (closing === '}' || closing === ']') &&
      comma &&
      (name === 'PropertyNameExpected' || name === 'ValueExpected')
    ) {
      const what = closing === '}' ? 'property' : 'item';
      return {
        ok: false,
        ...lines.position(comma.index),
        message: `expected another ${what} after this comma, found "${closing}" (JSON allows no comma after the last ${what})`,
      };
    }
    if (name === 'CommaExpected') {
      // a comma is missing between two properties or two list items: say which closer would also do
      const last = getLocation(text, Math.max(0, e.offset - 1)).path.at(-1);
      name = typeof last === 'number' ? 'CloseBracketExpected' : 'CloseBraceExpected';
    }
    const expected = JSON_EXPECTED[name] ?? name;
    return {
      ok: false,
      ...lines.position(Math.min(e.offset, text.length)),
      message: `expected ${expected}, found ${foundAt(text, e.offset, e.length)}`,
    };
  }
  const positions: PositionTable = {};
  const duplicates: (DocumentProblem & { key: string })[] = [];
  const build = (node: JsonNode, ptr: string): unknown => {
    const at = node.parent?.type === 'property' ? node.parent.offset : node.offset;
    positions[ptr] = { file, ...lines.position(at) };
    if (node.type === 'object') {
      const out: Record<string, unknown> = {};
      for (const prop of node.children ?? []) {
        const [key, val] = prop.children ?? [];
        if (!key || !val) continue;
        const name = String(key.value);
        if (Object.hasOwn(out, name))
          duplicates.push({ key: name, ...lines.position(prop.offset), message: '' });
        put(out, name, build(val, `${ptr}/${escapeToken(name)}`));
      }
      return out;
    }
    if (node.type === 'array') return (node.children ?? []).map((child, i) => build(child, `${ptr}/${i}`));
    return node.value;
  };
  const value = build(root, '');
  return { ok: true, value, positions, plainScalars: new Set(), duplicates };
}

// ---------------------------------------------------------------- YAML

/** Nodes built from one document, aliases expanded; past this, the document is refused (alias bombs). */
const MAX_NODES = 1_000_000;

class YamlRefusal extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

function parseYaml(text: string, file: string): IrDocument {
  const counter = new LineCounter();
  const pastLimit = offsetPastTokenLimit(text, MAX_YAML_TOKENS);
  if (pastLimit !== undefined) {
    const p = new LineIndex(text).position(Math.min(pastLimit, text.length));
    return {
      ok: false,
      ...p,
      message: `more than ${MAX_YAML_TOKENS} YAML tokens`,
      tooLarge: { tokenLimit: MAX_YAML_TOKENS },
    };
  }
  // duplicate keys are found while building: the `yaml` package's uniqueKeys compares each key
  // with every earlier one of its map (40,000 distinct keys: 12.8 s)
  // prettyErrors would copy the source line into every error: quadratic on a long line of errors
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false, prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0] ?? counter.linePos(first.pos[0]);
    const message = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    return { ok: false, line: pos.line, column: pos.col, message };
  }
  if (doc.contents === null)
    return { ok: false, line: 1, column: 1, message: 'the file holds no YAML document' };
  const positions: PositionTable = {};
  const plainScalars = new Set<string>();
  const at = (offset: number) => {
    const p = counter.linePos(offset);
    return { file, line: p.line, column: p.col };
  };
  let count = 0;
  const expanding = new Set<YamlNode>();
  const targets = aliasTargets(doc);
  const build = (node: YamlNode | null, ptr: string, keyOffset?: number): unknown => {
    if (++count > MAX_NODES)
      throw new YamlRefusal(`more than ${MAX_NODES} values once aliases are expanded`, node?.range?.[0] ?? 0);
    const offset = keyOffset ?? node?.range?.[0] ?? 0;
    if (!(ptr in positions)) positions[ptr] = at(offset);
    if (node === null) return null;
    if (isAlias(node)) {
      const target = targets.get(node);
      if (!target) throw new YamlRefusal(`alias *${node.source} names no anchor`, node.range?.[0] ?? 0);
      if (expanding.has(target))
        throw new YamlRefusal(
          `alias *${node.source} refers to a value that contains it`,
          node.range?.[0] ?? 0,
        );
      expanding.add(target);
      try {
        return build(target, ptr, offset);
      } finally {
        expanding.delete(target);
      }
    }
    if (isScalar(node)) {
      const v = node.value;
      if (v === null || typeof v === 'string' || typeof v === 'boolean') {
        if (node.type === 'PLAIN' && v !== null && typeof v !== 'string') plainScalars.add(ptr);
        return v;
      }
      if (typeof v === 'number' && Number.isFinite(v)) {
        if (node.type === 'PLAIN') plainScalars.add(ptr);
        return v;
      }
      throw new YamlRefusal(
        `${node.source ?? String(v)} is not JSON data (an IR holds strings, numbers, true/false, null, lists and maps)`,
        node.range?.[0] ?? 0,
      );
    }
    if (isSeq(node)) return node.items.map((item, i) => build(item as YamlNode | null, `${ptr}/${i}`));
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = pair.key as YamlNode | null;
        if (key !== null && !isScalar(key))
          throw new YamlRefusal('a map key must be a plain string', key.range?.[0] ?? 0);
        const name = key === null ? '' : String(key.value);
        const keyAt = key?.range?.[0] ?? (pair.value as YamlNode | null)?.range?.[0] ?? offset;
        if (Object.hasOwn(out, name))
          throw new YamlRefusal(
            `the key ${JSON.stringify(name.length > 40 ? `${name.slice(0, 37)}...` : name)} is not unique in its map (YAML allows each key once)`,
            keyAt,
          );
        put(out, name, build(pair.value as YamlNode | null, `${ptr}/${escapeToken(name)}`, keyAt));
      }
      return out;
    }
    throw new YamlRefusal('unsupported YAML node', offset);
  };
  try {
    const value = build(doc.contents as YamlNode, '');
    return { ok: true, value, positions, plainScalars, duplicates: [] };
  } catch (e) {
    if (!(e instanceof YamlRefusal)) throw e;
    const p = counter.linePos(e.offset);
    return { ok: false, line: p.line, column: p.col, message: e.message };
  }
}
