/**
 * Conformance over ../shared/corpus/vmdb2: every specification is read (none may crash; at
 * least 98 % of `main` entries without errors, every failure printed with its reason), every
 * `invalid` entry must give a positioned error, and every one that reads is written back as
 * vmdb2 and re-read: each field the capability table claims comes back unless the writer
 * reported it (IMGC6002). Every manifest row counts: one whose file the corpus lacks is a
 * reported failure, in the totals and the ratios.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../src/formats/load.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { writeOutputFiles } from '../../src/formats/write-files.js';
import { corpusDir, corpusMissingMessage, readManifest } from '../helpers/shared.js';
import { lostClaimedFields } from '../translate/matrix-helpers.js';
import { rowPath } from './translate-matrix.js';

const dir = corpusDir('vmdb2');
const registry = new FormatRegistry();
const WRITE_OPTIONS = { vmdb2Mirror: 'http://mirror.invalid/debian' };

describe('vmdb2 corpus', () => {
  if (!dir) {
    console.warn(corpusMissingMessage('vmdb2'));
    it.skip('corpus absent', () => {});
    return;
  }
  it('reads every specification and round-trips what it reads', async () => {
    const c = {
      files: 0,
      main: 0,
      mainClean: 0,
      invalid: 0,
      invalidPositioned: 0,
      errors: 0,
      crashes: 0,
      missing: 0,
      roundTrips: 0,
      roundTripFailures: 0,
    };
    const failures: string[] = [];
    for (const row of readManifest('vmdb2')) {
      const file = rowPath(dir, row);
      c.files++;
      if (row.kind === 'main') c.main++;
      if (row.kind === 'invalid') c.invalid++;
      if (!file) {
        c.missing++;
        failures.push(`MISSING ${row.repo}/${row.path}: the manifest lists it and the corpus holds no copy`);
        continue;
      }
      let loaded: Awaited<ReturnType<typeof loadDefinition>>;
      try {
        loaded = await loadDefinition(registry, file, { from: 'vmdb2' });
      } catch (e) {
        c.crashes++;
        failures.push(`CRASH ${row.repo}/${row.path}: ${String(e)}`);
        continue;
      }
      const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
      if (row.kind === 'invalid') {
        if (errors.some((d) => d.line !== undefined && d.column !== undefined)) c.invalidPositioned++;
        else failures.push(`INVALID READ ${row.repo}/${row.path}`);
        continue;
      }
      if (errors.length || !loaded.ir) {
        c.errors++;
        failures.push(
          `ERRORS ${row.repo}/${row.path}: ${errors.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`).join('; ')}`,
        );
        continue;
      }
      if (row.kind === 'main') c.mainClean++;
      const out = mkdtempSync(join(tmpdir(), 'imgc-vmdb2-rt-'));
      try {
        const written = await registry
          .get('vmdb2')!
          .writer!.write(loaded.ir, { sourceDir: dirname(file), options: WRITE_OPTIONS });
        await writeOutputFiles(
          out,
          written.files.filter((f) => !f.copyFrom),
        );
        const again = await loadDefinition(registry, join(out, 'image.vmdb'), { from: 'vmdb2' });
        const lost = again.ir
          ? lostClaimedFields(
              loaded.ir,
              again.ir,
              registry.get('vmdb2')!.writer!.capabilities,
              written.diagnostics,
            )
          : [`the output does not read: ${again.diagnostics.map((d) => d.message).join('; ')}`];
        if (lost.length === 0) c.roundTrips++;
        else {
          c.roundTripFailures++;
          failures.push(`ROUND TRIP ${row.repo}/${row.path}: ${lost.slice(0, 3).join('; ')}`);
        }
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }
    console.log(
      `vmdb2 corpus: ${c.files} manifest rows (${c.missing} listed but absent, each a failure): main ${c.mainClean}/${c.main} read without errors, ${c.errors} with errors, ${c.crashes} crashes; invalid ${c.invalidPositioned}/${c.invalid} with a positioned error; round trips ${c.roundTrips} keep every claimed field, ${c.roundTripFailures} lose some`,
    );
    if (failures.length) console.log(failures.join('\n'));
    expect(c.crashes).toBe(0);
    expect(c.missing).toBe(0);
    expect(c.mainClean / c.main).toBeGreaterThanOrEqual(0.98);
    expect(c.invalidPositioned).toBe(c.invalid);
    expect(c.roundTripFailures).toBe(0);
  });
});
