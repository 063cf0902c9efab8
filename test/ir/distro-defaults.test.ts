import { describe, expect, it } from 'vitest';
import { applyDistroFlags, missingDistribution, parseDistroFlag } from '../../src/ir/distro-defaults.js';
import { emptyIr } from '../../src/ir/empty.js';

describe('--distro and the missing-distribution errors', () => {
  it('parses id[:release] and the one-string form', () => {
    expect(parseDistroFlag('debian:bookworm')).toEqual({ id: 'debian', release: 'bookworm' });
    expect(parseDistroFlag('fedora-41')).toEqual({ id: 'fedora', release: '41' });
    expect(parseDistroFlag('opensuse-tumbleweed')).toEqual({ id: 'opensuse-tumbleweed' });
    expect(parseDistroFlag('a:b:c')).toBeUndefined();
    expect(parseDistroFlag(':41')).toBeUndefined();
  });

  it('lets --distro win over an inferred distribution and says what it replaced', () => {
    const ir = emptyIr();
    ir.distribution = { id: 'opensuse-leap', release: '15.5', architecture: 'x86_64' };
    const positions = { '/distribution/id': { file: 'config.xml', line: 12, column: 9 } };
    const diagnostics = applyDistroFlags(ir, positions, { distro: 'fedora:41' });
    expect(ir.distribution).toEqual({ id: 'fedora', release: '41', architecture: 'x86_64' });
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['IMGC1020', '--distro fedora 41 wins over opensuse-leap 15.5 (config.xml:12:9) from the definition'],
    ]);
    expect(positions).toEqual({});
  });

  it('keeps the release when --distro names the same id without one, and says nothing when nothing changes', () => {
    const ir = emptyIr();
    ir.distribution = { id: 'debian', release: 'trixie' };
    expect(applyDistroFlags(ir, {}, { distro: 'debian' })).toEqual([]);
    expect(ir.distribution).toEqual({ id: 'debian', release: 'trixie' });
    expect(applyDistroFlags(ir, {}, { release: 'bookworm' }).map((d) => d.code)).toEqual(['IMGC1020']);
    expect(ir.distribution.release).toBe('bookworm');
    expect(applyDistroFlags(ir, {}, { distro: 'x:y:z' }).map((d) => d.code)).toEqual(['IMGC1023']);
  });

  it('asks for --distro when nothing names the distribution or its release', () => {
    const ir = emptyIr();
    const none = missingDistribution(ir, {}, 'a build', true, 'x.ks');
    expect(none.map((d) => [d.code, d.severity, d.file])).toEqual([['IMGC1021', 'error', 'x.ks']]);
    ir.distribution = { id: 'fedora' };
    expect(missingDistribution(ir, {}, 'a build', true).map((d) => d.code)).toEqual(['IMGC1022']);
    expect(missingDistribution(ir, {}, 'inspect', false)).toEqual([]);
    ir.distribution = { id: 'opensuse-tumbleweed' };
    expect(missingDistribution(ir, {}, 'a build', true)).toEqual([]);
  });
});
