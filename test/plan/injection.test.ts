/** An IR that bypasses the readers (the API, a plugin) still cannot inject into generated files or commands. */
import { describe, expect, it } from 'vitest';
import { BackendRegistry } from '../../src/backends/registry.js';
import { emptyIr } from '../../src/ir/empty.js';
import { planBuild } from '../../src/plan/planner.js';
import { fakeHost } from './fake-host.js';

describe('planBuild on values that would inject', () => {
  it('refuses line breaks in repository values and option-like package names, with no plan', async () => {
    const ir = emptyIr();
    ir.distribution = { id: 'fedora', release: '41', architecture: 'x86_64' };
    ir.repositories.push({ id: 'r', urls: ['http://rpm.example/\n[evil]'], password: 'x\ngpgcheck=0' });
    ir.packages.install.push({ name: '--nogpgcheck' });
    const { plan, diagnostics } = await planBuild({
      ir,
      backends: new BackendRegistry(),
      host: fakeHost(),
      sourceDir: '/nonexistent',
      sourceDateEpoch: 1_700_000_000,
    });
    expect(plan).toBeUndefined();
    expect(diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ['IMGC1040', '/repositories/0/urls/0'],
      ['IMGC1040', '/repositories/0/password'],
      ['IMGC1042', '/packages/install/0/name'],
    ]);
    expect(JSON.stringify(diagnostics)).not.toContain('gpgcheck=0');
  });

  it('refuses an output name that is a path (it would be written outside --output-dir)', async () => {
    const ir = emptyIr();
    ir.distribution = { id: 'debian', release: 'bookworm', architecture: 'x86_64' };
    ir.outputs.push({ type: 'tar', name: '../../../etc/cron.d/x' } as (typeof ir.outputs)[number]);
    const { plan, diagnostics } = await planBuild({
      ir,
      backends: new BackendRegistry(),
      host: fakeHost(),
      sourceDir: '/nonexistent',
      sourceDateEpoch: 1_700_000_000,
    });
    expect(plan).toBeUndefined();
    expect(diagnostics.map((d) => [d.code, d.pointer])).toEqual([['IMGC1043', '/outputs/0/name']]);
  });
});
