/**
 * A bounded run of the fuzz harness (bench/fuzz), in the default suite: the first INPUTS inputs
 * of a fixed seed over every reader, each through the printers and every writer, stopping early
 * at SECONDS: a slower machine runs a shorter prefix of the same inputs, never other ones. Any crash, hang (see budgetMs in bench/fuzz/harness.ts) or RSS over 1 GiB fails
 * it; the inputs are kept in the folder the output names. Long runs: bench/fuzz/README.md.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { READERS } from '../../bench/fuzz/seeds.js';
import { repoRoot } from '../helpers/shared.js';

const SECONDS = Number(process.env.IMGC_FUZZ_SECONDS ?? 60);
const INPUTS = Number(process.env.IMGC_FUZZ_INPUTS ?? 8000);
// a fixed seed keeps a run reproducible; IMGC_FUZZ_SEED picks another
const SEED = process.env.IMGC_FUZZ_SEED ?? '20261207';

interface Report {
  reader: string;
  inputs: number;
  rate: number;
  crashes: number;
  hangs: number;
  overRss: number;
  peakRssMb: number;
  kinds: Record<string, number>;
}

it(
  `fuzz: up to ${INPUTS} inputs (${SECONDS} s) over every reader and writer find no crash, hang or RSS over 1 GiB`,
  async () => {
    const out = mkdtempSync(join(tmpdir(), 'imgc-fuzz-test-'));
    const args = [
      'bench/fuzz/fuzz.mjs',
      '--seconds',
      String(SECONDS),
      '--inputs',
      String(INPUTS),
      '--seed',
      SEED,
      '--rss-mb',
      '1024',
      '--out',
      out,
      '--json',
    ];
    const run = await promisify(execFile)('node', args, { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 }).catch(
      (e: { stdout: string; stderr: string }) => e,
    );
    process.stdout.write(run.stderr);
    const reports = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Report[];
    expect(reports.map((r) => r.reader)).toEqual([...READERS]);
    expect(READERS).toHaveLength(15);
    for (const r of reports) {
      expect(r.inputs, `${r.reader} ran no input`).toBeGreaterThan(0);
      expect(r.peakRssMb).toBeLessThanOrEqual(1024);
      expect({
        reader: r.reader,
        crashes: r.crashes,
        hangs: r.hangs,
        overRss: r.overRss,
        kinds: r.kinds,
      }).toEqual({
        reader: r.reader,
        crashes: 0,
        hangs: 0,
        overRss: 0,
        kinds: {},
      });
    }
  },
  (SECONDS + 120) * 1000,
);
