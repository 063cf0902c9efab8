/**
 * How outputs become plan steps: every buildable type, the KIWI and mkosi image types mapped
 * through their readers, and coded errors (never a fallback) for what cannot be built.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BackendRegistry } from '../../src/backends/registry.js';
import { loadDefinition } from '../../src/formats/load.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { emptyIr } from '../../src/ir/empty.js';
import { mergeProfiles } from '../../src/ir/profiles.js';
import type { ImageIR, Output, OutputType } from '../../src/ir/schema.js';
import { compressionOf, ukiCmdline, volumeIdOf } from '../../src/plan/output-steps.js';
import { planBuild } from '../../src/plan/planner.js';
import type { PlanStep, StepOptions } from '../../src/plan/steps.js';
import { repoRoot } from '../helpers/shared.js';
import { fakeHost } from './fake-host.js';

const backends = new BackendRegistry();
const scratch = mkdtempSync(join(tmpdir(), 'imgc-output-plan-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function baseIr(): ImageIR {
  const ir = emptyIr();
  ir.metadata = { name: 'probe' };
  ir.distribution = { id: 'debian', release: 'bookworm', architecture: 'x86_64' };
  ir.packages.install.push({ name: 'systemd' });
  ir.system.kernel.cmdline = ['console=ttyS0'];
  return ir;
}

async function plan(ir: ImageIR, outputs?: OutputType[], options: Record<string, string> = {}) {
  return planBuild({
    ir,
    backends,
    host: fakeHost(),
    sourceDir: scratch,
    sourceDateEpoch: 1_700_000_000,
    options,
    ...(outputs ? { outputs } : {}),
  });
}

const last = (steps: PlanStep[]) => steps[steps.length - 1]!;
const codes = (ds: { code: string }[]) => ds.map((d) => d.code);

describe('output steps', () => {
  const expected: [OutputType, string, string][] = [
    ['cpio', 'output-cpio', 'probe.cpio.zst'],
    ['uki', 'assemble-uki', 'probe.efi'],
    ['esp', 'assemble-esp', 'probe-esp.raw'],
    ['iso', 'assemble-iso', 'probe.iso'],
    ['pxe', 'assemble-pxe', 'probe-pxe'],
    ['oci', 'output-oci', 'probe.oci'],
    ['sysext', 'output-extension', 'probe-sysext.raw'],
    ['confext', 'output-extension', 'probe-confext.raw'],
    ['portable', 'output-extension', 'probe-portable.raw'],
  ];
  for (const [type, stepType, name] of expected) {
    it(`plans ${type} as a ${stepType} step named ${name}`, async () => {
      const { plan: p, diagnostics } = await plan(baseIr(), [type], { 'pxe-url': 'http://10.0.2.2:8080/' });
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(last(p!.steps).type).toBe(stepType);
      expect((last(p!.steps).options as { name: string }).name).toBe(name);
      expect(last(p!.steps).executor).toBe('core');
    });
  }

  it('adds the live boot stack after the cache point for iso and pxe only, keeping the disk tree ids, and caches the tree with it', async () => {
    const disk = (await plan(baseIr(), ['disk'])).plan!;
    const iso = (await plan(baseIr(), ['iso', 'pxe'], { 'pxe-url': 'http://x/' })).plan!;
    const live = iso.steps.find((s) => s.type === 'install-packages')!;
    expect((live.options as StepOptions<'install-packages'>).packages).toEqual(['live-boot']);
    const cachedDisk = disk.steps.filter((s) => s.cache).map((s) => s.id);
    const cachedIso = iso.steps.filter((s) => s.cache).map((s) => s.id);
    // the disk's cached trees, then the one with the live stack in it (decision 0144)
    expect(cachedIso).toEqual([...cachedDisk, live.id]);
    const types = iso.steps.map((s) => s.type);
    expect(types.indexOf('install-packages')).toBe(types.indexOf('finalize') - 1);
    expect(disk.steps.some((s) => s.type === 'install-packages')).toBe(false);
  });

  it('gives the UKI a root= and rw unless the definition sets them, and passes the signing hook', async () => {
    expect(ukiCmdline(['console=ttyS0'])).toEqual(['root=LABEL=root', 'rw', 'console=ttyS0']);
    expect(ukiCmdline(['root=/dev/sda2', 'ro'])).toEqual(['root=/dev/sda2', 'ro']);
    const ir = baseIr();
    ir.boot = { secureBoot: { enabled: true } };
    const unsigned = await plan(ir, ['uki']);
    expect(codes(unsigned.diagnostics)).toContain('IMGC7607');
    const signed = await plan(ir, ['uki'], { 'sign-command': 'sbsign --key k --cert c --output "$1" "$1"' });
    expect(codes(signed.diagnostics)).not.toContain('IMGC7607');
    expect((last(signed.plan!.steps).options as StepOptions<'assemble-uki'>).signCommand).toContain('sbsign');
  });

  it('warns when the PXE bundle has no URL and refuses non-squashfs live roots', async () => {
    const noUrl = await plan(baseIr(), ['pxe']);
    expect(codes(noUrl.diagnostics)).toContain('IMGC7611');
    const ir = baseIr();
    ir.outputs = [{ type: 'iso', filesystem: 'ext4' }];
    const bad = await plan(ir);
    expect(bad.plan).toBeUndefined();
    expect(bad.diagnostics.find((d) => d.code === 'IMGC7609')).toMatchObject({ pointer: '/outputs/0' });
  });

  it('takes the OCI config from the container settings', async () => {
    const ir = baseIr();
    ir.outputs = [
      {
        type: 'oci',
        container: {
          tag: 'v1',
          user: 'nobody',
          entrypoint: ['/bin/sh', '-c'],
          cmd: ['echo hi'],
          env: { FOO: 'bar' },
          labels: { a: 'b' },
          exposedPorts: ['80'],
          maintainer: 'me',
        },
      },
    ];
    const o = last((await plan(ir)).plan!.steps).options as StepOptions<'output-oci'>;
    expect(o).toMatchObject({
      architecture: 'amd64',
      tag: 'v1',
      config: {
        user: 'nobody',
        entrypoint: ['/bin/sh', '-c'],
        cmd: ['echo hi'],
        env: ['FOO=bar'],
        labels: { a: 'b', 'org.opencontainers.image.authors': 'me' },
        exposedPorts: ['80'],
      },
    });
  });

  it('regenerates the initrd only when the IR says how, with the generator it names', async () => {
    expect((await plan(baseIr(), ['disk'])).plan!.steps.some((s) => s.type === 'make-initrd')).toBe(false);
    const ir = baseIr();
    ir.system.initrd = { generator: 'dracut', compression: 'xz', drivers: ['virtio_blk'] };
    const p = (await plan(ir, ['disk'])).plan!;
    const step = p.steps.find((s) => s.type === 'make-initrd')!;
    expect(step.options).toMatchObject({ generator: 'dracut', compression: 'xz', drivers: ['virtio_blk'] });
    expect(step.executor).toBe('core');
    ir.system.initrd = { generator: 'mkinitcpio', compression: 'zstd' };
    expect(codes((await plan(ir, ['disk'])).diagnostics)).toContain('IMGC7612');
  });

  it('plans the vm initrd profile only when the IR names it, saying what it holds and what it will not boot', async () => {
    const ir = baseIr();
    ir.system.initrd = { profile: 'vm', drivers: ['virtio_net'] };
    const r = await plan(ir, ['disk']);
    const step = r.plan!.steps.find((s) => s.type === 'make-initrd')!;
    expect(step.title).toBe('initrd (initramfs-tools, gzip, profile vm: 12 guest drivers only)');
    expect(step.options).toMatchObject({ profile: 'vm', drivers: ['virtio_net'] });
    expect((step.options as StepOptions<'make-initrd'>).vmDrivers).toEqual(
      expect.arrayContaining(['virtio_blk', 'virtio_scsi', 'virtio_pci', 'sd_mod', 'nvme', 'ahci', 'ext4']),
    );
    const note = r.diagnostics.find((d) => d.code === 'IMGC7800')!;
    expect(note.message).toMatch(
      /will not boot a machine whose disk or root filesystem needs another driver/,
    );
    expect(note.pointer).toBe('/system/initrd/profile');
    ir.system.initrd = { drivers: ['virtio_net'] };
    const plain = (await plan(ir, ['disk'])).plan!.steps.find((s) => s.type === 'make-initrd')!;
    expect(plain.options).not.toHaveProperty('profile');
    expect(codes((await plan(ir, ['disk'])).diagnostics)).not.toContain('IMGC7800');
  });

  it('reports outputs that cannot be built with a code and the output pointer', async () => {
    const cases: [Output, string][] = [
      [{ type: 'installer' as const }, 'IMGC7600'],
      [{ type: 'wsl' as const }, 'IMGC7600'],
      [{ type: 'disk' as const, format: 'vdi' }, 'IMGC7600'],
      [{ type: 'sysext' as const, filesystem: 'btrfs' }, 'IMGC7610'],
    ];
    for (const [output, code] of cases) {
      const ir = baseIr();
      ir.outputs = [output];
      const r = await plan(ir);
      expect(r.plan, output.type).toBeUndefined();
      expect(
        r.diagnostics.find((d) => d.code === code),
        JSON.stringify(output),
      ).toMatchObject({ pointer: '/outputs/0' });
    }
  });

  it('reads compression spellings', () => {
    expect(compressionOf(undefined, 'zstd')).toBe('zstd');
    expect(compressionOf('yes', 'none')).toBe('zstd');
    expect(compressionOf('no', 'zstd')).toBe('none');
    expect(compressionOf('gz', 'zstd')).toBe('gzip');
    expect(compressionOf('tar.xz', 'none')).toBe('xz');
    expect(volumeIdOf('imgc-sample 1.0')).toBe('IMGC_SAMPLE_1_0');
  });
});

describe('KIWI and mkosi image types', () => {
  const registry = new FormatRegistry();
  const kiwiSample = readFileSync(join(repoRoot, 'samples/kiwi/debian-minimal/config.xml'), 'utf8');

  async function planFile(path: string, from: string) {
    const loaded = await loadDefinition(registry, path, { from });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    return plan(mergeProfiles(loaded.ir!), undefined, { 'pxe-url': 'http://x/' });
  }

  const kiwi: [string, string][] = [
    ['<type image="iso" firmware="efi"/>', 'assemble-iso'],
    ['<type image="pxe" filesystem="squashfs"/>', 'assemble-pxe'],
    ['<type image="kis" filesystem="squashfs"/>', 'assemble-pxe'],
    ['<type image="oci"><containerconfig name="x" tag="1"/></type>', 'output-oci'],
    ['<type image="docker"><containerconfig name="x" tag="1"/></type>', 'output-oci'],
    ['<type image="oem" filesystem="ext4" firmware="efi"/>', 'assemble-disk'],
    ['<type image="tbz"/>', 'output-tar'],
  ];
  for (const [type, stepType] of kiwi) {
    it(`KIWI ${type} → ${stepType}`, async () => {
      const dir = join(scratch, `kiwi-${stepType}-${kiwi.findIndex(([t]) => t === type)}`);
      mkdirSync(dir, { recursive: true });
      const xml = kiwiSample.replace(/<type image="oem"[\s\S]*?<\/type>/, type);
      expect(xml).not.toBe(kiwiSample);
      writeFileSync(join(dir, 'config.xml'), xml);
      const { plan: p, diagnostics } = await planFile(join(dir, 'config.xml'), 'kiwi');
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(last(p!.steps).type).toBe(stepType);
    });
  }

  const mkosi: [string, string][] = [
    ['uki', 'assemble-uki'],
    ['cpio', 'output-cpio'],
    ['esp', 'assemble-esp'],
    ['sysext', 'output-extension'],
    ['confext', 'output-extension'],
    ['portable', 'output-extension'],
  ];
  for (const [format, stepType] of mkosi) {
    it(`mkosi Format=${format} → ${stepType}`, async () => {
      const dir = join(scratch, `mkosi-${format}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, 'mkosi.conf'),
        `[Distribution]\nDistribution=debian\nRelease=bookworm\n\n[Output]\nFormat=${format}\n\n[Content]\nPackages=systemd\n`,
      );
      const { plan: p, diagnostics } = await planFile(dir, 'mkosi');
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(last(p!.steps).type).toBe(stepType);
      if (format !== 'uki' && format !== 'esp' && format !== 'cpio')
        expect((last(p!.steps).options as StepOptions<'output-extension'>).kind).toBe(format);
    });
  }
});
