/** Hostile vmdb2 specifications: positioned errors, never an internal error. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../../../src/formats/load.js';
import { FormatRegistry } from '../../../../src/formats/registry.js';
import { scratchTree } from '../../../input/scratch.js';

describe('vmdb2 nesting', () => {
  it('a step of 50,000 nested `- ` is IMGC1052 on its line (was a syntax error "Maximum call stack size exceeded")', async () => {
    const dir = scratchTree({
      'image.vmdb': `steps:\n  - mkimg: "{{ output }}"\n  - ${'- '.repeat(50_000)}x\n`,
    });
    const r = await loadDefinition(new FormatRegistry(), join(dir, 'image.vmdb'), { from: 'vmdb2' });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['IMGC1052']);
    expect(r.diagnostics[0]).toMatchObject({ line: 3 });
  });
});

describe('vmdb2 mapping keys', () => {
  it('a chain of `? ` complex keys in a step is IMGC3600 at the first key, not gigabytes of printed keys (fuzz seed 9201, input 8096)', async () => {
    const text = `steps:\n  - apt: install\n    packages:\n      - ${'? '.repeat(40)}linux-image-amd64\n`;
    const dir = scratchTree({ 'image.vmdb': text });
    const r = await loadDefinition(new FormatRegistry(), join(dir, 'image.vmdb'), { from: 'vmdb2' });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['IMGC3600']);
    expect(r.diagnostics[0]).toMatchObject({ line: 4, column: 11 });
  });
});

describe('vmdb2 merge keys', () => {
  it('`<<: *a` merging a list is IMGC3602 at the value, not an exception out of the yaml package (fuzz seed 9202, input 80342)', async () => {
    const text =
      'steps:\n  - mkimg: "{{ output }}"\n    size: 4G\n  - apt: install\n    packages: &a\n      - vim\n  - apt: install\n    packages:\n      - <<: *a\n';
    const dir = scratchTree({ 'image.vmdb': text });
    const r = await loadDefinition(new FormatRegistry(), join(dir, 'image.vmdb'), { from: 'vmdb2' });
    const bad = r.diagnostics.find((d) => d.code === 'IMGC3602');
    expect(bad).toMatchObject({ line: 9 });
    expect(bad!.message).toMatch(/Merge sources must be maps/);
    expect(r.diagnostics.map((d) => d.code)).not.toContain('IMGC1009');
  });
});
