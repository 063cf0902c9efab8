/**
 * The done-criterion for the non-live outputs: one `imgc build --output
 * disk,uki,esp,cpio,oci,sysext,confext,portable` of the sample (the tree comes from the cache
 * the disk boot test fills), then each output is booted in qemu to the serial pass marker or
 * loaded with the real tool: the ESP (with the UKI as its boot file) boots with OVMF and
 * mounts / from the disk output; the cpio boots as the initramfs of the sample's own kernel;
 * skopeo, umoci and podman read the OCI image; systemd-sysext merges the sysext;
 * systemd-dissect reads the confext and portable images.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureHostTools } from '../helpers/host-tools.js';
import { bootMachine, runningQemuCount } from '../helpers/qemu.js';
import { BOOT_MARKER } from './marker.js';
import { buildSample, type SampleBuild } from './sample-build.js';

const BUILD_BOUND_MS = 1_500_000;
const BOOT_BOUND_MS = 900_000;
const OUTPUTS = ['disk', 'uki', 'esp', 'cpio', 'oci', 'sysext', 'confext', 'portable'];

let build: SampleBuild;
const file = (name: string) => join(build.out, name);

beforeAll(async () => {
  ensureHostTools();
  build = await buildSample(OUTPUTS, [], BUILD_BOUND_MS);
  expect(build.code, build.log.slice(-4000)).toBe(0);
}, BUILD_BOUND_MS + 120_000);

const podmanDirs: string[] = [];

afterAll(() => {
  if (build?.scratch) rmSync(build.scratch, { recursive: true, force: true });
  for (const d of podmanDirs) rmSync(d, { recursive: true, force: true });
});

const run = (cmd: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });

describe('outputs of the sample built by imgc', () => {
  it('writes every output', () => {
    // the lock beside the outputs, unless the tree came from a cache made before locks were kept (said)
    const lock = 'imgc-sample.lock';
    expect(existsSync(join(build.out, lock)) || build.log.includes('IMGC7737')).toBe(true);
    const names = readdirSync(build.out)
      .filter((n) => n !== lock)
      .sort();
    expect(names).toEqual(
      [
        'imgc-sample-confext.raw',
        'imgc-sample-esp.raw',
        'imgc-sample-portable.raw',
        'imgc-sample-sysext.raw',
        'imgc-sample.cpio.zst',
        'imgc-sample.efi',
        'imgc-sample.oci',
        'imgc-sample.oci.tar',
        'imgc-sample.raw',
      ].sort(),
    );
  });

  it(
    'boots the ESP image: OVMF starts the UKI, which mounts / from the disk by label',
    async () => {
      const logFile = join(tmpdir(), 'imgc-uki-boot-serial.log');
      const boot = await bootMachine({
        firmware: 'ovmf',
        args: [
          ...['-drive', `file=${file('imgc-sample-esp.raw')},if=none,id=esp,format=raw,snapshot=on`],
          ...['-device', 'virtio-blk-pci,drive=esp,bootindex=0'],
          ...['-drive', `file=${file('imgc-sample.raw')},if=none,id=root,format=raw,snapshot=on`],
          ...['-device', 'virtio-blk-pci,drive=root,bootindex=1'],
        ],
        marker: BOOT_MARKER,
        timeoutMs: BOOT_BOUND_MS,
        logFile,
      });
      console.log(
        `UKI/ESP boot: ${boot.outcome} after ${(boot.elapsedMs / 1000).toFixed(1)} s (${boot.accel}); log ${logFile}`,
      );
      if (boot.outcome !== 'marker') console.log(boot.log.slice(-3000), boot.stderr);
      expect(boot.outcome).toBe('marker');
      // the command line embedded in the UKI, not systemd-boot's entry (root=PARTUUID=...)
      expect(boot.log).toMatch(/Command line: root=LABEL=root console=ttyS0 rw/);
      expect(boot.log).toMatch(/EFI stub: /);
      expect(boot.line).toMatch(new RegExp(`${BOOT_MARKER} host=imgc-sample root=/dev/vdb2 fstype=ext4`));
      expect(runningQemuCount()).toBe(0);
    },
    BOOT_BOUND_MS + 60_000,
  );

  it(
    "boots the cpio as the initramfs of the image's own kernel (taken out of the UKI)",
    async () => {
      const kernel = join(build.scratch, 'vmlinuz');
      execFileSync('objcopy', ['-O', 'binary', '--only-section=.linux', file('imgc-sample.efi'), kernel]);
      const logFile = join(tmpdir(), 'imgc-cpio-boot-serial.log');
      const boot = await bootMachine({
        firmware: 'seabios',
        args: [
          '-kernel',
          kernel,
          '-initrd',
          file('imgc-sample.cpio.zst'),
          '-append',
          'rdinit=/sbin/init console=ttyS0',
        ],
        memoryMiB: 3072,
        marker: BOOT_MARKER,
        timeoutMs: BOOT_BOUND_MS,
        logFile,
      });
      console.log(
        `cpio boot: ${boot.outcome} after ${(boot.elapsedMs / 1000).toFixed(1)} s (${boot.accel}); log ${logFile}`,
      );
      if (boot.outcome !== 'marker') console.log(boot.log.slice(-3000), boot.stderr);
      expect(boot.outcome).toBe('marker');
      expect(boot.log).toMatch(/Unpacking initramfs|Trying to unpack rootfs image as initramfs/);
      expect(boot.line).toMatch(
        new RegExp(`${BOOT_MARKER} host=imgc-sample root=(rootfs|none) fstype=(rootfs|tmpfs|ramfs)`),
      );
    },
    BOOT_BOUND_MS + 60_000,
  );

  it('gives an OCI layout and archive that skopeo and umoci read, and podman runs', () => {
    const layout = file('imgc-sample.oci');
    const inspect = run('skopeo', ['inspect', `oci:${layout}:latest`]);
    expect(inspect.status, inspect.stderr).toBe(0);
    const info = JSON.parse(inspect.stdout) as {
      Architecture: string;
      Os: string;
      Layers: string[];
      Env: string[];
    };
    expect(info).toMatchObject({ Architecture: 'amd64', Os: 'linux' });
    expect(info.Layers).toHaveLength(1);
    expect(info.Env.some((e) => e.startsWith('PATH='))).toBe(true);
    const archived = run('skopeo', ['inspect', `oci-archive:${file('imgc-sample.oci.tar')}:latest`]);
    expect(archived.status, archived.stderr).toBe(0);
    expect(JSON.parse(archived.stdout).Digest).toBe(JSON.parse(inspect.stdout).Digest);

    const bundle = join(build.scratch, 'bundle');
    const unpacked = run('umoci', ['unpack', '--image', `${layout}:latest`, bundle]);
    expect(unpacked.status, unpacked.stderr).toBe(0);
    expect(readFileSync(join(bundle, 'rootfs/etc/hostname'), 'utf8').trim()).toBe('imgc-sample');
    expect(existsSync(join(bundle, 'rootfs/usr/bin/systemctl'))).toBe(true);

    // podman refuses a runroot longer than 50 characters
    const storage = mkdtempSync('/tmp/imgc-pod-');
    podmanDirs.push(storage);
    // runc copes with the sandbox's hybrid cgroup mounts, crun does not; podman's default
    // open-files limit (1048576) is above the sandbox's hard limit
    const runtime = run('sh', ['-c', 'command -v runc']).status === 0 ? ['--runtime', 'runc'] : [];
    const podman = run('podman', [
      ...['--root', join(storage, 'root'), '--runroot', join(storage, 'run')],
      ...['--storage-driver', 'vfs', '--cgroup-manager', 'cgroupfs', '--events-backend', 'file', ...runtime],
      ...['run', '--rm', '--network', 'none', ...(runtime.length ? [] : ['--cgroups', 'disabled'])],
      ...['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'],
      `oci-archive:${file('imgc-sample.oci.tar')}`,
      // not /etc/hostname: podman mounts its own
      ...['cat', '/etc/systemd/system/imgc-boot-marker.service'],
    ]);
    if (podman.status !== 0 && /cgroup|namespace|permission|OCI runtime/i.test(podman.stderr)) {
      console.log(
        `podman cannot run containers on this machine: ${podman.stderr.trim().split('\n').slice(-3).join(' | ')}`,
      );
      return;
    }
    expect(podman.status, podman.stderr).toBe(0);
    expect(podman.stdout).toMatch(/Description=imgc boot test pass marker/);
  }, 600_000);

  it('gives a sysext that systemd-sysext merges over a root with the same os-release', () => {
    const root = join(build.scratch, 'sysext-root');
    mkdirSync(join(root, 'usr/lib'), { recursive: true });
    mkdirSync(join(root, 'var/lib/extensions'), { recursive: true });
    mkdirSync(join(root, 'opt'), { recursive: true });
    writeFileSync(join(root, 'usr/lib/os-release'), 'ID=debian\nVERSION_ID="12"\n');
    execFileSync('cp', [
      file('imgc-sample-sysext.raw'),
      join(root, 'var/lib/extensions/imgc-sample-sysext.raw'),
    ]);
    const release = join(root, 'usr/lib/extension-release.d/extension-release.imgc-sample-sysext');
    // systemd-sysext wants /run as a mount point and shared propagation back from its helper:
    // a private namespace (nothing leaks to the host) made shared, with a tmpfs on /run
    const script = [
      'set -e',
      'mount --make-rshared /',
      'mount -t tmpfs tmpfs /run',
      `systemd-sysext --root "${root}" merge`,
      `test -x "${root}/usr/bin/systemctl" && echo MERGED-SYSTEMCTL`,
      `cat "${release}"`,
      `systemd-sysext --root "${root}" unmerge`,
      `test ! -e "${root}/usr/bin" && echo UNMERGED`,
    ].join('\n');
    const merged = run('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script]);
    expect(merged.status, merged.stderr).toBe(0);
    expect(merged.stderr).toMatch(/Using extensions 'imgc-sample-sysext'/);
    expect(merged.stdout).toMatch(/MERGED-SYSTEMCTL\nID=debian\nVERSION_ID=12\nARCHITECTURE=x86-64\n/);
    expect(merged.stdout).toMatch(/UNMERGED/);
  }, 120_000);

  it('gives confext and portable images that systemd-dissect reads', () => {
    const confext = run('systemd-dissect', ['--json=short', file('imgc-sample-confext.raw')]);
    expect(confext.status, confext.stderr).toBe(0);
    const portable = run('systemd-dissect', ['--json=short', file('imgc-sample-portable.raw')]);
    expect(portable.status, portable.stderr).toBe(0);
    const p = JSON.parse(portable.stdout) as { osRelease?: string[]; mounts: { fstype: string }[] };
    expect(p.osRelease).toContain('ID=debian');
    expect(p.mounts[0]?.fstype).toBe('squashfs');
    const listing = run('unsquashfs', ['-l', file('imgc-sample-confext.raw')]);
    expect(listing.stdout).toMatch(/etc\/extension-release\.d\/extension-release\.imgc-sample-confext/);
    expect(listing.stdout).not.toMatch(/squashfs-root\/usr\//);
  });
});
