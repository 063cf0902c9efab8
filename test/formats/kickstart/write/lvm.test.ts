/**
 * KIWI-style LVM in the IR (one volume group over the disk, no physical volumes, volume names
 * that are paths, relative mount points, volumes without a size) written as a kickstart that
 * pykickstart accepts: a physical volume partition is synthesised, names are mapped, mount
 * points made absolute and sizes given, each reported. A kickstart's own LVM is written as read.
 */
import { describe, expect, it } from 'vitest';
import { writeKickstart } from '../../../../src/formats/kickstart/write/index.js';
import { emptyIr } from '../../../../src/ir/empty.js';
import type { ImageIR } from '../../../../src/ir/schema.js';
import { readText } from '../read/helpers.js';

function kiwiLikeIr(): ImageIR {
  const ir = emptyIr();
  ir.distribution = { id: 'fedora', release: '41', architecture: 'x86_64' };
  ir.storage = {
    partitions: [{ role: 'root', mountpoint: '/', filesystem: 'ext4' }],
    volumeGroups: [
      {
        name: 'systemVG',
        logicalVolumes: [
          { name: 'usr/lib', mountpoint: '/usr/lib', size: { min: 1024 * 1024 ** 2 } },
          { name: '@root' },
          { name: 'etc_volume', mountpoint: 'etc' },
          { name: 'bin_volume', mountpoint: '/usr/bin', grow: true },
          { name: 'usr@lib', mountpoint: '/srv' },
        ],
      },
    ],
    raid: [],
    mountpoints: [],
  };
  return ir;
}

function storageLines(text: string): string[] {
  return text.split('\n').filter((l) => /^(part|volgroup|logvol) /.test(l));
}

describe('kickstart writer: LVM from sources that are not kickstart', () => {
  const result = writeKickstart(kiwiLikeIr(), {});
  const text = String(result.files[0]!.content);
  const at = (pointer: string, code: string) =>
    result.diagnostics.filter((d) => d.code === code && d.pointer?.startsWith(pointer));

  it('writes a physical volume over the free space for a group that has none, and says so', () => {
    expect(storageLines(text).slice(0, 3)).toEqual([
      'part / --fstype=ext4',
      'part pv.01 --size=1 --grow',
      'volgroup systemVG pv.01',
    ]);
    expect(at('/storage/volumeGroups/0/physicalVolumes', 'IMGC6003')).toHaveLength(1);
  });

  it('maps names LVM cannot hold, makes mount points absolute and gives every volume a size', () => {
    expect(storageLines(text).slice(3)).toEqual([
      'logvol /usr/lib --vgname=systemVG --name=usr_lib --size=1024',
      'logvol none --vgname=systemVG --name=root --size=1 --grow',
      'logvol /etc --vgname=systemVG --name=etc_volume --size=1 --grow',
      'logvol /usr/bin --vgname=systemVG --name=bin_volume --grow --size=1',
      'logvol /srv --vgname=systemVG --name=usr_lib2 --size=1 --grow',
    ]);
    const mapped = at('/storage/volumeGroups/0/logicalVolumes/0/name', 'IMGC6002')[0];
    expect(mapped?.message).toContain('"usr/lib" is written as "usr_lib"');
    expect(at('/storage/volumeGroups/0/logicalVolumes/1/name', 'IMGC6002')[0]?.message).toContain('"root"');
    expect(at('/storage/volumeGroups/0/logicalVolumes/2/mountpoint', 'IMGC6002')[0]?.message).toContain(
      '"etc" is written as /etc',
    );
    for (const j of [1, 2, 3, 4])
      expect(at(`/storage/volumeGroups/0/logicalVolumes/${j}/size`, 'IMGC6003'), `volume ${j}`).toHaveLength(
        1,
      );
    expect(at('/storage/volumeGroups/0/logicalVolumes/0/size', 'IMGC6003')).toEqual([]);
  });

  it('writes a kickstart that the kickstart reader takes without errors', () => {
    const again = readText(text, 'F45');
    expect(again.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(again.ir?.storage?.volumeGroups[0]?.physicalVolumes).toEqual(['pv.01']);
    expect(again.ir?.storage?.volumeGroups[0]?.logicalVolumes.map((l) => l.name)).toEqual([
      'usr_lib',
      'root',
      'etc_volume',
      'bin_volume',
      'usr_lib2',
    ]);
  });
});

describe('kickstart writer: a kickstart’s own LVM', () => {
  it('is written back as read: no synthesised volume, no assumed size', () => {
    const source = [
      'part pv.01 --size=100',
      'volgroup vg pv.01',
      'logvol / --vgname=vg --name=root --percent=80',
      'logvol /home --vgname=vg --name=home --size=10 --grow',
      '',
    ].join('\n');
    const ir = readText(source, 'F45').ir!;
    const result = writeKickstart(ir, { options: { ksVersion: 'F45' } });
    expect(storageLines(String(result.files[0]!.content))).toEqual(source.split('\n').filter(Boolean));
    expect(result.diagnostics.filter((d) => d.code === 'IMGC6003' || d.code === 'IMGC6002')).toEqual([]);
  });

  it('writes no physical volume for a group that reuses one on disk', () => {
    const ir = readText('volgroup vg --useexisting\nlogvol / --vgname=vg --name=root --useexisting\n', 'F45')
      .ir!;
    const lines = storageLines(
      String(writeKickstart(ir, { options: { ksVersion: 'F45' } }).files[0]!.content),
    );
    expect(lines).toEqual(['volgroup vg --useexisting', 'logvol / --vgname=vg --name=root --useexisting']);
  });
});
