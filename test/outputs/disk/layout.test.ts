import { describe, expect, it } from 'vitest';
import { diskCodes } from '../../../src/diagnostics/codes/disk.js';
import type { Storage } from '../../../src/ir/schema.js';
import { DiskError } from '../../../src/outputs/disk/errors.js';
import { uuidSource } from '../../../src/outputs/disk/ids.js';
import {
  defaultRootSize,
  type LayoutInput,
  MiB,
  planLayout,
  sfdiskScript,
} from '../../../src/outputs/disk/layout.js';

const GiB = 1024 * MiB;
const tree = { bytes: 600 * MiB, inodes: 20_000 };

function input(storage?: Partial<Storage>, extra: Partial<LayoutInput> = {}): LayoutInput {
  return {
    ...(storage
      ? { storage: { partitions: [], volumeGroups: [], raid: [], mountpoints: [], ...storage } }
      : {}),
    arch: 'x86_64',
    tree,
    espContent: 50 * MiB,
    hasContent: () => false,
    uuid: uuidSource('test'),
    ...extra,
  };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof DiskError) return e.diagnostic.code;
    throw e;
  }
  return undefined;
}

describe('planLayout', () => {
  it('defaults to an ESP and a discoverable x86-64 root sized from the tree', () => {
    const layout = planLayout(input());
    expect(layout.partitions.map((p) => [p.role, p.filesystem, p.typeUuid])).toEqual([
      ['esp', 'vfat', 'c12a7328-f81f-11d2-ba4b-00a0c93ec93b'],
      ['root', 'ext4', '4f68bce3-e8cd-4db1-96e7-fbcaf984b709'],
    ]);
    const [esp, root] = layout.partitions;
    expect(esp!.start).toBe(MiB);
    expect(esp!.size).toBe(256 * MiB);
    expect(root!.start).toBe(esp!.start + esp!.size);
    expect(root!.size).toBe(defaultRootSize(tree));
    // headroom: more than the tree plus per-inode slack, and MiB aligned
    expect(root!.size).toBeGreaterThan(tree.bytes + tree.inodes * 4096);
    expect(root!.size % MiB).toBe(0);
    expect(layout.sizeBytes).toBe(root!.start + root!.size + MiB);
  });

  it('uses the aarch64 root type for an arm64 tree', () => {
    const layout = planLayout(input(undefined, { arch: 'aarch64' }));
    expect(layout.partitions[1]!.typeUuid).toBe('b921b045-1df0-41c3-af44-4c6f280d3fae');
  });

  it('honours explicit sizes, and adds the ESP a layout forgot', () => {
    const layout = planLayout(
      input({
        partitions: [
          { mountpoint: '/', size: { min: 3 * GiB } },
          { mountpoint: '/home', size: { min: 512 * MiB, max: 512 * MiB } },
          { filesystem: 'swap', size: { min: GiB } },
        ],
      }),
    );
    expect(layout.partitions.map((p) => [p.number, p.role, p.size / MiB, p.content])).toEqual([
      [1, 'esp', 256, 'esp'],
      [2, 'root', 3072, 'tree'],
      [3, 'home', 512, 'empty'],
      [4, 'swap', 1024, 'swap'],
    ]);
    const ends = layout.partitions.map((p) => p.start + p.size);
    expect(layout.partitions.slice(1).map((p) => p.start)).toEqual(ends.slice(0, -1));
  });

  it('caps a size at its maximum, and refuses a maximum below the content', () => {
    const capped = planLayout(input({ partitions: [{ mountpoint: '/', size: { max: 2 * GiB } }] }));
    expect(capped.partitions[1]!.size).toBeLessThanOrEqual(2 * GiB);
    expect(
      codeOf(() => planLayout(input({ partitions: [{ mountpoint: '/', size: { max: 100 * MiB } }] }))),
    ).toBe(diskCodes.partitionTooSmall.code);
  });

  it('grows the root (or the partition marked grow) to the requested disk size', () => {
    const layout = planLayout(input({ size: { min: 8 * GiB } }));
    expect(layout.sizeBytes).toBe(8 * GiB);
    expect(layout.partitions[1]!.start + layout.partitions[1]!.size).toBe(8 * GiB - MiB);

    const grown = planLayout(
      input({
        size: { min: 8 * GiB },
        partitions: [{ mountpoint: '/' }, { mountpoint: '/home', grow: true }, { filesystem: 'swap' }],
      }),
    );
    const [, root, home, swap] = grown.partitions;
    expect(root!.size).toBe(defaultRootSize(tree));
    expect(home!.size).toBeGreaterThan(4 * GiB);
    expect(swap!.start).toBe(home!.start + home!.size);
    expect(grown.sizeBytes).toBe(8 * GiB);
  });

  it('refuses a disk maximum the partitions do not fit in', () => {
    expect(codeOf(() => planLayout(input({ size: { max: GiB } })))).toBe(diskCodes.diskTooSmall.code);
  });

  it('refuses what it cannot build yet, with the reason', () => {
    const cases: Partial<Storage>[] = [
      { partitionTable: 'dos' },
      { sectorSize: 4096 },
      { volumeGroups: [{ name: 'vg', logicalVolumes: [] }] },
      { partitions: [{ mountpoint: '/', filesystem: 'xfs' }] },
      { partitions: [{ mountpoint: '/home' }] },
      { partitions: [{ mountpoint: '/' }, { mountpoint: '/', name: 'again' }] },
      { partitions: [{ mountpoint: '/' }, { mountpoint: '/boot', filesystem: 'ext4' }] },
      { partitions: [{ mountpoint: '/', encryption: { type: 'luks2' } }] },
    ];
    for (const storage of cases) {
      expect(
        codeOf(() => planLayout(input(storage))),
        JSON.stringify(storage),
      ).toBe(diskCodes.unsupportedLayout.code);
    }
  });

  it('refuses a separate partition for a folder the tree fills, but allows an empty one', () => {
    const storage = { partitions: [{ mountpoint: '/' }, { mountpoint: '/var' }] };
    expect(codeOf(() => planLayout(input(storage, { hasContent: (mp) => mp === '/var' })))).toBe(
      diskCodes.unsupportedLayout.code,
    );
    expect(planLayout(input(storage)).partitions.map((p) => p.role)).toEqual(['esp', 'root', 'var']);
  });

  it('keeps given partition UUIDs, names and labels; derives the rest from the seed', () => {
    const storage = {
      partitions: [
        { mountpoint: '/', uuid: '11111111-2222-4333-8444-555555555555', name: 'system', fsLabel: 'sys' },
      ],
    };
    const a = planLayout(input(storage));
    const b = planLayout(input(storage));
    expect(a).toEqual(b);
    expect(a.partitions[1]).toMatchObject({
      uuid: '11111111-2222-4333-8444-555555555555',
      name: 'system',
      fsLabel: 'sys',
    });
    const other = planLayout(input(storage, { uuid: uuidSource('other') }));
    expect(other.partitions[0]!.uuid).not.toBe(a.partitions[0]!.uuid);
  });
});

describe('sfdiskScript', () => {
  it('writes every partition with sector offsets, type, uuid and name', () => {
    const layout = planLayout(input());
    const script = sfdiskScript(layout);
    const [esp, root] = layout.partitions;
    expect(script).toContain('label: gpt\n');
    expect(script).toContain(`label-id: ${layout.diskUuid.toUpperCase()}`);
    expect(script).toContain(
      `start=2048, size=${esp!.size / 512}, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=${esp!.uuid.toUpperCase()}, name="esp"`,
    );
    expect(script).toContain(`start=${root!.start / 512}, size=${root!.size / 512}, type=4F68BCE3`);
  });
});

describe('uuidSource', () => {
  it('gives RFC 4122 version-4 shaped ids, stable for a seed', () => {
    const seeded = uuidSource('42');
    const re = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(seeded('x')).toMatch(re);
    expect(seeded('x')).toBe(uuidSource('42')('x'));
    expect(seeded('x')).not.toBe(seeded('y'));
    expect(uuidSource(undefined)('x')).toMatch(re);
  });
});
