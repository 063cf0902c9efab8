/** Which script steps get KIWI's script environment, and what the planner says about them. */
import { describe, expect, it } from 'vitest';
import { BackendRegistry } from '../../src/backends/registry.js';
import { emptyIr } from '../../src/ir/empty.js';
import type { ImageIR, Script } from '../../src/ir/schema.js';
import { planBuild } from '../../src/plan/planner.js';
import type { PlanStep, StepOptions } from '../../src/plan/steps.js';
import { fakeHost } from './fake-host.js';

function irWith(...scripts: Script[]): ImageIR {
  const ir = emptyIr();
  ir.distribution = { id: 'debian', release: 'bookworm', architecture: 'x86_64' };
  ir.metadata = { name: 'leap', version: '1.0' };
  ir.activeProfiles = ['kvm'];
  ir.scripts.push(...scripts);
  return ir;
}

async function plan(ir: ImageIR) {
  const positions = { '/scripts/0': { file: '/defs/leap/config.sh', line: 1, column: 1 } };
  return planBuild({
    ir,
    positions,
    backends: new BackendRegistry(),
    host: fakeHost(),
    sourceDir: '/defs/leap',
    sourceDateEpoch: 1_700_000_000,
  });
}

const scriptSteps = (steps: PlanStep[]) =>
  steps.filter((s) => s.type === 'run-script').map((s) => s.options as StepOptions<'run-script'>);

const CONFIG = [
  '#!/bin/bash',
  'test -f /.kconfig && . /.kconfig',
  'test -f /.profile && . /.profile',
  'suseInsertService sshd',
  'baseCleanMount',
  '  baseStripUnusedLibs',
  'echo "$kiwi_iname $kiwi_rootpartuuid"',
].join('\n');

describe('KIWI script environment in the plan', () => {
  it('goes to the scripts that use it, with the variables of the IR', async () => {
    const r = await plan(
      irWith(
        { name: 'config.sh', phase: 'post-install', chroot: true, body: CONFIG },
        { name: 'other.sh', phase: 'post-install', chroot: true, body: '#!/bin/sh\necho plain\n' },
      ),
    );
    const [config, other] = scriptSteps(r.plan!.steps);
    expect(config!.kiwiEnv?.variables).toMatchObject({ kiwi_iname: 'leap', kiwi_profiles: 'kvm' });
    expect(config!.kiwiEnv?.kconfigDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(other!.kiwiEnv).toBeUndefined();
  });

  it('points at the calls that differ from KIWI, in the script file', async () => {
    const r = await plan(irWith({ name: 'config.sh', phase: 'post-install', chroot: true, body: CONFIG }));
    const mine = r.diagnostics
      .filter((d) => /^IMGC731/.test(d.code))
      .map((d) => `${d.code} ${d.severity} ${d.file}:${d.line}:${d.column}`);
    expect(mine).toEqual([
      'IMGC7311 warning /defs/leap/config.sh:5:1',
      'IMGC7310 warning /defs/leap/config.sh:6:3',
      'IMGC7312 info /defs/leap/config.sh:7:19',
    ]);
    expect(r.diagnostics.find((d) => d.code === 'IMGC7312')!.message).toContain('$kiwi_rootpartuuid');
  });

  it('runs a KIWI script without a #! line with bash, as KIWI does, and says so', async () => {
    const r = await plan(
      irWith({ name: 'config.sh', phase: 'post-install', chroot: true, body: 'suseInsertService sshd\n' }),
    );
    expect(scriptSteps(r.plan!.steps)[0]!.interpreter).toBe('/bin/bash');
    expect(r.diagnostics.map((d) => d.code)).toContain('IMGC7313');
  });

  it('warns when a host script uses it, and gives it nothing', async () => {
    const r = await plan(
      irWith({
        name: 'config.sh',
        phase: 'post-install',
        chroot: false,
        body: '. /.kconfig\nsuseInsertService a',
      }),
    );
    expect(scriptSteps(r.plan!.steps)[0]!.kiwiEnv).toBeUndefined();
    expect(r.diagnostics.map((d) => `${d.code} ${d.line}`)).toContain('IMGC7314 2');
  });

  it('changes the step id when a variable changes', async () => {
    const script: Script = { name: 'config.sh', phase: 'post-install', chroot: true, body: CONFIG };
    const a = await plan(irWith(script));
    const ir = irWith(script);
    ir.metadata!.version = '2.0';
    const b = await plan(ir);
    const id = (p: typeof a) => p.plan!.steps.find((s) => s.type === 'run-script')!.id;
    expect(id(a)).not.toBe(id(b));
  });
});
