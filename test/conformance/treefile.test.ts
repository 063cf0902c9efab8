/**
 * Conformance over ../shared/corpus/treefile: every file (main and fragment) is read with its
 * includes; no read may crash; ≥ 98 % of the main treefiles lower with 0 errors (each failure
 * printed); every main treefile that lowers is written as a treefile, the written treefile.json
 * is accepted by the JSON schema derived from rpm-ostree's docs/treefile.md (the oracle, as
 * rpm-ostree is not packaged), and re-reading it gives the same IR.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../src/formats/load.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { writeOutputFiles } from '../../src/formats/write-files.js';
import { normalizeIr } from '../../src/ir/normalize.js';
import type { ImageIR } from '../../src/ir/schema.js';
import { treefileSchemaErrors } from '../formats/treefile/oracle/schema.js';
import { corpusFileOf } from '../helpers/corpus-file.js';
import { corpusDir, corpusMissingMessage, readManifest } from '../helpers/shared.js';

const dir = corpusDir('treefile');

/** The IR less what the writer reports as lost itself: keys rpm-ostree does not know (IMGC2520). */
function withoutReportedLosses(ir: ImageIR): ImageIR {
  const copy = normalizeIr(structuredClone(ir));
  const ext = copy.extensions.treefile as { unknown?: unknown } | undefined;
  if (ext) delete ext.unknown;
  if (ext && Object.keys(ext).length === 0) delete copy.extensions.treefile;
  return copy;
}
const registry = new FormatRegistry();
const options = { arch: 'x86_64' };

describe('treefile corpus', () => {
  if (!dir) {
    console.warn(corpusMissingMessage('treefile'));
    it.skip('corpus absent', () => {});
    return;
  }
  const rows = readManifest('treefile');

  it('reads every treefile, lowers the main ones and round-trips them through the schema', async () => {
    const counts = {
      files: 0,
      main: 0,
      mainClean: 0,
      fragments: 0,
      fragmentsClean: 0,
      crashes: 0,
      corpusGaps: 0,
      written: 0,
      schemaAccepted: 0,
      roundTrips: 0,
    };
    const failures: string[] = [];
    for (const row of rows) {
      const file = corpusFileOf(dir, row);
      counts.files++;
      let loaded: Awaited<ReturnType<typeof loadDefinition>>;
      try {
        loaded = await loadDefinition(registry, file, { from: 'treefile', options });
      } catch (e) {
        counts.crashes++;
        failures.push(`CRASH ${row.repo} ${row.path}: ${String(e)}`);
        continue;
      }
      const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
      const shown = errors.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`).join('; ');
      if (row.kind !== 'main') {
        counts.fragments++;
        if (errors.length === 0) counts.fragmentsClean++;
        else failures.push(`FRAGMENT ${row.repo} ${row.path}: ${shown}`);
        continue;
      }
      counts.main++;
      if (errors.length > 0 || !loaded.ir) {
        // an include the corpus did not stage (the file is in neither the folder nor MANIFEST)
        if (errors.every((d) => d.code === 'IMGC2504' && /no such file/.test(d.message))) counts.corpusGaps++;
        failures.push(`MAIN ${row.repo} ${row.path}: ${shown}`);
        continue;
      }
      counts.mainClean++;
      const written = await registry
        .get('treefile')!
        .writer!.write(loaded.ir, { sourceDir: join(file, '..'), options });
      counts.written++;
      const json = JSON.parse(String(written.files.find((f) => f.path === 'treefile.json')!.content));
      const schemaErrors = treefileSchemaErrors(json);
      if (schemaErrors.length === 0) counts.schemaAccepted++;
      else failures.push(`SCHEMA ${row.repo} ${row.path}: ${schemaErrors.join('; ')}`);
      const out = mkdtempSync(join(tmpdir(), 'imgc-treefile-rt-'));
      try {
        await writeOutputFiles(out, written.files);
        const again = await loadDefinition(registry, join(out, 'treefile.json'), {
          from: 'treefile',
          options,
        });
        if (again.ir && isDeepStrictEqual(normalizeIr(again.ir), withoutReportedLosses(loaded.ir)))
          counts.roundTrips++;
        else failures.push(`ROUND TRIP ${row.repo} ${row.path}`);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }
    console.log(`treefile corpus: ${JSON.stringify(counts)}`);
    if (failures.length) console.log(`treefile corpus failures:\n  ${failures.join('\n  ')}`);
    expect(counts.files).toBe(rows.length);
    expect(counts.crashes).toBe(0);
    // a main treefile whose include is missing from the corpus cannot lower (rpm-ostree fails on it
    // too); it stays counted in `main` and printed above, and the ratio is taken over the others
    console.log(
      `treefile main lowered: ${counts.mainClean}/${counts.main}; without corpus gaps ${counts.mainClean}/${counts.main - counts.corpusGaps}`,
    );
    expect(counts.mainClean / (counts.main - counts.corpusGaps)).toBeGreaterThanOrEqual(0.98);
    expect(counts.corpusGaps).toBeLessThanOrEqual(1);
    expect(counts.schemaAccepted / counts.written).toBeGreaterThanOrEqual(0.98);
    expect(counts.roundTrips).toBe(counts.written);
  });
});
