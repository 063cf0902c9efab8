#!/usr/bin/env node
// Runs the fuzz harness (bench/fuzz/README.md). The TypeScript is bundled with esbuild into
// bench/fuzz/.build/ first: worker threads need JavaScript files, and the bundle loads the
// packages from node_modules like the built CLI does.
//   node bench/fuzz/fuzz.mjs [--seconds 60] [--reader kiwi,mkosi] [--rss-mb 1024]
//                            [--timeout-ms 10000] [--seed N] [--out DIR] [--keep 5] [--json]
import { build } from 'esbuild';

const here = new URL('.', import.meta.url);
const outdir = new URL('.build/', here).pathname;
await build({
  entryPoints: { harness: new URL('harness.ts', here).pathname, worker: new URL('worker.ts', here).pathname },
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
const { parseArgs, runFuzz } = await import(`${outdir}harness.mjs`);
const argv = process.argv.slice(2);
const reports = await runFuzz(parseArgs(argv), {
  repo: new URL('../..', here).pathname,
  workerFile: `${outdir}worker.mjs`,
});
if (argv.includes('--json')) process.stdout.write(`${JSON.stringify(reports)}\n`);
const bad = reports.reduce((n, r) => n + r.crashes + r.hangs + r.overRss, 0);
process.exitCode = bad > 0 ? 1 : 0;
