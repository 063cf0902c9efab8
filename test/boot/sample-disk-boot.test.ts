import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageIR } from '../../src/ir/schema.js';
import { ensureHostTools } from '../helpers/host-tools.js';
import { bootDisk, runningQemuCount } from '../helpers/qemu.js';
import { BOOT_MARKER, markerUnit, markerUnitPath, markerWantsPath } from './marker.js';
import { imgc, sampleDefinition, testCacheDir } from './sample-build.js';

const FIRST_BOOT_MARKER = 'IMGC-FIRST-BOOT-RAN';

const sample = sampleDefinition;
const BUILD_BOUND_MS = 1_200_000;
const BOOT_BOUND_MS = 420_000;

let scratch: string;
let disk: string;
let buildLog: string;

beforeAll(async () => {
  ensureHostTools();
  scratch = mkdtempSync(join(tmpdir(), 'imgc-sample-boot-'));
  const inspected = await imgc(['inspect', sample, '--json'], 60_000);
  expect(inspected.code, inspected.stderr).toBe(0);
  const ir = (JSON.parse(inspected.stdout) as { ir: ImageIR }).ir;
  ir.files.push({ path: markerUnitPath, content: markerUnit, mode: '0644' });
  ir.symlinks.push({ path: markerWantsPath, target: markerUnitPath });
  // planned after the tree-cache point: the cached tree of the other sample tests still serves
  ir.scripts.push({
    phase: 'first-boot',
    chroot: true,
    name: 'boot-test',
    network: false,
    body: `echo "${FIRST_BOOT_MARKER} phase=$IMGC_PHASE host=$(cat /etc/hostname)"\n`,
  });
  const definition = join(scratch, 'image.json');
  writeFileSync(definition, JSON.stringify(ir, null, 2));
  const out = join(scratch, 'out');
  mkdirSync(out);
  const t0 = Date.now();
  const built = await imgc(
    [
      'build',
      definition,
      '--from',
      'ir',
      '--output',
      'disk',
      '-o',
      out,
      '--cache-dir',
      join(testCacheDir(), 'imgc'),
    ],
    BUILD_BOUND_MS,
  );
  buildLog = built.stderr;
  console.log(
    `imgc build --output disk: exit ${built.code} after ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  expect(built.code, built.stderr.slice(-4000)).toBe(0);
  const raw = readdirSync(out).filter((f) => f.endsWith('.raw'));
  expect(raw).toHaveLength(1);
  disk = join(out, raw[0]!);
}, BUILD_BOUND_MS + 120_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the sample disk built by imgc', () => {
  it(
    'boots in qemu (OVMF, systemd-boot) to the pass marker with / from its root partition, and runs the first-boot script',
    async () => {
      const logFile = join(tmpdir(), 'imgc-sample-boot-serial.log');
      // the first-boot unit starts after basic.target, long after the marker unit (local-fs.target)
      const boot = await bootDisk({ disk, marker: FIRST_BOOT_MARKER, timeoutMs: BOOT_BOUND_MS, logFile });
      console.log(
        `boot: ${boot.outcome} after ${(boot.elapsedMs / 1000).toFixed(1)} s (${boot.accel}); serial log ${logFile}`,
      );
      if (boot.outcome !== 'marker') console.log(buildLog.slice(-3000), boot.log.slice(-3000), boot.stderr);

      expect(boot.outcome).toBe('marker');
      expect(boot.log).toMatch(/systemd-boot|BdsDxe: starting/);
      expect(boot.log).toMatch(/Command line: .*root=PARTUUID=[0-9a-f-]{36}/);
      expect(boot.log).toMatch(
        new RegExp(`${BOOT_MARKER} host=imgc-sample root=/dev/vda2 fstype=ext4 options=rw`),
      );
      expect(boot.line).toMatch(new RegExp(`${FIRST_BOOT_MARKER} phase=first-boot host=imgc-sample`));
      expect(runningQemuCount()).toBe(0);
    },
    BOOT_BOUND_MS + 60_000,
  );
});
