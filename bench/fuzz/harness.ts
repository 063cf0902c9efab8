/**
 * The fuzz harness: a worker thread runs generated inputs for every reader, each also through
 * every writer, while this thread watches it. An input is a crash when it throws (or yields
 * IMGC1009/IMGC1006), when it runs longer than the per-input timeout (a hang), or when the
 * process's RSS passes the cap; the worker is then stopped and started again after that input.
 * Crashing inputs are saved with what happened; a summary gives inputs, rate, crashes and peak RSS.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { materialize } from './exercise.js';
import { CURRENT, DONE, doneSlot, generate, progressSlots, SIZE } from './generate.js';
import { READERS, type ReaderId, seedsFor } from './seeds.js';

export interface FuzzOptions {
  seconds: number;
  /** the first input number: a later run of the same seed and readers goes on where one stopped */
  start: number;
  /** stop after this many inputs (all readers together), or at `seconds`, whichever comes first */
  inputs: number;
  readers: ReaderId[];
  out: string;
  rssMb: number;
  /** CPU budget of an input up to 64 KiB; see `budgetMs` */
  timeoutMs: number;
  /** more CPU budget per MiB of input past 64 KiB */
  msPerMib: number;
  /** every how many inputs of a reader also go through every writer (1: all) */
  writersEvery: number;
  runSeed: number;
  /** most crashing inputs saved per reader and message */
  keep: number;
  /** a progress line (inputs per reader so far) every this many seconds; 0: none */
  progressSeconds: number;
}

export interface ReaderReport {
  reader: ReaderId;
  seeds: number;
  inputs: number;
  seconds: number;
  rate: number;
  /** the input numbers the run started, [start, end), all readers together (see ledger.mjs) */
  start: number;
  end: number;
  crashes: number;
  hangs: number;
  overRss: number;
  peakRssMb: number;
  /** distinct crash messages with their counts */
  kinds: Record<string, number>;
}

export interface FuzzContext {
  repo: string;
  workerFile: string;
  log?: (line: string) => void;
  /** called every progress interval with the counts so far (the ledger's checkpoint) */
  onCheckpoint?: (reports: ReaderReport[]) => void;
  /** handed a function that gives the counts so far at any moment (for a stop by a signal) */
  onStart?: (snapshot: () => ReaderReport[]) => void;
}

export function parseArgs(argv: readonly string[]): FuzzOptions {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  };
  const readers = (get('reader') ?? READERS.join(','))
    .split(',')
    .filter(Boolean)
    .map((r) => {
      if (!(READERS as readonly string[]).includes(r))
        throw new Error(`--reader ${r}: expected one of ${READERS.join(', ')}`);
      return r as ReaderId;
    });
  return {
    seconds: Number(get('seconds') ?? 60),
    start: Number(get('start') ?? 0),
    inputs: Number(get('inputs') ?? Number.MAX_SAFE_INTEGER),
    readers,
    out: get('out') ?? join(tmpdir(), 'imgc-fuzz-crashes'),
    rssMb: Number(get('rss-mb') ?? 1024),
    timeoutMs: Number(get('timeout-ms') ?? 2_000),
    msPerMib: Number(get('ms-per-mib') ?? 8_000),
    writersEvery: Number(get('writers-every') ?? 1),
    runSeed: Number(get('seed') ?? Date.now() % 1_000_000),
    keep: Number(get('keep') ?? 5),
    progressSeconds: Number(get('progress') ?? 0),
  };
}

export async function runFuzz(options: FuzzOptions, ctx: FuzzContext): Promise<ReaderReport[]> {
  const log = logOf(ctx);
  log(
    `fuzz: seed ${options.runSeed}, ${options.seconds} s over ${options.readers.join(', ')}; crashes go to ${options.out}`,
  );
  const reports = await fuzzReaders(options, ctx);
  for (const r of reports) log(summaryLine(r));
  const total = reports.reduce((n, r) => n + r.inputs, 0);
  log(
    `all readers: ${total} inputs in ${reports[0]?.seconds.toFixed(0)} s, ${(total / (reports[0]?.seconds || 1)).toFixed(0)}/s`,
  );
  return reports;
}

function logOf(ctx: FuzzContext): (line: string) => void {
  return ctx.log ?? ((l: string) => process.stderr.write(`${l}\n`));
}

