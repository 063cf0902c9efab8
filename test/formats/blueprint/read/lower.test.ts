import { describe, expect, it } from 'vitest';
import {
  directoryViolation,
  fileViolation,
  mountpointViolation,
} from '../../../../src/formats/blueprint/policies.js';
import { lowerBlueprint, unwrap } from '../../../../src/formats/blueprint/read/lower.js';
import { splitCmdline } from '../../../../src/formats/blueprint/read/lower-customizations.js';
import { joinDistro, splitDistro } from '../../../../src/ir/distribution.js';
import { formatSize, parseSize } from '../../../../src/ir/size.js';

const codes = (doc: unknown) => lowerBlueprint(doc, 'f', {}).diagnostics.map((d) => d.code);

describe('blueprint lowering', () => {
  it('splits distro names into id and release', () => {
    expect(splitDistro('fedora-43')).toEqual({ id: 'fedora', release: '43' });
    expect(splitDistro('rhel-9.6')).toEqual({ id: 'rhel', release: '9.6' });
    expect(splitDistro('centos-stream-10')).toEqual({ id: 'centos-stream', release: '10' });
    expect(splitDistro('rhel-84')).toEqual({ id: 'rhel', release: '84' });
    expect(splitDistro('custom')).toEqual({ id: 'custom' });
    expect(splitDistro('debian-bookworm')).toEqual({ id: 'debian', release: 'bookworm' });
    expect(splitDistro('opensuse-tumbleweed')).toEqual({ id: 'opensuse-tumbleweed' });
    expect(joinDistro('debian', 'bookworm')).toBe('debian-bookworm');
    expect(joinDistro('opensuse', 'tumbleweed')).toBeUndefined();
    expect(joinDistro('my-distro', 'edge')).toBeUndefined();
  });

  it('splits kernel append strings like a shell, keeping quoted values together', () => {
    expect(splitCmdline('  quiet  console=ttyS0,115200 foo="a b" ')).toEqual([
      'quiet',
      'console=ttyS0,115200',
      'foo="a b"',
    ]);
    expect(splitCmdline('')).toEqual([]);
  });

  it('reads sizes with units and writes them back exactly', () => {
    expect(parseSize('20 GiB')).toBe(20 * 1024 ** 3);
    expect(parseSize('500MiB')).toBe(500 * 1024 ** 2);
    expect(parseSize('1 GB')).toBe(1e9);
    expect(parseSize(4096)).toBe(4096);
    expect(parseSize('lots')).toBeUndefined();
    expect(parseSize('5 parsecs')).toBeUndefined();
    expect(formatSize(20 * 1024 ** 3)).toBe('20 GiB');
    expect(formatSize(1e9)).toBe(1e9);
  });

  it('applies osbuild path policies', () => {
    expect(mountpointViolation('/var/log')).toBeUndefined();
    expect(mountpointViolation('/usr')).toBeUndefined();
    expect(mountpointViolation('/usr/local')).toMatch(/only \/usr/);
    expect(mountpointViolation('/etc/x')).toMatch(/\/etc/);
    expect(mountpointViolation('/var//log')).toMatch(/canonical/);
    expect(directoryViolation('/usr/local/share/x')).toBeUndefined();
    expect(directoryViolation('/usr/share/x')).toMatch(/\/usr/);
    expect(fileViolation('/etc/shadow')).toMatch(/managed/);
    expect(fileViolation('/etc/motd')).toBeUndefined();
  });

  it('recognises the dialects', () => {
    expect(unwrap({ name: 'x' }).dialect).toBe('blueprint');
    expect(unwrap({ blueprint: { name: 'x' } }).dialect).toBe('bib-legacy');
    expect(unwrap({ name: 'ci', blueprint: {}, options: {} }).dialect).toBe('build-config');
  });

  it('reports wrong types without crashing', () => {
    expect(codes({ packages: 'vim' })).toContain('IMGC2004');
    expect(codes({ customizations: { hostname: 5 } })).toContain('IMGC2004');
    expect(codes([1, 2])).toEqual(['IMGC2002']);
  });

  it('enforces the disk layout rules', () => {
    const twoContainers = {
      customizations: {
        disk: {
          partitions: [
            { type: 'lvm', minsize: 1, logical_volumes: [{ name: 'a', minsize: 1, mountpoint: '/boot' }] },
            { type: 'btrfs', minsize: 1, subvolumes: [] },
          ],
        },
      },
    };
    const found = codes(twoContainers);
    expect(found.filter((c) => c === 'IMGC2015').length).toBeGreaterThanOrEqual(2);
    expect(found).toContain('IMGC2005');
  });

  it('merges the legacy sshkey into the user, the user key first', () => {
    const ctx = lowerBlueprint(
      { customizations: { sshkey: [{ user: 'a', key: 'old' }], user: [{ name: 'a', key: 'new' }] } },
      'f',
      {},
    );
    expect(ctx.ir.accounts.users).toEqual([{ name: 'a', groups: [], sshKeys: ['new', 'old'] }]);
    expect(ctx.diagnostics.map((d) => d.code)).toEqual(['IMGC2017']);
  });

  it('keeps osbuild-only customizations verbatim and unknown keys where they were', () => {
    const ctx = lowerBlueprint({ customizations: { sshd: { permit_root_login: false }, wat: 1 } }, 'f', {});
    expect(ctx.ir.extensions.blueprint).toEqual({
      customizations: { sshd: { permit_root_login: false } },
      unknown: { '/customizations/wat': 1 },
    });
  });
});

describe('blueprint lowering: a build config ostree options (decision 0112)', () => {
  const lower = (ostree: unknown, extra: Record<string, unknown> = {}) =>
    lowerBlueprint({ name: 'ci', blueprint: { name: 'b' }, options: { ostree, ...extra } }, 'f', {}).ir;

  it('makes an ostree-commit of a ref, and an ostree-disk when there is a URL to pull', () => {
    const commit = lower({ ref: 'test/fedora/iot', parent: 'abc' });
    expect(commit.outputs).toEqual([
      { type: 'ostree-commit', ostree: { ref: 'test/fedora/iot', parent: 'abc' } },
    ]);
    expect(commit.extensions.blueprint).toMatchObject({ wrapper: { name: 'ci' } });
    const disk = lower({ url: 'http://example.com/repo' }, { bootc: { x: 1 } });
    expect(disk.outputs).toEqual([{ type: 'ostree-disk', ostree: { url: 'http://example.com/repo' } }]);
    expect(disk.extensions.blueprint).toMatchObject({
      wrapper: { name: 'ci', options: { bootc: { x: 1 } } },
    });
  });

  it('keeps ostree options it does not know as they were', () => {
    const ir = lower({ ref: 'a/b', rhsm: true });
    expect(ir.outputs).toEqual([]);
    expect(ir.extensions.blueprint).toMatchObject({
      wrapper: { options: { ostree: { ref: 'a/b', rhsm: true } } },
    });
  });
});
