import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostSources } from '../../src/backends/debian/sources.js';
import { localHost } from '../../src/backends/registry.js';
import type { Repository } from '../../src/ir/schema.js';
import { ensureHostTools } from '../helpers/host-tools.js';
import { bootMachine, runningQemuCount } from '../helpers/qemu.js';
import { runToEnd } from '../helpers/run-to-end.js';
import { repoRoot } from '../helpers/shared.js';
import { BOOT_MARKER } from './marker.js';
import { imgc, sampleIr, testCacheDir } from './sample-build.js';

const BUILD_BOUND_MS = 1_500_000;
const BOOT_BOUND_MS = 420_000;
const SHIM = join(repoRoot, 'test/boot/vmdb2-shim');

function hostMirror(): Repository[] {
  const host = localHost();
  const main = hostSources(host.readText, host.listDir).sources.find((s) => s.suites.includes('bookworm'));
  if (!main) throw new Error('the host has no apt source for bookworm');
  return [
    { id: 'host', type: 'apt', urls: [main.uris[0]!], suites: ['bookworm'], components: main.components },
  ];
}

function run(
  cmd: string,
  args: string[],
  cwd: string,
  timeoutMs: number,
): Promise<{ code: number | null; log: string }> {
  const env = { ...process.env, PATH: `${SHIM}:${process.env.PATH}` };
  return runToEnd('nice', ['-n', '10', cmd, ...args], { cwd, env, timeoutMs, keepChars: 30_000 });
}

let scratch: string;
let disk: string;
let spec: string;
let build: { code: number | null; log: string };

describe('vmdb2 builds the sample imgc writes, and it boots', () => {
  beforeAll(async () => {
    ensureHostTools();
    scratch = mkdtempSync(join(tmpdir(), 'imgc-vmdb2-boot-'));
    const definition = await sampleIr(scratch, (ir) => {
      ir.repositories = hostMirror();
    });
    const out = join(scratch, 'vmdb2');
    const written = await imgc(
      ['translate', definition, '--from', 'ir', '--to', 'vmdb2', '-O', 'vmdb2Size=2G', '-o', out],
      120_000,
    );
    expect(written.code, written.stderr).toBe(0);
    spec = readFileSync(join(out, 'image.vmdb'), 'utf8');
    const cacheDir = join(testCacheDir(), 'vmdb2');
    mkdirSync(cacheDir, { recursive: true });
    const key = createHash('sha256').update(spec).digest('hex').slice(0, 16);
    const tarball = join(cacheDir, `rootfs-${key}.tar.gz`);
    disk = join(scratch, 'disk.img');
    const t0 = Date.now();
    build = await run(
      'vmdb2',
      ['--verbose', '--output', disk, '--rootfs-tarball', tarball, 'image.vmdb'],
      out,
      BUILD_BOUND_MS,
    );
    console.log(
      `vmdb2 build: exit ${build.code} in ${((Date.now() - t0) / 1000).toFixed(1)} s (rootfs cache ${existsSync(tarball) ? 'present' : 'absent'} afterwards)`,
    );
  }, BUILD_BOUND_MS + 180_000);

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('vmdb2 accepts and builds the specification', () => {
    expect(build.code, build.log.slice(-4000)).toBe(0);
    expect(spec).toMatch(/- grub: bios/);
  });

  it(
    'boots with SeaBIOS and GRUB to the pass marker',
    async () => {
      expect(build.code).toBe(0);
      const result = await bootMachine({
        firmware: 'seabios',
        args: ['-snapshot', '-drive', `file=${disk},format=raw,if=virtio`],
        marker: BOOT_MARKER,
        timeoutMs: BOOT_BOUND_MS,
        logFile: join(scratch, 'serial.log'),
      });
      console.log(
        `vmdb2 disk boot: ${result.outcome} after ${(result.elapsedMs / 1000).toFixed(1)} s (${result.accel}): ${result.line ?? ''}`,
      );
      expect(result.outcome, result.log.slice(-3000)).toBe('marker');
      expect(result.line).toContain('host=imgc-sample');
      expect(runningQemuCount()).toBe(0);
    },
    BOOT_BOUND_MS + 30_000,
  );
});
