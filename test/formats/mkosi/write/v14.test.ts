import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mkosiFormat } from '../../../../src/formats/mkosi/format.js';
import { MKOSI14_KEYS, value14 } from '../../../../src/formats/mkosi/write/v14-dialect.js';
import { translateIr } from '../../../../src/formats/translate.js';
import { writeOutputFiles } from '../../../../src/formats/write-files.js';
import { emptyIr } from '../../../../src/ir/empty.js';
import type { ImageIR } from '../../../../src/ir/schema.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function debianIr(): ImageIR {
  const ir = emptyIr();
  ir.distribution = { id: 'debian', release: '12', architecture: 'x86_64' };
  ir.repositories = [
    {
      id: 'main',
      type: 'apt',
      urls: ['http://mirror.invalid/debian'],
      suites: ['bookworm'],
      components: ['main'],
    },
    { id: 'up', type: 'apt', urls: ['http://mirror.invalid/debian'], suites: ['bookworm-updates'] },
  ];
  ir.packages.install = [{ name: 'systemd' }, { name: 'udev' }];
  ir.packages.installWeakDeps = false;
  ir.system.hostname = 'h1';
  ir.system.locale = 'de_DE.UTF-8';
  ir.system.timezone = 'Europe/Berlin';
  ir.system.services.enable = ['a.service'];
  ir.accounts.users = [
    { name: 'u', groups: ['sudo'], sshKeys: ['ssh-ed25519 AAAA u'], password: { hash: '$6$s$h' } },
  ];
  ir.files = [{ path: '/etc/motd', content: 'hi\n', mode: '0600' }];
  ir.symlinks = [{ path: '/etc/l', target: '/etc/motd' }];
  ir.outputs = [{ type: 'directory', name: 'img' }];
  return ir;
}

async function translate14(ir: ImageIR, version = '14') {
  return translateIr({ ir, positions: {}, target: mkosiFormat, options: { 'mkosi-version': version } });
}

const textOf = (files: { path: string; content?: string | Uint8Array }[], path: string) =>
  String(files.find((f) => f.path === path)?.content ?? '');

