/**
 * Containerfiles found slow by the fuzz harness (issue 14): 93,298 `FROM` lines took 58 s to
 * read (each helper stage copied the list of kept stages, and the base chain was found by a
 * scan per stage), and 40,000 RUN lines 11 s to write as mkosi (the script list was copied per
 * script). Both are linear now; the bounds are generous for a loaded machine.
 */
import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../../../src/formats/load.js';
import { FormatRegistry } from '../../../../src/formats/registry.js';
import { translateIr } from '../../../../src/formats/translate.js';
import { scratchTree } from '../../../input/scratch.js';

const registry = new FormatRegistry();
const BASE = 'FROM quay.io/fedora/fedora-bootc:41';

async function read(containerfile: string) {
  const dir = scratchTree({ Containerfile: containerfile });
  return loadDefinition(registry, `${dir}/Containerfile`, { from: 'containerfile' });
}

describe('a Containerfile with tens of thousands of stages', () => {
  it('reads 60,000 helper stages in linear time and keeps each', async () => {
    const started = performance.now();
    const r = await read(`${'FROM scratch\n'.repeat(60_000)}${BASE}\n`);
    expect(performance.now() - started).toBeLessThan(10_000);
    const kept = (r.ir?.extensions?.containerfile as { stages?: string[] } | undefined)?.stages;
    expect(kept).toHaveLength(60_000);
  });

  it('follows a chain of 20,000 named stages to its base', async () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => `FROM s${i} AS s${i + 1}\n`).join('');
    const started = performance.now();
    const r = await read(`${BASE} AS s0\n${chain}`);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(r.ir?.distribution.id).toBe('fedora');
    expect((r.ir?.extensions?.containerfile as { stages?: string[] } | undefined)?.stages).toBeUndefined();
  });
});

describe('a Containerfile with tens of thousands of RUN lines', () => {
  it('is written as mkosi in linear time, one script per RUN', async () => {
    const r = await read(`${BASE}\n${Array.from({ length: 60_000 }, (_, i) => `RUN echo ${i}\n`).join('')}`);
    const started = performance.now();
    const written = await translateIr({ ir: r.ir!, positions: r.positions, target: registry.get('mkosi')! });
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(written.files.filter((f) => f.path.startsWith('mkosi.scripts/'))).toHaveLength(60_000);
  });
});
