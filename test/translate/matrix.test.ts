/**
 * Every sample (`samples/<format>/`) and every fixture input of every registered reader,
 * translated to every registered writer, written, and read back with the target's reader:
 * the output must read without errors, and every field the target's capability table claims
 * must come back unless the translation reported it lost, and nothing reported lost may come
 * back. Formats are taken from the
 * registry, so new ones join the matrix as they are registered.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FormatModule } from '../../src/formats/contract.js';
import { loadDefinition } from '../../src/formats/load.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { fixturesDirOf, repoRoot } from '../helpers/shared.js';
import { canValidateKiwi, definitionsIn, KIWI_RNG, translatePair } from './matrix-helpers.js';

if (!canValidateKiwi) console.warn(`SKIPPED: KIWI RelaxNG validation (needs xmllint and ${KIWI_RNG})`);

const registry = new FormatRegistry();
const readers = registry.list().filter((f) => f.reader);
const writers = registry.list().filter((f) => f.writer);

async function inputsOf(format: FormatModule): Promise<string[]> {
  const samples = await definitionsIn(join(repoRoot, 'samples', format.id), format);
  const fixturesDir = fixturesDirOf(format.id);
  const fixtures = existsSync(fixturesDir)
    ? readdirSync(fixturesDir)
        .filter((c) => !c.startsWith('_errors_') && statSync(join(fixturesDir, c)).isDirectory())
        .sort()
        .flatMap((c) => {
          const entry = readdirSync(join(fixturesDir, c)).find(
            (e) => e === 'input' || e.startsWith('input.'),
          );
          return entry ? [join(fixturesDir, c, entry)] : [];
        })
    : [];
  return [...samples, ...fixtures];
}

const inputs = await Promise.all(readers.map(async (f) => ({ format: f, paths: await inputsOf(f) })));

const outcomes = new Map<string, { pairs: number; passed: number }>();

describe('translation matrix over samples and fixtures', () => {
  afterAll(() => {
    console.log('translation matrix (samples and fixtures): source → target, pairs passing every check');
    for (const [pair, o] of outcomes) console.log(`  ${pair.padEnd(32)} ${o.passed}/${o.pairs}`);
  });
  it('has inputs for every reader', () => {
    for (const { format, paths } of inputs)
      expect(paths.length, `${format.id} has samples or fixtures`).toBeGreaterThan(0);
  });

  for (const { format, paths } of inputs) {
    for (const path of paths) {
      const name = path.slice(repoRoot.length + 1);
      describe(`${format.id}: ${name}`, () => {
        for (const target of writers) {
          it(`→ ${target.id}`, async () => {
            const key = `${format.id} → ${target.id}`;
            const o = outcomes.get(key) ?? { pairs: 0, passed: 0 };
            outcomes.set(key, o);
            o.pairs++;
            const loaded = await loadDefinition(registry, path, { from: format.id });
            expect(
              loaded.diagnostics.filter((d) => d.severity === 'error'),
              'the input reads',
            ).toEqual([]);
            const sourceDir = statSync(path).isDirectory() ? path : dirname(path);
            const result = await translatePair(registry, loaded, sourceDir, target);
            expect(result.status, result.detail).not.toBe('crash');
            expect(result.schemaError, 'KIWI output validates against kiwi-8.5.rng').toBeUndefined();
            if (result.status === 'write-only') {
              o.passed++;
              return;
            }
            expect(result.status, `the ${target.id} output reads back: ${result.detail ?? ''}`).toBe('ok');
            expect(
              result.lostClaimed,
              `fields ${target.id} claims but did not keep (and did not report)`,
            ).toEqual([]);
            expect(result.namesLost, 'distribution and package names survive unless reported').toEqual([]);
            expect(
              result.lossCheck?.falseLosses,
              'nothing reported lost comes back from the written files',
            ).toEqual([]);
            o.passed++;
          });
        }
      });
    }
  }
});
