/** Hostile treefiles found by the fuzz harness: positioned errors, never an internal error. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../../../src/formats/load.js';
import { FormatRegistry } from '../../../../src/formats/registry.js';
import { scratchTree } from '../../../input/scratch.js';

describe('treefile nesting', () => {
  it('a line of 50,000 `- ` is IMGC1052 where it passes the limit, not a yaml stack overflow (fuzz seed 1, input 564)', async () => {
    const text = `ref: example/base\nreleasever: 40\npackages:\n  - ${'- '.repeat(50_000)}vim\n`;
    const dir = scratchTree({ 'input.yaml': text });
    const r = await loadDefinition(new FormatRegistry(), join(dir, 'input.yaml'), { from: 'treefile' });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['IMGC1052']);
    expect(r.diagnostics[0]).toMatchObject({ line: 4 });
    expect(r.ir).toBeUndefined();
  });

  it('an included file that nests too deep is IMGC1052 in that file', async () => {
    const dir = scratchTree({
      'manifest.yaml': 'ref: example/base\ninclude: deep.yaml\n',
      'deep.yaml': `packages: ${'['.repeat(20_000)}\n`,
    });
    const r = await loadDefinition(new FormatRegistry(), join(dir, 'manifest.yaml'), { from: 'treefile' });
    expect(r.diagnostics.find((d) => d.code === 'IMGC1052')).toMatchObject({
      file: join(dir, 'deep.yaml'),
      line: 1,
    });
  });
});
