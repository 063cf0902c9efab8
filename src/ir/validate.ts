import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { ImageIR } from './schema.js';

let compiled: ValidateFunction<ImageIR> | undefined;

/** Compiled on first use: compiling the IR schema costs about a second, which commands that never validate should not pay. */
function checker(): ValidateFunction<ImageIR> {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    ajv.addKeyword('x-imgc');
    compiled = ajv.compile<ImageIR>(ImageIR);
  }
  return compiled;
}

export interface IrSchemaError {
  /** JSON Pointer of the offending value */
  pointer: string;
  message: string;
}

/** Validates against the IR schema; an empty list means the IR is valid. */
export function validateIr(ir: unknown): IrSchemaError[] {
  const check = checker();
  if (check(ir)) return [];
  return (check.errors ?? []).map(toError);
}

function toError(e: ErrorObject): IrSchemaError {
  const extra =
    e.keyword === 'additionalProperties'
      ? ` (${String((e.params as { additionalProperty: string }).additionalProperty)})`
      : '';
  return { pointer: e.instancePath, message: `${e.message ?? e.keyword}${extra}` };
}
