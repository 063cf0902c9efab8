/**
 * The LVM checks pykickstart makes when it parses: a volgroup needs physical volumes (or
 * --useexisting/--noformat), and from F20 on a logvol needs a size. Both are refused with a
 * positioned error, and the command is left out of the IR.
 */
import { describe, expect, it } from 'vitest';
import { codes, readText } from './helpers.js';

describe('kickstart LVM checks', () => {
  it('refuses a volgroup without physical volumes, at its line', () => {
    const r = readText(
      ['part pv.01 --size=100', 'volgroup vg', 'logvol / --vgname=vg --name=lv --size=10'].join('\n'),
    );
    const error = r.diagnostics.find((d) => d.code === 'IMGC5040');
    expect(error?.severity).toBe('error');
    expect(error?.line).toBe(2);
    expect(error?.column).toBe(1);
    expect(r.ir?.storage?.volumeGroups).toEqual([]);
  });

  it('accepts a volgroup with physical volumes, or one that reuses an existing group', () => {
    const listed = readText(
      ['part pv.01 --size=100', 'volgroup vg pv.01', 'logvol / --vgname=vg --name=lv --size=10'].join('\n'),
    );
    expect(codes(listed)).not.toContain('IMGC5040');
    expect(listed.ir?.storage?.volumeGroups[0]?.physicalVolumes).toEqual(['pv.01']);
    const reused = readText(
      ['volgroup vg --useexisting', 'logvol / --vgname=vg --name=lv --useexisting'].join('\n'),
    );
    expect(codes(reused)).not.toContain('IMGC5040');
    expect(codes(reused)).not.toContain('IMGC5041');
    expect(reused.ir?.storage?.volumeGroups.map((v) => v.name)).toEqual(['vg']);
  });

  it('refuses a logvol without a size from F20 on, and takes --percent, --recommended or --size', () => {
    const base = ['part pv.01 --size=100', 'volgroup vg pv.01'];
    const sizeless = readText([...base, 'logvol /home --vgname=vg --name=home --grow'].join('\n'), 'F45');
    const error = sizeless.diagnostics.find((d) => d.code === 'IMGC5041');
    expect(error?.line).toBe(3);
    expect(error?.message).toContain('logvol home');
    const zero = readText([...base, 'logvol /home --vgname=vg --name=home --size=0'].join('\n'), 'F45');
    expect(codes(zero)).toContain('IMGC5041');
    for (const sized of ['--size=10', '--percent=50', '--recommended', '--size=1 --grow']) {
      const r = readText([...base, `logvol /home --vgname=vg --name=home ${sized}`].join('\n'), 'F45');
      expect(codes(r), sized).not.toContain('IMGC5041');
    }
  });

  it('lets a sizeless logvol through in versions before F20, as pykickstart does', () => {
    const r = readText(
      ['part pv.01 --size=100', 'volgroup vg pv.01', 'logvol /home --vgname=vg --name=home'].join('\n'),
      'F19',
    );
    expect(codes(r)).not.toContain('IMGC5041');
    expect(
      codes(readText('part pv.01\nvolgroup vg pv.01\nlogvol / --vgname=vg --name=r\n', 'RHEL7')),
    ).toContain('IMGC5041');
  });
});
