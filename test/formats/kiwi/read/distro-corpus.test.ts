/**
 * Oracle for KIWI distribution inference: every corpus main description is read, and the
 * family of the inferred distribution is compared with the MANIFEST `target-distro` column
 * (set by hand when the corpus was gathered). Printed: inferred / agreeing / disagreeing /
 * family only / nothing. Done-criteria of issue 15: ≥ 98 % inferred, 0 disagreements.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readKiwi } from '../../../../src/formats/kiwi/read/read.js';
import { type Family, familyOf } from '../../../../src/ir/distribution.js';
import { corpusDir, corpusMissingMessage, readManifest } from '../../../helpers/shared.js';

/** The MANIFEST's spelling of a target (`openSUSE Leap`, `SLES`, `Deepin(Debian-like)`) → family. */
function manifestFamily(target: string): Family | undefined {
  if (/suse|\bsle/i.test(target)) return 'suse';
  if (/fedora|centos|rhel|red hat|alma|rocky/i.test(target)) return 'redhat';
  if (/debian|ubuntu|deepin/i.test(target)) return 'debian';
  if (/^arch/i.test(target)) return 'arch';
  if (/alpine/i.test(target)) return 'alpine';
  if (/mageia/i.test(target)) return 'mageia';
  return undefined;
}

const dir = corpusDir('kiwi');

describe('KIWI distribution inference over the corpus', () => {
  it.skipIf(!dir)('infers ≥ 98 % of main descriptions and never disagrees with the MANIFEST', async () => {
    const rows = readManifest('kiwi').filter((r) => /^main\b/.test(r.notes ?? ''));
    const counts = {
      files: 0,
      inferred: 0,
      agreeing: 0,
      disagreeing: 0,
      familyOnly: 0,
      nothing: 0,
      unread: 0,
    };
    const misses: string[] = [];
    for (const row of rows) {
      const path = join(dir!, row.repo!, row.path!);
      counts.files++;
      if (!existsSync(path)) {
        counts.unread++;
        misses.push(`missing file: ${row.repo}/${row.path}`);
        continue;
      }
      const result = await readKiwi(path);
      const id = result.ir?.distribution.id;
      const expected = manifestFamily(row['target-distro'] ?? '');
      if (!result.ir) {
        counts.unread++;
        misses.push(`unreadable: ${row.repo}/${row.path}`);
      } else if (!id) {
        const familyNote = result.diagnostics.find((d) => d.code === 'IMGC3032');
        if (familyNote && !/says no distribution/.test(familyNote.message)) counts.familyOnly++;
        else counts.nothing++;
        misses.push(`not inferred (${row['target-distro']}): ${row.repo}/${row.path}`);
      } else {
        counts.inferred++;
        expect(result.diagnostics.some((d) => d.code === 'IMGC3030')).toBe(true);
        if (!expected) continue;
        if (familyOf(id) === expected) counts.agreeing++;
        else {
          counts.disagreeing++;
          misses.push(`disagrees: ${id} vs ${row['target-distro']}: ${row.repo}/${row.path}`);
        }
      }
    }
    console.log(
      `KIWI distribution inference: ${counts.files} main descriptions, ${counts.inferred} inferred, ` +
        `${counts.agreeing} agreeing with MANIFEST, ${counts.disagreeing} disagreeing, ` +
        `${counts.familyOnly} family only, ${counts.nothing} nothing, ${counts.unread} unreadable\n` +
        misses.map((m) => `  ${m}`).join('\n'),
    );
    expect(counts.disagreeing).toBe(0);
    expect(counts.inferred / counts.files).toBeGreaterThanOrEqual(0.98);
  });
  it.skipIf(dir)('reports a missing corpus', () => {
    console.warn(corpusMissingMessage('kiwi'));
  });
});
