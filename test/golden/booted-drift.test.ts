/**
 * The issue's drift criterion on a real boot: the sample disk (the shared cached tree) with a
 * first-boot script that installs a small .deb it carries, edits /etc/issue and adds a file
 * under /usr/local, then powers off. `imgc drift` on the untouched disk reports nothing; on
 * the booted disk exactly those three changes. The disk is read with debugfs, not mounted.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriftReport } from '../../src/golden/drift.js';
import type { GoldenManifest } from '../../src/golden/schema.js';
import { buildSample, imgc, type SampleBuild } from '../boot/sample-build.js';
import { ensureHostTools } from '../helpers/host-tools.js';
import { bootDisk, runningQemuCount } from '../helpers/qemu.js';

const BUILD_BOUND_MS = 1_200_000;
const BOOT_BOUND_MS = 420_000;
const DONE = 'IMGC-DRIFT-CHANGES-MADE';

/** A package with one program and its doc folder, built here with dpkg-deb. */
function demoDeb(dir: string): Buffer {
  const root = join(dir, 'deb');
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  mkdirSync(join(root, 'usr/bin'), { recursive: true });
  writeFileSync(
    join(root, 'DEBIAN/control'),
    'Package: imgc-drift-demo\nVersion: 1.0-1\nArchitecture: all\nMaintainer: imgc tests <tests@imgc.invalid>\nDescription: installed on first boot by the drift test\n',
  );
  writeFileSync(join(root, 'usr/bin/imgc-drift-demo'), '#!/bin/sh\necho demo\n');
  chmodSync(join(root, 'usr/bin/imgc-drift-demo'), 0o755);
  const deb = join(dir, 'imgc-drift-demo.deb');
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', root, deb], { stdio: 'pipe' });
  return readFileSync(deb);
}

let built: SampleBuild;
let disk: string;
let manifest: string;

async function drift(): Promise<{ code: number | null; report: DriftReport; seconds: number }> {
  const t0 = Date.now();
  const r = await imgc(['drift', manifest, disk, '--json'], 300_000);
  const seconds = (Date.now() - t0) / 1000;
  return { code: r.code, report: JSON.parse(r.stdout || '{}'), seconds };
}

beforeAll(async () => {
  ensureHostTools();
  const deb = demoDeb(join(process.env.TMPDIR ?? '/tmp', `imgc-drift-deb-${process.pid}`)).toString('base64');
  // a first-boot script is planned after the tree-cache point: the shared cached tree serves
  built = await buildSample(['disk'], ['--sbom', 'spdx,cyclonedx'], BUILD_BOUND_MS, (ir) => {
    ir.scripts.push({
      phase: 'first-boot',
      chroot: true,
      name: 'drift-changes',
      network: false,
      body: [
        'set -e',
        `echo '${deb}' | base64 -d > /run/imgc-drift-demo.deb`,
        'dpkg -i /run/imgc-drift-demo.deb',
        'echo "changed on first boot" >> /etc/issue',
        'mkdir -p /usr/local/bin && echo "#!/bin/sh" > /usr/local/bin/site-tool',
        'sync',
        `echo ${DONE} > /dev/ttyS0`,
        'systemctl poweroff --no-block',
        '',
      ].join('\n'),
    });
  });
  expect(built.code, built.log.slice(-4000)).toBe(0);
  const raw = readdirSync(built.out).filter((f) => f.endsWith('.raw'));
  expect(raw).toHaveLength(1);
  disk = join(built.out, raw[0]!);
  manifest = join(built.out, raw[0]!.replace(/\.raw$/, '.manifest.json'));
}, BUILD_BOUND_MS + 120_000);

afterAll(() => {
  if (built?.scratch) rmSync(built.scratch, { recursive: true, force: true });
});

describe('the golden files of the sample disk', () => {
  it('are all there; the SPDX and CycloneDX files validate; the manifest names the sample packages', async () => {
    const base = disk.replace(/\.raw$/, '');
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as GoldenManifest;
    expect(m.os.id).toBe('debian');
    expect(m.packages.map((p) => p.name)).toEqual(expect.arrayContaining(['systemd', 'linux-image-amd64']));
    expect(m.paths.find((p) => p.path === '/usr/bin/ls')?.package).toBe('coreutils');
    expect(readFileSync(`${base}.mtree`, 'utf8')).toMatch(/^#mtree v2.0\n/);
    expect(spawnSync('aide', ['--config-check', '-c', `${base}.aide.conf`]).status).toBe(0);
    const spdx = JSON.parse(readFileSync(`${base}.spdx.json`, 'utf8'));
    const validate = new Ajv({ strict: false }).compile(
      JSON.parse(readFileSync(join(import.meta.dirname, 'vendor/spdx-2.3.schema.json'), 'utf8')),
    );
    expect(validate(spdx), JSON.stringify(validate.errors)).toBe(true);
    expect(spdx.packages.length).toBe(m.packages.length + 1);
    const cdx = readFileSync(`${base}.cdx.json`, 'utf8');
    expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(cdx)).toBeNull();
  });
});

describe('imgc drift on the booted sample disk', () => {
  it(
    'reports nothing before the boot, and exactly the package, the /etc edit and the /usr/local file after it',
    async () => {
      const before = await drift();
      console.log(
        `imgc drift on the untouched sample disk: exit ${before.code} in ${before.seconds.toFixed(1)} s`,
      );
      expect(before.report.paths, JSON.stringify(before.report.paths?.slice(0, 20))).toEqual([]);
      expect(before.report.packages).toEqual([]);
      expect(before.code).toBe(0);

      const boot = await bootDisk({
        disk,
        marker: /reboot: Power down/,
        timeoutMs: BOOT_BOUND_MS,
        persist: true,
      });
      console.log(
        `boot, changes, power-off: ${boot.outcome} after ${(boot.elapsedMs / 1000).toFixed(1)} s (${boot.accel})`,
      );
      expect(boot.log).toContain(DONE);
      expect(['marker', 'exited']).toContain(boot.outcome);

      const after = await drift();
      console.log(
        `imgc drift on the booted sample disk: exit ${after.code} in ${after.seconds.toFixed(1)} s`,
      );
      const paths = after.report.paths.map(
        (p) => `${p.kind} ${p.origin} ${p.path}${p.package ? ` ${p.package}` : ''}`,
      );
      expect(paths).toEqual([
        'changed package /etc/issue base-files',
        'added package /usr/bin/imgc-drift-demo imgc-drift-demo',
        'added local /usr/local/bin/site-tool',
      ]);
      expect(after.report.packages).toEqual([
        { name: 'imgc-drift-demo', architecture: 'all', kind: 'installed', now: '1.0-1' },
      ]);
      expect(after.code).toBe(1 | 4);
      expect(runningQemuCount()).toBe(0);
    },
    BOOT_BOUND_MS + 700_000,
  );
});
