import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { emptyIr } from '../../../src/ir/empty.js';
import { kiwiProfileVariables, profileText } from '../../../src/ir/kiwi-script-env/index.js';

describe('/.profile', () => {
  it('derives the kiwi_ variables from the IR, empty where the IR has no value', () => {
    const ir = emptyIr();
    ir.metadata = { name: 'leap', version: '1.2.3' };
    ir.activeProfiles = ['kvm', 'xen'];
    ir.outputs = [{ type: 'disk' }];
    ir.system.keymap = 'de';
    ir.system.locale = 'de_DE.UTF-8';
    ir.system.timezone = 'Europe/Berlin';
    ir.system.kernel = { cmdline: ['quiet', 'console=ttyS0'] };
    ir.boot = { bootloader: 'grub', firmware: 'uefi' };
    ir.extensions.kiwi = {
      forcedRemove: ['a', 'b'],
      children: { preferences: [{ name: 'type', attrs: { initrd_system: 'dracut' } }] },
      sections: [{ name: 'drivers', children: [{ name: 'file', attrs: { name: 'drivers/net/e1000' } }] }],
    };
    expect(kiwiProfileVariables(ir)).toMatchObject({
      kiwi_iname: 'leap',
      kiwi_displayname: 'leap',
      kiwi_iversion: '1.2.3',
      kiwi_profiles: 'kvm,xen',
      kiwi_type: 'oem',
      kiwi_keytable: 'de',
      kiwi_language: 'de_DE',
      kiwi_timezone: 'Europe/Berlin',
      kiwi_delete: 'a b',
      kiwi_drivers: 'drivers/net/e1000',
      kiwi_cmdline: 'quiet console=ttyS0',
      kiwi_bootloader: 'grub2',
      kiwi_firmware: 'efi',
      kiwi_initrd_system: 'dracut',
      kiwi_btrfs_root_is_snapshot: '',
    });
    expect(kiwiProfileVariables(emptyIr()).kiwi_type).toBe('');
  });

  it('is a file a shell reads back to the same values', () => {
    const vars = { kiwi_iname: 'it\'s "quoted" $HOME `x`', kiwi_profiles: 'a,b' };
    const r = spawnSync('sh', ['-c', `${profileText(vars)}\nprintf '%s|%s' "$kiwi_iname" "$kiwi_profiles"`], {
      encoding: 'utf8',
    });
    expect(r.stdout).toBe(`${vars.kiwi_iname}|a,b`);
  });
});
