import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../../src/formats/containerfile/shell.js';
import { loadDefinition } from '../../../../src/formats/load.js';
import { FormatRegistry } from '../../../../src/formats/registry.js';
import { scratchFile } from '../../../input/scratch.js';

const words = (text: string) => tokenize(text).map((t) => t.value);

describe('tokenize', () => {
  // issue 14: these pushed empty words forever (1.2 GB in 8 s)
  for (const [name, space] of [
    ['a no-break space', '\u00a0'],
    ['a BOM', '\ufeff'],
    ['a vertical tab', '\v'],
    ['a form feed', '\f'],
    ['an ideographic space', '\u3000'],
  ]) {
    it(`ends on ${name} inside a command, keeping it in the word as the shell does`, () => {
      expect(words(`dnf -y install${space}vim`)).toEqual(['dnf', '-y', `install${space}vim`]);
      expect(words(`${space}`)).toEqual([space]);
    });
  }

  it('still splits at spaces, tabs and newlines', () => {
    expect(words('a b\tc\nd')).toEqual(['a', 'b', 'c', '\n', 'd']);
  });
});

describe('Containerfile reader', () => {
  it('reads the issue 14 reproducer to an IR', async () => {
    const file = scratchFile(
      'Containerfile',
      'FROM quay.io/fedora/fedora-bootc:41\nRUN dnf -y install\u00a0vim\n',
    );
    const result = await loadDefinition(new FormatRegistry(), file, { from: 'containerfile' });
    expect(result.ir).toBeDefined();
    expect(result.diagnostics.filter((d) => d.code === 'IMGC1009')).toEqual([]);
  });
});

describe('Containerfile parser on large input', () => {
  it('a RUN continued over 150,000 lines reads in linear time (fuzz: 137 s)', async () => {
    const file = scratchFile(
      'Containerfile',
      `FROM quay.io/fedora/fedora-bootc:41\nRUN true && \\\n${'    rm \\\n'.repeat(150_000)}    x\n`,
    );
    const started = Date.now();
    const result = await loadDefinition(new FormatRegistry(), file, { from: 'containerfile' });
    expect(result.ir).toBeDefined();
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe('Containerfile package lists on large input', () => {
  it('dnf install of 100,000 packages, one per continued line, reads in linear time (fuzz: 41 s)', async () => {
    const file = scratchFile(
      'Containerfile',
      `FROM quay.io/fedora/fedora-bootc:41\nRUN dnf -y install \\\n${'    pkg \\\n'.repeat(100_000)}    last\n`,
    );
    const started = Date.now();
    const result = await loadDefinition(new FormatRegistry(), file, { from: 'containerfile' });
    expect(result.ir?.packages.install).toHaveLength(100_001);
    expect(result.positions['/packages/install/100000']).toMatchObject({ line: 100_003 });
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
