import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readKiwi } from '../../../../src/formats/kiwi/read/read.js';
import { normalizeIr } from '../../../../src/ir/normalize.js';
import { mergeProfiles } from '../../../../src/ir/profiles.js';
import { validateIr } from '../../../../src/ir/validate.js';

const tmp = mkdtempSync(join(tmpdir(), 'imgc-kiwi-read-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string>): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const xml = (body: string, version = '8.5') => `<?xml version="1.0" encoding="utf-8"?>
<image schemaversion="${version}" name="t">
    <description type="system">
        <author>a</author>
        <contact>c</contact>
        <specification>s</specification>
    </description>
${body}
</image>
`;

describe('readKiwi', () => {
  it('finds config.xml first, then the first *.kiwi in a folder', async () => {
    const both = folder('both', {
      'config.xml': xml('<preferences><version>1.0.1</version></preferences>'),
      'a.kiwi': xml('<preferences><version>2.0.0</version></preferences>'),
    });
    expect((await readKiwi(both)).ir?.metadata?.version).toBe('1.0.1');
    const kiwiOnly = folder('kiwi-only', {
      'b.kiwi': xml('<preferences><version>3.0.0</version></preferences>'),
      'a.kiwi': xml('<preferences><version>2.0.0</version></preferences>'),
    });
    expect((await readKiwi(kiwiOnly)).ir?.metadata?.version).toBe('2.0.0');
    const none = folder('none', { README: 'x' });
    expect((await readKiwi(none)).diagnostics[0]).toMatchObject({ code: 'IMGC3010', severity: 'error' });
  });

  it('records source positions for lowered fields', async () => {
    const dir = folder('positions', {
      'config.xml': xml(`    <preferences>
        <locale>en_US</locale>
    </preferences>
    <packages type="image">
        <package name="vim"/>
    </packages>
    <repository type="rpm-md" alias="oss" priority="7"><source path="http://x/"/></repository>`),
    });
    const r = await readKiwi(dir);
    expect(r.positions['/repositories/0/priority']).toMatchObject({ line: 14, column: 43 });
    expect(r.positions['/repositories/0/urls/0']).toMatchObject({ line: 14, column: 64 });
    expect(r.positions['/packages/install/0']).toMatchObject({ line: 12, column: 18 });
    expect(r.positions['/system/locale']).toMatchObject({ line: 9, column: 9 });
    expect(r.ir!.system.locale).toBe('en_US.UTF-8');
  });

  it('reports an unknown --profile and an unknown --type as errors', async () => {
    const dir = folder('choices', { 'config.xml': xml('<preferences><type image="oem"/></preferences>') });
    const r = await readKiwi(dir, { profiles: ['Nope'] });
    expect(r.diagnostics.find((d) => d.code === 'IMGC1007')).toMatchObject({ severity: 'error' });
    const t = await readKiwi(dir, { options: { kiwiType: 'iso' } });
    expect(t.diagnostics.find((d) => d.code === 'IMGC3011')).toMatchObject({ severity: 'error', line: 2 });
  });

  it('follows symlinked include targets and git symlink stubs', async () => {
    const dir = folder('links', {
      'config.xml': xml(`<preferences><packagemanager>zypper</packagemanager></preferences>
    <include from="this://./repos/core.xml"/>
    <include from="this://./stub.xml"/>`),
      'repos/core-real.xml': '<image><repository><source path="http://a/"/></repository></image>',
      'pkgs.xml': '<image><packages type="image"><package name="p"/></packages></image>',
      'stub.xml': 'pkgs.xml',
    });
    symlinkSync('core-real.xml', join(dir, 'repos/core.xml'));
    const r = await readKiwi(dir);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.ir!.repositories.map((x) => x.urls[0])).toEqual(['http://a/']);
    expect(r.ir!.packages.install.map((p) => p.name)).toEqual(['p']);
    expect(r.files.some((f) => f.endsWith('pkgs.xml'))).toBe(true);
  });

  it('reads YAML and JSON descriptions to the same IR as the XML', async () => {
    const x = folder('markup-xml', {
      'config.xml':
        xml(`<preferences><version>1.0.0</version><packagemanager>zypper</packagemanager><type image="oem" filesystem="xfs"/></preferences>
    <packages type="image"><package name="a"/><package name="b"/></packages>`),
    });
    const y = folder('markup-yaml', {
      'config.kiwi': `image:
  '@schemaversion': '8.5'
  '@name': t
  description: {'@type': system, author: a, contact: c, specification: s}
  preferences:
    version: 1.0.0
    packagemanager: zypper
    type: {'@image': oem, '@filesystem': xfs}
  packages:
    '@type': image
    package: [{'@name': a}, {'@name': b}]
`,
    });
    const j = folder('markup-json', {
      'config.kiwi': JSON.stringify({
        image: {
          '@schemaversion': '8.5',
          '@name': 't',
          description: { '@type': 'system', author: 'a', contact: 'c', specification: 's' },
          preferences: {
            version: '1.0.0',
            packagemanager: 'zypper',
            type: { '@image': 'oem', '@filesystem': 'xfs' },
          },
          packages: { '@type': 'image', package: [{ '@name': 'a' }, { '@name': 'b' }] },
        },
      }),
    });
    const [rx, ry, rj] = await Promise.all([readKiwi(x), readKiwi(y), readKiwi(j)]);
    expect(normalizeIr(ry.ir!)).toEqual(normalizeIr(rx.ir!));
    expect(normalizeIr(rj.ir!)).toEqual(normalizeIr(rx.ir!));
    expect(ry.positions['/packages/install/0']?.line).toBe(11);
  });

  it('reports YAML syntax errors with a position', async () => {
    const dir = folder('bad-yaml', { 'config.kiwi': "image:\n  '@name': [unclosed\n" });
    const r = await readKiwi(dir);
    expect(r.ir).toBeUndefined();
    expect(r.diagnostics[0]).toMatchObject({ code: 'IMGC3015', severity: 'error' });
    expect(r.diagnostics[0]!.line).toBeGreaterThan(0);
  });

  it('lowers a rich description to a valid IR', async () => {
    const dir = folder('rich', {
      'config.xml': xml(`<profiles><profile name="P" description="p" import="true"/></profiles>
    <preferences>
        <version>1.0.0</version>
        <packagemanager>apt</packagemanager>
        <type image="oem" filesystem="ext4" firmware="efi" kernelcmdline="quiet splash">
            <bootloader name="grub2" timeout="4"/>
            <systemdisk><volume name="home" mountpoint="/home" size="2G"/><volume name="var" size="all"/></systemdisk>
        </type>
    </preferences>
    <users><user name="tux" password="x" pwdformat="plain" groups="users,audio" id="1001"/></users>
    <repository type="apt-deb" distribution="bookworm" components="main contrib" imageinclude="true"><source path="http://deb.debian.org/debian"/></repository>
    <packages type="image" profiles="P"><package name="vim"/></packages>
    <packages type="uninstall"><package name="nano"/></packages>`),
      'config.sh': '#!/bin/bash\necho hi\n',
    });
    const r = await readKiwi(dir);
    const ir = r.ir!;
    expect(validateIr(ir)).toEqual([]);
    expect(ir.outputs).toEqual([{ type: 'disk' }]);
    expect(ir.boot).toEqual({ firmware: 'uefi', bootloader: 'grub', timeout: 4 });
    expect(ir.system.kernel.cmdline).toEqual(['quiet', 'splash']);
    expect(ir.storage?.volumeGroups[0]).toEqual({
      name: 'systemVG',
      logicalVolumes: [
        { name: 'home', mountpoint: '/home', size: { min: 2 * 1024 ** 3 } },
        // no mountpoint: KIWI mounts the volume at its name
        { name: 'var', mountpoint: '/var', grow: true },
      ],
    });
    expect(ir.accounts.users[0]).toMatchObject({
      name: 'tux',
      uid: 1001,
      primaryGroup: 'users',
      groups: ['audio'],
      password: { plain: 'x' },
    });
    expect(ir.repositories[0]).toMatchObject({
      type: 'apt',
      suites: ['bookworm'],
      components: ['main', 'contrib'],
      usage: 'build-and-image',
    });
    expect(ir.profiles[0]).toMatchObject({
      name: 'P',
      default: true,
      overlay: { packages: { install: [{ name: 'vim' }] } },
    });
    expect(ir.activeProfiles).toEqual(['P']);
    expect(ir.packages.remove).toEqual([{ name: 'nano' }]);
    expect(ir.scripts).toEqual([
      { name: 'config.sh', phase: 'post-install', chroot: true, body: '#!/bin/bash\necho hi\n' },
    ]);
  });

  it('lowers a section shared by several profiles once, so it applies once when both are active', async () => {
    const dir = folder('shared-profiles', {
      'config.xml': xml(`<profiles>
        <profile name="A" description="a" import="true"/>
        <profile name="B" description="b" import="true"/>
    </profiles>
    <preferences><packagemanager>zypper</packagemanager></preferences>
    <repository profiles="A,B" alias="shared"><source path="http://s/"/></repository>
    <packages type="image" profiles="B,A"><package name="both"/></packages>
    <packages type="image" profiles="A"><package name="only-a"/></packages>`),
    });
    const ir = (await readKiwi(dir)).ir!;
    expect(ir.profiles.map((p) => [p.name, p.requires ?? []])).toEqual([
      ['A', ['A,B']],
      ['B', ['A,B']],
      ['A,B', []],
    ]);
    const merged = mergeProfiles(ir);
    expect(merged.repositories.map((r) => r.id)).toEqual(['shared']);
    expect(merged.packages.install.map((p) => p.name)).toEqual(['both', 'only-a']);
  });
});
