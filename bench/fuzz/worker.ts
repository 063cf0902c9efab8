/**
 * The fuzz loop, in a worker thread so that the harness can stop it when an input hangs or eats
 * memory. Input n goes to reader n mod (number of readers). Progress goes through shared memory
 * (no message per input): see the slots in generate.ts.
 *
 * Each seed's tree is written to the scratch folder once; an input rewrites only the file it
 * mutated and puts the seed's text back afterwards (a tree of 30 files rewritten per input cost
 * more than reading a small input).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { FormatRegistry } from '../../src/formats/registry.js';
import { exercise, materialize, writersFor } from './exercise.js';
import { CURRENT, DONE, doneSlot, type Generated, generate, SIZE } from './generate.js';
import { type ReaderId, type Seed, seedsFor } from './seeds.js';

interface WorkerConfig {
  readers: ReaderId[];
  repo: string;
  runSeed: number;
  /** first input number */
  start: number;
  /** stop before this input number */
  limit: number;
  /** stop starting new inputs at this time (ms since epoch) */
  until: number;
  /** every how many inputs also go through every writer */
  writersEvery: number;
  scratch: string;
  progress: SharedArrayBuffer;
}

const config = workerData as WorkerConfig;
const progress = new Int32Array(config.progress);
const seeds = config.readers.map((r) => seedsFor(r, config.repo));
const registry = new FormatRegistry();
const written = new Set<string>();

/** The seed's folder, written on first use in this worker. */
function seedDir(reader: ReaderId, seed: Seed, index: number): string {
  const dir = join(config.scratch, reader, String(index));
  if (!written.has(dir)) {
    materialize(dir, seed);
    written.add(dir);
  }
  return dir;
}

function bytes(input: Generated): number {
  return Buffer.byteLength(input.files[input.mutated] ?? '');
}

for (let n = config.start; n < config.limit && Date.now() < config.until; n++) {
  Atomics.store(progress, CURRENT, n);
  const r = n % config.readers.length;
  const reader = config.readers[r]!;
  const input = generate(seeds[r]!, config.runSeed, n);
  const seed = seeds[r]![input.seedIndex]!;
  const dir = seedDir(reader, seed, input.seedIndex);
  const mutatedPath = join(dir, input.mutated);
  Atomics.store(progress, SIZE, Math.min(bytes(input), 0x7fffffff));
  writeFileSync(mutatedPath, input.files[input.mutated]!);
  const crash = await exercise(
    registry,
    dir,
    input.main,
    reader,
    writersFor(Math.floor(n / config.readers.length), config.writersEvery),
    seed.pathOptions,
  );
  writeFileSync(mutatedPath, seed.files[input.mutated] ?? '');
  if (crash) parentPort!.postMessage({ type: 'crash', n, detail: crash });
  Atomics.add(progress, DONE, 1);
  Atomics.add(progress, doneSlot(r), 1);
}
parentPort!.postMessage({ type: 'finished' });
