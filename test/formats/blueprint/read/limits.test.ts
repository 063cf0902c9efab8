import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../../../src/formats/load.js';
import { FormatRegistry } from '../../../../src/formats/registry.js';
import { scratchFile } from '../../../input/scratch.js';

const registry = new FormatRegistry();

describe('blueprint reader limits (issue 14)', () => {
  it('blueprint JSON nested 2,000 deep is IMGC1052', async () => {
    const file = scratchFile(
      'blueprint.json',
      `{"name":"x","customizations":{"x":${'['.repeat(2000)}${']'.repeat(2000)}}}`,
    );
    const result = await loadDefinition(registry, file, { from: 'blueprint-json' });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['IMGC1052']);
  });

  it('a TOML table header of 3,000 parts is IMGC1052 on its line', async () => {
    const file = scratchFile('blueprint.toml', `name = "x"\n[${Array(3000).fill('a').join('.')}]\nb = 1\n`);
    const result = await loadDefinition(registry, file, { from: 'blueprint' });
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'IMGC1052', line: 2 })]);
  });
});
