/** How `imgc boot` classifies outputs and chooses their firmware, from names and first bytes. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bootTarget } from '../../src/boot/targets.js';

const dir = mkdtempSync(join(tmpdir(), 'imgc-boot-targets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('boot targets', () => {
  it('reads an ISO 9660 image as a CD-ROM under UEFI, by its name or its volume descriptor', async () => {
    const iso = Buffer.alloc(34_000);
    iso.write('CD001', 32769, 'latin1');
    for (const name of ['live.iso', 'live.img-without-iso-name']) {
      const t = await bootTarget(file(name, iso));
      expect(typeof t === 'object' && t.kind).toBe('iso');
      if (typeof t === 'object') expect(t.args.slice(0, 2)).toEqual(['-cdrom', join(dir, name)]);
    }
  });

  it('boots a UKI directly under UEFI, with extra drives attached', async () => {
    const uki = file('imgc.efi', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)]));
    const t = await bootTarget(uki, ['/images/root.raw']);
    expect(t).toMatchObject({ kind: 'uki', firmware: 'ovmf' });
    if (typeof t === 'object') {
      expect(t.args.slice(0, 2)).toEqual(['-kernel', uki]);
      expect(t.args.join(' ')).toContain('file=/images/root.raw,if=none,id=extra0,format=raw,snapshot=on');
    }
  });

  it('recognises qcow2 by its magic and boots it UEFI, saying it assumed so', async () => {
    const t = await bootTarget(
      file('disk.bin', Buffer.concat([Buffer.from('QFI\xfb', 'latin1'), Buffer.alloc(60)])),
    );
    expect(t).toMatchObject({ kind: 'disk', firmware: 'ovmf' });
    if (typeof t === 'object')
      expect(t.firmwareWhy).toMatch(/qcow2 disk is booted UEFI unless --firmware bios/);
  });

  it('boots an MBR raw disk with BIOS', async () => {
    const t = await bootTarget(file('old.raw', Buffer.alloc(4096)));
    expect(t).toMatchObject({
      kind: 'disk',
      firmware: 'seabios',
      firmwareWhy: expect.stringMatching(/no GPT/),
    });
  });

  it('boots a PXE folder by its kernel, initrd and cmdline, serving it where the cmdline fetches', async () => {
    const pxe = join(dir, 'imgc-sample-pxe');
    mkdirSync(pxe);
    writeFileSync(join(pxe, 'vmlinuz'), 'k');
    writeFileSync(join(pxe, 'initrd.img'), 'i');
    writeFileSync(
      join(pxe, 'cmdline.txt'),
      'boot=live fetch=http://10.0.2.2:8089/filesystem.squashfs console=ttyS0\n',
    );
    const t = await bootTarget(pxe);
    expect(t).toMatchObject({ kind: 'pxe', firmware: 'seabios', serve: { dir: pxe, port: 8089 } });
    if (typeof t === 'object')
      expect(t.args).toContain('boot=live fetch=http://10.0.2.2:8089/filesystem.squashfs console=ttyS0');
  });

  it('refuses what it cannot boot, saying why', async () => {
    expect(await bootTarget(join(dir, 'missing.raw'))).toBe('no such file or folder');
    expect(await bootTarget(file('notes.txt', Buffer.from('hi')))).toMatch(/not a disk image, ISO or UKI/);
    expect(await bootTarget(dir)).toMatch(/not a PXE bundle \(no vmlinuz\)/);
  });
});
