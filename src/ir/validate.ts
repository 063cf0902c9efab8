import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { ImageIR } from './schema.js';

let compiled: ValidateFunction<ImageIR> | undefined;

/** ajv with the options the IR is checked with, at run time and when precompiled. */
export function irAjv(options: { source?: boolean } = {}): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    allowUnionTypes: true,
    code: { source: options.source ?? false },
  });
  ajv.addKeyword('x-imgc');
  return ajv;
}

/** Where the build (scripts/bundle.mjs) puts ajv's standalone code for the IR schema. */
export const PRECOMPILED_CHECKER = '../ir/ir-checker.generated.cjs';

/**
 * The built CLI loads the checker that the build precompiled from this same schema;
 * compiling it here costs ~0.4 s, which every `imgc build` would pay. From the sources
 * (tests, tsx) there is no precompiled file and the schema is compiled on first use.
 */
function checker(): ValidateFunction<ImageIR> {
  compiled ??= precompiled() ?? irAjv().compile<ImageIR>(ImageIR);
  return compiled;
}

function precompiled(): ValidateFunction<ImageIR> | undefined {
  try {
    const mod = createRequire(import.meta.url)(PRECOMPILED_CHECKER) as { default: ValidateFunction<ImageIR> };
    return mod.default;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw e;
  }
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
