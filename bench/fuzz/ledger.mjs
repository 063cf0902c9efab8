#!/usr/bin/env node
// The fuzz ledger: every long run appends what it covered, so that runs on several days and
// machines add up without counting an input twice. Input n of a run goes to reader n mod the
// length of its reader list, and what that input is depends only on the run seed, the reader
// and n (bench/fuzz/generate.ts); so two runs with the same seed give a reader the same input
// wherever both send it the same n, even with other reader lists (kiwi alone and kiwi among
// eight share every eighth n). The totals count, per seed and reader, the union of those input
// numbers once: each run adds the numbers n in [start, end) with n mod |readers| = the reader's
// index. Crashes, hangs and over-RSS stops are summed over runs as reported (a repeat re-finds
// them). A running harness also writes a checkpoint line (`checkpoint: true`) every progress
// interval and a last line when it ends or is stopped; lines of one run share its `run` id,
// and only the last line of a run counts.
// The file is JSON Lines: one run a line, appended, so a diff or a merge shows the runs added.
//   node bench/fuzz/ledger.mjs [bench/fuzz/ledger.jsonl]   # totals per reader
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

export const DEFAULT_LEDGER = new URL('ledger.jsonl', import.meta.url).pathname;

/** The runs recorded in `file`, oldest first; none when it does not exist. */
export function readLedger(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line, i) => [line.trim(), i + 1])
    .filter(([line]) => line !== '')
    .map(([line, number]) => {
      try {
        return JSON.parse(line);
      } catch (e) {
        throw new Error(`${file}:${number}: not a JSON run: ${e.message}`);
      }
    });
}

export function appendRun(file, run) {
  appendFileSync(file, `${JSON.stringify(run)}\n`);
  return readLedger(file);
}

/** The last line of each run (a final line supersedes its checkpoints); lines without a run id stand alone. */
export function latestLines(runs) {
  const last = new Map();
  runs.forEach((run, i) => {
    last.set(run.run ?? `line ${i}`, run);
  });
  return [...last.values()];
}

const gcd = (a, b) => (b === 0 ? a : gcd(b, a % b));

/**
 * How many numbers n lie in the union of progressions {n in [start, end) : n mod mod = residue}.
 * Between two consecutive range ends the same progressions are active; their residues modulo the
 * lcm of all moduli say which n of each period are covered.
 */
export function unionCount(progressions) {
  const live = progressions.filter((p) => p.end > p.start);
  if (live.length === 0) return 0;
  const period = live.reduce((l, p) => (l / gcd(l, p.mod)) * p.mod, 1);
  const cuts = [...new Set(live.flatMap((p) => [p.start, p.end]))].sort((a, b) => a - b);
  let total = 0;
  for (let k = 0; k + 1 < cuts.length; k++) {
    const [a, b] = [cuts[k], cuts[k + 1]];
    const active = live.filter((p) => p.start <= a && p.end >= b);
    if (active.length === 0) continue;
    const covered = new Uint8Array(period);
    for (const p of active) for (let r = p.residue % p.mod; r < period; r += p.mod) covered[r] = 1;
    const perPeriod = covered.reduce((n, c) => n + c, 0);
    const periods = Math.floor((b - a) / period);
    total += periods * perPeriod;
    for (let n = a + periods * period; n < b; n++) total += covered[n % period];
  }
  return total;
}

/**
 * Distinct inputs per reader over all runs, and the findings summed. A run's range is the input
 * numbers it started ([start, end)); an input stopped as a hang or over-RSS counts among the
 * inputs and among the findings.
 */
export function totals(allRuns) {
  const runs = latestLines(allRuns);
  const progressions = new Map();
  for (const run of runs) {
    run.readers.forEach((reader, residue) => {
      const key = `${run.seed}/${reader}`;
      const list = progressions.get(key) ?? [];
      list.push({ start: run.start, end: run.end, mod: run.readers.length, residue });
      progressions.set(key, list);
    });
  }
  const byReader = {};
  const entry = (reader) => {
    byReader[reader] ??= { inputs: 0, crashes: 0, hangs: 0, overRss: 0, peakRssMb: 0, cpuSeconds: 0 };
    return byReader[reader];
  };
  for (const [key, list] of progressions) {
    entry(key.slice(key.indexOf('/') + 1)).inputs += unionCount(list);
  }
  for (const run of runs) {
    for (const [reader, found] of Object.entries(run.found ?? {})) {
      const t = entry(reader);
      t.crashes += found.crashes;
      t.hangs += found.hangs;
      t.overRss += found.overRss;
    }
    for (const reader of run.readers) {
      const t = entry(reader);
      t.peakRssMb = Math.max(t.peakRssMb, run.peakRssMb ?? 0);
    }
  }
  return byReader;
}

function main() {
  const file = process.argv[2] ?? DEFAULT_LEDGER;
  const runs = readLedger(file);
  const byReader = totals(runs);
  process.stdout.write(`${latestLines(runs).length} runs (${runs.length} lines) in ${file}\n`);
  for (const [reader, t] of Object.entries(byReader)) {
    process.stdout.write(
      `${reader.padEnd(15)} ${String(t.inputs).padStart(10)} distinct inputs  crashes ${t.crashes}  hangs ${t.hangs}  over-RSS ${t.overRss}  peak RSS ${t.peakRssMb} MB\n`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
