/**
 * Boot test: a disk made by assembleDisk from a real Debian bookworm tree boots in qemu with
 * OVMF (TCG unless KVM proves it works) through systemd-boot to a oneshot unit that prints the
 * pass marker on the serial console, with / mounted read-write from the disk's root partition.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleDisk } from '../../src/outputs/disk/index.js';
import { ensureHostTools } from '../helpers/host-tools.js';
import { bootDisk, runningQemuCount } from '../helpers/qemu.js';
import { BOOT_MARKER, ensureBootTree } from './debian-tree.js';

const BOOT_BOUND_MS = 420_000;
let scratch: string;
let tree: string;

beforeAll(async () => {
  ensureHostTools();
  scratch = mkdtempSync(join(tmpdir(), 'imgc-boot-test-'));
  tree = await ensureBootTree((m) => console.log(m));
}, 900_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('disk boot', () => {
  it(
    'boots the assembled Debian disk in qemu (OVMF, systemd-boot) to the pass marker',
    async () => {
      const workDir = join(scratch, 'work');
      mkdirSync(workDir);
      const disk = join(scratch, 'debian.raw');
      const t0 = Date.now();
      const result = await assembleDisk({
        tree,
        output: disk,
        workDir,
        cmdline: ['console=ttyS0'],
        os: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
      });
      console.log(`disk assembled in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${result.sizeBytes} bytes`);
      const root = result.partitions.find((p) => p.role === 'root')!;

      const logFile = join(tmpdir(), 'imgc-boot-test-serial.log');
      const boot = await bootDisk({ disk, marker: BOOT_MARKER, timeoutMs: BOOT_BOUND_MS, logFile });
      console.log(
        `boot: ${boot.outcome} after ${(boot.elapsedMs / 1000).toFixed(1)} s (${boot.accel}); serial log ${logFile}`,
      );
      if (boot.outcome !== 'marker') console.log(boot.log.slice(-3000), boot.stderr);

      expect(boot.outcome).toBe('marker');
      expect(boot.log).toContain(`root=PARTUUID=${root.uuid}`);
      expect(boot.line).toMatch(new RegExp(`${BOOT_MARKER} root=/dev/vda2 fstype=ext4 options=rw`));
      expect(runningQemuCount()).toBe(0);
    },
    BOOT_BOUND_MS + 120_000,
  );
});
