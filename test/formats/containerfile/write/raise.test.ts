import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { afterAll, describe, expect, it } from 'vitest';
import { containerfileFormat } from '../../../../src/formats/containerfile/format.js';
import { raiseContainerfile } from '../../../../src/formats/containerfile/write/raise.js';
import { writeOutputFiles } from '../../../../src/formats/write-files.js';
import { emptyIr } from '../../../../src/ir/empty.js';
import type { ImageIR } from '../../../../src/ir/schema.js';

const scratch = mkdtempSync(join(tmpdir(), 'imgc-cf-raise-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function ir(patch: (ir: ImageIR) => void): ImageIR {
  const x = emptyIr();
  patch(x);
  return x;
}

const text = (files: { path: string; content?: unknown }[], path: string) =>
  files.find((f) => f.path === path)?.content as string | undefined;
const lossPointers = (d: { code: string; pointer?: string }[]) =>
  d.filter((x) => x.code === 'IMGC6002').map((x) => x.pointer);

describe('containerfile writer', () => {
  it('uses the distribution family for packages and the bootc base for FROM', () => {
    const deb = raiseContainerfile(
      ir((x) => {
        x.distribution = { id: 'debian', release: 'bookworm', architecture: 'aarch64' };
        x.packages.install = [{ name: 'systemd' }, { name: 'vim' }];
        x.packages.installWeakDeps = false;
      }),
    );
    const cf = text(deb.files, 'Containerfile')!;
    expect(cf).toContain('FROM --platform=linux/arm64 docker.io/library/debian:bookworm');
    expect(cf).toContain('apt-get install -y --no-install-recommends systemd vim');
    expect(cf).not.toContain('bootc container lint');
    expect(lossPointers(deb.diagnostics)).toContain('/distribution');
    const fed = raiseContainerfile(
      ir((x) => void Object.assign(x.distribution, { id: 'fedora', release: '43' })),
    );
    expect(text(fed.files, 'Containerfile')).toMatch(/^FROM quay\.io\/fedora\/fedora-bootc:43$/m);
    expect(text(fed.files, 'Containerfile')).toContain('RUN bootc container lint');
  });

  it('writes no package command for a distribution whose package manager it does not know', () => {
    const out = raiseContainerfile(
      ir((x) => {
        x.distribution = { id: 'gentoo', release: '2.15' };
        x.packages.install = [{ name: 'app-editors/vim' }];
        x.packages.remove = [{ name: 'sys-apps/nano' }];
        x.repositories = [{ id: 'overlay', urls: ['https://example.org/overlay'] }];
      }),
    );
    const cf = text(out.files, 'Containerfile')!;
    expect(cf).not.toMatch(/\b(dnf|apt-get|zypper|pacman)\b/);
    expect(cf).not.toContain('app-editors/vim');
    const lost = out.diagnostics.filter((d) => d.code === 'IMGC6001').map((d) => d.pointer);
    expect(lost).toEqual(['/repositories/0', '/packages/install/0', '/packages/remove/0']);
    expect(lossPointers(out.diagnostics)).toContain('/distribution/id');
    // openSUSE's ids name its published images, and zypper installs (MicroOS too)
    for (const [id, from] of [
      ['opensuse-leap', 'registry.opensuse.org/opensuse/leap:15.6'],
      ['opensuse-tumbleweed', 'registry.opensuse.org/opensuse/tumbleweed:latest'],
      ['opensuse-microos', 'docker.io/library/opensuse-microos'],
    ] as const) {
      const suse = raiseContainerfile(
        ir((x) => {
          x.distribution = { id, release: '15.6' };
          x.packages.install = [{ name: 'vim' }];
        }),
      );
      expect(text(suse.files, 'Containerfile')).toContain(`FROM ${from}`);
      expect(text(suse.files, 'Containerfile')).toContain('zypper --non-interactive install vim');
    }
    // openEuler runs dnf, though the IR's family table does not list it
    const oe = raiseContainerfile(
      ir((x) => {
        x.distribution = { id: 'openeuler', release: '22.03' };
        x.packages.install = [{ name: 'vim' }];
      }),
    );
    expect(text(oe.files, 'Containerfile')).toContain('dnf -y install vim');
  });

  it('puts accounts and the disk layout into config.toml and kernel arguments into kargs.d', () => {
    const out = raiseContainerfile(
      ir((x) => {
        x.distribution = { id: 'centos', release: '10' };
        x.accounts.root = { sshKeys: ['ssh-ed25519 K root'], password: { locked: true } };
        x.accounts.users = [
          { name: 'ops', groups: ['wheel'], sshKeys: ['k1', 'k2'], uid: 1000, password: { hash: '$6$x$y' } },
        ];
        x.accounts.groups = [{ name: 'ops', gid: 1000 }];
        x.storage = {
          partitions: [],
          volumeGroups: [],
          raid: [],
          mountpoints: [{ mountpoint: '/', size: { min: 10 * 2 ** 30 } }],
        };
        x.system.kernel.cmdline = ['console=ttyS0', 'quiet'];
      }),
    );
    const config = parseToml(text(out.files, 'config.toml')!) as { customizations: Record<string, unknown> };
    expect(config.customizations.user).toEqual([
      { name: 'root', key: 'ssh-ed25519 K root' },
      { name: 'ops', password: '$6$x$y', key: 'k1\nk2', groups: ['wheel'], uid: 1000 },
    ]);
    expect(config.customizations.group).toEqual([{ name: 'ops', gid: 1000 }]);
    expect(config.customizations.filesystem).toEqual([{ mountpoint: '/', minsize: 10737418240 }]);
    expect(text(out.files, 'Containerfile')).toContain('kargs = ["console=ttyS0", "quiet"]');
  });

  it('reports what it cannot do: host scripts, late phases, content without a final newline', () => {
    const out = raiseContainerfile(
      ir((x) => {
        x.distribution = { id: 'fedora', release: '43' };
        x.scripts = [
          { phase: 'post-install', chroot: false, body: 'echo host' },
          { phase: 'first-boot', chroot: true, body: 'echo boot' },
          { phase: 'finalize', chroot: true, body: 'echo EOF\nEOF\n' },
        ];
        x.files = [{ path: '/etc/a', content: 'no newline' }];
      }),
    );
    expect(lossPointers(out.diagnostics)).toEqual(
      expect.arrayContaining(['/scripts/0', '/scripts/1', '/scripts/2/phase', '/files/0/content']),
    );
    const cf = text(out.files, 'Containerfile')!;
    expect(cf).not.toContain('echo host');
    expect(cf).toContain("RUN <<'EOF1'\necho EOF\nEOF\n\nEOF1");
    expect(text(out.files, 'files/etc/a')).toBe('no newline');
  });

  it('writes what it reads back the same way', async () => {
    const source = ir((x) => {
      x.distribution = { id: 'fedora', release: '43' };
      x.repositories = [
        { id: 'extra', urls: ['https://r.example/$basearch'], gpgCheck: false, priority: 10 },
      ];
      x.packages.install = [{ name: 'httpd' }];
      x.packages.groups = [{ name: 'core' }];
      x.packages.remove = [{ name: 'nano' }];
      x.system.services.enable = ['httpd.service'];
      x.system.timezone = 'UTC';
      x.system.locale = 'C.UTF-8';
      x.directories = [{ path: '/srv/www', mode: '0755', user: 'apache' }];
      x.symlinks = [{ path: '/etc/x', target: '/usr/share/x' }];
      x.files = [{ path: '/etc/motd', content: 'hi\n', mode: '0644' }];
      x.scripts = [{ phase: 'post-install', chroot: true, body: 'echo one\necho two' }];
    });
    const out = raiseContainerfile(source);
    const dir = join(scratch, 'roundtrip');
    await writeOutputFiles(dir, out.files);
    const back = await containerfileFormat.reader!.read(dir, {});
    expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const got = back.ir!;
    expect(got.repositories).toEqual([
      {
        id: 'extra',
        type: 'rpm-md',
        urls: ['https://r.example/$basearch'],
        fileName: 'extra.repo',
        gpgCheck: false,
        priority: 10,
      },
    ]);
    expect(got.packages.install).toEqual(source.packages.install);
    expect(got.packages.groups).toEqual(source.packages.groups);
    expect(got.packages.remove).toEqual(source.packages.remove);
    expect(got.system.services.enable).toEqual(['httpd.service']);
    expect([got.system.timezone, got.system.locale]).toEqual(['UTC', 'C.UTF-8']);
    expect(got.directories).toEqual(source.directories);
    expect(got.symlinks).toEqual(source.symlinks);
    expect(got.files).toEqual(source.files);
    expect(got.scripts).toEqual(source.scripts);
  });
});

describe('containerfile writer: outputs (decision 0112)', () => {
  it('labels a bootc-oci image on a plain base and reports other outputs as losses', () => {
    const out = raiseContainerfile(
      ir((x) => {
        x.distribution = { id: 'debian', release: 'bookworm' };
        x.outputs = [{ type: 'bootc-oci' }, { type: 'ostree-disk' }];
      }),
    );
    expect(text(out.files, 'Containerfile')).toContain('LABEL containers.bootc="1"');
    expect(lossPointers(out.diagnostics)).toContain('/outputs/1');
    expect(lossPointers(out.diagnostics)).not.toContain('/outputs/0');
    const fedora = raiseContainerfile(
      ir((x) => {
        x.distribution = { id: 'fedora', release: '43' };
        x.outputs = [{ type: 'bootc-oci' }];
      }),
    );
    expect(text(fedora.files, 'Containerfile')).not.toContain('containers.bootc');
  });
});
