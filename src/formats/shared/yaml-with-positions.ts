/**
 * YAML (or JSON, which is YAML 1.2) text → a plain value plus a position for every node, keyed
 * by JSON Pointer, for the readers of formats written in YAML (treefile, dib). Bounded: the
 * token limit, mapping keys that are plain strings, aliases expanded up to MAX_ALIAS_VALUES.
 */
import {
  type Alias,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
} from 'yaml';
import { escapeToken } from '../../ir/pointer.js';
import type { PositionTable } from '../../ir/positions.js';
import { aliasTargets } from '../../lib/yaml-aliases.js';
import { complexKeyOffset } from '../../lib/yaml-keys.js';
import { MAX_YAML_TOKENS, offsetPastTokenLimit } from '../../lib/yaml-tokens.js';

export type ParsedYaml =
  | { ok: true; value: unknown; positions: PositionTable }
  | { ok: false; line: number; column: number; message: string };

/**
 * Values that aliases may add to one file; past this, the file is refused (alias bombs).
 * Without aliases a file has fewer values than YAML tokens, which MAX_YAML_TOKENS bounds; an
 * alias copies its anchor's values, so 20 KB of nested aliases make millions. Each value costs
 * about 50 µs through the reader and every writer (190,000 took 10 s of CPU); real treefiles
 * and dib element files have a few hundred values in all.
 */
export const MAX_ALIAS_VALUES = 10_000;

/** A refusal at a place in the text. */
class Refusal extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function parseYamlWithPositions(input: string, file: string): ParsedYaml {
  const text = input.replace(/^\uFEFF/, '');
  const counter = new LineCounter();
  const past = offsetPastTokenLimit(text);
  if (past !== undefined) {
    const p = counter.linePos(0);
    return { ok: false, line: p.line, column: p.col, message: `more than ${MAX_YAML_TOKENS} YAML tokens` };
  }
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false, prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const p = counter.linePos(first.pos[0]);
    return { ok: false, line: p.line, column: p.col, message: first.message.split('\n')[0]! };
  }
  const complexKey = complexKeyOffset(doc);
  if (complexKey !== undefined) {
    const p = counter.linePos(complexKey);
    return { ok: false, line: p.line, column: p.col, message: 'a mapping key must be a plain string' };
  }
  const positions: PositionTable = {};
  const at = (node: { range?: [number, number, number] | null } | null | undefined, ptr: string) => {
    const offset = node?.range?.[0];
    if (offset === undefined) return;
    const p = counter.linePos(offset);
    positions[ptr] = { file, line: p.line, column: p.col };
  };
  // every alias's anchor in one walk: node.resolve(doc) walks the whole document per alias
  const targets = aliasTargets(doc);
  const expanding = new Set<Node>();
  // the alias written in the text whose value is being built: where a refusal points
  let outer: Alias | undefined;
  let aliasValues = 0;
  const build = (node: Node | null | undefined, ptr: string, keyNode?: unknown): unknown => {
    if (outer && ++aliasValues > MAX_ALIAS_VALUES)
      throw new Refusal(
        `aliases expand to more than ${MAX_ALIAS_VALUES} values (alias *${outer.source} passed the limit)`,
        outer.range?.[0] ?? 0,
      );
    at((keyNode as Node | undefined) ?? node, ptr);
    if (!node) return null;
    if (isAlias(node)) {
      // an alias with no anchor before it is null, as before
      const target = targets.get(node);
      if (target && expanding.has(target))
        throw new Refusal(`alias *${node.source} refers to a value that contains it`, node.range?.[0] ?? 0);
      const top = outer === undefined;
      if (top) outer = node;
      if (target) expanding.add(target);
      try {
        return build(target, ptr, keyNode ?? node);
      } finally {
        if (target) expanding.delete(target);
        if (top) outer = undefined;
      }
    }
    if (isMap(node)) {
      // no prototype: a key named constructor or toString is data, never Object.prototype's
      const out: Record<string, unknown> = Object.create(null);
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        Object.defineProperty(out, key, {
          value: build(pair.value as Node, `${ptr}/${escapeToken(key)}`, pair.key),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    if (isSeq(node)) return node.items.map((item, i) => build(item as Node, `${ptr}/${i}`));
    if (isScalar(node)) return node.value;
    return null;
  };
  try {
    return { ok: true, value: build(doc.contents as Node, ''), positions };
  } catch (e) {
    const p = counter.linePos(e instanceof Refusal ? e.offset : 0);
    return { ok: false, line: p.line, column: p.col, message: (e as Error).message };
  }
}
