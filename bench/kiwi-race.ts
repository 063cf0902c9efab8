/**
 * The race against KIWI (issue 22; run it through bench/kiwi-race.sh, as root). The sample as
 * the build-equivalence test prepares it (test/conformance/peer-definition.ts), its outputs set
 * to one xz-compressed tar (what KIWI's `tbz` type writes) and its repositories cut to the
 * release suite (see below), is
 *   (a) translated with `imgc translate --to kiwi --kiwi-schema 7.5` and built by `kiwi-ng
 *       system build` (Debian's KIWI 9.24), and
 *   (b) built by `imgc build`,
 * side by side and alternating, each round: KIWI cold (fresh root, empty --shared-cache-dir),
 * imgc cold (empty --cache-dir), KIWI warm (the cache of the cold run kept), imgc warm with
 * --no-tree-cache, imgc warm with its tree cache (the default). Each run's wall time, the load
 * average before and after, its installed packages (name, version, from the tarball's dpkg
 * status), and where its time went (KIWI's log timestamps, imgc's step times) go into the
 * results file with the medians and ratios.
 *
 * Why the release suite alone: KIWI bootstraps with debootstrap, which takes one suite, and
 * installs the image packages with apt without upgrading what debootstrap put there; imgc
 * installs the newest version any repository offers. With the host's -updates and -security
 * suites the two package sets differ in versions by design (docs/backends/equivalence.md);
 * with the release suite alone they can be the same set, which the race needs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ImageIR } from '../src/ir/schema.js';
import {
  kiwiGnupgHome,
  releaseMountsUnder,
  stopKiwiGnupg,
  writePeerDefinition,
} from '../test/conformance/peer-definition.js';
import { runToEnd } from '../test/helpers/run-to-end.js';
import { type Packages, packageDifferences, packagesOfTarball } from './kiwi-race/packages.js';
import { imgcSteps, kiwiPhases } from './kiwi-race/profile.js';
import { type RaceRun, writeResults } from './kiwi-race/report.js';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'bin/imgc.js');
const sample = join(root, 'samples/blueprint/debian-minimal.toml');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    work: { type: 'string', default: '/var/tmp/kiwirace' },
    out: { type: 'string', default: join(root, 'bench/results-kiwi-race.md') },
    'xz-level': { type: 'string' },
  },
});
const rounds = Number(values.runs);
const work = resolve(values.work!);
const RUN_BOUND_MS = 1_800_000;
const xzLevel = values['xz-level'];
if (xzLevel !== undefined && !/^[0-9]$/.test(xzLevel)) throw new Error('--xz-level takes 0 to 9');

/**
 * Both tools run `xz` from PATH with threads but no level (KIWI `xz -f --threads=0`, imgc
 * `xz -T0`): a shim first on PATH sets the same level for both. Without --xz-level, none.
 */
