import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { diagnosticsDoc } from '../../src/formats/diagnostics-doc.js';
import { repoRoot } from '../helpers/shared.js';

it('docs/diagnostics.md lists the catalogue as it is (run `npm run docs` after changing codes)', () => {
  expect(readFileSync(join(repoRoot, 'docs/diagnostics.md'), 'utf8')).toBe(diagnosticsDoc());
});
