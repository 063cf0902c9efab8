/** `imgc build`: plan, then execute with the cache, progress output and cleanup on Ctrl-C. */
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BackendRegistry } from '../backends/registry.js';
import { cliCodes } from '../diagnostics/codes/cli.js';
import { goldenCodes } from '../diagnostics/codes/golden.js';
import { parallelCodes } from '../diagnostics/codes/parallel.js';
import { reproducibleCodes } from '../diagnostics/codes/reproducible.js';
import { diag } from '../diagnostics/define.js';
import { renderDiagnostic } from '../diagnostics/render.js';
import { type Diagnostic, hasErrors } from '../diagnostics/types.js';
import { BuildLock } from '../exec/build-lock.js';
import { compareOutputs, LISTED, type OutputComparison } from '../exec/compare-outputs.js';
import { executeBuild } from '../exec/executor.js';
import { checkedLock, type Locking } from '../exec/package-lock.js';
import type { BuildEvent } from '../exec/progress.js';
import type { FormatRegistry } from '../formats/registry.js';
import type { SbomFormat } from '../golden/write.js';
import { EXIT, exitFor, type Io, printDiagnostics, shown } from './output.js';
import { defaultCacheDir, type PlanFlags, type PreparedPlan, preparePlan } from './plan.js';
import { StatusLine } from './status-line.js';

export interface BuildFlags extends PlanFlags {
  outputDir: string;
  /** install exactly the lock file's package set, after checking the repositories still hold it */
  locked?: boolean;
  /** the lock file for --locked (default: <name>.lock beside the definition) */
  lock?: string;
  cacheDir?: string;
  treeCache?: boolean;
  initrdCache?: boolean;
  /** --keep-trees: how many tree snapshots the cache keeps */
  keepTrees?: string;
  /** --jobs: at most this many outputs assembled at a time */
  jobs?: string;
  verbose?: boolean;
  tmpfs?: boolean;
  /** build twice in separate roots without the tree cache, compare the outputs */
  verifyReproducible?: boolean;
  /** --sbom spdx,cyclonedx: added to what the definition's sbom field asks for */
  sbom?: string;
}

const SBOM_FORMATS = ['spdx', 'cyclonedx'] as const;

