/** Hostile vmdb2 specifications: positioned errors, never an internal error. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../../../src/formats/load.js';
import { FormatRegistry } from '../../../../src/formats/registry.js';
import { scratchTree } from '../../../input/scratch.js';

describe('vmdb2 nesting', () => {
  it('a step of 50,000 nested `- ` is IMGC1052 on its line (was a syntax error "Maximum call stack size exceeded")', async () => {
    const dir = scratchTree({
      'image.vmdb': `steps:\n  - mkimg: "{{ output }}"\n  - ${'- '.repeat(50_000)}x\n`,
    });
    const r = await loadDefinition(new FormatRegistry(), join(dir, 'image.vmdb'), { from: 'vmdb2' });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['IMGC1052']);
    expect(r.diagnostics[0]).toMatchObject({ line: 3 });
  });
});

describe('vmdb2 mapping keys', () => {
  it('a chain of `? ` complex keys in a step is IMGC3600 at the first key, not gigabytes of printed keys (fuzz seed 9201, input 8096)', async () => {
    const text = `steps:\n  - apt: install\n    packages:\n      - ${'? '.repeat(40)}linux-image-amd64\n`;
    const dir = scratchTree({ 'image.vmdb': text });
    const r = await loadDefinition(new FormatRegistry(), join(dir, 'image.vmdb'), { from: 'vmdb2' });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['IMGC3600']);
    expect(r.diagnostics[0]).toMatchObject({ line: 4, column: 11 });
  });
});

describe('vmdb2 merge keys', () => {
  it('`<<: *a` merging a list is IMGC3602 at the value, not an exception out of the yaml package (fuzz seed 9202, input 80342)', async () => {
    const text =
      'steps:\n  - mkimg: "{{ output }}"\n    size: 4G\n  - apt: install\n    packages: &a\n      - vim\n  - apt: install\n    packages:\n      - <<: *a\n';
    const dir = scratchTree({ 'image.vmdb': text });
    const r = await loadDefinition(new FormatRegistry(), join(dir, 'image.vmdb'), { from: 'vmdb2' });
    const bad = r.diagnostics.find((d) => d.code === 'IMGC3602');
    expect(bad).toMatchObject({ line: 9 });
    expect(bad!.message).toMatch(/Merge sources must be maps/);
    expect(r.diagnostics.map((d) => d.code)).not.toContain('IMGC1009');
  });
});

describe('vmdb2 numbers no IR field can hold (fuzz seed 9202)', () => {
  async function read(text: string) {
    const dir = scratchTree({ 'image.vmdb': text });
    return loadDefinition(new FormatRegistry(), join(dir, 'image.vmdb'), { from: 'vmdb2' });
  }

  it('an end of a 90-digit percentage keeps start/end as written (input 304130: size Infinity, IMGC1006)', async () => {
    const r = await read(
      `steps:\n  - mkimg: "{{ output }}"\n    size: 4G\n  - mklabel: msdos\n    device: "{{ output }}"\n  - mkpart: primary\n    device: "{{ output }}"\n    start: 0%\n    end: ${'1'.padEnd(90, '0')}%\n    tag: root\n`,
    );
    expect(r.diagnostics.map((d) => d.code)).not.toContain('IMGC1006');
    expect(r.ir?.storage?.partitions[0]?.size).toBeUndefined();
    expect(r.diagnostics.find((d) => d.code === 'IMGC3608')).toMatchObject({ line: 8 });
  });

  it('a negative gid and a perm past 07777 are reported, not owners and modes (input 229520)', async () => {
    const r = await read(
      'steps:\n  - create-dir: /srv/www\n    perm: 99999\n    gid: -133\n  - create-dir: /srv/ok\n    uid: 33\n',
    );
    expect(r.diagnostics.map((d) => d.code)).not.toContain('IMGC1006');
    expect(r.ir?.directories).toEqual([{ path: '/srv/www' }, { path: '/srv/ok', user: 33 }]);
    const kept = r.diagnostics.filter((d) => d.code === 'IMGC3608').map((d) => d.line);
    expect(kept.sort()).toEqual([3, 4]);
  });
});

describe('vmdb2 file steps without a path (fuzz seed 9302)', () => {
  it('`- create-dir:` with no value is IMGC3604 at the step (vmdb2 has no path to make), not a directory without a path (IMGC1006)', async () => {
    const dir = scratchTree({
      'image.vmdb': 'steps:\n  - create-dir:\n    perm: 493\n  - create-dir: /srv/ok\n',
    });
    const r = await loadDefinition(new FormatRegistry(), join(dir, 'image.vmdb'), { from: 'vmdb2' });
    expect(r.diagnostics.map((d) => d.code)).not.toContain('IMGC1006');
    expect(r.diagnostics.find((d) => d.code === 'IMGC3604')).toMatchObject({ line: 2, severity: 'error' });
  });
});

describe('vmdb2 steps without their value', () => {
  it('`debootstrap:` with only a comment is IMGC3604 at the step, not an invalid IR (fuzz seed 9401, input 207644); `mkfs:` alike, not a root without a filesystem', async () => {
    const text = [
      'steps:',
      '  - mkimg: "{{ output }}"',
      '    size: 4G',
      '  - mklabel: gpt',
      '    device: "{{ output }}"',
      '  - mkpart: primary',
      '    device: "{{ output }}"',
      '    start: 0%',
      '    end: 100%',
      '    tag: root',
      '  - mkfs: # ext4',
      '    partition: root',
      '  - debootstrap: #trixie',
      '    mirror: http://deb.debian.org/debian',
      '    target: root',
      '',
    ].join('\n');
    const dir = scratchTree({ 'image.vmdb': text });
    const r = await loadDefinition(new FormatRegistry(), join(dir, 'image.vmdb'), { from: 'vmdb2' });
    const missing = r.diagnostics.filter((d) => d.code === 'IMGC3604');
    expect(missing.map((d) => [d.line, d.message])).toEqual([
      [11, 'mkfs needs "a value for mkfs"'],
      [13, 'debootstrap needs "a value for debootstrap"'],
    ]);
    expect(r.diagnostics.map((d) => d.code)).not.toContain('IMGC1006');
  });
});
