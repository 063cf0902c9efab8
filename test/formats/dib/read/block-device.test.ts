import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dibBytes, lowerBlockDevice } from '../../../../src/formats/dib/read/block-device.js';
import { parseDibYaml } from '../../../../src/formats/dib/read/yaml.js';
import { loadDefinition } from '../../../../src/formats/load.js';
import { FormatRegistry } from '../../../../src/formats/registry.js';
import { fixturesDirOf } from '../../../helpers/shared.js';

const scratch = mkdtempSync(join(tmpdir(), 'imgc-dib-bd-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const LVM = `- local_loop:
    name: image0
    size: 10GiB
- partitioning:
    base: image0
    label: mbr
    partitions:
      - name: boot
        size: 512MiB
        flags: [boot]
        mkfs:
          type: ext4
          mount:
            mount_point: /boot
            fstab:
              options: "defaults,noatime"
      - name: root
        size: 100%
- lvm:
    name: lvm
    base: [root]
    pvs:
      - name: pv
        base: root
    vgs:
      - name: vg
        base: [pv]
    lvs:
      - name: lv_root
        base: vg
        size: 4G
      - name: lv_var
        base: vg
        extents: 50%VG
- mkfs:
    name: fs_root
    base: lv_root
    type: xfs
    label: img-rootfs
    mount:
      mount_point: /
      fstab:
        options: defaults
        fsck-passno: 1
- mkfs:
    name: fs_var
    base: lv_var
    type: xfs
    mount:
      mount_point: /var
`;

describe('dib block-device configuration → storage', () => {
  it('reads dib size units as dib does (binary KiB.., decimal K/KB.., bare bytes)', () => {
    expect([
      dibBytes('550MiB'),
      dibBytes('6G'),
      dibBytes('2 GB'),
      dibBytes('4096'),
      dibBytes('100%'),
    ]).toEqual([550 * 1024 ** 2, 6e9, 2e9, 4096, undefined]);
  });

  it('keeps a size past 2^53 out of the IR, said at its line', () => {
    const huge = '256'.repeat(300);
    expect(dibBytes(`${huge}MiB`)).toBeUndefined();
    const parsed = parseDibYaml(
      `- local_loop:\n    size: ${huge}G\n- partitioning:\n    label: gpt\n    partitions:\n      - name: root\n        size: ${huge}\n`,
      'bd.yaml',
    );
    if (!parsed.ok) throw new Error(parsed.message);
    const { storage, notCarried } = lowerBlockDevice(parsed.value, parsed.positions);
    expect(storage.size).toBeUndefined();
    expect(storage.partitions).toEqual([{ name: 'root' }]);
    expect(notCarried.map((n) => parsed.positions[n.ptr]?.line)).toEqual([2, 7]);
  });

  it('lowers partitions, LVM and top-level mkfs nodes, and names what it cannot carry at its line', () => {
    const parsed = parseDibYaml(LVM, 'bd.yaml');
    if (!parsed.ok) throw new Error(parsed.message);
    const { storage, notCarried, positions } = lowerBlockDevice(parsed.value, parsed.positions);
    expect(storage.partitionTable).toBe('dos');
    expect(storage.size).toEqual({ min: 10 * 1024 ** 3 });
    expect(storage.partitions).toEqual([
      {
        name: 'boot',
        size: { min: 512 * 1024 ** 2 },
        filesystem: 'ext4',
        mountpoint: '/boot',
        mountOptions: ['defaults', 'noatime'],
      },
      { name: 'root', grow: true, volumeGroup: 'vg', role: 'lvm' },
    ]);
    expect(storage.volumeGroups).toEqual([
      {
        name: 'vg',
        physicalVolumes: ['root'],
        logicalVolumes: [
          { name: 'lv_root', size: { min: 4e9 }, filesystem: 'xfs', fsLabel: 'img-rootfs', mountpoint: '/' },
          { name: 'lv_var', filesystem: 'xfs', mountpoint: '/var' },
        ],
      },
    ]);
    expect(notCarried.map((n) => n.what)).toEqual([
      'partition flags boot',
      'logical volume sizes in extents (%VG)',
      'fstab fsck-passno / dump-freq',
    ]);
    expect(parsed.positions[notCarried[0]!.ptr]?.line).toBe(10);
    expect(positions['/storage/partitions/0']?.line).toBe(8);
  });

  it('an image list’s DIB_BLOCK_DEVICE_CONFIG wins over the element’s file', async () => {
    const list = join(scratch, 'image.yaml');
    writeFileSync(
      list,
      `- imagename: inline\n  elements: [web]\n  environment:\n    DIB_BLOCK_DEVICE_CONFIG: |\n${LVM.split(
        '\n',
      )
        .map((l) => `      ${l}`)
        .join('\n')}\n`,
    );
    const r = await loadDefinition(new FormatRegistry(), list, {
      from: 'dib',
      options: { elementsPath: join(fixturesDirOf('dib'), 'elements') },
    });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.ir!.storage?.partitionTable).toBe('dos');
    const from = r.diagnostics.find((d) => d.code === 'IMGC3820')!;
    expect([from.message, from.line]).toEqual(['disk layout from DIB_BLOCK_DEVICE_CONFIG', 4]);
    // the element's own file is then not used, and said so
    expect(r.diagnostics.some((d) => d.code === 'IMGC3811' && /not the one/.test(d.message))).toBe(true);
  });
});
