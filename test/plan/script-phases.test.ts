/**
 * How the planner places every script phase: services after the files, first-boot units in
 * the tree chain before finalize (after the cache point), pre-disk and disk scripts chained to
 * the disk outputs, post-output scripts after every output, error scripts apart, clean
 * scripts outside the build; and what it reports when a phase does not run or runs
 * differently from the source tool.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { BackendRegistry } from '../../src/backends/registry.js';
import { emptyIr } from '../../src/ir/empty.js';
import type { ImageIR, Script } from '../../src/ir/schema.js';
import { outputNames, type PlanRequest, planBuild } from '../../src/plan/planner.js';
import {
  BuildPlan,
  type PlanStep,
  type StepType,
  ofType as stepOf,
  stepOptionSchemas,
} from '../../src/plan/steps.js';
import { fakeHost } from './fake-host.js';

const backends = new BackendRegistry();

function baseIr(...scripts: Script[]): ImageIR {
  const ir = emptyIr();
  ir.distribution = { id: 'debian', release: 'bookworm', architecture: 'x86_64' };
  ir.packages.install.push({ name: 'systemd' });
  ir.scripts.push(...scripts);
  return ir;
}

function request(ir: ImageIR, extra: Partial<PlanRequest> = {}): PlanRequest {
  return {
    ir,
    backends,
    host: fakeHost(),
    sourceDir: '/nonexistent',
    sourceDateEpoch: 1_700_000_000,
    ...extra,
  };
}

const types = (steps: PlanStep[]) => steps.map((s) => s.type);
const ofType = <T extends StepType>(steps: PlanStep[], type: T) => steps.filter(stepOf(type));
const codes = (ds: { code: string; pointer?: string; severity: string }[]) =>
  ds.map((d) => `${d.severity} ${d.code} ${d.pointer ?? ''}`);

describe('services and files', () => {
  it('enables services after the files and overlays are written, so a unit from the definition can be enabled', async () => {
    const ir = baseIr({ phase: 'post-install', chroot: true, body: 'true' });
    ir.files.push({ path: '/etc/systemd/system/hello.service', content: '[Service]\nExecStart=/bin/true\n' });
    ir.system.services.enable.push('hello.service');
    const { plan, diagnostics } = await planBuild(request(ir));
    expect(diagnostics).toEqual([]);
    expect(types(plan!.steps)).toEqual([
      'bootstrap',
      'configure-system',
      'write-files',
      'configure-services',
      'run-script',
      'finalize',
      'output-directory',
    ]);
    // the tree before the files is the one kept in the cache
    expect(plan!.steps.filter((s) => s.cache).map((s) => s.type)).toEqual(['bootstrap', 'configure-system']);
  });
});

describe('first-boot scripts', () => {
  const scripts: Script[] = [
    { phase: 'post-install', chroot: true, body: 'true' },
    { phase: 'first-boot', chroot: true, name: 'register', body: '#!/bin/bash\necho one\n' },
    {
      phase: 'first-boot',
      chroot: true,
      name: 'grow disk!',
      body: 'echo two\n',
      onError: 'ignore',
      network: false,
      log: '/var/log/grow.log',
    },
  ];

  it('become tree steps after the post-install scripts and before finalize, one numbered unit each, in order', async () => {
    const { plan, diagnostics } = await planBuild(request(baseIr(...scripts)));
    expect(types(plan!.steps)).toEqual([
      'bootstrap',
      'configure-system',
      'run-script',
      'first-boot-script',
      'first-boot-script',
      'finalize',
      'output-directory',
    ]);
    const [one, two] = ofType(plan!.steps, 'first-boot-script');
    expect(one!.options).toEqual({
      name: 'register',
      interpreter: '/bin/bash',
      body: '#!/bin/bash\necho one\n',
      onError: 'fail',
      network: true,
      unit: 'imgc-first-boot-01-register.service',
      path: '/usr/local/lib/imgc/first-boot/01-register',
      after: [],
    });
    expect(one!.origin).toEqual(['/scripts/1']);
    expect(two!.options).toMatchObject({
      interpreter: '/bin/sh',
      onError: 'ignore',
      network: false,
      log: '/var/log/grow.log',
      unit: 'imgc-first-boot-02-grow-disk.service',
      after: ['imgc-first-boot-01-register.service'],
    });
    expect(codes(diagnostics)).toEqual(['info IMGC7302 /scripts/2']);
    expect(diagnostics[0]!.message).toContain('runs even when an earlier one failed');
    expect(diagnostics.some((d) => d.code === 'IMGC7006')).toBe(false);
  });

  it('leave the cached tree alone: a changed first-boot script changes only its own step and what follows', async () => {
    const ir = baseIr({ phase: 'first-boot', chroot: true, name: 'setup', body: 'echo one\n' });
    const first = (await planBuild(request(ir))).plan!;
    expect(first.steps.filter((s) => s.cache).map((s) => s.type)).toEqual(['bootstrap', 'configure-system']);
    ir.scripts[0]!.body = 'echo two\n';
    const second = (await planBuild(request(ir))).plan!;
    const same = first.steps.filter((s, i) => s.id === second.steps[i]!.id).map((s) => s.type);
    expect(same).toEqual(['bootstrap', 'configure-system']);
  });
});

describe('pre-disk and disk scripts', () => {
  const scripts: Script[] = [
    { phase: 'pre-disk', chroot: true, name: 'pre_disk_sync.sh', body: 'rm -rf /var/cache/x\n' },
    { phase: 'disk', chroot: true, name: 'disk.sh', body: 'echo in the image\n' },
    { phase: 'disk', chroot: false, name: 'edit_boot_install.sh', body: 'echo "$IMGC_DISK_IMAGE"\n' },
  ];

  it('are chained to the disk outputs: pre-disk once before all of them, disk scripts after each', async () => {
    const ir = baseIr(...scripts);
    ir.outputs.push(
      { type: 'tar' },
      { type: 'disk', format: 'raw' },
      { type: 'disk', name: 'vm', format: 'qcow2' },
    );
    const { plan, diagnostics } = await planBuild(request(ir));
    expect(types(plan!.steps).slice(-9)).toEqual([
      'finalize',
      'output-tar',
      'disk-script',
      'assemble-disk',
      'disk-script',
      'disk-script',
      'assemble-disk',
      'disk-script',
      'disk-script',
    ]);
    const finalize = plan!.steps.find((s) => s.type === 'finalize')!;
    const [pre, raw, qcow] = [
      plan!.steps.find((s) => s.type === 'disk-script' && s.options.phase === 'pre-disk')!,
      ...ofType(plan!.steps, 'assemble-disk'),
    ];
    expect(pre.inputs).toEqual([finalize.id]);
    expect(raw!.inputs).toEqual([pre.id]);
    expect(qcow!.inputs).toEqual([pre.id]);
    expect(ofType(plan!.steps, 'output-tar')[0]!.inputs).toEqual([finalize.id]);
    const following = (disk: PlanStep) => {
      const i = plan!.steps.indexOf(disk);
      return plan!.steps.slice(i + 1, i + 3).filter(stepOf('disk-script'));
    };
    for (const disk of [raw!, qcow!]) {
      const [a, b] = following(disk);
      expect([a!.options.name, a!.inputs]).toEqual(['disk.sh', [disk.id]]);
      expect([b!.options.name, b!.inputs]).toEqual(['edit_boot_install.sh', [a!.id]]);
    }
    expect(following(raw!)[0]!.id).not.toBe(following(qcow!)[0]!.id);
    // the scripts change the tree: the pre-disk script waits for the tar, which reads it
    // unchanged; the second disk (and its scripts) waits for the first disk's last script
    expect(pre.after).toEqual([ofType(plan!.steps, 'output-tar')[0]!.id]);
    expect(raw!.after).toBeUndefined();
    expect(qcow!.after).toEqual([following(raw!)[1]!.id]);
    expect(codes(diagnostics)).toEqual([
      'info IMGC7302 /scripts/0',
      'info IMGC7302 /scripts/1',
      'info IMGC7302 /scripts/2',
    ]);
    expect(diagnostics[1]!.message).toContain('before the filesystems are made from the tree');
    expect(diagnostics[2]!.message).toContain('$IMGC_DISK_IMAGE');
  });

  it('are reported, not run, when no disk output is built', async () => {
    const positions = { '/scripts/1': { file: 'config.kiwi', line: 1, column: 1 } };
    const { plan, diagnostics } = await planBuild(
      request(baseIr(...scripts), { positions, outputs: ['tar'] }),
    );
    expect(ofType(plan!.steps, 'disk-script')).toEqual([]);
    expect(codes(diagnostics)).toEqual([
      'warning IMGC7301 /scripts/0',
      'warning IMGC7301 /scripts/1',
      'warning IMGC7301 /scripts/2',
    ]);
    expect(diagnostics[1]).toMatchObject({
      file: 'config.kiwi',
      line: 1,
      message:
        'script disk.sh (disk) is not run: only a disk output runs disk scripts, and this build makes tar',
    });
  });
});

describe('post-output, on-error, traceback and clean scripts', () => {
  it('post-output scripts consume every output; error scripts stand apart; clean scripts are not in the build', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imgc-plan-phases-'));
    writeFileSync(join(dir, 'mkosi.clean'), '#!/bin/bash\nrm -rf "$OUTPUTDIR/extra"\n');
    const ir = baseIr(
      { phase: 'post-output', chroot: false, name: 'mkosi.postoutput', body: 'sha256sum "$OUTPUTDIR"/*\n' },
      { phase: 'post-output', chroot: true, name: 'mkosi.postoutput', body: 'true\n' },
      { phase: 'on-error', chroot: false, body: 'echo failed\n', log: '/tmp/ks-onerror.log' },
      { phase: 'traceback', chroot: false, body: 'echo traceback\n' },
      { phase: 'clean', chroot: false, name: 'mkosi.clean', source: 'mkosi.clean' },
    );
    ir.outputs.push({ type: 'directory' }, { type: 'tar' });
    const { plan, clean, diagnostics } = await planBuild(request(ir, { sourceDir: dir }));
    expect(types(plan!.steps).slice(-5)).toEqual([
      'output-directory',
      'output-tar',
      'post-output-script',
      'error-script',
      'error-script',
    ]);
    const outputs = plan!.steps.filter((s) => s.type.startsWith('output-'));
    const post = ofType(plan!.steps, 'post-output-script')[0]!;
    expect(post.inputs).toEqual(outputs.map((s) => s.id));
    expect(post.options).toEqual({
      name: 'mkosi.postoutput',
      interpreter: '/bin/sh',
      body: 'sha256sum "$OUTPUTDIR"/*\n',
      onError: 'fail',
    });
    const [onError, traceback] = ofType(plan!.steps, 'error-script');
    expect([onError!.inputs, onError!.options.phase, onError!.options.log]).toEqual([
      [],
      'on-error',
      '/tmp/ks-onerror.log',
    ]);
    expect([traceback!.options.phase, traceback!.title]).toEqual([
      'traceback',
      'script script 4 (traceback, on the host)',
    ]);
    expect(clean!.map((s) => [s.type, s.options.interpreter, s.options.body, s.origin])).toEqual([
      ['clean-script', '/bin/bash', '#!/bin/bash\nrm -rf "$OUTPUTDIR/extra"\n', ['/scripts/4']],
    ]);
    expect(types(plan!.steps)).not.toContain('clean-script');
    expect(codes(diagnostics)).toEqual([
      'warning IMGC7301 /scripts/1',
      'info IMGC7302 /scripts/3',
      'info IMGC7301 /scripts/4',
    ]);
    expect(diagnostics[0]!.message).toContain('there is no tree to chroot into');
    expect(diagnostics[2]!.message).toContain('`imgc clean`');
    expect(outputNames(plan!)).toEqual(['image', 'image.tar']);
  });

  it('validates every new step against the schema of its type', async () => {
    const ir = baseIr(
      { phase: 'first-boot', chroot: true, body: 'true' },
      { phase: 'pre-disk', chroot: false, body: 'true' },
      { phase: 'disk', chroot: true, body: 'true', log: '/var/log/disk.log' },
      { phase: 'post-output', chroot: false, body: 'true' },
      { phase: 'on-error', chroot: true, body: 'true' },
      { phase: 'clean', chroot: false, body: 'true' },
    );
    ir.outputs.push({ type: 'disk' }, { type: 'oci' });
    const { plan, clean } = await planBuild(request(ir));
    const ajv = new Ajv({ strict: false, allowUnionTypes: true });
    expect(ajv.validate(BuildPlan, plan), JSON.stringify(ajv.errors)).toBe(true);
    const all = [...plan!.steps, ...clean!];
    for (const type of [
      'first-boot-script',
      'disk-script',
      'post-output-script',
      'error-script',
      'clean-script',
    ])
      expect(types(all)).toContain(type);
    for (const s of all) {
      expect(
        ajv.validate(stepOptionSchemas[s.type], s.options),
        `${s.type}: ${JSON.stringify(ajv.errors)}`,
      ).toBe(true);
    }
    expect(outputNames(plan!)).toEqual(['image.raw', 'image.oci', 'image.oci.tar']);
  });
});
