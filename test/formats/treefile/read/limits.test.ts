/** Hostile treefiles found by the fuzz harness: positioned errors, never an internal error. */
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadDefinition } from '../../../../src/formats/load.js';
import { FormatRegistry } from '../../../../src/formats/registry.js';
import * as bounded from '../../../../src/input/bounded.js';
import { scratchTree } from '../../../input/scratch.js';

vi.mock('../../../../src/input/bounded.js', async (original) => {
  const real = await original<typeof import('../../../../src/input/bounded.js')>();
  return { ...real, readInputText: vi.fn(real.readInputText) };
});

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

describe('treefile mapping keys', () => {
  it('a chain of 40 `? ` complex keys is IMGC2501 at the first, not gigabytes of printed keys (fuzz seed 9201, input 5214)', async () => {
    const dir = scratchTree({ 'input.yaml': `ref: example/base\npackages:\n${'? '.repeat(40)}kernel\n` });
    const r = await loadDefinition(new FormatRegistry(), join(dir, 'input.yaml'), { from: 'treefile' });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['IMGC2501']);
    expect(r.diagnostics[0]).toMatchObject({ line: 3, column: 3 });
    expect(r.diagnostics[0]!.message).toMatch(/mapping key must be a plain string/);
  });

  it('an alias of a scalar is still a key', async () => {
    const dir = scratchTree({ 'input.yaml': 'ref: &r example/base\n*r : 1\npackages: [kernel]\n' });
    const r = await loadDefinition(new FormatRegistry(), join(dir, 'input.yaml'), { from: 'treefile' });
    expect(r.diagnostics.map((d) => d.code)).not.toContain('IMGC2501');
  });
});

describe('treefile includes', () => {
  it('a file included 3,000 times is read once and reported as included twice (fuzz seed 9201, input 26082)', async () => {
    const dir = scratchTree({
      'manifest.yaml': `ref: example/base\ninclude:\n${'  - parts/kernel.yaml\n'.repeat(3_000)}`,
      'parts/kernel.yaml': 'packages: [kernel]\n',
    });
    const reads = vi.mocked(bounded.readInputText);
    reads.mockClear();
    const r = await loadDefinition(new FormatRegistry(), join(dir, 'manifest.yaml'), { from: 'treefile' });
    expect(reads.mock.calls.map(([path]) => String(path).slice(dir.length + 1)).sort()).toEqual([
      'manifest.yaml',
      'parts/kernel.yaml',
    ]);
    expect(r.diagnostics.filter((d) => d.code === 'IMGC2505').length).toBeGreaterThan(900);
  });
});

describe('treefile values of the wrong kind', () => {
  it('a mapping as a condition or a pinned package is a positioned error, not a crash (fuzz seed 9401, input 46880)', async () => {
    const dir = scratchTree({
      'manifest.yaml': [
        'ref: example/base',
        'conditional-include:',
        '  - if:',
        '      - packages: [a, a]',
        '    include: other.yaml',
        'repo-packages:',
        '  - repo: fedora',
        '    packages: [vim, {a: b}]',
        '',
      ].join('\n'),
      'other.yaml': 'packages: [x]\n',
    });
    const r = await loadDefinition(new FormatRegistry(), join(dir, 'manifest.yaml'), { from: 'treefile' });
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual(
      expect.arrayContaining([
        ['IMGC2507', 4],
        ['IMGC2503', 7],
      ]),
    );
    expect(r.diagnostics.find((d) => d.code === 'IMGC2507')?.message).toContain('{packages}');
  });
});
