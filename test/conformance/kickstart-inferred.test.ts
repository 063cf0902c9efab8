/**
 * The corpus read as a user reads it, without --ks-version: imgc infers each file's version
 * (IMGC5030), and must read cleanly exactly where pykickstart 3.74 with that version accepts
 * the file. pykickstart's verdicts under every supported version are in
 * kickstart-verdicts-golden.json (kickstart-oracle/corpus_verdicts.py); include folders come
 * from kickstart-golden.json as in kickstart.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefinition } from '../../src/formats/load.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { corpusDir, corpusMissingMessage, readManifest } from '../helpers/shared.js';

const read = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, name), 'utf8'));
const verdicts = read('kickstart-verdicts-golden.json').accepting as Record<string, string[]>;
const golden = read('kickstart-golden.json').files as Record<
  string,
  { includePath: string[]; accepted: boolean }
>;
const dir = corpusDir('kickstart');

describe('kickstart corpus with the version inferred', () => {
  if (!dir) {
    console.warn(corpusMissingMessage('kickstart'));
    it.skip('corpus absent', () => {});
    return;
  }
  const topLevel = readManifest('kickstart').filter((r) => !/fragment/.test(r.purpose ?? ''));

  it('reads cleanly exactly where pykickstart with the inferred version accepts', async () => {
    const registry = new FormatRegistry();
    const counts = {
      files: topLevel.length,
      parsed: 0,
      clean: 0,
      crashes: 0,
      agree: 0,
      acceptedByGolden: 0,
      cleanOfThose: 0,
    };
    const disagreements: string[] = [];
    for (const row of topLevel) {
      const staged = row.staged_path!;
      const includePath = golden[staged]!.includePath.map((d) => join(dir, d)).join(':');
      const result = await loadDefinition(registry, join(dir, staged), { options: { includePath } });
      if (result.diagnostics.some((d) => d.code === 'IMGC1009')) {
        counts.crashes++;
        continue;
      }
      counts.parsed++;
      const note = result.diagnostics.find((d) => d.code === 'IMGC5030');
      const version = note && /read as kickstart (\S+):/.exec(note.message)?.[1];
      expect(version, `${staged} says which version it was read with`).toBeDefined();
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      const clean = errors.length === 0 && result.ir !== undefined;
      if (clean) counts.clean++;
      if (golden[staged]!.accepted) {
        counts.acceptedByGolden++;
        if (clean) counts.cleanOfThose++;
      }
      if (verdicts[staged]!.includes(version!) === clean) counts.agree++;
      else disagreements.push(`${staged} as ${version}: imgc ${clean ? 'clean' : errors[0]!.message}`);
    }
    console.log('kickstart corpus, version inferred:', counts);
    expect(counts.crashes).toBe(0);
    expect(disagreements).toEqual([]);
    // every file pykickstart accepts with the version its distro names reads cleanly here too
    expect(counts.cleanOfThose).toBe(counts.acceptedByGolden);
  });
});
