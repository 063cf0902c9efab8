/**
 * Issue 22 on the sample (Debian 12), on the cached tree the reproducible test shares (same
 * SOURCE_DATE_EPOCH; system.initrd is planned after the tree-cache point):
 * - an initrd taken from the initrd cache is byte-identical to one mkinitramfs makes afresh;
 * - a disk whose initrd has the `vm` profile (MODULES=list) boots under qemu to the marker.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageIR } from '../../src/ir/schema.js';
import { ensureHostTools } from '../helpers/host-tools.js';
import { bootDisk, runningQemuCount } from '../helpers/qemu.js';
import { BOOT_MARKER } from './marker.js';
import { buildSample, type SampleBuild } from './sample-build.js';

const BUILD_BOUND_MS = 1_200_000;
const BOOT_BOUND_MS = 420_000;
const EPOCH = '1700000000';
const asRoot = process.getuid?.() === 0;
if (!asRoot) console.warn('SKIPPED: sample builds need root');

const vm = (ir: ImageIR) => {
  ir.system.initrd = { ...(ir.system.initrd ?? {}), profile: 'vm' };
};
const builds: SampleBuild[] = [];
afterAll(() => {
  for (const b of builds) rmSync(b.scratch, { recursive: true, force: true });
});

function only(dir: string, suffix: string, unless = '-esp.raw'): string {
  const found = readdirSync(dir).filter(
    (f) => f.endsWith(suffix) && (suffix === unless || !f.endsWith(unless)),
  );
  expect(found, `${suffix} in ${dir}`).toHaveLength(1);
  return join(dir, found[0]!);
}

/** Paths and sizes in the ESP of a GPT disk image (its first partition), from mtools. */
function espOffset(disk: string): number {
  const table = JSON.parse(spawnSync('sfdisk', ['--json', disk], { encoding: 'utf8' }).stdout) as {
    partitiontable: { sectorsize?: number; partitions: { start: number }[] };
  };
  return table.partitiontable.partitions[0]!.start * (table.partitiontable.sectorsize ?? 512);
}

/** The .initrd section of the UKI on the disk's ESP. */
function ukiInitrd(disk: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'imgc-uki-'));
  try {
    const env = { ...process.env, MTOOLS_SKIP_CHECK: '1' };
    const image = `${disk}@@${espOffset(disk)}`;
    const copied = spawnSync('mcopy', ['-n', '-i', image, '::/EFI/BOOT/BOOTX64.EFI', join(dir, 'uki.efi')], {
      encoding: 'utf8',
      env,
    });
    expect(copied.status, copied.stderr).toBe(0);
    const cut = spawnSync(
      'objcopy',
      ['-O', 'binary', '--only-section=.initrd', join(dir, 'uki.efi'), join(dir, 'initrd')],
      { encoding: 'utf8' },
    );
    expect(cut.status, cut.stderr).toBe(0);
    return readFileSync(join(dir, 'initrd'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function build(outputs: string[], extra: string[], change: ((ir: ImageIR) => void) | string) {
  const b = await buildSample(outputs, extra, BUILD_BOUND_MS, change);
  builds.push(b);
  expect(b.code, b.log.slice(-4000)).toBe(0);
  return b;
}

describe.runIf(asRoot)('the initrd cache and the vm initrd profile on the sample', () => {
  let fresh: SampleBuild | undefined;
  beforeAll(() => {
    ensureHostTools();
    process.env.SOURCE_DATE_EPOCH = EPOCH;
  });
  afterAll(() => {
    delete process.env.SOURCE_DATE_EPOCH;
  });

  it(
    'reuses an initrd byte-identical to a fresh one (under SOURCE_DATE_EPOCH)',
    async () => {
      // one tree, two outputs: the ESP is compared below, the disk is booted by the next test
      fresh = await build(['esp', 'disk'], ['--no-initrd-cache'], vm);
      const definition = join(fresh.scratch, 'image.json');
      expect(fresh.log).not.toMatch(/initrd cache hit/);
      expect(fresh.log).toMatch(/initrd \(initramfs-tools, gzip, profile vm: \d+ guest drivers only\)/);
      await build(['esp'], [], definition); // stores it, unless an earlier run did
      const reused = await build(['esp'], [], definition);
      expect(reused.log).toMatch(/initrd \(initramfs-tools.*\): initrd cache hit [0-9a-f]{32}/);
      const [a, b] = [only(fresh.out, '-esp.raw'), only(reused.out, '-esp.raw')];
      const [freshInitrd, reusedInitrd] = [ukiInitrd(a), ukiInitrd(b)];
      console.log(`vm initrd: ${freshInitrd.length} bytes`);
      // gzip magic; the sample's MODULES=most initrd is ~36 MB
      expect(freshInitrd.subarray(0, 2).toString('hex')).toBe('1f8b');
      expect(freshInitrd.length).toBeLessThan(20_000_000);
      expect(reusedInitrd.equals(freshInitrd)).toBe(true);
      expect(readFileSync(b).equals(readFileSync(a))).toBe(true);
    },
    3 * BUILD_BOUND_MS,
  );

  it(
    'boots a disk with the vm profile initrd under qemu to the marker',
    async () => {
      const b = fresh ?? (await build(['disk'], ['--no-initrd-cache'], vm));
      const logFile = join(tmpdir(), 'imgc-initrd-vm-serial.log');
      const boot = await bootDisk({
        disk: only(b.out, '.raw'),
        marker: BOOT_MARKER,
        timeoutMs: BOOT_BOUND_MS,
        logFile,
      });
      console.log(
        `boot: ${boot.outcome} after ${(boot.elapsedMs / 1000).toFixed(1)} s (${boot.accel}); ${logFile}`,
      );
      if (boot.outcome !== 'marker') console.log(b.log.slice(-3000), boot.log.slice(-3000), boot.stderr);
      expect(boot.outcome).toBe('marker');
      expect(boot.log).toMatch(new RegExp(`${BOOT_MARKER} host=imgc-sample root=/dev/vda2 fstype=ext4`));
      expect(runningQemuCount()).toBe(0);
    },
    BOOT_BOUND_MS + BUILD_BOUND_MS + 60_000,
  );
});
