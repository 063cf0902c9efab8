/**
 * Pins: the sample's package set resolved by apt (as `imgc submit` does), then the plan the
 * build process makes with those pins installs every resolved package at its version.
 */

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackendRegistry } from '../../src/backends/registry.js';
import { applyPins, resolverPins } from '../../src/fleet/pins.js';
import { planDefinition } from '../../src/fleet/plan-job.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { emptyIr } from '../../src/ir/empty.js';
import { sampleDefinition, testCacheDir } from '../boot/sample-build.js';

describe('applyPins', () => {
  it('versions the named packages and adds the rest of the closure', () => {
    const ir = emptyIr();
    ir.packages.install.push({ name: 'systemd' }, { name: 'not-resolved' });
    const pinned = applyPins(ir, {
      source: 'apt-get',
      packages: [
        { name: 'systemd', version: '252.39-1~deb12u1' },
        { name: 'libc6', version: '2.36-9+deb12u10', arch: 'amd64' },
      ],
    });
    expect(pinned.packages.install).toEqual([
      { name: 'systemd', version: '252.39-1~deb12u1' },
      { name: 'not-resolved' },
      { name: 'libc6', version: '2.36-9+deb12u10' },
    ]);
    expect(ir.packages.install).toHaveLength(2);
  });
});

describe('pins from the resolver', () => {
  it('resolves the sample with apt and plans every package at its resolved version', async () => {
    const registry = new FormatRegistry();
    const backends = new BackendRegistry();
    const job = {
      profiles: [],
      options: {},
      outputs: [],
      epoch: { value: 1_700_000_000, reproducible: false },
    };
    const unpinned = await planDefinition(registry, backends, sampleDefinition, job);
    expect(unpinned.plan, JSON.stringify(unpinned.diagnostics)).toBeDefined();
    const pinned = await resolverPins.pin(unpinned.plan!, backends, {
      name: 'sample',
      cacheDir: join(testCacheDir(), 'imgc'),
    });
    expect(pinned.diagnostics.map((d) => d.code)).toEqual(['IMGC8106']);
    const pins = pinned.pins!;
    expect(pins.source).toBe('apt-get');
    expect(pins.packages.length).toBeGreaterThan(100);
    const planned = await planDefinition(registry, backends, sampleDefinition, { ...job, pins });
    const packages = planned.plan!.steps.flatMap((s) =>
      'options' in s && Array.isArray((s.options as { packages?: unknown }).packages)
        ? (s.options as { packages: string[] }).packages
        : [],
    );
    const systemd = pins.packages.find((p) => p.name === 'systemd')!;
    expect(packages).toContain(`systemd=${systemd.version}`);
    for (const p of pins.packages) expect(packages, p.name).toContain(`${p.name}=${p.version}`);
  }, 180_000);
});
