/** The fuzz ledger adds runs up without counting an input twice (bench/fuzz/ledger.mjs). */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript module of the bench, without declarations
import { appendRun, inputsOfReader, readLedger, totals, unionOf } from '../../bench/fuzz/ledger.mjs';

const readers = ['kiwi', 'mkosi', 'ir'];
const run = (seed: number, start: number, end: number, extra: object = {}) => ({
  seed,
  readers,
  start,
  end,
  peakRssMb: 300,
  ...extra,
});

describe('fuzz ledger', () => {
  it('counts the inputs of each reader in a range of input numbers', () => {
    // n = 0..9 over 3 readers: kiwi 0,3,6,9; mkosi 1,4,7; ir 2,5,8
    expect([0, 1, 2].map((i) => inputsOfReader(0, 10, i, 3))).toEqual([4, 3, 3]);
    // n = 4..8: kiwi 6; mkosi 4,7; ir 5,8
    expect([0, 1, 2].map((i) => inputsOfReader(4, 9, i, 3))).toEqual([1, 2, 2]);
    expect(inputsOfReader(5, 5, 0, 3)).toBe(0);
  });

  it('merges overlapping and touching ranges', () => {
    expect(
      unionOf([
        [10, 20],
        [0, 5],
        [5, 8],
        [15, 30],
        [40, 40],
      ]),
    ).toEqual([
      [0, 8],
      [10, 30],
    ]);
  });

  it('counts a repeated range of the same seed once, and other seeds apart', () => {
    const t = totals([run(1, 0, 300), run(1, 150, 600), run(1, 0, 90), run(2, 0, 300)]);
    expect(t.kiwi.inputs).toBe(200 + 100);
    expect(t.ir.inputs).toBe(200 + 100);
  });

  it('keeps runs of the same seed over other readers apart', () => {
    const t = totals([run(1, 0, 300), { ...run(1, 0, 100), readers: ['kiwi'] }]);
    expect(t.kiwi.inputs).toBe(100 + 100);
    expect(t.mkosi.inputs).toBe(100);
  });

  it('sums findings and keeps the highest peak RSS', () => {
    const found = { kiwi: { inputs: 1, crashes: 1, hangs: 2, overRss: 0 } };
    const t = totals([run(1, 0, 30, { found }), run(1, 0, 30, { found, peakRssMb: 700 })]);
    expect([t.kiwi.crashes, t.kiwi.hangs, t.kiwi.peakRssMb]).toEqual([2, 4, 700]);
    expect(t.mkosi.crashes).toBe(0);
  });

  it('appends a run a line to the file and reads it back', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'imgc-ledger-')), 'ledger.jsonl');
    expect(readLedger(file)).toEqual([]);
    appendRun(file, run(3, 0, 9));
    appendRun(file, run(3, 9, 18));
    expect(readLedger(file).map((r: { end: number }) => r.end)).toEqual([9, 18]);
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(3);
  });
});
