import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../../../src/formats/load.js';
import { FormatRegistry } from '../../../../src/formats/registry.js';
import { scratchTree } from '../../../input/scratch.js';

describe('mkosi inputs found by the fuzz harness', () => {
  it('a repo file priority that is not a number is reported, not an IR that fails its schema', async () => {
    const dir = scratchTree({
      'mkosi.conf': '[Distribution]\nDistribution=fedora\nRelease=41\n',
      'mkosi.sandbox/etc/yum.repos.d/extra.repo':
        '[extra]\nbaseurl=https://example.org/\npriority=5a.a.a\ncost=1e999\n',
    });
    const r = await loadDefinition(new FormatRegistry(), dir, { from: 'mkosi' });
    expect(r.diagnostics.map((d) => d.code)).not.toContain('IMGC1006');
    const notLowered = r.diagnostics.filter((d) => d.message.includes('is not a whole number'));
    expect(notLowered.map((d) => d.line)).toEqual([3, 4]);
  });
});

describe('specifiers in a huge value (fuzz seed 9401, input 280897: 1.1 GB RSS)', () => {
  it('an unknown specifier repeated 70,000 times is one warning that quotes the value short', async () => {
    const dir = scratchTree({
      'mkosi.conf': `[Distribution]\nDistribution=fedora\nRelease=41\n[Output]\nImageId=${'dev-%ge'.repeat(70_000)}%q\n`,
    });
    const r = await loadDefinition(new FormatRegistry(), dir, { from: 'mkosi' });
    const specifiers = r.diagnostics.filter((d) => d.code === 'IMGC4011');
    expect(specifiers.map((d) => d.message.match(/%\w/)?.[0])).toEqual(['%g', '%q']);
    expect(Math.max(...specifiers.map((d) => d.message.length))).toBeLessThan(200);
    expect(specifiers[0]).toMatchObject({ line: 5 });
  });
});

describe('sizes past 2^53 (fuzz: IMGC1006, size must be integer)', () => {
  it('a repart SizeMinBytes with 30 digits is kept as written, not lowered as a float', async () => {
    const dir = scratchTree({
      'mkosi.conf': '[Distribution]\nDistribution=fedora\nRelease=41\n',
      'mkosi.repart/00-esp.conf': `[Partition]\nType=esp\nFormat=vfat\nSizeMinBytes=${'9'.repeat(30)}\n`,
    });
    const r = await loadDefinition(new FormatRegistry(), dir, { from: 'mkosi' });
    expect(r.diagnostics.map((d) => d.code)).not.toContain('IMGC1006');
  });

  it('a kickstart --size with 30 digits is an invalid value, not an invalid IR', async () => {
    const dir = scratchTree({ 'a.ks': `lang en_US.UTF-8\npart / --fstype=xfs --size=${'9'.repeat(30)}\n` });
    const r = await loadDefinition(new FormatRegistry(), `${dir}/a.ks`, { from: 'kickstart' });
    const codes = r.diagnostics.map((d) => d.code);
    expect(codes).not.toContain('IMGC1006');
    expect(r.diagnostics.some((d) => d.severity === 'error' && d.line === 2)).toBe(true);
  });
});
