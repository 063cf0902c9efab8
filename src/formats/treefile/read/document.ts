/**
 * Treefile text → a plain JSON value plus a position for every node, keyed by JSON Pointer.
 * rpm-ostree reads `*.json` as JSON and other names as YAML; JSON is YAML 1.2, so the `yaml`
 * package reads both and gives every node its offset. Aliases are expanded.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { escapeToken } from '../../../ir/pointer.js';
import type { PositionTable } from '../../../ir/positions.js';
import { complexKeyOffset } from '../../../lib/yaml-keys.js';
import { MAX_YAML_TOKENS, offsetPastTokenLimit } from '../../../lib/yaml-tokens.js';

export type Parsed =
  | { ok: true; value: unknown; positions: PositionTable }
  | { ok: false; line: number; column: number; message: string };

export function parseTreefileText(input: string, file: string): Parsed {
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
  let budget = 1_000_000;
  const build = (node: Node | null | undefined, ptr: string, keyNode?: unknown): unknown => {
    if (--budget < 0) throw new Error('too many nodes after expanding aliases');
    at((keyNode as Node | undefined) ?? node, ptr);
    if (!node) return null;
    if (isAlias(node)) return build(node.resolve(doc) as Node, ptr, keyNode ?? node);
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
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
    return { ok: false, line: 1, column: 1, message: (e as Error).message };
  }
}
