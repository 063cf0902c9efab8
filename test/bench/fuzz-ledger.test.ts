/** The fuzz ledger adds runs up without counting an input twice (bench/fuzz/ledger.mjs). */

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript module of the bench, without declarations
import { appendRun, readLedger, totals, unionCount } from '../../bench/fuzz/ledger.mjs';
import { repoRoot } from '../helpers/shared.js';

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
  it('counts the numbers of a union of progressions once', () => {
    // n = 0..9 over 3 readers: kiwi 0,3,6,9; mkosi 1,4,7; ir 2,5,8
    expect([0, 1, 2].map((residue) => unionCount([{ start: 0, end: 10, mod: 3, residue }]))).toEqual([
      4, 3, 3,
    ]);
    // n = 4..8: kiwi 6; mkosi 4,7; ir 5,8
    expect([0, 1, 2].map((residue) => unionCount([{ start: 4, end: 9, mod: 3, residue }]))).toEqual([
      1, 2, 2,
    ]);
    expect(unionCount([{ start: 5, end: 5, mod: 3, residue: 0 }])).toBe(0);
    // even numbers of [0, 100) and multiples of 3 of [50, 200): 50 + 50 - the 8 multiples of 6 in [50, 100)
    expect(
      unionCount([
        { start: 0, end: 100, mod: 2, residue: 0 },
        { start: 50, end: 200, mod: 3, residue: 0 },
      ]),
    ).toBe(50 + 50 - 8);
  });

  it('counts a repeated range of the same seed once, and other seeds apart', () => {
    const t = totals([run(1, 0, 300), run(1, 150, 600), run(1, 0, 90), run(2, 0, 300)]);
    expect(t.kiwi.inputs).toBe(200 + 100);
    expect(t.ir.inputs).toBe(200 + 100);
  });

  it('counts an input once when runs of the same seed send it to a reader under other reader lists', () => {
    // kiwi is reader 0 of three in the first run (n = 0, 3, ..., 297) and alone in the second
    // (n = 0..99): both give it the same inputs n = 0, 3, ..., 99
    const t = totals([run(1, 0, 300), { ...run(1, 0, 100), readers: ['kiwi'] }]);
    expect(t.kiwi.inputs).toBe(100 + 100 - 34);
    expect(t.mkosi.inputs).toBe(100);
    // a list that appends readers shares the old ones' inputs where the indices agree
    const eight = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const fourteen = [...eight, 'i', 'j', 'k', 'l', 'm', 'n'];
    const both = totals([
      { ...run(2, 0, 8 * 56), readers: eight },
      { ...run(2, 0, 14 * 56), readers: fourteen },
    ]);
    // a: n = 0 mod 8 below 448 (56) and n = 0 mod 14 below 784 (56); shared: n = 0 mod 56 below 448 (8)
    expect(both.a.inputs).toBe(56 + 56 - 8);
    expect(both.n.inputs).toBe(56);
  });

  it('counts only the last line of a run: its checkpoints are superseded, findings not summed twice', () => {
    const found = (crashes: number) => ({ kiwi: { inputs: 1, crashes, hangs: 0, overRss: 0 } });
    const t = totals([
      run(4, 0, 30, { run: 'r1', checkpoint: true, found: found(1) }),
      run(4, 0, 60, { run: 'r1', checkpoint: true, found: found(2) }),
      run(4, 0, 90, { run: 'r1', found: found(2) }),
      run(4, 90, 120, { run: 'r2', checkpoint: true, found: found(1) }),
    ]);
    expect(t.kiwi.inputs).toBe(40);
    expect(t.kiwi.crashes).toBe(3);
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

describe('a run stopped by a signal', () => {
  it('has written checkpoints and writes its last line on SIGTERM, counted once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imgc-ledger-stop-'));
    const file = join(dir, 'ledger.jsonl');
    const args = [
      'bench/fuzz/fuzz.mjs',
      '--reader',
      'tdl',
      '--seconds',
      '120',
      '--seed',
      '5',
      '--progress',
      '1',
    ];
    const child = spawn('node', [...args, '--ledger', file, '--out', join(dir, 'found')], {
      cwd: repoRoot,
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    while (readLedger(file).length < 2) await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    const lines = readLedger(file);
    const last = lines.at(-1);
    expect(lines.slice(0, -1).every((l: { checkpoint?: boolean }) => l.checkpoint)).toBe(true);
    expect(last).toMatchObject({ stoppedBy: 'SIGTERM', seed: 5, readers: ['tdl'] });
    expect(last.checkpoint).toBeUndefined();
    expect(new Set(lines.map((l: { run: string }) => l.run)).size).toBe(1);
    expect(last.end).toBeGreaterThanOrEqual(lines.at(-2).end);
    expect(totals(lines).tdl.inputs).toBe(last.end);
  }, 60_000);
});
