/**
 * vmdb2 specification text → steps with positions. vmdb2 reads YAML with PyYAML, so the text
 * is parsed as YAML 1.1 (`0644` is octal there, as vmdb2 sees it). Each step keeps where it
 * and each of its keys were written.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { SourcePosition } from '../../../ir/positions.js';
import { complexKeyOffset } from '../../../lib/yaml-keys.js';
import { MAX_YAML_TOKENS, offsetPastTokenLimit } from '../../../lib/yaml-tokens.js';

export interface StepKey {
  key: string;
  value: unknown;
  at: SourcePosition;
  /** positions of list items, when the value is a list */
  items?: SourcePosition[];
}

export interface ParsedStep {
  /** the step's first key: its name (mkimg, apt, ...) */
  name: string;
  at: SourcePosition;
  keys: Map<string, StepKey>;
  /** the step as plain data, in its written key order */
  raw: Record<string, unknown>;
}

export type ParsedSpec =
  | { ok: true; steps: ParsedStep[]; problems: { at: SourcePosition; detail: string }[] }
  | { ok: false; at: SourcePosition; detail: string; kind: 'syntax' | 'shape' };

function positionAt(counter: LineCounter, file: string, offset: number): SourcePosition {
  const p = counter.linePos(offset);
  return { file, line: p.line, column: p.col };
}

/**
 * A node as plain data, or the error that stopped it: YAML 1.1 merge keys (`<<: *a`) throw when
 * what they merge is not a mapping.
 */
function plainValue(node: YamlNode): unknown {
  try {
    return node.toJSON();
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

function describe(node: unknown): string {
  if (node === null || node === undefined) return 'nothing';
  if (isSeq(node)) return 'a list';
  if (isMap(node)) return 'a mapping';
  if (isScalar(node)) return `the scalar ${JSON.stringify(node.value)}`;
  return 'something else';
}

export function parseSpec(text: string, file: string): ParsedSpec {
  const counter = new LineCounter();
  const tooMany = offsetPastTokenLimit(text, MAX_YAML_TOKENS);
  if (tooMany !== undefined)
    return {
      ok: false,
      kind: 'syntax',
      at: positionAt(counter, file, tooMany),
      detail: `more than ${MAX_YAML_TOKENS} YAML tokens`,
    };
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), {
    version: '1.1',
    lineCounter: counter,
    prettyErrors: false,
    uniqueKeys: false,
  });
  const error = doc.errors[0];
  if (error)
    return {
      ok: false,
      kind: 'syntax',
      at: positionAt(counter, file, error.pos[0]),
      detail: error.message.split('\n')[0]!,
    };
  const complexKey = complexKeyOffset(doc);
  if (complexKey !== undefined)
    return {
      ok: false,
      kind: 'syntax',
      at: positionAt(counter, file, complexKey),
      detail: 'a mapping key must be a plain string',
    };
  const at = (node: YamlNode | null | undefined) => positionAt(counter, file, node?.range?.[0] ?? 0);
  const root = doc.contents;
  if (!isMap(root)) return { ok: false, kind: 'shape', at: at(root), detail: describe(root) };
  const stepsPair = root.items.find((p) => isScalar(p.key) && p.key.value === 'steps');
  if (!stepsPair || !isSeq(stepsPair.value))
    return {
      ok: false,
      kind: 'shape',
      at: stepsPair ? at(stepsPair.value as YamlNode) : at(root),
      detail: stepsPair ? `"steps:" holding ${describe(stepsPair.value)}` : 'no "steps:" key',
    };
  const steps: ParsedStep[] = [];
  const problems: { at: SourcePosition; detail: string }[] = [];
  for (const item of stepsPair.value.items) {
    const node = item as YamlNode;
    if (!isMap(node) || node.items.length === 0) {
      problems.push({ at: at(node), detail: `expected a mapping, found ${describe(node)}` });
      continue;
    }
    const keys = new Map<string, StepKey>();
    const raw: Record<string, unknown> = {};
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode;
      const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
      if (key === undefined) {
        problems.push({ at: at(keyNode), detail: 'a step key must be a plain string' });
        continue;
      }
      const valueNode = pair.value as YamlNode | null;
      const value = valueNode ? plainValue(valueNode) : null;
      if (value instanceof Error) {
        problems.push({ at: at(valueNode), detail: `${key}: ${value.message}` });
        continue;
      }
      raw[key] = value;
      const entry: StepKey = { key, value, at: at(keyNode) };
      if (isSeq(valueNode)) entry.items = valueNode.items.map((i) => at(i as YamlNode));
      keys.set(key, entry);
    }
    const first = keys.values().next().value;
    if (!first) continue;
    steps.push({ name: first.key, at: first.at, keys, raw });
  }
  return { ok: true, steps, problems };
}
