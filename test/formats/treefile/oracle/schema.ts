/** The treefile JSON schema (derived from rpm-ostree docs/treefile.md) as a validator. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, 'treefile.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

/** Why the schema rejects a treefile, one line per problem; empty when it accepts it. */
export function treefileSchemaErrors(doc: unknown): string[] {
  if (validate(doc)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`,
  );
}
