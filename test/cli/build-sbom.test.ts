import { describe, expect, it } from 'vitest';
import { BackendRegistry } from '../../src/backends/registry.js';
import { parseSbomFlag } from '../../src/cli/build.js';
import { emptyIr } from '../../src/ir/empty.js';
import { planBuild } from '../../src/plan/planner.js';
import { fakeHost } from '../plan/fake-host.js';

describe('asking for SBOMs', () => {
  it('--sbom takes spdx and cyclonedx, and refuses anything else with IMGC7774', () => {
    expect(parseSbomFlag('spdx, cyclonedx')).toEqual({ formats: ['spdx', 'cyclonedx'] });
    expect(parseSbomFlag(undefined)).toEqual({ formats: [] });
    const bad = parseSbomFlag('spdx,swid');
    expect(bad.error?.code).toBe('IMGC7774');
    expect(bad.error?.message).toContain('swid');
  });

  it('the IR field sbom reaches the plan, sorted and without repeats', async () => {
    const ir = emptyIr();
    ir.distribution = { id: 'debian', release: 'bookworm', architecture: 'x86_64' };
    ir.sbom = ['spdx', 'cyclonedx', 'spdx'];
    const { plan } = await planBuild({
      ir,
      backends: new BackendRegistry(),
      host: fakeHost(),
      sourceDir: '/nonexistent',
    });
    expect(plan?.sbom).toEqual(['cyclonedx', 'spdx']);
    ir.sbom = undefined;
    const without = await planBuild({
      ir,
      backends: new BackendRegistry(),
      host: fakeHost(),
      sourceDir: '/nonexistent',
    });
    expect(without.plan && 'sbom' in without.plan).toBe(false);
  });
});
