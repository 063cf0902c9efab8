/**
 * Conformance over ../shared/corpus/virt-builder: every index, index fragment, preseed and
 * kickstart template is read (kickstarts by detection, with imgc's kickstart reader) without a
 * crash; ≥ 98 % of the `main` ones lower without errors; every `invalid` one gets a positioned
 * error. What imgc writes as virt-builder is judged by libguestfs-tools: virt-builder --list
 * lists the written index with the template's id and architecture, virt-index-validate accepts
 * it, virt-customize parses the written command file; re-reading gives the same IR.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDefinition } from '../../src/formats/load.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { writeOutputFiles } from '../../src/formats/write-files.js';
import { normalizeIr } from '../../src/ir/normalize.js';
import type { ImageIR } from '../../src/ir/schema.js';
import {
  commandsAccepted,
  indexValidates,
  libguestfsAvailable,
  listAvailable,
  virtBuilderList,
} from '../formats/virt-builder/oracle/libguestfs.js';
import { corpusFileOf } from '../helpers/corpus-file.js';
import { corpusDir, corpusMissingMessage, fixturesDirOf, readManifest } from '../helpers/shared.js';
import { reportedPointers, withoutPointers } from '../translate/matrix-helpers.js';

const dir = corpusDir('virt-builder');

function fixtureCommandFiles(): string[] {
  const fixtures = fixturesDirOf('virt-builder');
  return readdirSync(fixtures)
    .map((c) => join(fixtures, c, 'out', 'virt-builder', 'customize.virt-customize'))
    .filter((f) => existsSync(f));
}
const registry = new FormatRegistry();

/** the IR without what the virt-builder writer adds as its own extension data (the index entry it writes) */
function comparable(ir: ImageIR): ImageIR {
  const n = normalizeIr(ir);
  delete n.extensions['virt-builder'];
  return n;
}

