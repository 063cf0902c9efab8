/**
 * The done-criterion for the live outputs: one `imgc build --output iso,pxe` of the
 * sample (the disk test's cached tree plus the live-boot package), then the ISO boots from
 * -cdrom with OVMF (GRUB) and with SeaBIOS (ISOLINUX), and the PXE bundle boots by direct
 * kernel boot, its root image fetched over HTTP from a server this test runs on 127.0.0.1
 * (qemu's user network reaches it as 10.0.2.2).
 */
import { createReadStream, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureHostTools } from '../helpers/host-tools.js';
import { bootMachine, runningQemuCount } from '../helpers/qemu.js';
import { BOOT_MARKER } from './marker.js';
import { buildSample, type SampleBuild } from './sample-build.js';

const BUILD_BOUND_MS = 1_800_000;
const BOOT_BOUND_MS = 900_000;

let build: SampleBuild;
let server: Server;
let port: number;
const served: string[] = [];

beforeAll(async () => {
  ensureHostTools();
  // the port is fixed before the build: it is written into the bundle's command line
  port = await listenOn(tmpdir(), 0);
  await new Promise((resolve) => server.close(resolve));
  // the image's own initrd regenerated (make-initrd) with xz: the boots below prove it works
  build = await buildSample(
    ['iso', 'pxe'],
    ['-O', `pxe-url=http://10.0.2.2:${port}`],
    BUILD_BOUND_MS,
    (ir) => {
      ir.system.initrd = { generator: 'initramfs-tools', compression: 'xz' };
    },
  );
  expect(build.code, build.log.slice(-4000)).toBe(0);
}, BUILD_BOUND_MS + 120_000);

afterAll(() => {
  server?.close();
  if (build?.scratch) rmSync(build.scratch, { recursive: true, force: true });
});

const liveMarker = new RegExp(`${BOOT_MARKER} host=imgc-sample root=overlay fstype=overlay`);

describe('live outputs of the sample built by imgc', () => {
  it("regenerates the image's initrd with live-boot in it, xz-compressed as the IR asks", () => {
    expect(build.log).toMatch(/live boot stack: live-boot: done/);
    expect(build.log).toMatch(/initrd \(initramfs-tools, xz\): done/);
    const initrd = readFileSync(join(build.out, 'imgc-sample-pxe', 'initrd.img'));
    // an uncompressed early cpio (microcode) may come first; the main archive is xz
    const xzMagic = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);
    expect(initrd.indexOf(xzMagic)).toBeGreaterThanOrEqual(0);
    expect(initrd.indexOf(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))).not.toBe(0); // not zstd
  });

  it(
    'boots the live ISO from -cdrom with OVMF (GRUB) to the pass marker on an overlay root',
    async () => {
      const logFile = join(tmpdir(), 'imgc-iso-uefi-serial.log');
      const boot = await bootMachine({
        firmware: 'ovmf',
        args: ['-cdrom', join(build.out, 'imgc-sample.iso')],
        marker: BOOT_MARKER,
        timeoutMs: BOOT_BOUND_MS,
        logFile,
      });
      console.log(
        `ISO UEFI boot: ${boot.outcome} after ${(boot.elapsedMs / 1000).toFixed(1)} s (${boot.accel}); log ${logFile}`,
      );
      if (boot.outcome !== 'marker') console.log(boot.log.slice(-3000), boot.stderr);
      expect(boot.outcome).toBe('marker');
      expect(boot.log).toMatch(/Command line: .*boot=live/);
      expect(boot.line).toMatch(liveMarker);
      expect(runningQemuCount()).toBe(0);
    },
    BOOT_BOUND_MS + 60_000,
  );

  it(
    'boots the same ISO with SeaBIOS (ISOLINUX)',
    async () => {
      const logFile = join(tmpdir(), 'imgc-iso-bios-serial.log');
      const boot = await bootMachine({
        firmware: 'seabios',
        args: ['-cdrom', join(build.out, 'imgc-sample.iso')],
        marker: BOOT_MARKER,
        timeoutMs: BOOT_BOUND_MS,
        logFile,
      });
      console.log(
        `ISO BIOS boot: ${boot.outcome} after ${(boot.elapsedMs / 1000).toFixed(1)} s (${boot.accel}); log ${logFile}`,
      );
      if (boot.outcome !== 'marker') console.log(boot.log.slice(-3000), boot.stderr);
      expect(boot.outcome).toBe('marker');
      expect(boot.log).toMatch(/ISOLINUX|SYSLINUX/);
      expect(boot.line).toMatch(liveMarker);
    },
    BOOT_BOUND_MS + 60_000,
  );

  it(
    'boots the PXE bundle: direct kernel boot, root image over HTTP from the host loopback',
    async () => {
      const bundle = join(build.out, 'imgc-sample-pxe');
      const cmdline = readFileSync(join(bundle, 'cmdline.txt'), 'utf8').trim();
      expect(cmdline).toContain(`fetch=http://10.0.2.2:${port}/filesystem.squashfs`);
      expect(readFileSync(join(bundle, 'boot.ipxe'), 'utf8')).toMatch(/^#!ipxe\n/);
      await listenOn(bundle, port);
      const logFile = join(tmpdir(), 'imgc-pxe-serial.log');
      const boot = await bootMachine({
        firmware: 'seabios',
        args: [
          ...['-kernel', join(bundle, 'vmlinuz'), '-initrd', join(bundle, 'initrd.img'), '-append', cmdline],
          ...['-netdev', 'user,id=n0', '-device', 'virtio-net-pci,netdev=n0'],
        ],
        memoryMiB: 3072,
        marker: BOOT_MARKER,
        timeoutMs: BOOT_BOUND_MS,
        logFile,
      });
      console.log(
        `PXE boot: ${boot.outcome} after ${(boot.elapsedMs / 1000).toFixed(1)} s (${boot.accel}); log ${logFile}`,
      );
      if (boot.outcome !== 'marker') console.log(boot.log.slice(-3000), boot.stderr);
      expect(boot.outcome).toBe('marker');
      expect(served).toContain('/filesystem.squashfs');
      expect(boot.line).toMatch(liveMarker);
    },
    BOOT_BOUND_MS + 60_000,
  );
});

/** A static file server for `dir` on 127.0.0.1 (port 0 = any free one); records the paths it served. */
async function listenOn(dir: string, at: number): Promise<number> {
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!));
    const file = join(dir, path);
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    served.push(path);
    res.writeHead(200, { 'content-length': statSync(file).size });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) =>
    server.listen(at, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
}
