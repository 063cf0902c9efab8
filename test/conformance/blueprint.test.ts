/**
 * Conformance over ../shared/corpus/blueprint: every file is read; those whose MANIFEST notes
 * say INVALID must fail with a positioned error, the others must inspect cleanly (target ≥ 98 %),
 * none may crash, and blueprint → IR → blueprint → IR must be identical for every file that lowers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../src/formats/load.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { writeOutputFiles } from '../../src/formats/write-files.js';
import { normalizeIr } from '../../src/ir/normalize.js';
import { corpusDir, corpusMissingMessage, readManifest } from '../helpers/shared.js';

const dir = corpusDir('blueprint');
const registry = new FormatRegistry();

describe('blueprint corpus', () => {
  if (!dir) {
    console.warn(corpusMissingMessage('blueprint'));
    it.skip('corpus absent', () => {});
    return;
  }
  const rows = readManifest('blueprint');

  it('reads every corpus blueprint as osbuild would', async () => {
    const counts = {
      files: 0,
      valid: 0,
      clean: 0,
      invalid: 0,
      invalidRejected: 0,
      crashes: 0,
      roundTrips: 0,
      roundTripFailures: 0,
    };
    const failures: string[] = [];
    for (const row of rows) {
      const file = join(dir, row.repo!.replace('/', '+'), row.path!);
      const formatId = row.path!.endsWith('.json') ? 'blueprint-json' : 'blueprint';
      const invalid = /INVALID/.test(row.notes ?? '');
      counts.files++;
      let loaded: Awaited<ReturnType<typeof loadDefinition>>;
      try {
        loaded = await loadDefinition(registry, file, { from: formatId });
      } catch (e) {
        counts.crashes++;
        failures.push(`CRASH ${row.path}: ${String(e)}`);
        continue;
      }
      const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
      if (invalid) {
        counts.invalid++;
        if (errors.length > 0 && errors.every((d) => d.line && d.column)) counts.invalidRejected++;
        else failures.push(`INVALID but accepted ${row.path}`);
        continue;
      }
      counts.valid++;
      if (errors.length === 0 && loaded.ir) counts.clean++;
      else
        failures.push(
          `ERRORS ${row.path}: ${errors.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`).join('; ')}`,
        );
      if (!loaded.ir) continue;
      const out = mkdtempSync(join(tmpdir(), 'imgc-bp-rt-'));
      try {
        const written = await registry.get(formatId)!.writer!.write(loaded.ir, {});
        await writeOutputFiles(out, written.files);
        const again = await loadDefinition(registry, out, { from: formatId });
        if (again.ir && JSON.stringify(normalizeIr(again.ir)) === JSON.stringify(normalizeIr(loaded.ir)))
          counts.roundTrips++;
        else {
          counts.roundTripFailures++;
          failures.push(`ROUND TRIP ${row.path}`);
        }
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }
    console.log(`blueprint corpus: ${JSON.stringify(counts)}`);
    if (failures.length) console.log(`blueprint corpus failures:\n  ${failures.join('\n  ')}`);
    expect(counts.crashes).toBe(0);
    expect(counts.clean / counts.valid).toBeGreaterThanOrEqual(0.98);
    expect(counts.invalidRejected).toBe(counts.invalid);
    expect(counts.roundTripFailures).toBe(0);
  });
});
