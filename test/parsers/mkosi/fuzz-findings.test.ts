import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../../src/formats/load.js';
import { FormatRegistry } from '../../../src/formats/registry.js';
import { scratchTree } from '../../input/scratch.js';

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