function toolPath(): string {
  const path = process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin';
  if (xzLevel === undefined) return path;
  const bin = join(work, 'xz-level');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'xz'), `#!/bin/sh\nexec /usr/bin/xz -${xzLevel} "$@"\n`, { mode: 0o755 });
  return `${bin}:${path}`;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function imgcJson(args: string[]): string {
  return execFileSync('node', [cli, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** The peers' definition with one xz tar as its output and the release suite as its only repository. */
function prepare(): { def: string; kiwiDescription: string } {
  const ir = (JSON.parse(imgcJson(['inspect', sample, '--json', '--show-secrets'])) as { ir: ImageIR }).ir;
  const defDir = join(work, 'definition');
  mkdirSync(defDir, { recursive: true });
  const def = writePeerDefinition(ir, defDir);
  const written = JSON.parse(readFileSync(def, 'utf8')) as ImageIR;
  // the release's own suite is the one without a -updates/-security/-backports suffix
  written.repositories = written.repositories.filter((r) => /^[a-z]+$/.test(r.suites?.[0] ?? ''));
  if (written.repositories.length !== 1)
    throw new Error(
      `expected one host apt source for the release suite, found ${written.repositories.length}`,
    );
  written.outputs = [{ type: 'tar', compression: 'xz' }];
  writeFileSync(def, JSON.stringify(written, null, 2));
  const kiwiDescription = join(work, 'kiwi-description');
  imgcJson(['translate', def, '--from', 'ir', '--to', 'kiwi', '--kiwi-schema', '7.5', '-o', kiwiDescription]);
  return { def, kiwiDescription };
}

function onlyFile(dir: string, pattern: RegExp): string {
  const names = readdirSync(dir).filter((n) => pattern.test(n));
  if (names.length !== 1)
    throw new Error(`expected one ${pattern} in ${dir}, found ${names.join(', ') || 'none'}`);
  return join(dir, names[0]!);
}

interface Built {
  seconds: number;
  code: number | null;
  log: string;
  tarball?: string;
}

async function kiwiBuild(description: string, cold: boolean, label: string): Promise<Built> {
  const cache = join(work, 'kiwi-cache');
  const target = join(work, 'kiwi-out');
  const logFile = join(work, 'logs', `${label}.log`);
  if (cold) rmSync(cache, { recursive: true, force: true });
  rmSync(target, { recursive: true, force: true });
  const r = await runToEnd(
    'kiwi-ng',
    ['--logfile', logFile, '--shared-cache-dir', cache, 'system', 'build'].concat([
      '--description',
      description,
      '--target-dir',
      target,
    ]),
    {
      timeoutMs: RUN_BOUND_MS,
      cwd: work,
      env: { ...process.env, PATH: toolPath(), GNUPGHOME: kiwiGnupgHome(work) },
      keepChars: 8_000,
      onTimeout: 'kill-group',
    },
  );
  releaseMountsUnder(target);
  const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : r.log;
  const tarball = r.code === 0 ? onlyFile(target, /\.tar\.xz$/) : undefined;
  return { seconds: r.seconds, code: r.code, log, ...(tarball ? { tarball } : {}) };
}

async function imgcBuild(def: string, cold: boolean, treeCache: boolean, label: string): Promise<Built> {
  const cache = join(work, 'imgc-cache');
  const out = join(work, 'imgc-out');
  if (cold) rmSync(cache, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
  const args = ['build', def, '--from', 'ir', '-o', out, '--cache-dir', cache];
  if (!treeCache) args.push('--no-tree-cache');
  const r = await runToEnd('node', [cli, ...args], {
    timeoutMs: RUN_BOUND_MS,
    cwd: work,
    env: { ...process.env, PATH: toolPath() },
    keepChars: 1_000_000,
  });
  writeFileSync(join(work, 'logs', `${label}.log`), r.stderr);
  const tarball = r.code === 0 ? onlyFile(out, /\.tar\.xz$/) : undefined;
  return { seconds: r.seconds, code: r.code, log: r.stderr, ...(tarball ? { tarball } : {}) };
}

const PLAN = [
  { tool: 'kiwi', variant: 'kiwi', cache: 'cold' },
  { tool: 'imgc', variant: 'imgc', cache: 'cold' },
  { tool: 'kiwi', variant: 'kiwi', cache: 'warm' },
  { tool: 'imgc', variant: 'imgc --no-tree-cache', cache: 'warm' },
  { tool: 'imgc', variant: 'imgc', cache: 'warm' },
] as const;

function report(
  runs: RaceRun[],
  packages: Record<string, Packages>,
  began: Date,
  roundsDone: number,
  kiwiDescription: string,
): void {
  const labels = Object.keys(packages);
  const first = (tool: string) => labels.find((l) => l.includes(tool === 'kiwi' ? 'kiwi' : 'imgc'));
  const kiwiLabel = first('kiwi');
  const imgcLabel = first('imgc');
  writeResults(values.out!, {
    began,
    ended: new Date(),
    rounds: roundsDone,
    xzLevel: xzLevel ?? "each tool's default (6)",
    machine: `${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM`,
    commit: execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim(),
    kiwiVersion: spawnSync('kiwi-ng', ['--version'], { encoding: 'utf8' }).stdout.trim(),
    kiwiConfig: readFileSync(join(kiwiDescription, 'config.xml'), 'utf8'),
    runs,
    packageCounts: Object.fromEntries(labels.map((l) => [l, packages[l]!.size])),
    sameWithinTool: labels.every((l) => {
      const ref = packages[l.includes('kiwi') ? kiwiLabel! : imgcLabel!]!;
      return packageDifferences(ref, packages[l]!).length === 0;
    }),
    differences:
      kiwiLabel && imgcLabel ? packageDifferences(packages[kiwiLabel]!, packages[imgcLabel]!) : undefined,
  });
}

async function main() {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, 'logs'), { recursive: true });
  const { def, kiwiDescription } = prepare();
  const runs: RaceRun[] = [];
  const packages: Record<string, Packages> = {};
  const began = new Date();
  for (let round = 1; round <= rounds; round++) {
    for (const step of PLAN) {
      const label = `${round}-${step.variant.replace(/[^a-z]+/g, '-')}-${step.cache}`;
      const before = load();
      const cold = step.cache === 'cold';
      const built =
        step.tool === 'kiwi'
          ? await kiwiBuild(kiwiDescription, cold, label)
          : await imgcBuild(def, cold, !step.variant.includes('no-tree-cache'), label);
      const run: RaceRun = {
        round,
        ...step,
        seconds: built.seconds,
        code: built.code,
        loadBefore: before,
        loadAfter: load(),
        phases: step.tool === 'kiwi' ? kiwiPhases(built.log) : imgcSteps(built.log),
        ...(built.tarball ? { tarballBytes: statSync(built.tarball).size } : {}),
      };
      if (built.tarball) packages[label] = packagesOfTarball(built.tarball);
      runs.push(run);
      console.log(
        `round ${round} ${step.variant} ${step.cache}: ${built.seconds.toFixed(1)} s (exit ${built.code}, load ${before} → ${run.loadAfter})`,
      );
      if (built.code !== 0) console.log(built.log.slice(-3000));
    }
    // after every round, so that a run stopped early still leaves its rounds
    report(runs, packages, began, round, kiwiDescription);
  }
  stopKiwiGnupg(work);
  console.log(`results: ${values.out}`);
}

await main();
