import { execFileSync } from 'node:child_process';
import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diskCodes } from '../../../src/diagnostics/codes/disk.js';
import { assembleDisk, convertDisk, DiskError, type DiskRequest } from '../../../src/outputs/disk/index.js';
import { ensureHostTools } from '../../helpers/host-tools.js';

const MiB = 1024 * 1024;
let scratch: string;
let tree: string;

function sh(cmd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env } });
}

/** A small tree shaped like a Debian root: two kernels with initrds, systemd-boot's binary, links. */
function makeTree(dir: string): void {
  const put = (path: string, content: string | Buffer) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  put('boot/vmlinuz-6.1.0-9-amd64', Buffer.alloc(300_000, 1));
  put('boot/initrd.img-6.1.0-9-amd64', Buffer.alloc(200_000, 2));
  put('boot/vmlinuz-6.1.0-10-amd64', Buffer.alloc(300_000, 3));
  put('boot/initrd.img-6.1.0-10-amd64', Buffer.alloc(200_000, 4));
  put('boot/config-6.1.0-10-amd64', 'CONFIG_EXT4_FS=y\n');
  put('usr/lib/systemd/boot/efi/systemd-bootx64.efi', Buffer.from('MZ fake systemd-boot'));
  put('etc/os-release', 'ID=debian\n');
  put('usr/bin/hello', '#!/bin/sh\necho hello\n');
  put('home/.keep', '');
  for (let i = 0; i < 200; i++) put(`usr/share/many/file-${i}.txt`, `file ${i}\n`);
  linkSync(join(dir, 'usr/bin/hello'), join(dir, 'usr/bin/hello-again'));
  symlinkSync('hello', join(dir, 'usr/bin/hi'));
  symlinkSync('boot/vmlinuz-6.1.0-10-amd64', join(dir, 'vmlinuz'));
}

function request(name: string, extra: Partial<DiskRequest> = {}): DiskRequest {
  const workDir = join(scratch, `${name}.work`);
  mkdirSync(workDir, { recursive: true });
  return {
    tree,
    output: join(scratch, `${name}.raw`),
    workDir,
    cmdline: ['console=ttyS0', 'quiet'],
    os: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
    ...extra,
  };
}

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DiskError) return e.diagnostic.code;
    throw e;
  }
  throw new Error('expected a DiskError');
}

/** What blkid finds in one partition's byte range of the image. */
function probe(image: string, p: { start: number; size: number }): string {
  return sh('blkid', ['-p', '-o', 'export', '-O', String(p.start), '-S', String(p.size), image]);
}

/** Copies one partition out of the image so fsck.fat / e2fsck / debugfs can look at it. */
function extract(image: string, start: number, size: number, out: string): string {
  sh('dd', [
    `if=${image}`,
    `of=${out}`,
    'bs=1M',
    `skip=${start / MiB}`,
    `count=${size / MiB}`,
    'conv=sparse',
    'status=none',
  ]);
  return out;
}

