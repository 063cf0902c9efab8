import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyTargetDefaults, OUTPUT_TYPE_LIST, parseOutputFlag } from '../../src/formats/target-needs.js';
import { emptyIr } from '../../src/ir/empty.js';
import { repoRoot } from '../helpers/shared.js';

describe('applyTargetDefaults', () => {
  it('fills the distribution a target needs from --distro, and reports it', () => {
    const { ir, diagnostics } = applyTargetDefaults(emptyIr(), 'containerfile', { distro: 'debian:trixie' });
    expect(ir.distribution).toEqual({ id: 'debian', release: 'trixie' });
    expect(diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ['IMGC6003', '/distribution/id'],
      ['IMGC6003', '/distribution/release'],
    ]);
  });

  it('reads --distro as loadDefinition does: one-string fedora-41, and nothing from a malformed value', () => {
    expect(applyTargetDefaults(emptyIr(), 'kiwi', { distro: 'fedora-41' }).ir.distribution).toEqual({
      id: 'fedora',
      release: '41',
    });
    expect(applyTargetDefaults(emptyIr(), 'kiwi', { distro: 'debian:' }).ir.distribution).toEqual({});
  });

  it('has no default distribution: a target that needs one asks for --distro', () => {
    const kiwi = applyTargetDefaults(emptyIr(), 'kiwi');
    expect(kiwi.ir.distribution).toEqual({});
    expect(kiwi.diagnostics.map((d) => [d.code, d.severity])).toContainEqual(['IMGC1021', 'error']);
    expect(kiwi.diagnostics.find((d) => d.code === 'IMGC1021')?.hint).toMatch(/--distro/);
    const noRelease = emptyIr();
    noRelease.distribution = { id: 'fedora' };
    expect(applyTargetDefaults(noRelease, 'kiwi').diagnostics.map((d) => d.code)).toContain('IMGC1022');
    const arch = emptyIr();
    arch.distribution = { id: 'arch' };
    expect(applyTargetDefaults(arch, 'kiwi').diagnostics.map((d) => d.code)).not.toContain('IMGC1022');
    expect(applyTargetDefaults(emptyIr(), 'blueprint').diagnostics).toEqual([]);
    expect(applyTargetDefaults(emptyIr(), 'kickstart').ir.distribution).toEqual({});
  });

  it('never overrides what the source says, and leaves the input untouched', () => {
    const source = emptyIr();
    source.distribution = { id: 'opensuse', release: 'tumbleweed' };
    source.outputs = [{ type: 'iso' }];
    const { ir, diagnostics } = applyTargetDefaults(source, 'kiwi', { distro: 'fedora:43', output: 'disk' });
    expect(ir.distribution).toEqual({ id: 'opensuse', release: 'tumbleweed' });
    expect(ir.outputs).toEqual([{ type: 'iso' }]);
    expect(diagnostics).toEqual([]);
    const bare = emptyIr();
    applyTargetDefaults(bare, 'kiwi');
    expect(bare.distribution).toEqual({});
  });

  it('takes a kept base image of an unknown distribution as the Containerfile base', () => {
    const source = emptyIr();
    source.extensions.containerfile = { from: 'ghcr.io/ublue-os/bazzite:stable' };
    expect(applyTargetDefaults(source, 'containerfile').diagnostics).toEqual([]);
    expect(applyTargetDefaults(source, 'kiwi').diagnostics.map((d) => d.code)).toContain('IMGC1021');
  });

  it('parses --output type[:format]', () => {
    expect(parseOutputFlag('disk:qcow2')).toEqual({ type: 'disk', format: 'qcow2' });
    expect(parseOutputFlag('iso')).toEqual({ type: 'iso' });
    expect(parseOutputFlag('floppy')).toBeUndefined();
  });

  it('accepts for --output exactly the output types of the published IR schema', () => {
    const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas/ir.schema.json'), 'utf8'));
    const published: string[] = schema.properties.outputs.items.properties.type.anyOf.map(
      (literal: { const: string }) => literal.const,
    );
    expect(published.length).toBeGreaterThan(10);
    for (const type of published) expect(parseOutputFlag(type), type).toEqual({ type });
    expect(OUTPUT_TYPE_LIST).toBe(published.join(', '));
    expect(parseOutputFlag('directories')).toBeUndefined();
  });
});
