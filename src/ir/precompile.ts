/** ajv's standalone code for the IR checker, written next to the built CLI by scripts/bundle.mjs. */
import * as standalone from 'ajv/dist/standalone/index.js';
import { ImageIR } from './schema.js';
import { irAjv } from './validate.js';

type Generate = (ajv: unknown, validate: unknown) => string;

export function irCheckerSource(): string {
  const ajv = irAjv({ source: true });
  const validate = ajv.compile(ImageIR);
  // a CommonJS module whose default export is the function: reached differently by tsx and node
  const mod = standalone as unknown as { default: Generate | { default: Generate } };
  const generate = typeof mod.default === 'function' ? mod.default : mod.default.default;
  return generate(ajv, validate);
}
