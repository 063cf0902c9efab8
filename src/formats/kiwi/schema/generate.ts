/**
 * Regenerates the element tables in this folder from KIWI's RelaxNG schemas:
 *   node --import tsx src/formats/kiwi/schema/generate.ts <kiwi.rng> <version>
 * The tables list, per element name, the attributes and child elements the schema allows
 * (elements defined twice are merged). They drive unknown-name warnings and the writer's
 * downgrade to older schemas.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { lookupTable } from '../../../lib/lookup-table.js';

type Node = Record<string, unknown>;

const [rngPath, version] = process.argv.slice(2);
if (!rngPath || !version) throw new Error('usage: generate.ts <kiwi.rng> <version>');
const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '' });
const doc = parser.parse(readFileSync(rngPath, 'utf8')) as Node[];

const tagOf = (n: Node) => Object.keys(n).find((k) => k !== ':@')!;
const kids = (n: Node) => (n[tagOf(n)] as Node[]) ?? [];
const attr = (n: Node, a: string) => (n[':@'] as Record<string, string> | undefined)?.[a];

const defines = new Map<string, Node[]>();
const elements: Node[] = [];
const collect = (nodes: Node[]) => {
  for (const n of nodes) {
    const tag = tagOf(n);
    if (tag === 'define')
      defines.set(attr(n, 'name')!, [...(defines.get(attr(n, 'name')!) ?? []), ...kids(n)]);
    if (tag === 'element') elements.push(n);
    if (tag !== '#text') collect(kids(n));
  }
};
collect(doc);

interface Entry {
  attributes: Set<string>;
  required: Set<string>;
  values: Record<string, string[]>;
  patterns: Record<string, string>;
  children: Set<string>;
  text: boolean;
  any: boolean;
}

/** Allowed values of an attribute or text: an enumeration, or one XSD pattern; undefined when free. */
function valueRule(
  nodes: Node[],
  seen = new Set<string>(),
): { values?: string[]; pattern?: string } | undefined {
  const values: string[] = [];
  let pattern: string | undefined;
  let free = false;
  const visit = (list: Node[]) => {
    for (const n of list) {
      const tag = tagOf(n);
      if (tag === 'value') values.push(String((kids(n)[0] as Node | undefined)?.['#text'] ?? ''));
      else if (tag === 'choice' || tag === 'interleave' || tag === 'group') visit(kids(n));
      else if (tag === 'empty' || tag === 'attribute' || tag === 'optional' || tag === 'zeroOrMore') continue;
      else if (tag === 'ref') {
        const r = attr(n, 'name')!;
        if (seen.has(r)) continue;
        seen.add(r);
        visit(defines.get(r) ?? []);
      } else if (tag === 'data') {
        const type = attr(n, 'type');
        const param = kids(n).find((k) => tagOf(k) === 'param' && attr(k, 'name') === 'pattern');
        if (type === 'boolean') values.push('true', 'false');
        else if (param && pattern === undefined)
          pattern = String((kids(param)[0] as Node | undefined)?.['#text'] ?? '');
        else if (type === 'nonNegativeInteger' || type === 'positiveInteger' || type === 'integer')
          pattern = '-?\\d+';
        else free = true;
      } else if (
        tag === '#text' ||
        tag === 'a:documentation' ||
        tag.startsWith('sch:') ||
        tag.startsWith('db:')
      )
        continue;
      else free = true;
    }
  };
  visit(nodes);
  if (free) return undefined;
  if (values.length && pattern !== undefined) return { values, pattern };
  if (values.length) return { values };
  if (pattern !== undefined) return { pattern };
  return undefined;
}
const table = new Map<string, Entry>();
for (const el of elements) {
  const name = attr(el, 'name');
  if (!name) continue;
  const entry = table.get(name) ?? {
    attributes: new Set(),
    required: new Set(),
    values: {},
    patterns: {},
    children: new Set(),
    text: false,
    any: false,
  };
  const seen = new Set<string>();
  const visit = (nodes: Node[], optional = false) => {
    for (const n of nodes) {
      const tag = tagOf(n);
      if (tag === 'attribute') {
        const a = attr(n, 'name');
        if (a) {
          entry.attributes.add(a);
          if (!optional) entry.required.add(a);
          const rule = valueRule(kids(n));
          if (rule?.values) entry.values[a] = [...new Set([...(entry.values[a] ?? []), ...rule.values])];
          if (rule?.pattern) entry.patterns[a] = rule.pattern;
        }
      } else if (tag === 'element') {
        const c = attr(n, 'name');
        if (c) entry.children.add(c);
        else entry.any = true;
      } else if (tag === 'ref') {
        const r = attr(n, 'name')!;
        if (!seen.has(r)) {
          seen.add(r);
          visit(defines.get(r) ?? [], optional);
        }
      } else if (tag === 'text' || tag === 'data' || tag === 'value') entry.text = true;
      else if (['optional', 'zeroOrMore', 'choice'].includes(tag)) visit(kids(n), true);
      else if (['oneOrMore', 'interleave', 'group', 'mixed'].includes(tag)) visit(kids(n), optional);
    }
  };
  visit(kids(el));
  table.set(name, entry);
}
const out: Record<string, Record<string, unknown>> = lookupTable({});
for (const [name, e] of [...table].sort(([a], [b]) => a.localeCompare(b))) {
  const rule: Record<string, unknown> = {
    attributes: [...e.attributes].sort(),
    children: [...e.children].sort(),
  };
  const required = [...e.required].sort();
  if (required.length) rule.required = required;
  if (Object.keys(e.values).length) rule.values = e.values;
  if (Object.keys(e.patterns).length) rule.patterns = e.patterns;
  const textRule = e.text ? valueRule(kids(elements.find((x) => attr(x, 'name') === name)!)) : undefined;
  if (textRule?.values) rule.textValues = textRule.values;
  if (textRule?.pattern) rule.textPattern = textRule.pattern;
  if (e.text) rule.text = true;
  if (e.any) rule.any = true;
  out[name] = rule;
}
const file = join(import.meta.dirname, `kiwi-${version}.ts`);
writeFileSync(
  file,
  `/** Generated by generate.ts from KIWI's schema ${version} RelaxNG; do not edit. */\nimport type { SchemaTable } from './table.js';\n\nexport const kiwiSchema${version.replace('.', '')}: SchemaTable = ${JSON.stringify(out, null, 2)};\n`,
);
console.log(`${file}: ${Object.keys(out).length} elements`);