describe('mkosi 14 dialect (-O mkosi-version=14)', () => {
  it('writes only keys mkosi 14 knows, with v14 spellings', async () => {
    const { files } = await translate14(debianIr());
    const conf = textOf(files, 'mkosi.conf');
    const keys = conf
      .split('\n')
      .filter((l) => /^[A-Za-z]+=/.test(l))
      .map((l) => l.slice(0, l.indexOf('=')));
    expect(keys.filter((k) => !MKOSI14_KEYS.has(k))).toEqual([]);
    expect(conf).toContain('Release=bookworm');
    expect(conf).toContain('Mirror=http://mirror.invalid/debian');
    expect(conf).toContain('Repositories=main');
    expect(conf).toContain('Format=directory');
    expect(conf).toMatch(/^Packages=systemd,udev,locales$/m);
    expect(files.find((f) => f.path === 'mkosi.extra/etc/motd')).toMatchObject({
      content: 'hi\n',
      mode: 0o600,
    });
  });

  it('does in mkosi.postinst what v14 has no key for, as valid shell', async () => {
    const { files } = await translate14(debianIr());
    const postinst = files.find((f) => f.path === 'mkosi.postinst');
    expect(postinst?.mode).toBe(0o755);
    const body = String(postinst?.content);
    for (const needle of [
      'locale-gen',
      'LANG=',
      '/usr/share/zoneinfo/',
      'useradd',
      "-G 'sudo'",
      "printf '%s\\n' 'u:$6$s$h' | chpasswd -e",
      "ln -sfn '/etc/motd' '/etc/l'",
      "systemctl enable 'a.service'",
    ])
      expect(body).toContain(needle);
    expect(spawnSync('sh', ['-n'], { input: body }).status).toBe(0);
  });

  it('reports what v14 cannot hold, and not what it writes through the postinst', async () => {
    const { diagnostics } = await translate14(debianIr());
    const lost = diagnostics.filter((d) => d.code === 'IMGC6001').map((d) => d.pointer);
    expect(lost.some((p) => p?.startsWith('/accounts/users/0/sshKeys'))).toBe(true);
    expect(lost).toContain('/packages/installWeakDeps');
    expect(lost).not.toContain('/accounts/users/0/password');
    expect(lost).not.toContain('/system/services');
    const approx = diagnostics.filter((d) => d.code === 'IMGC6002').map((d) => d.pointer);
    expect(approx).toContain('/repositories/1');
    const assumed = diagnostics.filter((d) => d.code === 'IMGC6003').map((d) => d.pointer);
    expect(assumed).toEqual(expect.arrayContaining(['/distribution/release', '/packages/install']));
  });

  it('writes no Release= for a distribution it cannot name (mkosi would take it for the host distribution)', async () => {
    for (const version of ['14', undefined]) {
      const ir = debianIr();
      ir.distribution = { id: 'openeuler', release: '22.03' };
      const { files, diagnostics } = await translateIr({
        ir,
        positions: {},
        target: mkosiFormat,
        options: version ? { 'mkosi-version': version } : {},
      });
      const conf = textOf(files, 'mkosi.conf');
      expect(conf).not.toMatch(/^(Distribution|Release)=/m);
      expect(diagnostics.map((d) => d.pointer)).toEqual(
        expect.arrayContaining(['/distribution/id', '/distribution/release']),
      );
    }
  });

  it('writes a disk as a GPT image named by its root filesystem', async () => {
    const ir = debianIr();
    ir.outputs = [{ type: 'disk' }];
    ir.storage = { partitions: [{ role: 'root', filesystem: 'xfs' }] } as ImageIR['storage'];
    const conf = textOf((await translate14(ir)).files, 'mkosi.conf');
    expect(conf).toContain('Format=gpt_xfs');
    expect(conf).toContain('Bootable=yes');
  });

  it('spells current values as v14 parses them, and drops what it has no value for', async () => {
    expect(value14('Bootable', 'enabled')).toBe('yes');
    expect(value14('CleanPackageMetadata', 'disabled')).toBe('no');
    expect(value14('Bootable', 'auto')).toBeUndefined();
    expect(value14('CompressOutput', 'none')).toBe('no');
    expect(value14('CompressOutput', 'gz')).toBe('zlib');
    expect(value14('Verity', 'defer')).toBeUndefined();
    const ir = debianIr();
    ir.extensions.mkosi = { settings: { Bootable: 'auto', CleanPackageMetadata: 'enabled' } };
    const { files, diagnostics } = await translate14(ir);
    const conf = textOf(files, 'mkosi.conf');
    expect(conf).toContain('CleanPackageMetadata=yes');
    expect(conf).not.toContain('Bootable=');
    expect(diagnostics.some((d) => d.pointer === '/extensions/mkosi/settings/Bootable')).toBe(true);
  });

  it('reports a second apt repository without a suite instead of crashing (KIWI debian-bookworm: an obs:// one)', async () => {
    const ir = debianIr();
    ir.repositories.push({
      id: 'obs',
      type: 'apt',
      urls: ['obs://Virtualization:Appliances:Builder/Debian_12'],
    });
    const { files, diagnostics } = await translate14(ir);
    expect(textOf(files, 'mkosi.conf')).toContain('Mirror=http://mirror.invalid/debian');
    const loss = diagnostics.find((d) => d.pointer === '/repositories/2');
    expect(loss?.message).toContain('takes one mirror');
  });

  it('leaves Incremental= out where mkosi 14 refuses it (a squashfs or minimized root), and says so', async () => {
    const squashfs = debianIr();
    squashfs.outputs = [{ type: 'disk' }];
    squashfs.storage = {
      partitions: [{ role: 'root', mountpoint: '/', filesystem: 'squashfs' }],
      volumeGroups: [],
      raid: [],
      mountpoints: [],
    };
    squashfs.extensions.mkosi = { settings: { Incremental: true } };
    const minimized = debianIr();
    minimized.extensions.mkosi = { settings: { Incremental: 'yes', Minimize: 'yes' } };
    for (const ir of [squashfs, minimized]) {
      const { files, diagnostics } = await translate14(ir);
      expect(textOf(files, 'mkosi.conf')).not.toMatch(/^Incremental=/m);
      const loss = diagnostics.find((d) => d.pointer === '/extensions/mkosi/settings/Incremental');
      expect(loss?.message).toContain('refuses incremental builds');
    }
    const plain = debianIr();
    plain.extensions.mkosi = { settings: { Incremental: true } };
    expect(textOf((await translate14(plain)).files, 'mkosi.conf')).toMatch(/^Incremental=yes$/m);
  });

  it('refuses a version it has no dialect for', async () => {
    const { files, diagnostics } = await translate14(debianIr(), '13');
    expect(files).toEqual([]);
    expect(diagnostics.map((d) => d.code)).toContain('IMGC4050');
  });

  const mkosi = spawnSync('mkosi', ['--version'], { encoding: 'utf8' });
  it.skipIf(mkosi.status !== 0 || !/^mkosi 14\b/m.test(mkosi.stdout))(
    'Debian’s mkosi 14 accepts it (mkosi summary)',
    async () => {
      const { files } = await translate14(debianIr());
      const dir = mkdtempSync(join(tmpdir(), 'imgc-mkosi14-'));
      dirs.push(dir);
      await writeOutputFiles(dir, files);
      const summary = spawnSync('mkosi', ['summary'], { cwd: dir, encoding: 'utf8' });
      expect(summary.status, summary.stderr).toBe(0);
      // mkosi 14 prints its summary on stderr
      const printed = summary.stdout + summary.stderr;
      expect(printed).toMatch(/Distribution: debian/);
      expect(printed).toMatch(/Release: bookworm/);
      expect(printed).toMatch(/Packages: systemd\n\s+udev\n\s+locales\n/);
      expect(printed).toMatch(/Postinstall Script: .*mkosi\.postinst/);
      expect(readFileSync(join(dir, 'mkosi.extra/etc/motd'), 'utf8')).toBe('hi\n');
    },
  );
});
