/** The fuzz harness's own rules: what a hang is, how inputs are sized, that an input can be rebuilt. */
import { describe, expect, it } from 'vitest';
import { generate } from '../../bench/fuzz/generate.js';
import { budgetMs } from '../../bench/fuzz/harness.js';
import { MAX_TEXT, MUTATORS, Random, repeats } from '../../bench/fuzz/mutate.js';
import { seedsFor } from '../../bench/fuzz/seeds.js';
import { repoRoot } from '../helpers/shared.js';

const limits = { timeoutMs: 2_000, msPerMib: 8_000 };

describe('the CPU budget of one input', () => {
  it('is 2 s up to 64 KiB', () => {
    expect(budgetMs(0, limits)).toBe(2_000);
    expect(budgetMs(64 * 1024, limits)).toBe(2_000);
  });

  it('grows by 8 s per MiB past that, about 130 s at the 16 MiB input limit', () => {
    expect(budgetMs(64 * 1024 + 1024 * 1024, limits)).toBe(10_000);
    expect(budgetMs(16 * 1024 * 1024, limits)).toBe(129_500);
  });
});

describe('input sizes', () => {
  it('are mostly small: 85 % of repeat counts up to the small bound', () => {
    const rnd = new Random(7);
    const counts = Array.from({ length: 20_000 }, () => repeats(rnd, 10, 1_000, 100_000));
    const small = counts.filter((c) => c <= 10).length / counts.length;
    expect(small).toBeGreaterThan(0.83);
    expect(small).toBeLessThan(0.88);
    expect(counts.some((c) => c > 1_000)).toBe(true);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
  });
});

describe('generated inputs', () => {
  it('are a pure function of the run seed and the input number', () => {
    const seeds = seedsFor('kickstart', repoRoot);
    for (const n of [0, 1, 77, 5_000]) {
      const a = generate(seeds, 20261207, n);
      const b = generate(seeds, 20261207, n);
      expect(b).toEqual(a);
      // the seed's files, one of them mutated
      expect(Object.keys(a.files).sort()).toEqual(Object.keys(seeds[a.seedIndex]!.files).sort());
    }
    expect(generate(seeds, 20261207, 1)).not.toEqual(generate(seeds, 20261208, 1));
  });
});

describe('mutations', () => {
  // always the largest repeat counts (the 2 % branch of `repeats`), near the end of the text
  const greedy = Object.assign(new Random(1), { next: () => 0.99 });

  it('never grow a text past MAX_TEXT, however long the repeated piece', () => {
    // seed 9001 died here: a 2 MB line duplicated ~20,000 times is longer than V8's longest string
    const longLine = `other = 1\nstorage = "${'9'.repeat(2_000_000)}"`;
    const out = MUTATORS.duplicateLine!(longLine, greedy, '');
    expect(out.length).toBeLessThanOrEqual(MAX_TEXT);
    expect(out.length).toBeGreaterThan(MAX_TEXT - 2_000_002);
    const nearlyFull = `a\n${'x'.repeat(MAX_TEXT - 100)}`;
    for (const name of ['hugeValue', 'deepNesting'] as const) {
      const grown = MUTATORS[name]!(nearlyFull, greedy, '');
      expect(grown.length, name).toBeLessThanOrEqual(MAX_TEXT);
      expect(grown.length, name).toBeGreaterThan(nearlyFull.length);
    }
  });

  it('leave inputs that fit as they were', () => {
    const text = 'a\nb\nc';
    expect(MUTATORS.duplicateLine!(text, greedy, '').split('\n')).toHaveLength(3 + 19_801);
  });
});
