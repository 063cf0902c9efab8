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
    // fuzz seed 9001, input 603070: a minsize of 200 digits became Infinity
    'a filesystem minsize past 2^53': `[[customizations.filesystem]]\nmountpoint = "/"\nminsize = "2${'0'.repeat(200)}"\n`,
    'a disk minsize of 1e30 GiB': '[customizations.disk]\nminsize = "1000000000000000000000000000000 GiB"\n',
    'a partition minsize past 2^53': `[[customizations.disk.partitions]]\nminsize = ${2 ** 60}\n`,
    'a logical volume minsize of a word': `[[customizations.disk.partitions]]\ntype = "lvm"\n[[customizations.disk.partitions.logical_volumes]]\nname = "root"\nminsize = "big"\n`,
  })) {
    it(`${name} is reported at the config and left out, not an invalid IR`, async () => {
      const r = await readConfig(config);
      const codes = r.diagnostics.map((d) => d.code);
      expect(codes).not.toContain('IMGC1006');
      const bad = r.diagnostics.filter((d) => d.file?.endsWith('config.toml') && d.severity !== 'info');
      expect(bad.length).toBeGreaterThan(0);
    });
  }

  it('keeps sizes with units', async () => {
    const r = await readConfig('[[customizations.filesystem]]\nmountpoint = "/"\nminsize = "20 GiB"\n');
    expect(r.ir?.storage?.mountpoints).toEqual([{ mountpoint: '/', size: { min: 20 * 1024 ** 3 } }]);
  });

  it('keeps whole ids', async () => {
    const r = await readConfig('[[customizations.group]]\nname = "g"\ngid = 1001\n');
    expect(r.ir?.accounts.groups).toEqual([{ name: 'g', gid: 1001 }]);
  });
});
