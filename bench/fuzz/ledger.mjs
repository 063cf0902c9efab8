#!/usr/bin/env node
// The fuzz ledger: every long run appends what it covered, so that runs on several days and
// machines add up without counting an input twice. An input is fixed by the run seed, the list
// of readers (input n goes to reader n mod their count) and n; two runs with the same seed and
// reader list cover the same inputs where their ranges of n overlap, and the totals count the
// union of those ranges once. Runs with different seeds or reader lists never share an input.
// Crashes, hangs and over-RSS stops are summed over runs as reported (a repeat re-finds them).
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

/** Inputs of reader `index` (of `count`) among input numbers [start, end). */
export function inputsOfReader(start, end, index, count) {
  const below = (n) => Math.max(0, Math.ceil((n - index) / count));
  return Math.max(0, below(end) - below(start));
}

/** Merged, sorted ranges [start, end). */
export function unionOf(ranges) {
  const sorted = [...ranges].filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const [s, e] of sorted) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

/**
 * Distinct inputs per reader over all runs, and the findings summed. A run's range is the input
 * numbers it started ([start, end)); an input stopped as a hang or over-RSS counts among the
 * inputs and among the findings.
 */
export function totals(runs) {
  const groups = new Map();
  for (const run of runs) {
    const key = `${run.seed}/${run.readers.join(',')}`;
    const group = groups.get(key) ?? { readers: run.readers, ranges: [] };
    group.ranges.push([run.start, run.end]);
    groups.set(key, group);
  }
  const byReader = {};
  const entry = (reader) => {
    byReader[reader] ??= { inputs: 0, crashes: 0, hangs: 0, overRss: 0, peakRssMb: 0, cpuSeconds: 0 };
    return byReader[reader];
  };
  for (const { readers, ranges } of groups.values()) {
    for (const [s, e] of unionOf(ranges)) {
      readers.forEach((reader, i) => {
        entry(reader).inputs += inputsOfReader(s, e, i, readers.length);
      });
    }
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
  process.stdout.write(`${runs.length} runs in ${file}\n`);
  for (const [reader, t] of Object.entries(byReader)) {
    process.stdout.write(
      `${reader.padEnd(15)} ${String(t.inputs).padStart(10)} distinct inputs  crashes ${t.crashes}  hangs ${t.hangs}  over-RSS ${t.overRss}  peak RSS ${t.peakRssMb} MB\n`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
