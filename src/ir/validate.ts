import { Ajv, type ErrorObject } from 'ajv';
import { ImageIR } from './schema.js';

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
ajv.addKeyword('x-imgc');
const check = ajv.compile<ImageIR>(ImageIR);

export interface IrSchemaError {
  /** JSON Pointer of the offending value */
  pointer: string;
  message: string;
}

/** Validates against the IR schema; an empty list means the IR is valid. */
export function validateIr(ir: unknown): IrSchemaError[] {
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
