/** The n-th input of a run: a pure function of (run seed, n), so the harness can rebuild any input it lost. */
import type { Input } from './exercise.js';
import { mutate, Random } from './mutate.js';
import type { Seed } from './seeds.js';

/** Slots of the progress array a worker shares with the harness: the input being run, all inputs done, inputs done per reader. */
export const CURRENT = 0;
export const DONE = 1;
export const doneSlot = (reader: number) => 2 + reader;

export interface Generated extends Input {
  seed: string;
  mutated: string;
  applied: string[];
}

export function generate(seeds: readonly Seed[], runSeed: number, n: number): Generated {
  const rnd = new Random(Math.imul(runSeed ^ 0x5bd1e995, 0x01000193) ^ Math.imul(n + 1, 0x9e3779b1));
  const seed = rnd.pick(seeds);
  const names = Object.keys(seed.files);
  const target = names.length === 0 || rnd.chance(0.75) ? seed.focus : rnd.pick(names);
  const donor = rnd.pick(seeds);
  const other = donor.files[donor.focus] ?? '';
  const { text, applied } = mutate(seed.files[target] ?? '', rnd, other);
  return {
    files: { ...seed.files, [target]: text },
    main: seed.main,
    seed: seed.name,
    mutated: target,
    applied,
  };
}
