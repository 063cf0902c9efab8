#!/usr/bin/env node
// Runs the fuzz harness (bench/fuzz/README.md). The TypeScript is bundled with esbuild into
// bench/fuzz/.build/<pid>/ first: worker threads need JavaScript files, the bundle loads the
// packages from node_modules like the built CLI does, and runs side by side keep their own.
//   node bench/fuzz/fuzz.mjs [--seconds 60] [--reader kiwi,mkosi] [--rss-mb 1024]
//                            [--timeout-ms 10000] [--seed N] [--out DIR] [--keep 5] [--json]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const here = new URL('.', import.meta.url);
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
const argv = process.argv.slice(2);
const reports = await runFuzz(parseArgs(argv), {
  repo: new URL('../..', here).pathname,
  workerFile: `${outdir}worker.mjs`,
});
rmSync(root, { recursive: true, force: true });
if (argv.includes('--json')) process.stdout.write(`${JSON.stringify(reports)}\n`);
const bad = reports.reduce((n, r) => n + r.crashes + r.hangs + r.overRss, 0);
process.exitCode = bad > 0 ? 1 : 0;
