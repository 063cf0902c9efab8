/**
 * The planner has no family of its own: package spelling, usable repository types and the
 * warnings for family-specific fields come from the backend, Debian's included.
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backends/contract.js';
import { debianBackend } from '../../src/backends/debian/index.js';
import { BackendRegistry } from '../../src/backends/registry.js';
import { emptyIr } from '../../src/ir/empty.js';
import type { ImageIR } from '../../src/ir/schema.js';
import { planBuild } from '../../src/plan/planner.js';
import { ofType } from '../../src/plan/steps.js';
import { miniBackend } from '../exec/mini-backend.js';
import { fakeHost } from './fake-host.js';

const odd: Backend = {
  ...miniBackend,
  id: 'odd',
  repositoryTypes: ['plaindir'],
  packageSpec: (p) => `${p.name}@${p.version ?? 'any'}`,
  unappliedFields: () => [],
};

function definition(id: string): ImageIR {
  const ir = emptyIr();
  ir.distribution = { id, release: id === 'debian' ? 'bookworm' : '1' };
  ir.packages.install = [{ name: 'hello', version: '2.10', arch: 'amd64' }];
  ir.packages.groups = [{ name: 'desktop' }];
  ir.system.fips = true;
  ir.repositories = [
    {
      id: 'own',
      type: id === 'debian' ? 'apt-deb822' : 'plaindir',
      urls: ['file:///srv/own'],
      suites: ['bookworm'],
    },
    { id: 'foreign', type: 'rpm-md', urls: ['file:///srv/foreign'] },
  ];
  return ir;
}

async function plan(backend: Backend, id: string) {
  const result = await planBuild({
    ir: definition(id),
    backends: new BackendRegistry([backend]),
    host: fakeHost(),
    sourceDir: '/',
  });
  const warnings = result.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.pointer);
  const bootstrap = result.plan?.steps.find(ofType('bootstrap'));
  return { result, warnings, packages: bootstrap?.options.packages };
}

describe('the planner is family-neutral', () => {
  it('spells packages, filters repositories and warns only as the backend says', async () => {
    const { warnings, packages } = await plan(odd, 'minios');
    expect(packages).toEqual(['hello@2.10']);
    // the foreign repository is reported; no apt warnings for the group or FIPS
    expect(warnings).toEqual(['/repositories/1']);
  });

  it("gives Debian apt's answers because Debian declares them", async () => {
    const { warnings, packages } = await plan(debianBackend, 'debian');
    expect(packages).toContain('hello:amd64=2.10');
    expect(warnings).toEqual(
      expect.arrayContaining(['/repositories/1', '/packages/groups/0', '/system/fips']),
    );
  });

  it('still stops a definition that names no distribution', async () => {
    const ir = definition('minios');
    ir.distribution = {};
    const result = await planBuild({
      ir,
      backends: new BackendRegistry([odd]),
      host: fakeHost(),
      sourceDir: '/',
    });
    expect(result.plan).toBeUndefined();
    expect(
      result.diagnostics.some(
        (d) => d.severity === 'error' && /--distro/.test(`${d.message} ${d.hint ?? ''}`),
      ),
    ).toBe(true);
  });
});
