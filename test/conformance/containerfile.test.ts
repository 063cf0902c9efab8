/**
 * Conformance over ../shared/corpus/bootc: every Containerfile, bootc-image-builder config and
 * kargs.d file is read (none may crash; the share without errors is printed), and every one that
 * reads is written back as a Containerfile and re-read: every field the capability table claims
 * must come back unless the writer reported it (IMGC6002). Identical IRs are counted too; a bib
 * config alone cannot be identical, since the written Containerfile needs a FROM.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../src/formats/load.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { writeOutputFiles } from '../../src/formats/write-files.js';
import { normalizeIr } from '../../src/ir/normalize.js';
import { corpusDir, corpusMissingMessage, readManifest } from '../helpers/shared.js';
import { lostClaimedFields } from '../translate/matrix-helpers.js';

/** JSON with sorted keys: equal values, equal text. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)))
      : x,
  );
}

const dir = corpusDir('bootc');
const registry = new FormatRegistry();

describe('bootc corpus', () => {
  if (!dir) {
    console.warn(corpusMissingMessage('bootc'));
    it.skip('corpus absent', () => {});
    return;
  }
  it('reads every file and round-trips what it reads', async () => {
    const counts = {
      files: 0,
      parsed: 0,
      clean: 0,
      errors: 0,
      crashes: 0,
      scripts: 0,
      identical: 0,
      roundTrips: 0,
      roundTripFailures: 0,
    };
    const byKind = new Map<string, number>();
    const failures: string[] = [];
    for (const row of readManifest('bootc')) {
      const file = join(dir, row.repo!.replace('/', '+'), row.path!);
      counts.files++;
      byKind.set(row.format!, (byKind.get(row.format!) ?? 0) + 1);
      let loaded: Awaited<ReturnType<typeof loadDefinition>>;
      try {
        loaded = await loadDefinition(registry, file, { from: 'containerfile' });
      } catch (e) {
        counts.crashes++;
        failures.push(`CRASH ${row.path}: ${String(e)}`);
        continue;
      }
      const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length || !loaded.ir) {
        counts.errors++;
        failures.push(
          `ERRORS ${row.path}: ${errors.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`).join('; ')}`,
        );
        continue;
      }
      counts.parsed++;
      if (!loaded.diagnostics.some((d) => d.severity === 'warning')) counts.clean++;
      counts.scripts += loaded.ir.scripts.length;
      const out = mkdtempSync(join(tmpdir(), 'imgc-cf-rt-'));
      try {
        const written = await registry
          .get('containerfile')!
          .writer!.write(loaded.ir, { sourceDir: dirname(file) });
        await writeOutputFiles(out, written.files);
        const again = await loadDefinition(registry, out, { from: 'containerfile' });
        const lost = again.ir
          ? lostClaimedFields(
              loaded.ir,
              again.ir,
              registry.get('containerfile')!.writer!.capabilities,
              written.diagnostics,
            )
          : ['the output does not read'];
        if (again.ir && canonical(normalizeIr(again.ir)) === canonical(normalizeIr(loaded.ir)))
          counts.identical++;
        if (lost.length === 0) counts.roundTrips++;
        else {
          counts.roundTripFailures++;
          failures.push(`ROUND TRIP ${row.repo}/${row.path}: ${lost.slice(0, 3).join('; ')}`);
        }
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }
    console.log(
      `bootc corpus: ${counts.files} files (${[...byKind].map(([k, n]) => `${n} ${k}`).join(', ')}): ${counts.parsed} parsed, ${counts.clean} without warnings, ${counts.errors} with errors, ${counts.crashes} crashes; ${counts.scripts} RUN commands kept as scripts; round trips: ${counts.identical} identical IRs, ${counts.roundTrips} keep every claimed field (or report it), ${counts.roundTripFailures} lose some`,
    );
    if (failures.length) console.log(failures.join('\n'));
    expect(counts.crashes).toBe(0);
    expect(counts.parsed / counts.files).toBeGreaterThanOrEqual(0.98);
    expect(counts.roundTripFailures).toBe(0);
  });
});
