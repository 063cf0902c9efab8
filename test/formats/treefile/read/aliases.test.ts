/** YAML aliases in treefiles: expanded as before, bounded, and each resolved once (fuzz seed 9202). */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefinition } from '../../../../src/formats/load.js';
import { FormatRegistry } from '../../../../src/formats/registry.js';
import { MAX_ALIAS_VALUES } from '../../../../src/formats/treefile/read/document.js';
import { scratchTree } from '../../../input/scratch.js';

async function read(text: string) {
  const dir = scratchTree({ 'input.yaml': text });
  return loadDefinition(new FormatRegistry(), join(dir, 'input.yaml'), { from: 'treefile' });
}

describe('treefile aliases', () => {
  // the first read loads the reader and the lowering: not part of any case below
  beforeAll(async () => {
    await read('ref: example/base\nreleasever: 40\npackages: [kernel]\n');
  });

  it('3,293 `<<: *a` lines are read as before, each alias resolved without walking the document again (fuzz seed 9202, input 213480: 6.5 s)', async () => {
    const r = await read(`${'<<: *a\n'.repeat(3_293)}\nref: p\npackages:\n  - 12\n`);
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([
      ['IMGC2503', 3297, 5],
      ['IMGC2510', 3293, 1],
    ]);
  });

  it('an alias is its anchor’s value; its items keep their places in the anchor', async () => {
    const r = await read(
      'ref: example/base\nreleasever: 40\nbase: &pk [kernel, vim]\npackages: *pk\nexclude-packages: *pk\n',
    );
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.ir?.packages?.install?.map((p) => p.name)).toEqual(['kernel', 'vim']);
    expect(r.ir?.packages?.exclude?.map((p) => p.name)).toEqual(['kernel', 'vim']);
    expect(r.positions['/packages/install/1']).toMatchObject({ line: 3, column: 20 });
  });

  it(`aliases that expand to more than ${MAX_ALIAS_VALUES} values are IMGC2501 at the alias that passed the limit`, async () => {
    // each level names the one above ten times: 10^5 strings from 300 bytes
    let text = 'ref: example/base\nl0: &l0 [a, b, c, d, e, f, g, h, i, j]\n';
    for (let i = 1; i <= 5; i++)
      text += `l${i}: &l${i} [${Array(10)
        .fill(`*l${i - 1}`)
        .join(', ')}]\n`;
    text += 'packages: [kernel]\n';
    const r = await read(text);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['IMGC2501']);
    expect(r.diagnostics[0]).toMatchObject({ line: 5 });
    expect(r.diagnostics[0]!.column).toBeGreaterThan(1);
    expect(r.diagnostics[0]!.message).toMatch(
      new RegExp(`aliases expand to more than ${MAX_ALIAS_VALUES} values \\(alias \\*l2 passed the limit\\)`),
    );
    expect(r.ir).toBeUndefined();
  });

  it('a list of the same 1,000 packages named 9 times stays under the limit', async () => {
    const names = Array.from({ length: 1_000 }, (_, i) => `p${i}`).join(', ');
    const r = await read(
      `ref: example/base\nbase: &pk [${names}]\npackages: *pk\n${Array.from({ length: 8 }, (_, i) => `x${i}: *pk\n`).join('')}`,
    );
    expect(r.diagnostics.map((d) => d.code)).not.toContain('IMGC2501');
    expect(r.ir?.packages?.install).toHaveLength(1_000);
  });

  it('an alias inside the value it names is IMGC2501 at the alias, not a stack overflow', async () => {
    const r = await read('ref: example/base\npackages: &a [kernel, *a]\n');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['IMGC2501']);
    expect(r.diagnostics[0]).toMatchObject({ line: 2, column: 23 });
    expect(r.diagnostics[0]!.message).toMatch(/alias \*a refers to a value that contains it/);
  });

  it('2,000 alias keys are checked with one walk of the document', async () => {
    const r = await read(`ref: &r example/base\npackages: [kernel]\n${'*r : 1\n'.repeat(2_000)}`);
    expect(r.diagnostics.map((d) => d.code)).not.toContain('IMGC2501');
  });
});
