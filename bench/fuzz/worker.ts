/**
 * The fuzz loop for one reader, in a worker thread so that the harness can stop it when an
 * input hangs or eats memory. Progress goes through shared memory (no message per input):
 * slot 0 is the input being run, slot 1 the number of inputs finished.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FormatRegistry } from '../../src/formats/registry.js';
import { exercise, materialize } from './exercise.js';
import { CURRENT, DONE, generate } from './generate.js';
import { type ReaderId, seedsFor } from './seeds.js';

interface WorkerConfig {
  reader: ReaderId;
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
const seeds = seedsFor(config.reader, config.repo);
const registry = new FormatRegistry();

for (let n = config.start; Date.now() < config.until; n++) {
  Atomics.store(progress, CURRENT, n);
  const input = generate(seeds, config.runSeed, n);
  materialize(config.scratch, input);
  const crash = await exercise(registry, config.scratch, input.main, config.reader);
  if (crash) parentPort!.postMessage({ type: 'crash', n, detail: crash });
  Atomics.add(progress, DONE, 1);
}
parentPort!.postMessage({ type: 'finished' });
