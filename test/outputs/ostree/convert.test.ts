import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  convertToOstreeLayout,
  INITRAMFS_HOOK,
  INITRAMFS_SCRIPT,
  PREPARE_ROOT,
  VAR_TMPFILES,
} from '../../../src/outputs/ostree/convert.js';

let tree: string;

function put(rel: string, text = ''): void {
  const p = join(tree, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
}

/** A Debian-like tree with one kernel in /boot and what the OSTree stack step installs. */
function debianLikeTree(): void {
  put('boot/vmlinuz-6.1.0-30-amd64', 'kernel');
  put('boot/initrd.img-6.1.0-30-amd64', 'initrd');
  put('boot/config-6.1.0-30-amd64', 'config');
  mkdirSync(join(tree, 'boot/grub'), { recursive: true });
  symlinkSync('boot/vmlinuz-6.1.0-30-amd64', join(tree, 'vmlinuz'));
  mkdirSync(join(tree, 'usr/lib/modules/6.1.0-30-amd64/kernel'), { recursive: true });
  for (const p of [PREPARE_ROOT, INITRAMFS_HOOK, INITRAMFS_SCRIPT]) put(p, '#!/bin/sh\n');
  put('etc/hostname', 'sample\n');
  put('home/user/.profile', 'x');
  mkdirSync(join(tree, 'root'));
  mkdirSync(join(tree, 'var/lib/dpkg'), { recursive: true });
  put('var/lib/dpkg/status', 'Package: base-files\n');
  symlinkSync('/run', join(tree, 'var/run'));
  put('dev/null-placeholder');
}

beforeEach(() => {
  tree = mkdtempSync(join(tmpdir(), 'imgc-ostree-convert-'));
});
afterEach(() => rmSync(tree, { recursive: true, force: true }));

describe('convertToOstreeLayout', () => {
  it('moves kernel, initrd, /etc and /var the way an OSTree commit needs', async () => {
    debianLikeTree();
    const r = await convertToOstreeLayout(tree, { output: 'ostree-commit' });
    expect(r.kernelVersion).toBe('6.1.0-30-amd64');
    const kdir = join(tree, 'usr/lib/modules/6.1.0-30-amd64');
    expect(readFileSync(join(kdir, 'vmlinuz'), 'utf8')).toBe('kernel');
    expect(readFileSync(join(kdir, 'initramfs.img'), 'utf8')).toBe('initrd');
    expect(readFileSync(join(kdir, 'config'), 'utf8')).toBe('config');
    expect(readdirSync(join(tree, 'boot'))).toEqual([]);
    expect(existsSync(join(tree, 'vmlinuz'))).toBe(false);
    expect(readdirSync(join(tree, 'dev'))).toEqual([]);
    expect(existsSync(join(tree, 'etc'))).toBe(false);
    expect(readFileSync(join(tree, 'usr/etc/hostname'), 'utf8')).toBe('sample\n');
    expect(readlinkSync(join(tree, 'home'))).toBe('var/home');
    expect(readlinkSync(join(tree, 'root'))).toBe('var/roothome');
    expect(readlinkSync(join(tree, 'usr/local'))).toBe('../var/usrlocal');
    expect(readlinkSync(join(tree, 'ostree'))).toBe('sysroot/ostree');
    expect(lstatSync(join(tree, 'sysroot')).isDirectory()).toBe(true);
    expect(readdirSync(join(tree, 'var'))).toEqual([]);
    const conf = readFileSync(join(tree, VAR_TMPFILES), 'utf8');
    expect(conf).toMatch(/^d \/var\/home\/user \d{4} \d+ \d+ -$/m);
    expect(conf).toContain('C /var/home/user/.profile - - - - /usr/share/factory/var/home/user/.profile');
    expect(conf).toContain('C /var/lib/dpkg/status - - - - /usr/share/factory/var/lib/dpkg/status');
    expect(conf).toContain('L /var/run - - - - /run');
    expect(readFileSync(join(tree, 'usr/share/factory/var/lib/dpkg/status'), 'utf8')).toMatch(/base-files/);
    expect(r.varEntries).toBe(conf.trim().split('\n').length - 1);
  });

  it('keeps /etc in place for a bootc-style image', async () => {
    debianLikeTree();
    await convertToOstreeLayout(tree, { output: 'bootc-oci', keepEtc: true });
    expect(readFileSync(join(tree, 'etc/hostname'), 'utf8')).toBe('sample\n');
    expect(existsSync(join(tree, 'usr/etc'))).toBe(false);
  });

  const refusals: [string, () => void, string][] = [
    ['no kernel', () => put(PREPARE_ROOT), 'IMGC7620'],
    [
      'two kernels',
      () => {
        debianLikeTree();
        put('boot/vmlinuz-6.1.0-31-amd64', 'kernel2');
      },
      'IMGC7621',
    ],
    ['a kernel without initrd', () => put('boot/vmlinuz-6.1.0-30-amd64'), 'IMGC7622'],
    [
      'no ostree-prepare-root hook',
      () => {
        debianLikeTree();
        rmSync(join(tree, INITRAMFS_HOOK));
      },
      'IMGC7623',
    ],
    [
      'a file left in /boot',
      () => {
        debianLikeTree();
        put('boot/grub/grub.cfg', 'menuentry');
      },
      'IMGC7624',
    ],
    [
      'a FIFO outside /dev',
      () => {
        debianLikeTree();
        spawnSync('mkfifo', [join(tree, 'etc/pipe')]);
      },
      'IMGC7625',
    ],
    [
      'an existing /usr/etc',
      () => {
        debianLikeTree();
        put('usr/etc/x');
      },
      'IMGC7626',
    ],
    [
      'a /var path tmpfiles.d cannot spell',
      () => {
        debianLikeTree();
        put('var/lib/with space');
      },
      'IMGC7627',
    ],
    [
      '/srv as a file',
      () => {
        debianLikeTree();
        put('srv', 'not a folder');
      },
      'IMGC7628',
    ],
  ];

  it.each(refusals)('refuses %s with its code', async (_what, make, code) => {
    make();
    await expect(convertToOstreeLayout(tree, { output: 'ostree-commit' })).rejects.toMatchObject({
      diagnostic: expect.objectContaining({ code }),
    });
  });
});
