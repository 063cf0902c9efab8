import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readMkosi } from '../../../../src/formats/mkosi/read/index.js';
import { osReleaseId } from '../../../../src/formats/mkosi/read/lower.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'imgc-mkosi-lower-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

describe('lowering mkosi to the IR', () => {
  it('points every lowered value at its line and column', async () => {
    const root = tree({
      'mkosi.conf':
        '[Distribution]\nDistribution=fedora\n\n[Content]\nPackages=\n    vim, git\n    tmux\nHostname=box\n[Build]\nWithNetwork=yes\n',
    });
    const r = await readMkosi(root, {});
    const conf = join(root, 'mkosi.conf');
    const at = (ptr: string) => {
      const p = r.positions[ptr];
      return p && [p.file === conf, p.line, p.column];
    };
    expect(r.ir!.packages.install.map((p) => p.name)).toEqual(['git', 'tmux', 'vim']);
    expect(at('/packages/install/0')).toEqual([true, 6, 10]);
    expect(at('/packages/install/1')).toEqual([true, 7, 5]);
    expect(at('/packages/install/2')).toEqual([true, 6, 5]);
    expect(at('/distribution/id')).toEqual([true, 2, 14]);
    expect(at('/system/hostname')).toEqual([true, 8, 10]);
    expect(at('/extensions/mkosi/settings/WithNetwork')).toEqual([true, 10, 13]);
  });

  it('reads repositories from sandbox trees, users from sysusers.d and partitions from mkosi.repart', async () => {
    const root = tree({
      'mkosi.conf': '[Distribution]\nDistribution=debian\nRelease=bookworm\n',
      'mkosi.sandbox/etc/apt/sources.list.d/extra.sources':
        'Types: deb\nURIs: https://deb.example.org/debian\nSuites: bookworm\nComponents: main contrib\nSigned-By: /usr/share/keyrings/extra.gpg\n',
      'mkosi.extra/usr/lib/sysusers.d/app.conf':
        'g app 990\nu app 990:990 "App user" /var/lib/app /usr/sbin/nologin\nm app adm\n',
      'mkosi.repart/00-esp.conf': '[Partition]\nType=esp\nFormat=vfat\nSizeMinBytes=1G\n',
      'mkosi.repart/10-root.conf': '[Partition]\nType=root-x86-64\nFormat=ext4\nCopyFiles=/\n',
    });
    const ir = (await readMkosi(root, {})).ir!;
    expect(ir.repositories).toEqual([
      {
        id: 'extra-1',
        type: 'apt-deb822',
        urls: ['https://deb.example.org/debian'],
        suites: ['bookworm'],
        components: ['main', 'contrib'],
        gpgKeys: ['/usr/share/keyrings/extra.gpg'],
        fileName: 'extra.sources',
      },
    ]);
    expect(ir.accounts.groups).toEqual([{ name: 'app', gid: 990 }]);
    expect(ir.accounts.users).toEqual([
      {
        name: 'app',
        uid: 990,
        gid: 990,
        groups: ['adm'],
        sshKeys: [],
        description: 'App user',
        home: '/var/lib/app',
        shell: '/usr/sbin/nologin',
      },
    ]);
    expect(ir.storage!.partitions).toEqual([
      { role: 'esp', filesystem: 'vfat', size: { min: 1073741824 } },
      { role: 'root', filesystem: 'ext4', copyFiles: ['/'] },
    ]);
    const ext = ir.extensions.mkosi as { repart?: { file: string; extra: Record<string, string[]> }[] };
    expect(ext.repart?.map((r) => r.extra)).toEqual([{ SizeMinBytes: ['1G'] }, { Type: ['root-x86-64'] }]);
  });

  it('uses os-release ids for the distribution', () => {
    expect(osReleaseId('alma', '9')).toBe('almalinux');
    expect(osReleaseId('opensuse', 'tumbleweed')).toBe('opensuse-tumbleweed');
    expect(osReleaseId('opensuse', '15.6')).toBe('opensuse-leap');
    expect(osReleaseId('debian', 'trixie')).toBe('debian');
  });
});
