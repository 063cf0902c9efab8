import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { containerfileFormat } from '../../../../src/formats/containerfile/format.js';

const dir = mkdtempSync(join(tmpdir(), 'imgc-cf-lower-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function read(text: string, extra: Record<string, string> = {}) {
  const case_ = join(dir, `c${n++}`);
  mkdirSync(case_);
  writeFileSync(join(case_, 'Containerfile'), text);
  for (const [name, content] of Object.entries(extra)) {
    mkdirSync(join(case_, name, '..'), { recursive: true });
    writeFileSync(join(case_, name), content);
  }
  return containerfileFormat.reader!.read(case_, {});
}

const codes = (r: { diagnostics: { code: string }[] }) => r.diagnostics.map((d) => d.code);

describe('containerfile lowering', () => {
  it('keeps the package manager only where the base image would not give it back', async () => {
    const ext = async (text: string) =>
      ((await read(text)).ir?.extensions.containerfile as { packageManager?: string } | undefined)
        ?.packageManager;
    expect(await ext('FROM localhost/custom:1\nRUN dnf -y install vim\n')).toBe('dnf');
    expect(await ext('FROM localhost/custom:1\nRUN apt-get install -y vim\n')).toBe('apt');
    expect(await ext('FROM quay.io/fedora/fedora-bootc:43\nRUN dnf -y install vim\n')).toBeUndefined();
    // housekeeping alone puts no package into the IR
    expect(await ext('FROM localhost/custom:1\nRUN dnf clean all\n')).toBeUndefined();
    // and the writer installs with it on that base image
    const written = await containerfileFormat.writer!.write(
      (await read('FROM localhost/custom:1\nRUN dnf -y install vim\n')).ir!,
      {},
    );
    const containerfile = String(written.files.find((f) => f.path === 'Containerfile')?.content);
    expect(containerfile).toContain('FROM localhost/custom:1');
    expect(containerfile).toContain('dnf -y install vim');
  });

  it('maps known base images to distributions and keeps unknown ones', async () => {
    const cases: [string, object, string | undefined][] = [
      ['quay.io/fedora/fedora-bootc:43', { id: 'fedora', release: '43' }, undefined],
      ['quay.io/centos-bootc/centos-bootc:stream10', { id: 'centos', release: '10' }, undefined],
      ['registry.redhat.io/rhel9/rhel-bootc:9.6', { id: 'rhel', release: '9.6' }, undefined],
      ['debian:bookworm', { id: 'debian', release: 'bookworm' }, 'debian:bookworm'],
      [
        'quay.io/fedora-ostree-desktops/kinoite:44',
        { id: 'fedora', release: '44', variant: 'kinoite' },
        'quay.io/fedora-ostree-desktops/kinoite:44',
      ],
      ['ghcr.io/ublue-os/bazzite:stable', { id: 'fedora' }, 'ghcr.io/ublue-os/bazzite:stable'],
      ['quay.io/centos/centos:stream9', { id: 'centos', release: '9' }, 'quay.io/centos/centos:stream9'],
      [
        'registry.access.redhat.com/ubi9/ubi:9.4',
        { id: 'rhel', release: '9.4' },
        'registry.access.redhat.com/ubi9/ubi:9.4',
      ],
      ['ubuntu:latest', { id: 'ubuntu' }, 'ubuntu:latest'],
      ['node:20', {}, 'node:20'],
      ['example.com/own/base:1', {}, 'example.com/own/base:1'],
    ];
    for (const [image, distribution, from] of cases) {
      const r = await read(`FROM ${image}\n`);
      expect(r.ir!.distribution, image).toEqual(distribution);
      expect((r.ir!.extensions.containerfile as { from?: string } | undefined)?.from, image).toBe(from);
    }
  });

  it('says how a derivative base was inferred and that an unknown base names no distribution', async () => {
    const derived = await read('FROM ghcr.io/ublue-os/bazzite:stable\n');
    expect(codes(derived)).toContain('IMGC9020');
    expect(derived.diagnostics.find((d) => d.code === 'IMGC9020')).toMatchObject({ line: 1, column: 1 });
    const unknown = await read('FROM node:20\n');
    expect(codes(unknown)).toContain('IMGC9009');
    expect(unknown.ir!.distribution.id).toBeUndefined();
  });

  it('resolves ARG defaults in FROM and follows the stage chain to the final image', async () => {
    const r = await read(
      'ARG BASE=quay.io/fedora/fedora-bootc:42\nFROM scratch AS ctx\nCOPY x /\nFROM ${BASE} AS base\nRUN dnf -y install a\nFROM base AS final\nRUN dnf -y install b\n',
    );
    expect(r.ir!.distribution).toEqual({ id: 'fedora', release: '42' });
    expect(r.ir!.packages.install.map((p) => p.name)).toEqual(['a', 'b']);
    expect(codes(r)).toContain('IMGC9007');
    expect(r.ir!.extensions.containerfile).toMatchObject({
      globalArgs: ['BASE=quay.io/fedora/fedora-bootc:42'],
    });
    const odd = await read('ARG BASE=ghcr.io/example/os:1\nFROM ${BASE}\n');
    expect(odd.ir!.extensions.containerfile).toMatchObject({ from: '${BASE}' });
    const unset = await read('ARG BASE\nFROM ${BASE}\n');
    expect(codes(unset)).toContain('IMGC9008');
  });

  it('reads package managers of every family, with positions of each name', async () => {
    const r = await read(
      [
        'FROM quay.io/fedora/fedora-bootc:43',
        'RUN dnf5 install -y --setopt=install_weak_deps=False vim @development-tools -x nano && dnf5 clean all',
        'RUN rpm-ostree install tmux && rpm-ostree override remove firefox',
        'RUN DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl=7.88.1-10',
        'RUN zypper --non-interactive install htop pattern:base && zypper clean -a',
        'RUN pacman -Syu --noconfirm --needed git && pacman -Rns --noconfirm nano',
      ].join('\n'),
    );
    const p = r.ir!.packages;
    expect(p.install.map((x) => x.name)).toEqual(['vim', 'tmux', 'curl=7.88.1-10', 'htop', 'git']);
    expect(p.groups).toEqual([{ name: 'development-tools' }, { name: 'base', kind: 'pattern' }]);
    expect(p.exclude).toEqual([{ name: 'nano' }]);
    expect(p.remove.map((x) => x.name)).toEqual(['firefox', 'nano']);
    expect(p.installWeakDeps).toBe(false);
    expect(r.positions['/packages/install/0']).toMatchObject({ line: 2, column: 54 });
    expect(r.ir!.scripts).toEqual([]);
  });

  it('keeps what it does not understand as scripts, before or after the packages', async () => {
    const r = await read(
      'FROM quay.io/fedora/fedora-bootc:43\nRUN dnf copr enable x/y && dnf -y install z && sed -i s/a/b/ /etc/f\nRUN for f in a b; do echo $f; done\n',
    );
    expect(r.ir!.packages.install).toEqual([{ name: 'z' }]);
    expect(r.ir!.scripts.map((s) => [s.phase, s.body])).toEqual([
      ['pre-packages', 'dnf copr enable x/y'],
      ['post-install', 'sed -i s/a/b/ /etc/f'],
      ['post-install', 'for f in a b; do echo $f; done'],
    ]);
    expect(codes(r).filter((c) => c === 'IMGC9005').length).toBe(3);
  });

  it('reads services, firewall, timezone, locale files, kargs.d and FIPS', async () => {
    const r = await read(
      [
        'FROM quay.io/fedora/fedora-bootc:43',
        'RUN systemctl enable --now a.service b.socket && systemctl disable c && systemctl mask d',
        'RUN firewall-offline-cmd --add-port=22/tcp --add-service=ssh && firewall-offline-cmd --zone=trusted --add-source=10.0.0.0/8',
        'RUN ln -sf ../usr/share/zoneinfo/Europe/Berlin /etc/localtime && echo imgc > /etc/hostname',
        "COPY <<'EOF' /etc/locale.conf",
        'LANG="de_DE.UTF-8"',
        'EOF',
        'COPY 10-console.toml /usr/lib/bootc/kargs.d/',
        'RUN update-crypto-policies --no-reload --set FIPS',
      ].join('\n'),
      { '10-console.toml': 'kargs = ["console=ttyS0", "fips=1"]\nmatch-architectures = ["x86_64"]\n' },
    );
    const s = r.ir!.system;
    expect(s.services).toEqual({ enable: ['a.service', 'b.socket'], disable: ['c'], mask: ['d'] });
    expect(s.firewall).toEqual({
      ports: ['22/tcp'],
      services: { enable: ['ssh'], disable: [] },
      zones: [{ name: 'trusted', sources: ['10.0.0.0/8'] }],
    });
    expect([s.timezone, s.hostname, s.locale, s.fips]).toEqual([
      'Europe/Berlin',
      'imgc',
      'de_DE.UTF-8',
      true,
    ]);
    expect(s.kernel.cmdline).toEqual(['console=ttyS0']);
    expect(codes(r)).toContain('IMGC9013');
  });

  it('turns COPY into files, trees and repositories from the build context', async () => {
    const r = await read(
      'FROM quay.io/fedora/fedora-bootc:43\nCOPY --chmod=0755 --chown=root:wheel bin/tool /usr/local/bin/\nCOPY rootfs/ /\nCOPY my.repo /etc/yum.repos.d/\nCOPY --from=ctx /a /b\n',
      {
        'bin/tool': '#!/bin/sh\n',
        'rootfs/etc/motd': 'hi\n',
        'my.repo':
          '[my]\nname=Mine\nbaseurl=https://r.example/$basearch\n  https://mirror.example/$basearch\ngpgcheck=0\n',
      },
    );
    expect(r.ir!.files).toEqual([
      { path: '/usr/local/bin/tool', source: 'bin/tool', mode: '0755', user: 'root', group: 'wheel' },
    ]);
    expect(r.ir!.overlays).toEqual([{ source: 'rootfs', destination: '/' }]);
    expect(r.ir!.repositories).toEqual([
      {
        id: 'my',
        type: 'rpm-md',
        urls: ['https://r.example/$basearch', 'https://mirror.example/$basearch'],
        fileName: 'my.repo',
        name: 'Mine',
        gpgCheck: false,
      },
    ]);
    expect(r.files.some((f) => f.endsWith('my.repo'))).toBe(true);
    expect(r.ir!.extensions.containerfile).toMatchObject({ instructions: ['COPY --from=ctx /a /b'] });
  });

  it('reads the bootc-image-builder config beside the Containerfile', async () => {
    const r = await read('FROM quay.io/fedora/fedora-bootc:43\n', {
      'config.toml': [
        '[[customizations.user]]',
        'name = "root"',
        'key = "ssh-ed25519 AAAA root@x"',
        '[[customizations.user]]',
        'name = "alice"',
        'password = "secret"',
        'groups = ["wheel"]',
        '[customizations.kernel]',
        'append = "quiet splash"',
        '[customizations.disk]',
        'type = "gpt"',
        '[[customizations.disk.partitions]]',
        'type = "plain"',
        'mountpoint = "/boot"',
        'fs_type = "ext4"',
        'minsize = "1 GiB"',
        '[[customizations.disk.partitions]]',
        'type = "lvm"',
        'name = "vg0"',
        'minsize = 10737418240',
        '[[customizations.disk.partitions.logical_volumes]]',
        'name = "root"',
        'mountpoint = "/"',
        'fs_type = "xfs"',
        'minsize = "8 GiB"',
        '[customizations.iso]',
        'volume_id = "X"',
        '[customizations.bogus]',
        'x = 1',
      ].join('\n'),
    });
    const ir = r.ir!;
    expect(ir.accounts.root).toEqual({ sshKeys: ['ssh-ed25519 AAAA root@x'] });
    expect(ir.accounts.users).toEqual([
      { name: 'alice', groups: ['wheel'], sshKeys: [], password: { plain: 'secret' } },
    ]);
    expect(ir.system.kernel.cmdline).toEqual(['quiet', 'splash']);
    expect(ir.storage).toMatchObject({
      mode: 'explicit',
      partitionTable: 'gpt',
      partitions: [
        { mountpoint: '/boot', filesystem: 'ext4', size: { min: 1073741824 }, role: 'boot' },
        { role: 'lvm', volumeGroup: 'vg0', size: { min: 10737418240 } },
      ],
      volumeGroups: [
        {
          name: 'vg0',
          logicalVolumes: [{ name: 'root', mountpoint: '/', filesystem: 'xfs', size: { min: 8589934592 } }],
        },
      ],
    });
    expect(ir.extensions.containerfile).toMatchObject({
      config: { customizations: { iso: { volume_id: 'X' }, bogus: { x: 1 } } },
    });
    expect(codes(r)).toEqual(['IMGC9011']);
    expect(r.positions['/accounts/users/0']).toMatchObject({ line: 4 });
  });

  it('reports a missing FROM and bad config TOML as errors with positions', async () => {
    const r = await read('RUN true\n');
    expect(r.ir).toBeUndefined();
    expect(r.diagnostics[0]).toMatchObject({ code: 'IMGC9002', line: 1, column: 1 });
    const bad = await read('FROM quay.io/fedora/fedora-bootc:43\n', { 'config.toml': '[customizations\nx=' });
    expect(bad.ir).toBeUndefined();
    expect(bad.diagnostics.find((d) => d.code === 'IMGC9010')).toMatchObject({
      severity: 'error',
      column: 1,
    });
  });

  it('never throws, whatever the Containerfile says', async () => {
    const piece = fc.constantFrom(
      'FROM quay.io/fedora/fedora-bootc:43\n',
      'FROM ${X} AS a\n',
      'RUN dnf -y install a b\n',
      'RUN systemctl enable\n',
      'RUN echo > /etc/hostname\n',
      'COPY <<EOF /etc/x\n',
      'EOF\n',
      'COPY . /\n',
      'ARG X\n',
      'ENV A=b\n',
      'LABEL a\n',
      'RUN ln -s\n',
      'RUN firewall-offline-cmd --zone=\n',
      'RUN cat > /usr/lib/bootc/kargs.d/x.toml <<E\nkargs=[\nE\n',
      '\\\n',
      '"',
    );
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 12 }), async (parts) => {
        const r = await read(parts.join(''));
        expect(r.diagnostics.every((d) => d.code !== 'IMGC9001')).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

describe('containerfile lowering: the bootc-oci output (decision 0112)', () => {
  it('asks for a bootc-oci output on a bootc base or with the containers.bootc label only', async () => {
    expect((await read('FROM quay.io/fedora/fedora-bootc:42\n')).ir!.outputs).toEqual([
      { type: 'bootc-oci' },
    ]);
    expect((await read('FROM docker.io/library/debian:bookworm\n')).ir!.outputs).toEqual([]);
    const labelled = await read('FROM docker.io/library/debian:bookworm\nLABEL containers.bootc=1\n');
    expect(labelled.ir!.outputs).toEqual([{ type: 'bootc-oci' }]);
  });
});
