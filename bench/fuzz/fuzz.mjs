#!/usr/bin/env node
// Runs the fuzz harness (bench/fuzz/README.md). The TypeScript is bundled with esbuild into
// bench/fuzz/.build/<pid>/ first: worker threads need JavaScript files, the bundle loads the
// packages from node_modules like the built CLI does, and runs side by side keep their own.
//   node bench/fuzz/fuzz.mjs [--seconds 60] [--reader kiwi,mkosi] [--rss-mb 1024]
//                            [--timeout-ms 10000] [--seed N] [--start N] [--out DIR] [--keep 5] [--json]
//                            [--ledger bench/fuzz/ledger.jsonl]
// With --ledger, a line every --progress interval (a checkpoint) and one at the end, also when
// stopped by SIGTERM or SIGINT; the ledger counts the last line of a run (ledger.mjs).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, hostname, loadavg } from 'node:os';
import { build } from 'esbuild';
import { appendRun } from './ledger.mjs';

const here = new URL('.', import.meta.url);
const repo = new URL('../..', here).pathname;
const argv = process.argv.slice(2);
const ledgerAt = argv.indexOf('--ledger');
const ledger = ledgerAt >= 0 ? argv[ledgerAt + 1] : undefined;
// the code the bundle is built from, taken before building: a commit edited during the run does not count
const code = ledger ? codeVersion() : undefined;
const began = { at: new Date().toISOString(), load: loadavg() };
const root = new URL(`.build/${process.pid}/`, here).pathname;
const outdir = `${root}fuzz/`;
await build({
  entryPoints: {
    harness: new URL('harness.ts', here).pathname,
    worker: new URL('worker.ts', here).pathname,
    precompile: new URL('../../src/ir/precompile.ts', here).pathname,
  },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  mainFields: ['module', 'main'],
  banner: {
    js: "import { createRequire as fuzzCreateRequire } from 'node:module'; const require = fuzzCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
// the IR checker precompiled as the built CLI has it, where src/ir/validate.ts looks for it
const { irCheckerSource } = await import(`${outdir}precompile.mjs`);
mkdirSync(`${root}ir`, { recursive: true });
writeFileSync(`${root}ir/ir-checker.generated.cjs`, irCheckerSource());
const { parseArgs, runFuzz } = await import(`${outdir}harness.mjs`);
const options = parseArgs(argv);
// one id for the checkpoints and the last line of this run: the ledger counts only its last line
const runId = `${began.at}/${hostname()}/${process.pid}`;
let snapshot;
const stopOn = (signal) => {
  // a stopped run still counts what it did: its last line, then the default exit of the signal
  if (ledger && snapshot) appendRun(ledger, { ...ledgerEntry(options, snapshot()), stoppedBy: signal });
  rmSync(root, { recursive: true, force: true });
  process.stderr.write(
    `fuzz: stopped by ${signal}; ${ledger ? `counts written to ${ledger}` : 'no ledger'}\n`,
  );
  process.exit(signal === 'SIGINT' ? 130 : 143);
};
process.once('SIGTERM', () => stopOn('SIGTERM'));
process.once('SIGINT', () => stopOn('SIGINT'));
const reports = await runFuzz(options, {
  repo,
  workerFile: `${outdir}worker.mjs`,
  onStart: (get) => {
    snapshot = get;
  },
  onCheckpoint: ledger
    ? (now) => appendRun(ledger, { ...ledgerEntry(options, now), checkpoint: true })
    : undefined,
});
rmSync(root, { recursive: true, force: true });
if (ledger) appendRun(ledger, ledgerEntry(options, reports));
if (argv.includes('--json')) process.stdout.write(`${JSON.stringify(reports)}\n`);
const bad = reports.reduce((n, r) => n + r.crashes + r.hangs + r.overRss, 0);
process.exitCode = bad > 0 ? 1 : 0;

function codeVersion() {
  const git = (...args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();
  return {
    commit: git('rev-parse', 'HEAD'),
    edited: git('status', '--porcelain', '--', 'src', 'bench') !== '',
  };
}

function ledgerEntry(options, reports) {
  const first = reports[0];
  return {
    run: runId,
    seed: options.runSeed,
    readers: options.readers,
    start: first?.start ?? options.start,
    end: first?.end ?? options.start,
    writersEvery: options.writersEvery,
    rssCapMb: options.rssMb,
    ...code,
    began: began.at,
    ended: new Date().toISOString(),
    seconds: first?.seconds ?? 0,
    loadBefore: began.load.map((l) => Number(l.toFixed(2))),
    loadAfter: loadavg().map((l) => Number(l.toFixed(2))),
    machine: `${hostname()}, ${cpus().length} CPUs, node ${process.version}`,
    peakRssMb: first?.peakRssMb ?? 0,
    found: Object.fromEntries(
      reports.map((r) => [
        r.reader,
        { inputs: r.inputs, crashes: r.crashes, hangs: r.hangs, overRss: r.overRss },
      ]),
    ),
  };
}
