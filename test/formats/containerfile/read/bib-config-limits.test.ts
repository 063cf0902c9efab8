import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../../../src/formats/load.js';
import { FormatRegistry } from '../../../../src/formats/registry.js';
import { scratchTree } from '../../../input/scratch.js';

describe('bib config.toml limits (issue 14)', () => {
  it('a table header of 5,000 parts is IMGC1052 in config.toml, not a crash', async () => {
    const dir = scratchTree({
      Containerfile: 'FROM quay.io/fedora/fedora-bootc:41\n',
      'config.toml': `[${['customizations', ...Array(5000).fill('a')].join('.')}]\nb = 1\n`,
    });
    const result = await loadDefinition(new FormatRegistry(), dir, { from: 'containerfile' });
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'IMGC1052', file: `${dir}/config.toml`, line: 1 }),
    ]);
  });
});
