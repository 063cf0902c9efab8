/**
 * dib's YAML and JSON files (image lists, package-installs, pkg-map, svc-map, block-device
 * configs) → a plain value plus the line and column of every node, keyed by JSON Pointer.
 * JSON is read as YAML 1.2, which it is.
 */

import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { escapeToken } from '../../../ir/pointer.js';
import type { PositionTable } from '../../../ir/positions.js';
import { aliasTargets } from '../../../lib/yaml-aliases.js';
import { offsetPastTokenLimit } from '../../../lib/yaml-tokens.js';

export type ParsedYaml =
  | { ok: true; value: unknown; positions: PositionTable }
  | { ok: false; line: number; column: number; message: string };

export function parseDibYaml(input: string, file: string): ParsedYaml {
  const text = input.replace(/^\uFEFF/, '');
  const counter = new LineCounter();
  if (offsetPastTokenLimit(text) !== undefined)
    return { ok: false, line: 1, column: 1, message: 'too many YAML tokens' };
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false, prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const p = counter.linePos(first.pos[0]);
    return { ok: false, line: p.line, column: p.col, message: first.message.split('\n')[0]! };
  }
  const positions: PositionTable = {};
  let budget = 200_000;
  const targets = aliasTargets(doc);
  const mark = (node: unknown, ptr: string) => {
    const offset = (node as { range?: [number, number, number] | null } | undefined)?.range?.[0];
    if (offset === undefined) return;
    const p = counter.linePos(offset);
    positions[ptr] = { file, line: p.line, column: p.col };
  };
  const build = (node: Node | null | undefined, ptr: string, key?: unknown): unknown => {
    if (--budget < 0) throw new Error('too many nodes after expanding aliases');
    mark(key ?? node, ptr);
    if (!node) return null;
    if (isAlias(node)) return build(targets.get(node), ptr, key ?? node);
    if (isMap(node)) {
      const out: Record<string, unknown> = Object.create(null);
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        out[name] = build(pair.value as Node, `${ptr}/${escapeToken(name)}`, pair.key);
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

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
