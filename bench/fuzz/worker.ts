/**
 * The fuzz loop, in a worker thread so that the harness can stop it when an input hangs or eats
 * memory. Input n goes to reader n mod (number of readers). Progress goes through shared memory
 * (no message per input): see the slots in generate.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FormatRegistry } from '../../src/formats/registry.js';
import { exercise, materialize } from './exercise.js';
import { CURRENT, DONE, doneSlot, generate } from './generate.js';
import { type ReaderId, seedsFor } from './seeds.js';

interface WorkerConfig {
  readers: ReaderId[];
  repo: string;
  runSeed: number;
  /** first input number */
  start: number;
  /** stop starting new inputs at this time (ms since epoch) */
  until: number;
  scratch: string;
  progress: SharedArrayBuffer;
}

const config = workerData as WorkerConfig;
const progress = new Int32Array(config.progress);
const seeds = config.readers.map((r) => seedsFor(r, config.repo));
const registry = new FormatRegistry();

for (let n = config.start; Date.now() < config.until; n++) {
  Atomics.store(progress, CURRENT, n);
  const r = n % config.readers.length;
  const input = generate(seeds[r]!, config.runSeed, n);
  materialize(config.scratch, input);
  const crash = await exercise(registry, config.scratch, input.main, config.readers[r]!);
  if (crash) parentPort!.postMessage({ type: 'crash', n, detail: crash });
  Atomics.add(progress, DONE, 1);
  Atomics.add(progress, doneSlot(r), 1);
}
parentPort!.postMessage({ type: 'finished' });