/** The --sbom list, or the diagnostic for a value that is not a format. */
export function parseSbomFlag(value: string | undefined): { formats: SbomFormat[]; error?: Diagnostic } {
  const formats: SbomFormat[] = [];
  for (const part of (value ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    if (!(SBOM_FORMATS as readonly string[]).includes(part))
      return { formats, error: diag(goldenCodes.sbomUnknown, { value: part }) };
    formats.push(part as SbomFormat);
  }
  return { formats };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Human progress: an updating, ticking line per step on a TTY, timestamped lines otherwise. */
export function progressRenderer(
  io: Io,
  mode: 'tty' | 'plain',
  verbose = false,
  columns: () => number = () => process.stderr.columns ?? 80,
) {
  const titles = new Map<string, string>();
  const tails = new Map<string, string[]>();
  // outputs assembled side by side: the status line follows one, the others' notes become lines
  const running = new Map<string, number>();
  let current = '';
  const status = new StatusLine(io.stderr, columns);
  const write = (line: string, time: string) => {
    if (mode === 'tty') status.print(line);
    else io.stderr(`${time} ${line}\n`);
  };
  let lastPlainCount = 0;
  return (e: BuildEvent) => {
    switch (e.event) {
      case 'build-start':
        write(
          `building with ${e.backend}: ${e.steps} steps → ${e.outputs.join(', ')} (cache ${e.cacheDir})`,
          e.time,
        );
        break;
      case 'lock-wait':
        write(`waiting for the cache lock held by process ${e.holder}`, e.time);
        break;
      case 'step-cached':
        write(`[${e.index}/${e.total}] ${e.title}: cached`, e.time);
        break;
      case 'step-start':
        current = e.id;
        running.set(e.id, Date.parse(e.time));
        titles.set(e.id, `[${e.index}/${e.total}] ${e.title}`);
        tails.set(e.id, []);
        lastPlainCount = 0;
        if (mode === 'tty') status.start(titles.get(e.id)!, Date.parse(e.time));
        else write(`${titles.get(e.id)}: started`, e.time);
        break;
      case 'step-progress': {
        const title = titles.get(e.id) ?? e.id;
        const pk = e.packages
          ? ` ${e.packages.done}${e.packages.total ? `/${e.packages.total}` : ''} packages`
          : '';
        const note = e.note ? ` ${e.note}` : '';
        if (mode === 'tty' && e.id !== current && e.note) status.print(`${title}:${note}`);
        else if (mode === 'tty') status.update({ packages: pk, ...(e.note ? { sub: e.note } : {}) });
        else if (e.note || (e.packages && e.packages.done - lastPlainCount >= 25)) {
          if (e.packages) lastPlainCount = e.packages.done;
          write(`${title}:${pk}${note}`, e.time);
        }
        break;
      }
      case 'log': {
        const tail = tails.get(e.id);
        if (tail) {
          tail.push(e.line);
          if (tail.length > 30) tail.shift();
        }
        if (mode === 'tty' && e.id === current) status.update({ sub: e.line });
        if (verbose) write(`  ${e.line}`, e.time);
        break;
      }
      case 'step-end':
        status.stop();
        write(
          `${titles.get(e.id) ?? e.title}: done in ${seconds(e.elapsedMs)}${e.saved ? ' (saved to the tree cache)' : ''}`,
          e.time,
        );
        tails.delete(e.id);
        running.delete(e.id);
        if (mode === 'tty' && running.size) {
          const [id, started] = [...running].at(-1)!;
          current = id;
          status.start(titles.get(id) ?? id, started);
        }
        break;
      case 'output':
        write(
          `output ${e.path}${e.sizeBytes ? ` (${(e.sizeBytes / 1024 ** 2).toFixed(1)} MiB)` : ''}`,
          e.time,
        );
        break;
      case 'diagnostic':
        if (e.diagnostic.severity === 'error' && !verbose) {
          const tail = tails.get(current);
          if (tail?.length) write(`last output of the failing step:\n  ${tail.join('\n  ')}`, e.time);
        }
        if (mode === 'tty') status.print(renderDiagnostic(e.diagnostic, { color: true }));
        else io.stderr(`${renderDiagnostic(e.diagnostic, { color: false })}\n`);
        break;
      case 'build-end':
        status.stop();
        write(
          e.ok
            ? `build finished in ${seconds(e.elapsedMs)}`
            : `build ${e.interrupted ? 'interrupted' : 'failed'} after ${seconds(e.elapsedMs)}`,
          e.time,
        );
        break;
    }
  };
}

/** --quiet: no progress, only the errors. */
function errorsOnly(io: Io) {
  return (e: BuildEvent) => {
    if (e.event === 'diagnostic' && e.diagnostic.severity === 'error')
      io.stderr(`${renderDiagnostic(e.diagnostic, { color: io.isTTY })}\n`);
  };
}

export async function runBuild(
  io: Io,
  registry: FormatRegistry,
  path: string,
  flags: BuildFlags,
  /** the backends to build with; default the built-ins and the plugins the flags name */
  backends?: BackendRegistry,
): Promise<number> {
  const sbom = parseSbomFlag(flags.sbom);
  if (sbom.error) {
    printDiagnostics(io, [sbom.error]);
    return EXIT.usage;
  }
  const verify = flags.verifyReproducible === true;
  const reproducible = flags.reproducible || verify;
  const prepared = await preparePlan(registry, path, { ...flags, reproducible }, backends);
  // tools run in the tree (dpkg, useradd) read the epoch from their environment
  const envBefore = process.env.SOURCE_DATE_EPOCH;
  if (prepared.epoch?.reproducible) process.env.SOURCE_DATE_EPOCH = String(prepared.epoch.value);
  if (prepared.plan && sbom.formats.length)
    prepared.plan.sbom = [...new Set([...(prepared.plan.sbom ?? []), ...sbom.formats])].sort();
  try {
    if (verify && prepared.plan && !hasErrors(prepared.diagnostics))
      return await verifyReproducible(io, prepared, flags, path);
    return await buildPrepared(io, prepared, flags, path);
  } finally {
    if (envBefore === undefined) delete process.env.SOURCE_DATE_EPOCH;
    else process.env.SOURCE_DATE_EPOCH = envBefore;
    await prepared.close?.();
  }
}

/**
 * `--verify-reproducible`: the plan built twice, each into its own folder from its own
 * workspace and without the tree cache (the package cache is shared), then every output
 * compared; identical outputs are moved into the output folder.
 */
async function verifyReproducible(
  io: Io,
  prepared: PreparedPlan,
  flags: BuildFlags,
  path: string,
): Promise<number> {
  const outputDir = resolve(flags.outputDir);
  await mkdir(outputDir, { recursive: true });
  const roots = await mkdtemp(join(outputDir, '.imgc-verify-'));
  let keep = false;
  try {
    const builds = ['first', 'second'] as const;
    for (const [i, which] of builds.entries()) {
      const dir = join(roots, String(i + 1));
      if (!flags.json) io.stderr(`--verify-reproducible: ${which} build into ${dir}\n`);
      const code = await buildPrepared(
        io,
        { ...prepared, diagnostics: i === 0 ? prepared.diagnostics : [] },
        {
          ...flags,
          outputDir: dir,
          treeCache: false,
          // a reused initrd would hide one that is not reproducible
          initrdCache: false,
        },
        path,
      );
      if (code === EXIT.interrupted) return code;
      if (code !== EXIT.ok) {
        report(io, flags, [diag(reproducibleCodes.verifyBuildFailed, { which })]);
        return code;
      }
    }
    const compared = await compareOutputs(join(roots, '1'), join(roots, '2'));
    printComparison(io, flags, compared);
    const differing = compared.filter((c) => !c.identical).map((c) => c.name);
    if (differing.length) {
      report(io, flags, [
        diag(reproducibleCodes.notReproducible, { outputs: differing.join(', '), kept: roots }),
      ]);
      keep = true;
      return EXIT.notReproducible;
    }
    for (const c of compared) {
      await rm(join(outputDir, c.name), { recursive: true, force: true });
      await rename(join(roots, '1', c.name), join(outputDir, c.name));
    }
    return EXIT.ok;
  } finally {
    if (!keep) await rm(roots, { recursive: true, force: true });
  }
}

function printComparison(io: Io, flags: BuildFlags, compared: OutputComparison[]): void {
  if (flags.json) {
    io.stdout(
      `${JSON.stringify({ time: new Date().toISOString(), event: 'reproducible', outputs: compared })}\n`,
    );
    return;
  }
  for (const c of compared) {
    if (c.identical) {
      io.stdout(`${c.name}: identical\n`);
      continue;
    }
    const more = c.total > LISTED ? ` (the first ${LISTED} of ${c.total})` : '';
    io.stdout(`${c.name}: differs${more}\n${c.differences.map((d) => `  ${d}`).join('\n')}\n`);
  }
}

function report(io: Io, flags: BuildFlags, diagnostics: Diagnostic[]): void {
  if (flags.json)
    for (const d of diagnostics)
      io.stdout(
        `${JSON.stringify(shown(io, { time: new Date().toISOString(), event: 'diagnostic', diagnostic: d }))}\n`,
      );
  else printDiagnostics(io, diagnostics);
}

async function buildPrepared(
  io: Io,
  prepared: PreparedPlan,
  flags: BuildFlags,
  path: string,
): Promise<number> {
  const json = Boolean(flags.json);
  if (!prepared.plan || hasErrors(prepared.diagnostics)) {
    if (json)
      for (const d of prepared.diagnostics)
        io.stdout(
          `${JSON.stringify(shown(io, { time: new Date().toISOString(), event: 'diagnostic', diagnostic: d }))}\n`,
        );
    else printDiagnostics(io, prepared.diagnostics);
    return exitFor(prepared.diagnostics, [path], true);
  }
  const print = json
    ? (e: BuildEvent) => io.stdout(`${JSON.stringify(e)}\n`)
    : io.verbosity === 'quiet'
      ? errorsOnly(io)
      : progressRenderer(io, io.isTTY ? 'tty' : 'plain', flags.verbose);
  // tool output and step titles pass through the same redaction as every other print
  const render = (e: BuildEvent) => print(shown(io, e));
  if (!json) printDiagnostics(io, prepared.diagnostics);
  else
    for (const d of prepared.diagnostics)
      render({ time: new Date().toISOString(), event: 'diagnostic', diagnostic: d });

  const cacheDir = resolve(flags.cacheDir ?? defaultCacheDir());
  const keepTrees = keepTreesOf(flags.keepTrees);
  if (typeof keepTrees === 'object') {
    printDiagnostics(io, [keepTrees]);
    return EXIT.usage;
  }
  const jobs = jobsOf(flags.jobs);
  if (typeof jobs === 'object') {
    printDiagnostics(io, [jobs]);
    return EXIT.usage;
  }
  const backends = prepared.backends ?? new BackendRegistry();
  const lockFile = resolve(flags.lock ?? join(prepared.sourceDir ?? '.', `${prepared.name ?? 'image'}.lock`));
  const locking: Locking =
    flags.locked || flags.lock
      ? await checkedLock(prepared.plan, backends, cacheDir, lockFile)
      : { plan: prepared.plan, diagnostics: [] };
  for (const d of locking.diagnostics)
    render({ time: new Date().toISOString(), event: 'diagnostic', diagnostic: d });
  if (hasErrors(locking.diagnostics)) return EXIT.buildFailed;
  const buildLock = new BuildLock(locking.plan, backends, cacheDir, locking.lock);

  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (!controller.signal.aborted) controller.abort(sig);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  try {
    const result = await executeBuild(locking.plan, {
      cacheDir,
      outputDir: resolve(flags.outputDir),
      backends,
      positions: prepared.positions,
      signal: controller.signal,
      onEvent: (e) => {
        buildLock.observe(e);
        render(e);
      },
      treeCache: flags.treeCache ?? true,
      initrdCache: flags.initrdCache ?? true,
      ...(keepTrees !== undefined ? { keepTrees } : {}),
      ...(jobs !== undefined ? { jobs } : {}),
      preferTmpfs: flags.tmpfs ?? true,
      ...(prepared.sourceDir ? { sourceDir: prepared.sourceDir } : {}),
    });
    if (result.interrupted) return EXIT.interrupted;
    if (!result.ok) return EXIT.buildFailed;
    const written = await buildLock.write(join(resolve(flags.outputDir), `${prepared.name ?? 'image'}.lock`));
    for (const d of written) render({ time: new Date().toISOString(), event: 'diagnostic', diagnostic: d });
    return EXIT.ok;
  } finally {
    buildLock.cancel();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  }
}

/** `--jobs`: a whole number of at least 1, or the executor's default (one per CPU) when absent. */
function jobsOf(flag: string | undefined): number | Diagnostic | undefined {
  if (flag === undefined) return undefined;
  return /^\d+$/.test(flag) && Number(flag) > 0 ? Number(flag) : diag(parallelCodes.badJobs, { value: flag });
}

/** `--keep-trees`: a whole number of at least 1, or the executor's default when absent. */
function keepTreesOf(flag: string | undefined): number | Diagnostic | undefined {
  if (flag === undefined) return undefined;
  return /^\d+$/.test(flag) && Number(flag) > 0 ? Number(flag) : diag(cliCodes.badKeepTrees, { value: flag });
}
