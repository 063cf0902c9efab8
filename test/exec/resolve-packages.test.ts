/**
 * The family-neutral dispatch of `imgc packages --resolve`: the plan's backend answers with its
 * own `resolvePackages` (given the package steps merged), and a backend without one gets IMGC7052
 * naming it. The families' resolvers themselves are tested in test/backends/<family>/resolve.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { archBackend } from '../../src/backends/arch/index.js';
import type { Backend, PackageRequest } from '../../src/backends/contract.js';
import { BackendRegistry, localHost } from '../../src/backends/registry.js';
import { resolvePlanPackages } from '../../src/exec/resolve-packages.js';
import { emptyIr } from '../../src/ir/empty.js';
import { planBuild } from '../../src/plan/planner.js';

async function archPlan(backend: Backend) {
  const ir = emptyIr();
  ir.distribution = { id: 'arch', release: 'rolling', architecture: 'x86_64' };
  ir.repositories = [{ id: 'core', urls: ['https://mirror.example/core/os/x86_64'], gpgCheck: false }];
  ir.packages.install = [{ name: 'vim' }];
  ir.packages.exclude = [{ name: 'nano' }];
  const backends = new BackendRegistry([backend]);
  const planned = await planBuild({
    ir,
    positions: {},
    outputs: [],
    backends,
    host: localHost(),
    sourceDir: '/nonexistent',
  });
  expect(planned.plan, JSON.stringify(planned.diagnostics)).toBeDefined();
  return { plan: planned.plan!, backends };
}

describe('resolvePlanPackages', () => {
  it('asks the plan’s backend, with the package steps merged, and sorts its answer', async () => {
    const asked: PackageRequest[] = [];
    const backend: Backend = {
      ...archBackend,
      resolvePackages: async (request) => {
        asked.push(request);
        return {
          tool: 'fake',
          requested: request.packages,
          packages: [
            { name: 'vim', version: '9' },
            { name: 'gpm', version: '1' },
          ],
          diagnostics: [],
        };
      },
    };
    const { plan, backends } = await archPlan(backend);
    const r = await resolvePlanPackages(plan, backends, '/tmp/unused');
    expect(r.packages.map((p) => p.name)).toEqual(['gpm', 'vim']);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.variant).toBe('pacman');
    expect(asked[0]!.packages).toContain('vim');
    expect(asked[0]!.exclude).toEqual(['nano']);
    expect(asked[0]!.sources).toContain('Server = https://mirror.example/core/os/x86_64');
  });

  it('answers IMGC7052 naming the family when its backend cannot resolve', async () => {
    const { plan, backends } = await archPlan({ ...archBackend, resolvePackages: undefined });
    const r = await resolvePlanPackages(plan, backends, '/tmp/unused');
    expect(r.packages).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['IMGC7052']);
    expect(r.diagnostics[0]!.message).toContain('the arch backend cannot resolve packages');
  });
});
