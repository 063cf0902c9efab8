/** Every JSON Schema the project publishes in schemas/, by file name, from its TypeBox source. */
import { ImageIR } from './ir/schema.js';
import { planSchemaFiles } from './plan/schemas.js';

export const schemaFiles: Record<string, unknown> = {
  'ir.schema.json': ImageIR,
  ...planSchemaFiles,
};
