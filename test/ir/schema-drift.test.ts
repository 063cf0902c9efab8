import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaFiles } from '../../src/schemas.js';
import { repoRoot } from '../helpers/shared.js';

describe('published JSON Schemas', () => {
  for (const [file, schema] of Object.entries(schemaFiles)) {
    it(`schemas/${file} matches its TypeBox source (run \`npm run schemas\` after changing it)`, () => {
      const committed = JSON.parse(readFileSync(join(repoRoot, 'schemas', file), 'utf8'));
      expect(committed).toEqual(JSON.parse(JSON.stringify(schema)));
    });
  }
});
