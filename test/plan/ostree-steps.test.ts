/** How the OSTree outputs are planned: the boot stack after the cache point, refs, timestamps, kargs. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BackendRegistry } from '../../src/backends/registry.js';
import { emptyIr } from '../../src/ir/empty.js';
import type { ImageIR, OutputType } from '../../src/ir/schema.js';
import { ostreeKargs } from '../../src/plan/output-steps.js';
import { planBuild } from '../../src/plan/planner.js';
import type { PlanStep, StepOptions } from '../../src/plan/steps.js';
import { fakeHost } from './fake-host.js';

const backends = new BackendRegistry();
const scratch = mkdtempSync(join(tmpdir(), 'imgc-ostree-plan-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function baseIr(): ImageIR {
  const ir = emptyIr();
  ir.metadata = { name: 'probe' };
  ir.distribution = { id: 'debian', release: 'bookworm', architecture: 'x86_64' };
  ir.packages.install.push({ name: 'systemd' });
  ir.system.kernel.cmdline = ['console=ttyS0'];
  return ir;
}

async function plan(ir: ImageIR, outputs: OutputType[], options: Record<string, string> = {}, epoch = true) {
  return planBuild({
    ir,
    backends,
    host: fakeHost(),
    sourceDir: scratch,
    ...(epoch ? { sourceDateEpoch: 1_700_000_000 } : {}),
    options,
    outputs,
  });
}

const last = (steps: PlanStep[]) => steps[steps.length - 1]!;
const codes = (ds: { code: string }[]) => ds.map((d) => d.code);

describe('OSTree output steps', () => {
  it('plans a commit on the inferred ref, timestamped with SOURCE_DATE_EPOCH, after the OSTree boot stack', async () => {
    const { plan: p, diagnostics } = await plan(baseIr(), ['ostree-commit']);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(codes(diagnostics)).toContain('IMGC7632');
    expect(codes(diagnostics)).not.toContain('IMGC7637');
    const commit = last(p!.steps) as PlanStep<'output-ostree'>;
    expect(commit.type).toBe('output-ostree');
    expect(commit.options).toMatchObject({
      name: 'probe.ostree',
      ref: 'debian/bookworm/amd64',
      timestamp: 1_700_000_000,
    });
    const stack = p!.steps.find((s) => s.type === 'install-packages') as PlanStep<'install-packages'>;
    expect(stack.options.packages).toEqual(['ostree', 'ostree-boot']);
    // the trigger's initrd would be thrown away by the make-initrd step
    expect(stack.options.deferInitrd).toBe(true);
    const types = p!.steps.map((s) => s.type);
    expect(types.indexOf('install-packages')).toBeLessThan(types.indexOf('make-initrd'));
    const initrd = p!.steps.find((s) => s.type === 'make-initrd') as PlanStep<'make-initrd'>;
    expect(initrd.cache).toBe(true);
    // not asked for: the compressor every image has, not one the tree may lack
    expect(initrd.options.compression).toBe('gzip');
  });

  it('keeps the cached tree of a disk build before the stack', async () => {
    const disk = (await plan(baseIr(), ['disk'])).plan!;
    const commit = (await plan(baseIr(), ['ostree-commit'])).plan!;
    const firstDiskCache = disk.steps.find((s) => s.cache)!.id;
    expect(commit.steps.find((s) => s.cache)!.id).toBe(firstDiskCache);
  });

  it('takes the ref and repository from the options, and says when the timestamp is the planning time', async () => {
    const { plan: p, diagnostics } = await plan(
      baseIr(),
      ['ostree-commit'],
      { 'ostree-ref': 'probe/edge', 'ostree-repo': '/srv/repo' },
      false,
    );
    expect(codes(diagnostics)).toContain('IMGC7637');
    expect(codes(diagnostics)).not.toContain('IMGC7632');
    expect(last(p!.steps).options).toMatchObject({
      name: 'probe.ostree-commit',
      repo: '/srv/repo',
      ref: 'probe/edge',
    });
  });

  it('deploys the disk with root= and rw ahead of the definition arguments, in the definition stateroot', async () => {
    expect(ostreeKargs(['console=ttyS0'])).toEqual(['root=LABEL=root', 'rw', 'console=ttyS0']);
    expect(ostreeKargs(['root=/dev/vda2', 'ro'])).toEqual(['root=/dev/vda2', 'ro']);
    const ir = baseIr();
    ir.outputs = [{ type: 'ostree-disk', ostree: { ref: 'a/b', osName: 'edge', url: 'http://x/repo' } }];
    const { plan: p, diagnostics } = await plan(ir, ['ostree-disk']);
    // the URL is the deployment's remote; the content is built, not pulled
    expect(codes(diagnostics)).toContain('IMGC7634');
    const disk = last(p!.steps).options as StepOptions<'assemble-ostree-disk'>;
    expect(disk).toMatchObject({
      name: 'probe.ostree.raw',
      osName: 'edge',
      ref: 'a/b',
      kargs: ['root=LABEL=root', 'rw', 'console=ttyS0'],
      remote: { name: 'edge', url: 'http://x/repo' },
    });
  });

  it('plans bootc-oci as the oci writer with its own step and says what bootc would still need', async () => {
    const { plan: p, diagnostics } = await plan(baseIr(), ['bootc-oci']);
    expect(codes(diagnostics)).toContain('IMGC7635');
    expect(last(p!.steps).type).toBe('output-bootc-oci');
    expect((last(p!.steps).options as { name: string }).name).toBe('probe.bootc.oci');
  });

  it('refuses an initrd generator it cannot give ostree-prepare-root', async () => {
    const ir = baseIr();
    ir.system.initrd = { generator: 'mkinitcpio' } as NonNullable<ImageIR['system']['initrd']>;
    const { plan: p, diagnostics } = await plan(ir, ['ostree-disk']);
    expect(p).toBeUndefined();
    expect(diagnostics.find((d) => d.code === 'IMGC7639')).toMatchObject({
      pointer: '/system/initrd/generator',
    });
  });
});