beforeAll(() => {
  ensureHostTools();
  scratch = mkdtempSync(join(tmpdir(), 'imgc-disk-test-'));
  tree = join(scratch, 'tree');
  makeTree(tree);
}, 300_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('assembleDisk', () => {
  it('writes a GPT disk whose ESP boots systemd-boot with BLS entries and whose root holds the tree', async () => {
    const progress: string[] = [];
    const req = request('default', { onProgress: (m) => progress.push(m) });
    const result = await assembleDisk(req);
    expect(result.output).toBe(req.output);
    expect(result.partitions.map((p) => p.role)).toEqual(['esp', 'root']);

    const table = JSON.parse(sh('sfdisk', ['--json', req.output])).partitiontable;
    expect(table.label).toBe('gpt');
    expect(table.partitions.map((p: { type: string }) => p.type)).toEqual([
      'C12A7328-F81F-11D2-BA4B-00A0C93EC93B',
      '4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709',
    ]);
    result.partitions.forEach((p, i) => {
      expect(table.partitions[i].start * 512).toBe(p.start);
      expect(table.partitions[i].size * 512).toBe(p.size);
      expect(table.partitions[i].uuid.toLowerCase()).toBe(p.uuid);
    });
    expect(result.sizeBytes).toBeGreaterThanOrEqual(result.partitions[1]!.start + result.partitions[1]!.size);

    const [esp, root] = result.partitions;
    const mt = (args: string[]) => sh(args[0]!, [...args.slice(1)], { MTOOLS_SKIP_CHECK: '1' });
    const img = `${req.output}@@${esp!.start}`;
    expect(mt(['mtype', '-i', img, '::/EFI/BOOT/BOOTX64.EFI'])).toBe('MZ fake systemd-boot');
    const loader = mt(['mtype', '-i', img, '::/loader/loader.conf']);
    expect(loader).toBe('timeout 0\ndefault debian-6.1.0-10-amd64.conf\n');
    const entry = mt(['mtype', '-i', img, '::/loader/entries/debian-6.1.0-10-amd64.conf']);
    expect(entry).toBe(
      [
        'title Debian GNU/Linux 12 (bookworm)',
        'version 6.1.0-10-amd64',
        'sort-key debian',
        'linux /debian/6.1.0-10-amd64/linux',
        'initrd /debian/6.1.0-10-amd64/initrd',
        `options root=PARTUUID=${root!.uuid} rw console=ttyS0 quiet`,
        '',
      ].join('\n'),
    );
    expect(mt(['mdir', '-b', '-i', img, '::/loader/entries']).trim().split('\n').sort()).toEqual([
      '::/loader/entries/debian-6.1.0-10-amd64.conf',
      '::/loader/entries/debian-6.1.0-9-amd64.conf',
    ]);
    const kernel = mt(['mtype', '-i', img, '::/debian/6.1.0-9-amd64/linux']);
    expect(kernel.length).toBe(300_000);

    const espImage = extract(req.output, esp!.start, esp!.size, join(scratch, 'esp.img'));
    expect(() => sh('fsck.fat', ['-n', espImage])).not.toThrow();
    expect(probe(req.output, esp!)).toMatch(/VERSION=FAT32[\s\S]*TYPE=vfat/);

    const rootImage = `${req.output}?offset=${root!.start}`;
    sh('e2fsck', ['-fn', rootImage]);
    expect(sh('debugfs', ['-R', 'cat /usr/bin/hello', rootImage])).toBe('#!/bin/sh\necho hello\n');
    expect(sh('debugfs', ['-R', 'stat /usr/bin/hello-again', rootImage])).toMatch(/Links: 2/);
    expect(sh('debugfs', ['-R', 'stat /usr/bin/hi', rootImage])).toMatch(/Fast link dest: "hello"/);
    expect(probe(req.output, root!)).toMatch(/LABEL=root\nUUID=[0-9a-f-]{36}\n[\s\S]*TYPE=ext4/);
    expect(progress.some((m) => m.startsWith('disk layout: GPT, esp vfat'))).toBe(true);
  }, 120_000);

  it('builds the IR storage layout: given sizes, swap, an empty /home, and a grown disk', async () => {
    const req = request('layout', {
      storage: {
        partitions: [
          { mountpoint: '/boot/efi', filesystem: 'vfat', size: { min: 64 * MiB, max: 64 * MiB } },
          { mountpoint: '/', fsLabel: 'system' },
          { filesystem: 'swap', size: { min: 32 * MiB } },
          { mountpoint: '/srv', grow: true },
        ],
        size: { min: 1024 * MiB },
        volumeGroups: [],
        raid: [],
        mountpoints: [],
      },
    });
    const result = await assembleDisk(req);
    expect(result.sizeBytes).toBe(1024 * MiB);
    expect(result.partitions.map((p) => [p.role, p.size / MiB])).toEqual([
      ['esp', 64],
      ['root', result.partitions[1]!.size / MiB],
      ['swap', 32],
      ['srv', result.partitions[3]!.size / MiB],
    ]);
    const [, root, swap, srv] = result.partitions;
    expect(srv!.start + srv!.size).toBe(1023 * MiB);
    expect(probe(req.output, root!)).toMatch(/LABEL=system/);
    expect(probe(req.output, swap!)).toMatch(/LABEL=swap[\s\S]*TYPE=swap/);
    expect(probe(req.output, srv!)).toMatch(/LABEL=srv[\s\S]*TYPE=ext4/);
    sh('e2fsck', ['-fn', `${req.output}?offset=${srv!.start}`]);
  }, 120_000);

  it('converts to qcow2 and vmdk with the same content', async () => {
    const req = request('convert');
    await assembleDisk(req);
    for (const format of ['qcow2', 'vmdk'] as const) {
      const out = join(scratch, `convert.${format}`);
      await convertDisk(req.output, format, out);
      expect(sh('qemu-img', ['info', '--output=json', out])).toContain(`"format": "${format}"`);
      expect(() => sh('qemu-img', ['compare', '-f', 'raw', '-F', format, req.output, out])).not.toThrow();
    }
  }, 120_000);

  it('reports what it cannot do with catalogue codes and leaves no output behind', async () => {
    const noKernel = join(scratch, 'no-kernel');
    mkdirSync(join(noKernel, 'usr/lib/systemd/boot/efi'), { recursive: true });
    writeFileSync(join(noKernel, 'usr/lib/systemd/boot/efi/systemd-bootx64.efi'), 'MZ');
    const cases: [Partial<DiskRequest>, string][] = [
      [{ tree: noKernel }, diskCodes.kernelMissing.code],
      [{ tree: join(scratch, 'absent') }, diskCodes.treeMissing.code],
      [{ boot: { firmware: 'bios' } }, diskCodes.unsupportedBoot.code],
      [{ boot: { uki: true } }, diskCodes.unsupportedBoot.code],
      [
        { storage: { partitionTable: 'dos', partitions: [], volumeGroups: [], raid: [], mountpoints: [] } },
        diskCodes.unsupportedLayout.code,
      ],
      [
        {
          storage: {
            partitions: [{ mountpoint: '/', size: { max: 2 * MiB } }],
            volumeGroups: [],
            raid: [],
            mountpoints: [],
          },
        },
        diskCodes.partitionTooSmall.code,
      ],
    ];
    for (const [extra, code] of cases) {
      const req = request(`bad-${code}`, extra);
      expect(await failure(assembleDisk(req)), JSON.stringify(extra)).toBe(code);
      expect(existsSync(req.output)).toBe(false);
    }
  }, 60_000);

  it('stops when cancelled: the tool is killed, the error says so, the image is removed', async () => {
    const controller = new AbortController();
    const req = request('cancel', {
      signal: controller.signal,
      onProgress: (m) => {
        if (m.startsWith('disk layout')) setTimeout(() => controller.abort(), 5);
      },
    });
    expect(await failure(assembleDisk(req))).toBe(diskCodes.aborted.code);
    expect(existsSync(req.output)).toBe(false);
    const already = new AbortController();
    already.abort();
    expect(await failure(assembleDisk(request('cancel2', { signal: already.signal })))).toBe(
      diskCodes.aborted.code,
    );
    expect(readdirSync(scratch).filter((f) => f.startsWith('cancel') && f.endsWith('.raw'))).toEqual([]);
  }, 60_000);
});