describe('virt-builder corpus', () => {
  if (!dir) {
    console.warn(corpusMissingMessage('virt-builder'));
    it.skip('corpus absent', () => {});
    return;
  }
  if (!libguestfsAvailable)
    console.warn(
      'SKIPPED: the libguestfs oracle checks (virt-builder, virt-customize; install libguestfs-tools)',
    );
  else if (!listAvailable)
    console.warn('SKIPPED: the virt-builder --list check (needs root for a mount namespace)');
  const rows = readManifest('virt-builder');
  const out = mkdtempSync(join(tmpdir(), 'imgc-virt-builder-corpus-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('reads every file, rejects the invalid ones, and libguestfs accepts what imgc writes', async () => {
    const counts = {
      files: 0,
      crashes: 0,
      main: 0,
      mainClean: 0,
      readAsKickstart: 0,
      fragments: 0,
      fragmentsClean: 0,
      invalid: 0,
      invalidRejected: 0,
      written: 0,
      roundTripsTried: 0,
      roundTrips: 0,
      listed: 0,
      indexValid: 0,
      commandFiles: 0,
      commandsValid: 0,
      validateAgrees: 0,
    };
    const failures: string[] = [];
    const written: { dir: string; id: string; arch: string; label: string }[] = [];
    const indexVerdicts: { file: string; ours: boolean; newerOnly: boolean; label: string }[] = [];
    for (const [i, row] of rows.entries()) {
      const file = corpusFileOf(dir, row);
      counts.files++;
      const kickstart = file.endsWith('.ks');
      let loaded: Awaited<ReturnType<typeof loadDefinition>>;
      try {
        loaded = await loadDefinition(registry, file, kickstart ? {} : { from: 'virt-builder' });
      } catch (e) {
        counts.crashes++;
        failures.push(`CRASH ${row.path}: ${String(e)}`);
        continue;
      }
      const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
      if (!kickstart && !file.endsWith('.preseed'))
        indexVerdicts.push({
          file,
          ours: errors.length === 0,
          newerOnly: loaded.diagnostics.some((d) => d.code === 'IMGC2703'),
          label: row.path!,
        });
      const shown = errors
        .slice(0, 2)
        .map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)
        .join('; ');
      if (row.kind === 'invalid') {
        counts.invalid++;
        if (errors.length > 0 && errors.every((d) => d.line && d.column)) counts.invalidRejected++;
        else failures.push(`INVALID but accepted ${row.path}`);
        continue;
      }
      const clean = errors.length === 0 && loaded.ir !== undefined;
      if (row.kind === 'main') {
        counts.main++;
        if (clean) counts.mainClean++;
        if (clean && kickstart) counts.readAsKickstart++;
      } else {
        counts.fragments++;
        if (clean) counts.fragmentsClean++;
      }
      if (!clean || !loaded.ir) {
        failures.push(`${(row.kind ?? '').toUpperCase()} ${row.path}: ${shown}`);
        continue;
      }
      const ir = structuredClone(loaded.ir);
      // a kickstart or preseed names no architecture; the index needs one (IMGC2712, --arch)
      ir.distribution.architecture ??= 'x86_64';
      ir.metadata = { ...ir.metadata, name: ir.metadata?.name ?? `corpus-${i}` };
      const target = join(out, String(i));
      const result = await registry.get('virt-builder')!.writer!.write(ir, { sourceDir: join(file, '..') });
      await writeOutputFiles(target, result.files);
      counts.written++;
      written.push({
        dir: target,
        id: ir.metadata.name!,
        arch: ir.distribution.architecture,
        label: row.path!,
      });
      // kickstarts and preseeds hold more than a virt-builder definition: the translate matrix checks that those losses are reported
      if (kickstart || file.endsWith('.preseed')) continue;
      counts.roundTripsTried++;
      const again = await loadDefinition(registry, target, { from: 'virt-builder' });
      const lost = reportedPointers(result.diagnostics);
      // the size the writer chose and said so (IMGC2714) comes back as a disk size
      if (result.diagnostics.some((d) => d.code === 'IMGC2714') && again.ir) delete again.ir.storage;
      if (
        again.ir &&
        isDeepStrictEqual(withoutPointers(comparable(again.ir), lost), withoutPointers(comparable(ir), lost))
      )
        counts.roundTrips++;
      else failures.push(`ROUND TRIP ${row.path}`);
    }
    if (libguestfsAvailable) {
      // virt-index-validate judges the corpus indexes too; imgc reads blank lines in a section as
      // later virt-builder does and warns that 1.48 refuses them (IMGC2703)
      for (const v of indexVerdicts) {
        const theirs = indexValidates(v.file);
        if (theirs.ok === v.ours || (v.newerOnly && !theirs.ok)) counts.validateAgrees++;
        else
          failures.push(
            `VIRT-INDEX-VALIDATE DISAGREES ${v.label}: imgc ${v.ours ? 'accepts' : 'rejects'}, it ${theirs.error ?? 'accepts'}`,
          );
      }
      // the fixtures' golden command files use more commands than the corpus gives
      for (const golden of fixtureCommandFiles()) {
        counts.commandFiles++;
        const g = commandsAccepted(golden);
        if (g.ok) counts.commandsValid++;
        else failures.push(`VIRT-CUSTOMIZE REJECTS ${golden}: ${g.error}`);
      }
      for (const w of written) {
        const v = indexValidates(join(w.dir, 'index'));
        if (v.ok) counts.indexValid++;
        else failures.push(`VIRT-INDEX-VALIDATE REJECTS ${w.label}: ${v.error}`);
        const commandFile = join(w.dir, 'customize.virt-customize');
        if (!existsSync(commandFile)) continue; // an IR with nothing to customize gets only its index
        counts.commandFiles++;
        const c = commandsAccepted(commandFile);
        if (c.ok) counts.commandsValid++;
        else failures.push(`VIRT-CUSTOMIZE REJECTS ${w.label}: ${c.error}`);
      }
    }
    if (listAvailable) {
      // one virt-builder run for all indexes; each on its own only when that run fails
      const all = virtBuilderList(written.map((w) => join(w.dir, 'index')));
      for (const w of written) {
        const listed = all.templates ?? virtBuilderList([join(w.dir, 'index')]).templates ?? [];
        if (listed.some((t) => t['os-version'] === w.id && t.arch === w.arch)) counts.listed++;
        else failures.push(`VIRT-BUILDER --list MISSES ${w.label}: ${all.error ?? 'not listed'}`);
      }
    }
    console.log(`virt-builder corpus: ${JSON.stringify(counts)}`);
    if (failures.length) console.log(`virt-builder corpus failures:\n  ${failures.join('\n  ')}`);
    expect(counts.files).toBe(rows.length);
    expect(counts.crashes).toBe(0);
    expect(counts.mainClean / counts.main).toBeGreaterThanOrEqual(0.98);
    expect(counts.invalidRejected).toBe(counts.invalid);
    expect(counts.roundTrips).toBe(counts.roundTripsTried);
    if (libguestfsAvailable) {
      expect(counts.indexValid / counts.written).toBeGreaterThanOrEqual(0.98);
      expect(counts.validateAgrees / indexVerdicts.length).toBeGreaterThanOrEqual(0.98);
      expect(counts.commandsValid / counts.commandFiles).toBeGreaterThanOrEqual(0.98);
    }
    if (listAvailable) expect(counts.listed / counts.written).toBeGreaterThanOrEqual(0.98);
  });
});
