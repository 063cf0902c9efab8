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
});
