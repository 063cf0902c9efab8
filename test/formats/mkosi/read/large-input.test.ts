/**
 * A fuzzed mkosi.conf with `Packages=linux systemd` on 14,470 lines took 28 s to read (issue
 * 14): every assignment copied and re-sorted the whole list. Lists now grow in place.
 */
import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../../../src/formats/load.js';
import { FormatRegistry } from '../../../../src/formats/registry.js';
import { scratchTree } from '../../../input/scratch.js';

const LINES = 20_000;

async function packagesOf(conf: string, extra: Record<string, string> = {}) {
  const dir = scratchTree({ 'mkosi.conf': conf, ...extra });
  const r = await loadDefinition(new FormatRegistry(), dir, { from: 'mkosi' });
  return { r, packages: r.ir?.packages.install.map((p) => p.name) };
}

describe('an mkosi list setting repeated on many lines', () => {
  it(`is read in linear time (${LINES} lines)`, async () => {
    const conf = `[Distribution]\nDistribution=fedora\nRelease=41\n[Content]\n${'Packages=linux systemd\n'.repeat(LINES)}`;
    const started = performance.now();
    const { packages } = await packagesOf(conf);
    // generous for a loaded machine; copying the list per line took about a minute here
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(packages).toContain('linux');
  });

  it('keeps every assignment, sorted as mkosi sorts packages', async () => {
    const conf =
      '[Distribution]\nDistribution=fedora\nRelease=41\n[Content]\nPackages=zsh /usr/bin/vi\nPackages=bash (kernel)\nPackages=awk bash\n';
    const { r } = await packagesOf(conf);
    const raw = r.ir?.extensions?.mkosi as { settings?: Record<string, unknown> } | undefined;
    const names = r.ir?.packages.install.map((p) => p.name) ?? [];
    expect(names).toEqual(['awk', 'bash', 'bash', 'zsh', '/usr/bin/vi', '(kernel)']);
    expect(raw === undefined || typeof raw === 'object').toBe(true);
  });
});

describe('mkosi includes and profiles that repeat or name themselves', () => {
  it('follows 11,000 Include= lines of one file in linear time', async () => {
    const conf = `[Distribution]\nDistribution=fedora\nRelease=41\n[Include]\n${'Include=shared.conf\n'.repeat(11_000)}`;
    const started = performance.now();
    const { packages } = await packagesOf(conf, { 'shared.conf': '[Content]\nPackages=vim-minimal\n' });
    // following every entry again per line took minutes here
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(packages).toEqual(['vim-minimal']);
  });

  it('reads a profile that names itself once, without looping', async () => {
    const conf = '[Distribution]\nDistribution=fedora\nRelease=41\n[Config]\nProfiles=devel\n';
    const { r, packages } = await packagesOf(conf, {
      'mkosi.profiles/devel.conf': '[Config]\nProfiles=devel\n[Content]\nPackages=gdb\n',
    });
    expect(r.diagnostics.map((d) => d.code)).not.toContain('IMGC1009');
    expect(packages).toEqual(['gdb']);
  });
});

describe('a repart file with one key on 60,000 lines', () => {
  // fuzz: 121,921 lines of `mize=guess` ran for minutes (the kept values were copied per line)
  it('is read in linear time, and a key named constructor is kept like any other', async () => {
    const repart = `[Partition]\nType=root\nFormat=xfs\nconstructor=1\n${'mize=guess\n'.repeat(60_000)}`;
    const started = performance.now();
    const { r } = await packagesOf('[Distribution]\nDistribution=fedora\nRelease=41\n', {
      'mkosi.repart/10-root.conf': repart,
    });
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(r.diagnostics.map((d) => d.code)).not.toContain('IMGC1009');
    expect(r.ir?.storage?.partitions).toHaveLength(1);
  });
});
