import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diskCodes } from '../../../src/diagnostics/codes/disk.js';
import { bootEntries, entryToken, kernelCmdline } from '../../../src/outputs/disk/boot-entries.js';
import type { DiskError } from '../../../src/outputs/disk/errors.js';
import { fatGeometry } from '../../../src/outputs/disk/filesystems.js';
import { findKernels, findSystemdBoot, sortVersions } from '../../../src/outputs/disk/kernels.js';

const scratch = mkdtempSync(join(tmpdir(), 'imgc-kernels-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function tree(name: string, files: string[]): string {
  const root = join(scratch, name);
  for (const f of files) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), f);
  }
  return root;
}

describe('kernelCmdline', () => {
  it('adds root=PARTUUID and rw in front of the caller arguments', () => {
    expect(kernelCmdline(['console=ttyS0', 'quiet'], 'abc')).toBe('root=PARTUUID=abc rw console=ttyS0 quiet');
  });
  it('keeps a root= and ro/rw the caller set', () => {
    expect(kernelCmdline(['root=LABEL=sys', 'ro'], 'abc')).toBe('root=LABEL=sys ro');
    expect(kernelCmdline(['rw'], 'abc')).toBe('root=PARTUUID=abc rw');
  });
});

describe('bootEntries', () => {
  const kernels = [
    { version: '6.2', kernel: '/t/boot/vmlinuz-6.2', initrd: '/t/boot/initrd.img-6.2' },
    { version: '6.1', kernel: '/t/boot/vmlinuz-6.1', initrd: '/t/boot/initrd.img-6.1' },
  ];
  it('writes one entry per kernel, the newest as default, and the menu settings from the IR', () => {
    const files = bootEntries({
      os: { id: 'Debian', prettyName: 'Debian 12' },
      boot: { timeout: 5, menuEntry: 'My image' },
      kernels,
      cmdline: 'root=PARTUUID=x rw',
    });
    expect(files.map((f) => f.path)).toEqual([
      'debian/6.2/linux',
      'debian/6.2/initrd',
      'loader/entries/debian-6.2.conf',
      'debian/6.1/linux',
      'debian/6.1/initrd',
      'loader/entries/debian-6.1.conf',
      'loader/loader.conf',
    ]);
    expect(files[0]!.from).toBe('/t/boot/vmlinuz-6.2');
    expect(files[2]!.text).toContain('title My image\nversion 6.2\n');
    expect(files.at(-1)!.text).toBe('timeout 5\ndefault debian-6.2.conf\n');
  });
  it('makes a safe entry token from any os id', () => {
    expect(entryToken('openSUSE Tumbleweed')).toBe('opensuse-tumbleweed');
    expect(entryToken('')).toBe('linux');
  });
});

describe('findKernels', () => {
  it('finds Debian /boot kernels with their initrds, newest first, ignoring symlinks', () => {
    const t = tree('debian', [
      'boot/vmlinuz-6.1.0-9-amd64',
      'boot/initrd.img-6.1.0-9-amd64',
      'boot/vmlinuz-6.1.0-10-amd64',
      'boot/initrd.img-6.1.0-10-amd64',
    ]);
    symlinkSync('boot/vmlinuz-6.1.0-10-amd64', join(t, 'vmlinuz'));
    symlinkSync('vmlinuz-6.1.0-10-amd64', join(t, 'boot/vmlinuz-latest'));
    expect(findKernels(t).map((k) => k.version)).toEqual(['6.1.0-10-amd64', '6.1.0-9-amd64']);
  });
  it('finds Fedora-style kernels under /usr/lib/modules', () => {
    const t = tree('fedora', [
      'usr/lib/modules/6.8.5-301.fc40.x86_64/vmlinuz',
      'boot/initramfs-6.8.5-301.fc40.x86_64.img',
    ]);
    expect(findKernels(t)).toEqual([
      {
        version: '6.8.5-301.fc40.x86_64',
        kernel: join(t, 'usr/lib/modules/6.8.5-301.fc40.x86_64/vmlinuz'),
        initrd: join(t, 'boot/initramfs-6.8.5-301.fc40.x86_64.img'),
      },
    ]);
  });
  it('reports a tree without a kernel, or without an initrd, as IMGC7504', () => {
    for (const files of [['etc/hostname'], ['boot/vmlinuz-6.1']]) {
      try {
        findKernels(tree(`bad-${files.length}-${files[0]!.length}`, files));
        expect.unreachable();
      } catch (e) {
        expect((e as DiskError).diagnostic.code).toBe(diskCodes.kernelMissing.code);
      }
    }
  });
  it('orders versions numerically', () => {
    expect(sortVersions(['5.10.0', '6.1.0-9', '6.1.0-10', '6.10.1'])).toEqual([
      '6.10.1',
      '6.1.0-10',
      '6.1.0-9',
      '5.10.0',
    ]);
  });
});

describe('findSystemdBoot', () => {
  it('prefers the tree copy and takes the architecture from its name', () => {
    const t = tree('arm', ['usr/lib/systemd/boot/efi/systemd-bootaa64.efi']);
    expect(findSystemdBoot(t)).toMatchObject({
      arch: 'aarch64',
      fallbackName: 'BOOTAA64.EFI',
      fromHost: false,
    });
  });
});

describe('fatGeometry', () => {
  it('keeps FAT32 above 65525 clusters and uses FAT16 for small ESPs', () => {
    for (const mib of [64, 100, 256, 512, 1024, 4096]) {
      const g = fatGeometry(mib * 1024 * 1024);
      expect(g.fatBits).toBe(32);
      expect((mib * 2048) / g.sectorsPerCluster!).toBeGreaterThanOrEqual(66_000);
    }
    expect(fatGeometry(4096 * 1024 * 1024).sectorsPerCluster).toBe(8);
    expect(fatGeometry(32 * 1024 * 1024)).toEqual({ fatBits: 16 });
  });
});
