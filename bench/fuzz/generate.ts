/** The n-th input of a run: a pure function of (run seed, n), so the harness can rebuild any input it lost. */
import type { Input } from './exercise.js';
import { mutate, Random } from './mutate.js';
import type { Seed } from './seeds.js';

/**
 * Slots of the progress array a worker shares with the harness: the input being run, all inputs
 * done, the size in bytes of the input being run (its CPU budget grows with it), inputs done per reader.
 */
export const CURRENT = 0;
export const DONE = 1;
export const SIZE = 2;
export const doneSlot = (reader: number) => 3 + reader;
export const progressSlots = (readers: number) => 3 + readers;

export interface Generated extends Input {
  seed: string;
  /** index of the seed in the reader's list; every input of a seed has the seed's files, one of them mutated */
  seedIndex: number;
  mutated: string;
  applied: string[];
}

export function generate(seeds: readonly Seed[], runSeed: number, n: number): Generated {
  const rnd = new Random(Math.imul(runSeed ^ 0x5bd1e995, 0x01000193) ^ Math.imul(n + 1, 0x9e3779b1));
  const seedIndex = rnd.int(seeds.length);
  const seed = seeds[seedIndex]!;
  const names = Object.keys(seed.files);
  const target = names.length === 0 || rnd.chance(0.75) ? seed.focus : rnd.pick(names);
  const donor = rnd.pick(seeds);
  const other = donor.files[donor.focus] ?? '';
  const { text, applied } = mutate(seed.files[target] ?? '', rnd, other, seed.syntax);
  return {
    files: { ...seed.files, [target]: text },
    main: seed.main,
    seed: seed.name,
    seedIndex,
    mutated: target,
    applied,
  };
}
