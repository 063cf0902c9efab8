import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMkosi } from '../../../../src/formats/mkosi/read/index.js';
import { mkosiWriter } from '../../../../src/formats/mkosi/write/index.js';
import { writeOutputFiles } from '../../../../src/formats/write-files.js';
import { emptyIr } from '../../../../src/ir/empty.js';
import type { ImageIR } from '../../../../src/ir/schema.js';

/** an IR as another format might produce it */
function foreignIr(): ImageIR {
  const ir = emptyIr();
  ir.distribution = { id: 'fedora', release: '41', architecture: 'aarch64' };
  ir.packages.install = [{ name: 'vim-minimal' }, { name: 'kernel', version: '6.11' }];
  ir.packages.remove = [{ name: 'dracut-config-rescue' }];
  ir.packages.installWeakDeps = false;
  ir.repositories = [
    { id: 'updates', name: 'Updates', urls: ['https://example.org/41/$basearch'], gpgCheck: true },
  ];
  ir.system.hostname = 'host1';
  ir.system.timezone = 'Europe/Paris';
  ir.system.kernel.cmdline = ['console=ttyAMA0', 'quiet'];
  ir.accounts.root = { password: { hash: '$6$r$h' }, sshKeys: [] };
  ir.accounts.groups = [{ name: 'ops', gid: 990 }];
  ir.accounts.users = [
    {
      name: 'alice',
      uid: 1000,
      groups: ['ops'],
      sshKeys: ['ssh-ed25519 AAAA alice'],
      description: 'Alice Example',
      shell: '/bin/bash',
      password: { plain: 'x' },
    },
  ];
  ir.scripts = [{ phase: 'post-install', chroot: true, name: 'setup', body: '#!/bin/sh\necho hi\n' }];
  ir.outputs = [{ type: 'disk', format: 'qcow2' }, { type: 'tar' }];
  ir.boot = { bootloader: 'systemd-boot', firmware: 'uefi' };
  ir.storage = {
    partitionTable: 'gpt',
    partitions: [
      { role: 'esp', filesystem: 'vfat', size: { min: 536870912 } },
      { role: 'root', filesystem: 'ext4', grow: true },
    ],
    volumeGroups: [],
    raid: [],
    mountpoints: [],
  };
  return ir;
}

describe('mkosi writer', () => {
  it('writes one modern mkosi.conf plus the conventional files', async () => {
    const out = await mkosiWriter.write(foreignIr(), {});
    const byPath = Object.fromEntries(out.files.map((f) => [f.path, f.content]));
    expect(Object.keys(byPath)).toEqual([
      'mkosi.conf',
      'mkosi.extra/usr/lib/sysusers.d/imgc.conf',
      'mkosi.repart/00-esp.conf',
      'mkosi.repart/10-root.conf',
      'mkosi.sandbox/etc/yum.repos.d/imgc.repo',
      'mkosi.scripts/post-install/setup.chroot',
    ]);
    expect(byPath['mkosi.conf']).toBe(
      [
        '[Distribution]',
        'Distribution=fedora',
        'Release=41',
        'Architecture=arm64',
        '',
        '[Output]',
        'Format=disk',
        '',
        '[Content]',
        'Packages=',
        '    vim-minimal',
        '    kernel',
        'RemovePackages=dracut-config-rescue',
        'WithRecommends=no',
        'Hostname=host1',
        'Timezone=Europe/Paris',
        'KernelCommandLine=console=ttyAMA0 quiet',
        'RootPassword=hashed:$6$r$h',
        'Bootloader=systemd-boot',
        'PostInstallationScripts=mkosi.scripts/post-install/setup.chroot',
        '',
      ].join('\n'),
    );
    expect(byPath['mkosi.extra/usr/lib/sysusers.d/imgc.conf']).toBe(
      '# users and groups written by imgc\ng ops 990\nu alice 1000 "Alice Example" - /bin/bash\nm alice ops\n',
    );
    expect(byPath['mkosi.repart/00-esp.conf']).toBe(
      '[Partition]\nType=esp\nFormat=vfat\nSizeMinBytes=536870912\n',
    );
    expect(byPath['mkosi.sandbox/etc/yum.repos.d/imgc.repo']).toBe(
      '[updates]\nname=Updates\nbaseurl=https://example.org/41/$basearch\ngpgcheck=1\n',
    );
    expect(out.files.find((f) => f.path.startsWith('mkosi.scripts/'))?.mode).toBe(0o755);
  });

  it('reports what mkosi can only approximate', async () => {
    const out = await mkosiWriter.write(foreignIr(), {});
    expect(out.diagnostics.map((d) => d.pointer).sort()).toEqual([
      '/accounts/users/0/password',
      '/accounts/users/0/sshKeys',
      '/outputs/0/format',
      '/outputs/1',
      '/packages/install/1',
      '/storage/partitions/1/grow',
    ]);
    expect(out.diagnostics.every((d) => d.code === 'IMGC6002')).toBe(true);
  });

  it('writes a tree that reads back with the same values', async () => {
    const ir = foreignIr();
    const out = await mkosiWriter.write(ir, {});
    const dir = mkdtempSync(join(tmpdir(), 'imgc-mkosi-w-'));
    try {
      await writeOutputFiles(dir, out.files);
      const back = await readMkosi(dir, {});
      expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const r = back.ir!;
      expect(r.distribution).toEqual(ir.distribution);
      expect(r.packages.install.map((p) => p.name)).toEqual(['kernel', 'vim-minimal']);
      expect(r.system.kernel.cmdline).toEqual(ir.system.kernel.cmdline);
      expect(r.accounts.users.map((u) => [u.name, u.uid, u.groups, u.shell])).toEqual([
        ['alice', 1000, ['ops'], '/bin/bash'],
      ]);
      expect(r.accounts.groups).toEqual(ir.accounts.groups);
      expect(r.repositories.map((x) => [x.id, x.urls, x.gpgCheck])).toEqual([
        ['updates', ir.repositories[0]!.urls, true],
      ]);
      expect(r.scripts.map((s) => [s.phase, s.chroot, s.body])).toEqual([
        ['post-install', true, '#!/bin/sh\necho hi\n'],
      ]);
      expect(r.storage?.partitions.map((p) => [p.role, p.filesystem])).toEqual([
        ['esp', 'vfat'],
        ['root', 'ext4'],
      ]);
      expect(r.boot).toEqual(ir.boot);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lets the IR win over extension data that says otherwise', async () => {
    const ir = emptyIr();
    ir.outputs = [{ type: 'disk' }];
    ir.extensions.mkosi = { settings: { Format: 'addon', WithNetwork: true } };
    const text = String((await mkosiWriter.write(ir, {})).files[0]!.content);
    expect(text).toContain('Format=disk');
    expect(text).not.toContain('Format=addon');
    expect(text).toContain('WithNetwork=yes');
  });

  it('says so when the distribution is not one mkosi builds', async () => {
    const ir = emptyIr();
    ir.distribution = { id: 'sles', release: '15.6' };
    const out = await mkosiWriter.write(ir, {});
    expect(out.diagnostics.map((d) => d.pointer)).toEqual(['/distribution/id', '/distribution/release']);
    expect(String(out.files[0]!.content)).not.toContain('Distribution=');
    // mkosi would read a lone Release=15.6 as a release of the host's distribution
    expect(String(out.files[0]!.content)).not.toContain('Release=');
  });
});
