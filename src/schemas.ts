/** Every JSON Schema the project publishes in schemas/, by file name, from its TypeBox source. */
import { GoldenManifest } from './golden/schema.js';
import { ImageIR } from './ir/schema.js';
import { lookupTable } from './lib/lookup-table.js';
import { LockFile } from './plan/lock-file.js';
import { planSchemaFiles } from './plan/schemas.js';
import { PluginManifest } from './plugins/manifest.js';
import { PluginProtocol } from './plugins/protocol.js';

export const schemaFiles: Record<string, unknown> = lookupTable({
  'golden-manifest.schema.json': GoldenManifest,
  'ir.schema.json': ImageIR,
  'lock.schema.json': LockFile,
  ...planSchemaFiles,
  'plugin-manifest.schema.json': PluginManifest,
  'plugin-protocol.schema.json': PluginProtocol,
});
