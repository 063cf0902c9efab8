/** Every JSON Schema the project publishes in schemas/, by file name, from its TypeBox source. */
import { ImageIR } from './ir/schema.js';

export const schemaFiles: Record<string, unknown> = {
  'ir.schema.json': ImageIR,
};
