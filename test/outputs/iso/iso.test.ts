import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareOutputs } from '../../../src/exec/compare-outputs.js';
import { assembleIso, grubConfig, isolinuxConfig } from '../../../src/outputs/iso/index.js';
import { assemblePxe, ipxeScript, pxeCmdline } from '../../../src/outputs/pxe/index.js';

let dir: string;
let tree: string;
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'imgc-live-'));
  tree = join(dir, 'tree');
  mkdirSync(join(tree, 'boot'), { recursive: true });
  mkdirSync(join(tree, 'etc'), { recursive: true });
  writeFileSync(join(tree, 'boot/vmlinuz-6.1.0-test'), Buffer.alloc(4096, 1));
  writeFileSync(join(tree, 'boot/initrd.img-6.1.0-test'), Buffer.alloc(2048, 2));
  writeFileSync(join(tree, 'etc/hostname'), 'live\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('live outputs', () => {
  it('boot live without root= in every boot loader configuration', () => {
    expect(pxeCmdline(['root=/dev/sda1', 'console=ttyS0'], 'http://h:1/p/')).toEqual([
      'boot=live',
      'fetch=http://h:1/p/filesystem.squashfs',
      'ip=dhcp',
      'console=ttyS0',
    ]);
    expect(ipxeScript(['boot=live'], 'http://h/')).toBe(
      '#!ipxe\ndhcp\nkernel http://h/vmlinuz initrd=initrd.img boot=live\ninitrd http://h/initrd.img\nboot\n',
    );
    expect(grubConfig('boot=live quiet', 'x')).toMatch(
      /linux \/live\/vmlinuz boot=live quiet\n {2}initrd \/live\/initrd.img/,
    );
    expect(isolinuxConfig('boot=live')).toMatch(/append initrd=\/live\/initrd.img boot=live\n/);
  });

  it('refuses a root file system live-boot cannot mount', async () => {
    await expect(
      assemblePxe({
        tree,
        output: join(dir, 'nope'),
        cmdline: [],
        baseUrl: 'http://h/',
        filesystem: 'erofs',
      }),
    ).rejects.toMatchObject({ diagnostic: { code: 'IMGC7609' } });
  });

  it.runIf(has('mksquashfs'))('writes the PXE bundle', async () => {
    const out = join(dir, 'pxe');
    await assemblePxe({
      tree,
      output: out,
      cmdline: ['console=ttyS0'],
      baseUrl: 'http://10.0.2.2:8000',
      filesystem: 'squashfs',
    });
    expect(readFileSync(join(out, 'cmdline.txt'), 'utf8')).toBe(
      'boot=live fetch=http://10.0.2.2:8000/filesystem.squashfs ip=dhcp console=ttyS0\n',
    );
    expect(readFileSync(join(out, 'vmlinuz'))).toEqual(readFileSync(join(tree, 'boot/vmlinuz-6.1.0-test')));
    const list = spawnSync('unsquashfs', ['-l', join(out, 'filesystem.squashfs')], {
      encoding: 'utf8',
    }).stdout;
    expect(list).toContain('squashfs-root/etc/hostname');
    expect(list).toContain('squashfs-root/boot\n');
    expect(list).not.toContain('squashfs-root/boot/vmlinuz');
  });

  it.runIf(has('xorriso') && has('grub-mkimage') && has('mksquashfs'))(
    'writes a hybrid ISO with El Torito images for BIOS and UEFI',
    async () => {
      const work = join(dir, 'iso-work');
      mkdirSync(work);
      const output = join(dir, 'live.iso');
      await assembleIso({
        tree,
        output,
        workDir: work,
        cmdline: ['console=ttyS0'],
        volumeId: 'IMGC_TEST',
        publisher: 'imgc',
        filesystem: 'squashfs',
        bios: true,
      });
      const files = spawnSync('xorriso', ['-indev', output, '-find', '/', '-type', 'f'], {
        encoding: 'utf8',
      }).stdout;
      for (const f of [
        '/live/vmlinuz',
        '/live/initrd.img',
        '/live/filesystem.squashfs',
        '/EFI/efiboot.img',
        '/isolinux/isolinux.bin',
      ])
        expect(files).toContain(`'${f}'`);
      const report = spawnSync('xorriso', ['-indev', output, '-report_el_torito', 'plain'], {
        encoding: 'utf8',
      }).stdout;
      expect(report).toMatch(/El Torito boot img :\s+1\s+BIOS/);
      expect(report).toMatch(/El Torito boot img :\s+2\s+UEFI/);
      const pvd = spawnSync('xorriso', ['-indev', output, '-pvd_info'], { encoding: 'utf8' }).stdout;
      expect(pvd).toMatch(/Volume Id\s+: IMGC_TEST/);
    },
    120_000,
  );

  it.runIf(has('xorriso') && has('grub-mkimage') && has('mksquashfs'))(
    'gives byte-identical ISOs and PXE bundles for one epoch, assembled at different times',
    async () => {
      const epoch = 1_700_000_000;
      const assemble = async (n: number) => {
        const work = join(dir, `repro-${n}`);
        mkdirSync(join(work, 'iso-work'), { recursive: true });
        const common = { tree, cmdline: ['console=ttyS0'], filesystem: 'squashfs' as const, epoch };
        await assembleIso({
          ...common,
          output: join(work, 'live.iso'),
          workDir: join(work, 'iso-work'),
          volumeId: 'IMGC_TEST',
          bios: true,
        });
        await assemblePxe({ ...common, output: join(work, 'pxe'), baseUrl: 'http://10.0.2.2:8000' });
        return work;
      };
      const first = await assemble(1);
      // staged files and the FAT image get the time they are written: a second later is another time
      await new Promise((r) => setTimeout(r, 1100));
      const second = await assemble(2);
      expect(readFileSync(join(first, 'live.iso')).equals(readFileSync(join(second, 'live.iso')))).toBe(true);
      const compared = await compareOutputs(join(first, 'pxe'), join(second, 'pxe'));
      expect(compared.filter((c) => !c.identical)).toEqual([]);
      expect(compared.map((c) => c.name).sort()).toEqual(
        ['boot.ipxe', 'cmdline.txt', 'filesystem.squashfs', 'initrd.img', 'vmlinuz'].sort(),
      );
    },
    240_000,
  );
});
