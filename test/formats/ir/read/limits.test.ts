import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../../../src/formats/load.js';
import { FormatRegistry } from '../../../../src/formats/registry.js';
import { scratchFile } from '../../../input/scratch.js';

const registry = new FormatRegistry();
const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

describe('IR reader limits (issue 14)', () => {
  it('JSON nested 2,000 deep is IMGC1052 at its position, not a stack overflow', async () => {
    const file = scratchFile('deep.ir.json', `{"irVersion":1,\n"extensions":{"x":${deep(2000)}}}`);
    const result = await loadDefinition(registry, file);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'IMGC1052', file, line: 2, severity: 'error' }),
    ]);
  });

  it('YAML nested 2,000 deep is IMGC1052', async () => {
    const file = scratchFile('deep.ir.yaml', `irVersion: 1\nextensions:\n  x: ${deep(2000)}\n`);
    const result = await loadDefinition(registry, file);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['IMGC1052']);
  });

  it('15,000 over-indented lines the yaml parser recurses on are IMGC1052, not an internal error (fuzz seed 9401, input 12887)', async () => {
    const text = `irVersion: 1\ndistribution:\n  id: debian\n${'   release: bookworm\n'.repeat(15_000)}repositories: []\n`;
    const file = scratchFile('indent.ir.yaml', text);
    const result = await loadDefinition(registry, file);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['IMGC1052']);
    expect(result.ir).toBeUndefined();
  });

  it('detection does not overflow on a deep head', async () => {
    const file = scratchFile('head.json', `{${'"a":{'.repeat(4000)}`);
    const result = await loadDefinition(registry, file);
    expect(result.diagnostics.map((d) => d.code)).not.toContain('IMGC1009');
    expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });
});
