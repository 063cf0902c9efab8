/**
 * Walking the IR schema (src/ir/schema.ts) beside a value: the sub-schema at a JSON Pointer,
 * a value with its keys in the schema's order, and a short English description of what a
 * sub-schema expects. Used by the `ir` format to write stable files and to explain schema
 * errors in the user's terms.
 */
import { parsePointer } from './pointer.js';
import { ImageIR } from './schema.js';

/** The parts of a (TypeBox-made) JSON Schema this walker reads. */
export interface SchemaNode {
  type?: string;
  const?: unknown;
  anyOf?: SchemaNode[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  patternProperties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  pattern?: string;
  minimum?: number;
  description?: string;
  'x-imgc'?: string;
  $ref?: string;
  $defs?: Record<string, SchemaNode>;
}

const root = ImageIR as unknown as SchemaNode;

/** A `#/$defs/Name` reference resolved against the IR schema; other nodes as they are. */
export function deref(schema: SchemaNode | undefined): SchemaNode | undefined {
  const name = schema?.$ref?.replace(/^#\/\$defs\//, '');
  return name === undefined ? schema : root.$defs?.[name];
}

/** The schema of one property of an object schema, or of its items for a list; undefined when unknown. */
export function childSchema(given: SchemaNode | undefined, token: string): SchemaNode | undefined {
  const schema = deref(given);
  if (!schema) return undefined;
  if (schema.anyOf) {
    for (const branch of schema.anyOf) {
      const found = childSchema(branch, token);
      if (found) return found;
    }
    return undefined;
  }
  if (schema.type === 'array') return /^(0|[1-9]\d*)$/.test(token) ? schema.items : undefined;
  if (schema.type === 'object') {
    const own = schema.properties?.[token];
    if (own) return own;
    const pattern = schema.patternProperties ? Object.values(schema.patternProperties)[0] : undefined;
    if (pattern) return pattern;
    return typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  }
  return undefined;
}

/** The IR schema of the value at `ptr` (`/packages/install/0` → PackageRef). */
export function irSchemaAt(ptr: string): SchemaNode | undefined {
  let cur: SchemaNode | undefined = root;
  for (const token of parsePointer(ptr)) cur = childSchema(cur, token);
  return cur;
}

/** The property names an object schema declares, in the schema's order. */
export function declaredProperties(schema: SchemaNode | undefined): string[] {
  return schema?.type === 'object' && schema.properties ? Object.keys(schema.properties) : [];
}

/**
 * A copy of `value` whose object keys follow the schema: declared properties in the order the
 * schema lists them, then any others (record entries such as `extensions`) in their own order.
 * `undefined` properties are dropped, as JSON would.
 */
export function orderLikeSchema(value: unknown, given: SchemaNode | undefined = root): unknown {
  // extension data keeps the order its reader wrote
  const schema = given?.['x-imgc'] === 'as-written' ? undefined : given;
  if (Array.isArray(value)) return value.map((item) => orderLikeSchema(item, childSchema(schema, '0')));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  const declared = declaredProperties(schema).filter((k) => Object.hasOwn(record, k));
  const rest = keys.filter((k) => !declared.includes(k));
  const out: Record<string, unknown> = {};
  for (const key of [...declared, ...rest]) {
    const child = record[key];
    if (child === undefined) continue;
    Object.defineProperty(out, key, {
      value: orderLikeSchema(child, childSchema(schema, key)),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** What a schema expects, in words: `a string matching ^0?[0-7]{3,4}$ (octal permission bits, e.g. "0644")`. */
export function describeExpected(schema: SchemaNode | undefined): string {
  if (!schema) return 'nothing here (no such field in the IR schema)';
  const base = describeShape(schema);
  const about = schema.description && !schema.anyOf ? ` (${schema.description})` : '';
  return `${base}${about}`;
}

function describeShape(schema: SchemaNode): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.anyOf) {
    const consts = schema.anyOf.filter((b) => b.const !== undefined);
    if (consts.length === schema.anyOf.length)
      return `one of ${consts.map((b) => JSON.stringify(b.const)).join(', ')}`;
    return schema.anyOf.map(describeShape).join(' or ');
  }
  switch (schema.type) {
    case 'string':
      return schema.pattern ? `a string matching ${schema.pattern}` : 'a string';
    case 'integer':
      return schema.minimum !== undefined ? `an integer ≥ ${schema.minimum}` : 'an integer';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return schema.items ? `a list of ${plural(schema.items)}` : 'a list';
    case 'object':
      return 'an object';
    default:
      return 'any JSON value';
  }
}

function plural(items: SchemaNode): string {
  if (items.anyOf?.every((b) => b.const !== undefined)) return `strings, each ${describeShape(items)}`;
  switch (items.type) {
    case 'string':
      return 'strings';
    case 'integer':
      return 'integers';
    case 'boolean':
      return 'true/false values';
    case 'object':
      return items.description ? `objects, each ${items.description}` : 'objects';
    default:
      return 'values';
  }
}

/** A value as a diagnostic shows it: `644 (a number)`, `"x"`, `a list`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string': {
      const text = JSON.stringify(value);
      return text.length > 50 ? `${text.slice(0, 47)}..."` : text;
    }
    case 'number':
      return `${value} (a number)`;
    case 'boolean':
      return `${value} (a boolean)`;
    case 'object':
      return 'an object';
    default:
      return String(value);
  }
}
