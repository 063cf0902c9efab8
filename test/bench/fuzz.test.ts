/**
 * A bounded run of the fuzz harness (bench/fuzz): about 75 s over every reader, each input also
 * through every writer. Any crash, hang or RSS over the cap fails the test; the crashing inputs
 * are kept in the folder the output names. Longer runs: `node bench/fuzz/fuzz.mjs --seconds 3600`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { repoRoot } from '../helpers/shared.js';

const SECONDS = Number(process.env.IMGC_FUZZ_SECONDS ?? 75);
// a fixed seed keeps a run reproducible; IMGC_FUZZ_SEED picks another
const SEED = process.env.IMGC_FUZZ_SEED ?? '20261207';
// Not in the default suite yet: each of the three seeds tried found, within 75 s, open slow inputs (a
// mutated 650 KB Containerfile over 10 s of CPU through all writers; kickstart inputs pushing
// the harness past 1 GiB RSS), listed in issue 14. IMGC_FUZZ=1 runs it.
const RUN = process.env.IMGC_FUZZ === '1';

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

it.skipIf(!RUN)(
  `fuzz: ${SECONDS} s over every reader and writer finds no crash, hang or RSS over 1 GiB`,
  async () => {
    const out = mkdtempSync(join(tmpdir(), 'imgc-fuzz-test-'));
    const args = [
      'bench/fuzz/fuzz.mjs',
      '--seconds',
      String(SECONDS),
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
    expect(reports.map((r) => r.reader).sort()).toEqual([
      'bib-config',
      'blueprint',
      'blueprint-json',
      'containerfile',
      'ir',
      'kickstart',
      'kiwi',
      'mkosi',
    ]);
    for (const r of reports) {
      expect(r.inputs, `${r.reader} ran no input`).toBeGreaterThan(0);
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
