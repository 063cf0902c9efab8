/** Numbers in a bib config.toml that the IR keeps as integers (fuzz: `gid = 21e999` made an invalid IR). */
import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../../../src/formats/load.js';
import { FormatRegistry } from '../../../../src/formats/registry.js';
import { scratchTree } from '../../../input/scratch.js';

async function readConfig(config: string) {
  const dir = scratchTree({ Containerfile: 'FROM quay.io/fedora/fedora-bootc:41\n', 'config.toml': config });
  return loadDefinition(new FormatRegistry(), `${dir}/Containerfile`, { from: 'containerfile' });
}

describe('bib config numbers', () => {
  for (const [name, config] of Object.entries({
    'an infinite group gid': '[[customizations.group]]\nname = "g"\ngid = 21e999\n',
    'a fractional user uid': '[[customizations.user]]\nname = "u"\nuid = 1000.5\n',
    'a negative user gid': '[[customizations.user]]\nname = "u"\ngid = -1\n',
    'a sector size of 3': '[customizations.disk]\nsector_size = 3\n',
  })) {
    it(`${name} is reported at the config and left out, not an invalid IR`, async () => {
      const r = await readConfig(config);
      const codes = r.diagnostics.map((d) => d.code);
      expect(codes).not.toContain('IMGC1006');
      const bad = r.diagnostics.filter((d) => d.file?.endsWith('config.toml') && d.severity !== 'info');
      expect(bad.length).toBeGreaterThan(0);
    });
  }

  it('keeps whole ids', async () => {
    const r = await readConfig('[[customizations.group]]\nname = "g"\ngid = 1001\n');
    expect(r.ir?.accounts.groups).toEqual([{ name: 'g', gid: 1001 }]);
  });
});
