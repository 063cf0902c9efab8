/**
 * Kickstarts of every era (RHEL/CentOS 5–10, Fedora 7–Rawhide; kickstart-eras/, written for imgc
 * from the constructs of public kickstarts, see its MANIFEST.tsv) against pykickstart 3.74's
 * verdict under every version (kickstart-eras-golden.json, made by kickstart-oracle/eras.py).
 * Read as `imgc inspect` reads them, without --ks-version: the version imgc infers must be the
 * file's era where the file names it (url/repo release, #version=), of the era's family where
 * only the syntax tells, and imgc must read cleanly exactly where pykickstart with that version
 * accepts. With each version given explicitly, imgc's verdict must match pykickstart's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readKickstartFile } from '../../src/formats/kickstart/read/read.js';
import { isRhel, KS_VERSIONS, type KsVersion } from '../../src/formats/kickstart/versions.js';
import { loadDefinition } from '../../src/formats/load.js';
import { FormatRegistry } from '../../src/formats/registry.js';

interface Verdict {
  accepted: boolean;
  errors: number;
  warnings: number;
}

const dir = join(import.meta.dirname, 'kickstart-eras');
const golden = JSON.parse(readFileSync(join(import.meta.dirname, 'kickstart-eras-golden.json'), 'utf8')) as {
  files: Record<string, Record<string, Verdict>>;
};
const [, ...rows] = readFileSync(join(dir, 'MANIFEST.tsv'), 'utf8').trim().split('\n');
const fixtures = rows.map((line) => {
  const [file, era, evidence] = line.split('\t');
  return { file: file!, era: era as KsVersion, evidence: evidence as 'url' | 'comment' | 'syntax' };
});
const registry = new FormatRegistry();

function inferredVersion(diagnostics: { code: string; message: string }[]): string | undefined {
  const note = diagnostics.find((d) => d.code === 'IMGC5030');
  return note ? /read as kickstart (\S+):/.exec(note.message)?.[1] : undefined;
}

describe('kickstart of every era, judged by pykickstart with the matching version', () => {
  it('covers RHEL 5–10 and old and new Fedora, with pykickstart verdicts for each', () => {
    const eras = new Set(fixtures.map((f) => f.era));
    for (const era of ['RHEL5', 'RHEL6', 'RHEL7', 'RHEL8', 'RHEL9', 'RHEL10', 'F7', 'F14', 'F45'])
      expect(eras, era).toContain(era);
    for (const f of fixtures) expect(golden.files[f.file], f.file).toBeDefined();
    expect(Object.keys(golden.files).sort()).toEqual(fixtures.map((f) => f.file).sort());
  });

  for (const f of fixtures) {
    it(`${f.file}: infers the version and reads cleanly exactly where pykickstart accepts`, async () => {
      const result = await loadDefinition(registry, join(dir, f.file), {});
      expect(result.format?.id).toBe('kickstart');
      const version = inferredVersion(result.diagnostics);
      expect(version, 'a version note').toBeDefined();
      if (f.evidence === 'syntax') {
        expect(isRhel(version as KsVersion), `${version} is in the family of ${f.era}`).toBe(isRhel(f.era));
      } else expect(version).toBe(f.era);
      const verdict = golden.files[f.file]![version!]!;
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      expect(errors.map((e) => `${e.line}:${e.column} ${e.code} ${e.message}`).length === 0).toBe(
        verdict.accepted,
      );
      for (const e of errors) expect(e.line, `${e.code} is positioned`).toBeGreaterThan(0);
    });
  }

  it('agrees with pykickstart on every fixture under every supported version', () => {
    const disagreements: string[] = [];
    let compared = 0;
    for (const f of fixtures) {
      for (const version of KS_VERSIONS) {
        const result = readKickstartFile(join(dir, f.file), { options: { ksVersion: version } });
        const clean = !result.diagnostics.some((d) => d.severity === 'error');
        compared++;
        if (clean !== golden.files[f.file]![version]!.accepted) {
          const first = result.diagnostics.find((d) => d.severity === 'error');
          disagreements.push(
            `${f.file} ${version}: imgc ${clean ? 'clean' : `${first?.code} ${first?.message}`}`,
          );
        }
      }
    }
    expect(compared).toBe(fixtures.length * KS_VERSIONS.length);
    expect(disagreements).toEqual([]);
  });
});