export function summaryLine(r: ReaderReport): string {
  return `${r.reader.padEnd(15)} ${String(r.inputs).padStart(9)} inputs ${r.rate.toFixed(1).padStart(7)}/s  crashes ${r.crashes}  hangs ${r.hangs}  over-RSS ${r.overRss}  peak RSS ${r.peakRssMb} MB  (${r.seeds} seeds)`;
}

type Kind = 'crash' | 'hang' | 'rss';

/** One worker runs inputs for all readers in turn (start-up is paid once); restarted after a hang or RSS stop. */
async function fuzzReaders(options: FuzzOptions, ctx: FuzzContext): Promise<ReaderReport[]> {
  const { readers } = options;
  const seeds = readers.map((r) => seedsFor(r, ctx.repo));
  const started = Date.now();
  const until = started + options.seconds * 1000;
  const reports: ReaderReport[] = readers.map((reader, i) => ({
    reader,
    seeds: seeds[i]!.length,
    inputs: 0,
    seconds: 0,
    rate: 0,
    start: options.start,
    end: options.start,
    crashes: 0,
    hangs: 0,
    overRss: 0,
    peakRssMb: 0,
    kinds: {},
  }));
  const peak = { mb: 0 };
  let live: Int32Array | undefined;
  let next = options.start;
  // the counts so far: inputs done by stopped workers plus the live one's; every input below
  // the one running now is done (inputs run in order), so the range ends there
  const snapshot = (): ReaderReport[] => {
    const running = live ? Atomics.load(live, CURRENT) : -1;
    const seconds = (Date.now() - started) / 1000;
    return reports.map((r, i) => {
      const inputs = r.inputs + (live ? Atomics.load(live, doneSlot(i)) : 0);
      return {
        ...r,
        kinds: { ...r.kinds },
        inputs,
        seconds,
        rate: inputs / seconds,
        end: Math.max(running, next),
        peakRssMb: peak.mb,
      };
    });
  };
  ctx.onStart?.(snapshot);
  const progress =
    options.progressSeconds > 0
      ? setInterval(() => {
          const now = snapshot();
          const counts = now.map((r) => `${r.reader} ${r.inputs}`);
          const found = now.reduce((n, r) => n + r.crashes + r.hangs + r.overRss, 0);
          logOf(ctx)(
            `progress ${Math.round((Date.now() - started) / 1000)} s: ${counts.join(', ')}; found ${found}; peak RSS ${peak.mb} MB`,
          );
          ctx.onCheckpoint?.(now);
        }, options.progressSeconds * 1000)
      : undefined;
  const scratch = join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), `imgc-fuzz-${process.pid}`);
  const record = (n: number, kind: Kind, detail: string) => {
    const i = n % readers.length;
    const report = reports[i]!;
    if (kind === 'hang') report.hangs++;
    else if (kind === 'rss') report.overRss++;
    else report.crashes++;
    const key = `${kind}: ${detail.replace(/\d+/g, 'N').slice(0, 200)}`;
    report.kinds[key] = (report.kinds[key] ?? 0) + 1;
    if (report.kinds[key]! <= options.keep) saveInput(readers[i]!, seeds[i]!, n, kind, detail, options);
  };
  const limit = options.start + options.inputs;
  while (Date.now() < until && next < limit) {
    const progress = new SharedArrayBuffer(4 * progressSlots(readers.length));
    const view = new Int32Array(progress);
    // -1 until the worker has started its first input: start-up is not a hang
    Atomics.store(view, CURRENT, -1);
    const worker = new Worker(ctx.workerFile, {
      workerData: {
        readers,
        repo: ctx.repo,
        runSeed: options.runSeed,
        start: next,
        limit,
        until,
        writersEvery: options.writersEvery,
        scratch,
        progress,
      },
      resourceLimits: { maxOldGenerationSizeMb: options.rssMb },
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    live = view;
    next = await watch(worker, view, next, options, peak, record);
    live = undefined;
    readers.forEach((_, i) => {
      reports[i]!.inputs += Atomics.load(view, doneSlot(i));
    });
  }
  clearInterval(progress);
  rmSync(scratch, { recursive: true, force: true });
  const seconds = (Date.now() - started) / 1000;
  for (const r of reports) {
    r.seconds = seconds;
    r.rate = r.inputs / seconds;
    r.end = next;
    r.peakRssMb = peak.mb;
  }
  return reports;
}

/** Watches one worker until it finishes or is stopped; returns the input number to go on from. */
function watch(
  worker: Worker,
  view: Int32Array,
  start: number,
  options: FuzzOptions,
  peak: { mb: number },
  record: (n: number, kind: Kind, detail: string) => void,
): Promise<number> {
  return new Promise((resolve) => {
    let lastDone = -1;
    let lastChange = Date.now();
    let cpuAtChange = cpuMs();
    let settled = false;
    const stop = (resumeAt: number) => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      void worker.terminate().then(() => resolve(resumeAt));
    };
    const timer = setInterval(() => {
      const rss = process.memoryUsage.rss();
      peak.mb = Math.max(peak.mb, Math.round(rss / 1024 / 1024));
      const running = Atomics.load(view, CURRENT);
      const current = Math.max(running, start);
      const done = Atomics.load(view, DONE);
      if (done !== lastDone || running < 0) {
        lastDone = done;
        lastChange = Date.now();
        cpuAtChange = cpuMs();
      }
      // CPU time is the clock (a loaded machine must not turn slow inputs into hangs); wall
      // time only as a backstop for an input that blocks without using CPU
      const spent = Math.max(cpuMs() - cpuAtChange, (Date.now() - lastChange) / WALL_SLACK);
      const budget = budgetMs(Atomics.load(view, SIZE), options);
      if (rss > options.rssMb * 1024 * 1024) {
        record(current, 'rss', `RSS ${Math.round(rss / 1024 / 1024)} MB over the ${options.rssMb} MB cap`);
        stop(current + 1);
      } else if (spent > budget) {
        record(current, 'hang', `no answer within ${budget} ms of CPU time`);
        stop(current + 1);
      }
    }, 50);
    worker.on('message', (m: { type: string; n?: number; detail?: string }) => {
      if (m.type === 'crash') record(m.n!, 'crash', m.detail!);
    });
    worker.on('error', (e: Error & { code?: string }) => {
      const current = Math.max(Atomics.load(view, CURRENT), start);
      record(current, e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'rss' : 'crash', `worker: ${e.message}`);
      stop(current + 1);
    });
    worker.on('exit', () => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      // a worker that stopped before its first input (the time was up) covered none
      const running = Atomics.load(view, CURRENT);
      resolve(running < 0 ? start : Math.max(running, start) + 1);
    });
  });
}

