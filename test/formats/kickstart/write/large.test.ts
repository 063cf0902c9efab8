import { describe, expect, it } from 'vitest';
import { FormatRegistry } from '../../../../src/formats/registry.js';
import { translateIr } from '../../../../src/formats/translate.js';
import { emptyIr } from '../../../../src/ir/empty.js';

describe('kickstart writer on large definitions', () => {
  it('writes 200,000 packages and a 200,000-line script (fuzz: push(...body) overflowed the stack)', async () => {
    const ir = emptyIr();
    ir.distribution = { id: 'fedora', release: '41', architecture: 'x86_64' };
    for (let i = 0; i < 200_000; i++) ir.packages.install.push({ name: `p${i}` });
    ir.scripts.push({ phase: 'post-install', chroot: true, body: 'true\n'.repeat(200_000) });
    const r = await translateIr({ ir, positions: {}, target: new FormatRegistry().get('kickstart')! });
    const text = String(r.files[0]!.content);
    expect(text).toContain('\np199999\n');
    expect(text.split('\n').filter((l) => l === 'true')).toHaveLength(200_000);
  });

  it('writes 150,000 partitions and a volume group (fuzz seed 9001: Math.max(...refs) overflowed the stack)', async () => {
    const ir = emptyIr();
    ir.distribution = { id: 'fedora', release: '41', architecture: 'x86_64' };
    ir.storage = { mode: 'explicit', partitions: [], volumeGroups: [], raid: [], mountpoints: [] };
    for (let i = 0; i < 150_000; i++) ir.storage.partitions.push({ size: { min: 1024 ** 3 } });
    ir.storage.partitions.push({ role: 'lvm', volumeGroup: 'vg0', size: { min: 1024 ** 3 } });
    ir.storage.volumeGroups.push({ name: 'vg0', logicalVolumes: [{ name: 'root', mountpoint: '/' }] });
    const r = await translateIr({ ir, positions: {}, target: new FormatRegistry().get('kickstart')! });
    expect(r.diagnostics.map((d) => d.code)).not.toContain('IMGC1009');
    expect(String(r.files[0]?.content ?? '')).toContain('volgroup vg0');
  });
});
