/**
 * The plugin manifest: `imgc-plugin.json` in a plugin folder, or the "imgc" field of an npm
 * package's package.json (name and version then come from package.json). One source of
 * truth (TypeBox) for the type, the shape check and schemas/plugin-manifest.schema.json.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** The plugin API versions this imgc speaks. */
export const SUPPORTED_PLUGIN_API: readonly number[] = [1];

export const PluginManifest = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'unique plugin name' }),
    version: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    apiVersion: Type.Integer({ minimum: 1, description: 'the plugin API version it was written for' }),
    kind: Type.Union([Type.Literal('backend'), Type.Literal('format')]),
    backend: Type.Optional(
      Type.Object(
        {
          id: Type.String({
            pattern: '^[a-z0-9][a-z0-9-]*$',
            description: 'backend id (imgc build -O backend=<id>)',
          }),
          distributions: Type.Array(Type.String(), { description: 'os-release IDs it builds' }),
          command: Type.Array(Type.String(), {
            minItems: 1,
            description: 'program and arguments, run in the plugin folder; speaks JSON-RPC on stdin/stdout',
          }),
          hostTools: Type.Optional(
            Type.Record(Type.String(), Type.String(), {
              description: 'command → Debian package that provides it',
            }),
          ),
        },
        { additionalProperties: false, description: 'an out-of-process backend' },
      ),
    ),
    format: Type.Optional(
      Type.Object(
        {
          module: Type.String({
            description: 'ES module (relative to the plugin folder) whose default export is a FormatModule',
          }),
        },
        { additionalProperties: false, description: 'an in-process format' },
      ),
    ),
  },
  {
    $id: 'https://imgc.dev/schemas/plugin-manifest.json',
    title: 'imgc plugin manifest',
    additionalProperties: false,
    description: 'imgc-plugin.json, or the "imgc" field of package.json',
  },
);
export type PluginManifest = Static<typeof PluginManifest>;

/** Shape check only; the API version is judged separately so it gets its own diagnostic. */
export function manifestErrors(value: unknown): string[] {
  // interpreted, not compiled: start-up pays nothing for a check that runs once per plugin
  const errors = [...Value.Errors(PluginManifest, value)];
  if (errors.length > 0) return errors.map((e) => `${e.path || '/'} ${e.message}`);
  const m = value as PluginManifest;
  if (m.kind === 'backend' && !m.backend) return ['a backend plugin needs a "backend" object'];
  if (m.kind === 'format' && !m.format) return ['a format plugin needs a "format" object'];
  return [];
}