// a loaded machine stretches wall time many times over; the readers never block (O_NONBLOCK)
const WALL_SLACK = 20;

/**
 * What a hang is: an input (reader, printers and writers) that uses more CPU time than
 * `timeoutMs` (2 s) when it is up to 64 KiB, plus `msPerMib` (8 s) per MiB past that; so at the
 * 16 MiB input limit, about 130 s. The slowest linear path measured (a 600 KB Containerfile
 * through the reader, the printers and all seven writers) takes about 8 µs per byte.
 */
export function budgetMs(bytes: number, options: Pick<FuzzOptions, 'timeoutMs' | 'msPerMib'>): number {
  const past = Math.max(0, bytes - 64 * 1024) / (1024 * 1024);
  return Math.round(options.timeoutMs + past * options.msPerMib);
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function saveInput(
  reader: ReaderId,
  seeds: ReturnType<typeof seedsFor>,
  n: number,
  kind: string,
  detail: string,
  options: FuzzOptions,
): void {
  const dir = join(options.out, reader, `${kind}-${options.runSeed}-${n}`);
  const about = [`reader: ${reader}`, `what: ${kind}: ${detail}`];
  // a bug in the harness's own generator must not end the run: the finding is kept without its input
  try {
    const input = generate(seeds, options.runSeed, n);
    materialize(dir, input);
    about.push(
      `input: ${input.main} (seed ${input.seed}, mutated ${input.mutated} by ${input.applied.join(', ')})`,
    );
  } catch (e) {
    about.push(`input: not rebuilt: ${e instanceof Error ? e.message : String(e)}`);
  }
  about.push(`again: node bench/fuzz/fuzz.mjs --reader ${reader} --seed ${options.runSeed} (input ${n})`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'CRASH.txt'), `${about.join('\n')}\n`);
}
