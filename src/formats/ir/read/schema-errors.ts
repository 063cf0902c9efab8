/**
 * ajv's findings about a user's IR document (`validateIr`) → one positioned IMGC1012 per
 * problem, phrased from the schema: what was expected at that pointer and what is there.
 * ajv reports a failed union once per branch; those are folded into one diagnostic.
 */
import { coreCodes } from '../../../diagnostics/codes/core.js';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { escapeToken, getAt } from '../../../ir/pointer.js';
import { type PositionTable, positionOf } from '../../../ir/positions.js';
import {
  declaredProperties,
  describeExpected,
  describeValue,
  irSchemaAt,
  type SchemaNode,
} from '../../../ir/schema-walk.js';
import type { IrSchemaError } from '../../../ir/validate.js';
import { closest } from '../../../lib/closest.js';

export interface SchemaErrorContext {
  file: string;
  /** the IR candidate that was validated */
  value: unknown;
  /** positions keyed by pointers into `value` */
  positions: PositionTable;
  /** YAML: pointers whose value was unquoted, so a string-looking value may have become a number */
  plainScalars: ReadonlySet<string>;
}

const REQUIRED = /^must have required property '(.+)'$/;
const ADDITIONAL = /^must NOT have additional properties \((.*)\)$/;

export function schemaDiagnostics(errors: readonly IrSchemaError[], ctx: SchemaErrorContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const where = (ptr: string) => {
    const p = positionOf(ctx.positions, ptr);
    return p ? { file: p.file, line: p.line, column: p.column } : { file: ctx.file };
  };
  const byPointer = new Map<string, IrSchemaError[]>();
  const seen = new Set<string>();
  for (const e of errors) {
    const required = REQUIRED.exec(e.message);
    const additional = ADDITIONAL.exec(e.message);
    if (required) {
      const child = `${e.pointer}/${escapeToken(required[1]!)}`;
      if (seen.has(`missing ${child}`)) continue;
      seen.add(`missing ${child}`);
      const schema = irSchemaAt(child);
      out.push(
        diag(
          coreCodes.irSchema,
          { pointer: e.pointer, detail: `missing "${required[1]}", expected ${describeExpected(schema)}` },
          where(e.pointer),
          { pointer: child, source: 'ir', ...emptyHint(required[1]!, schema) },
        ),
      );
    } else if (additional) {
      const key = additional[1]!;
      const child = `${e.pointer}/${escapeToken(key)}`;
      if (seen.has(`unknown ${child}`)) continue;
      seen.add(`unknown ${child}`);
      const known = declaredProperties(irSchemaAt(e.pointer));
      const suggestion = closest(key, known);
      out.push(
        diag(
          coreCodes.irSchema,
          {
            pointer: child,
            detail: `unknown property "${key}"${known.length ? ` (${e.pointer || 'the top level'} has: ${known.join(', ')})` : ''}`,
          },
          where(child),
          {
            pointer: child,
            source: 'ir',
            hint: suggestion
              ? `did you mean "${suggestion}"?`
              : 'remove it; data only one format can hold goes under /extensions/<format id>',
          },
        ),
      );
    } else {
      const list = byPointer.get(e.pointer) ?? [];
      list.push(e);
      byPointer.set(e.pointer, list);
    }
  }
  for (const [ptr, list] of byPointer) {
    const schema = irSchemaAt(ptr);
    const value = getAt(ctx.value, ptr);
    const detail = schema
      ? `expected ${describeExpected(schema)}, got ${describeValue(value)}`
      : list.map((e) => e.message).join('; ');
    out.push(
      diag(coreCodes.irSchema, { pointer: ptr, detail }, where(ptr), {
        pointer: ptr,
        source: 'ir',
        ...quoteHint(ptr, schema, value, ctx),
      }),
    );
  }
  return out.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

function emptyHint(name: string, schema: SchemaNode | undefined): { hint?: string } {
  if (schema?.type === 'array')
    return { hint: `every list of the IR is present: give "${name}" an empty list [] when it has nothing` };
  if (schema?.type === 'object')
    return { hint: `this object is required: give "${name}" an empty object {} when it says nothing` };
  return {};
}

/** YAML turns unquoted 0644, 1.0 or true into a number or boolean; say so where a string was expected. */
function quoteHint(
  ptr: string,
  schema: SchemaNode | undefined,
  value: unknown,
  ctx: SchemaErrorContext,
): { hint?: string } {
  const wantsString = schema?.type === 'string' || schema?.anyOf?.some((b) => b.type === 'string');
  if (!wantsString || !ctx.plainScalars.has(ptr) || typeof value === 'string') return {};
  return {
    hint: `put the value in quotes: unquoted, YAML reads it as ${typeof value === 'number' ? 'a number' : 'a boolean'}`,
  };
}
