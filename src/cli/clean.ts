/**
 * `imgc clean`: mkosi's `clean` verb for any definition. Removes what `imgc build` writes
 * for the definition into the output folder (the outputs the plan names, and leftovers of
 * killed builds), then runs the definition's clean scripts on the host, with the output and
 * source folders in their environment. Nothing else in the folder is touched.
 */
import { lstat, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { buildCodes } from '../diagnostics/codes/build.js';
import { cliCodes } from '../diagnostics/codes/cli.js';
import { scriptCodes } from '../diagnostics/codes/scripts.js';
import { diag } from '../diagnostics/define.js';
import { type Diagnostic, hasErrors } from '../diagnostics/types.js';
import { reapStaleOutputs } from '../exec/atomic.js';
import { coreStepRuntimes } from '../exec/core-steps.js';
import { AbortedError, ProcessRunner } from '../exec/runner.js';
import { reapStaleWorkspaces } from '../exec/workspace.js';
import type { FormatRegistry } from '../formats/registry.js';
import { goldenBaseName, goldenFileNames } from '../golden/write.js';
import { appendAll } from '../input/append.js';
import { locate, outputNames } from '../plan/planner.js';
import { EXIT, exitFor, type Io, printDiagnostics, printJson, say } from './output.js';
import { type PlanFlags, preparePlan } from './plan.js';

export interface CleanFlags extends PlanFlags {
  outputDir: string;
}

export async function runClean(
  io: Io,
  registry: FormatRegistry,
  path: string,
  flags: CleanFlags,
): Promise<number> {
  const prepared = await preparePlan(registry, path, flags);
  await prepared.close?.();
  // the planner's note that clean scripts run here, not in build
  const diagnostics = prepared.diagnostics.filter(
    (d) => !(d.code === scriptCodes.phaseNotRun.code && d.severity === 'info'),
  );
  const done = (code: number, removed: string[]) => {
    if (flags.json) printJson(io, { removed, diagnostics });
    else printDiagnostics(io, diagnostics);
    return code;
  };
  if (!prepared.plan || hasErrors(diagnostics)) return done(exitFor(diagnostics, [path], true), []);

  const outputDir = resolve(flags.outputDir);
  const removed: string[] = [];
  const names = outputNames(prepared.plan);
  // the golden manifest, its exports and SBOMs are named after the first output
  if (names[0]) appendAll(names, Object.values(goldenFileNames(goldenBaseName(names[0]))));
  // the lock every build writes beside its outputs goes with them
  names.push(`${prepared.name ?? 'image'}.lock`);
  for (const name of names) {
    const target = resolve(outputDir, name);
    if (dirname(target) !== outputDir) continue; // a name that would leave the folder is not ours
    if (!(await lstat(target).catch(() => undefined))) continue;
    await rm(target, { recursive: true, force: true });
    removed.push(target);
    diagnostics.push(diag(scriptCodes.outputRemoved, { path: target }));
  }
  for (const name of await reapStaleOutputs(outputDir)) {
    removed.push(join(outputDir, name));
    diagnostics.push(diag(buildCodes.staleWorkspace, { path: join(outputDir, name), pid: 0 }));
  }
  for (const stale of await reapStaleWorkspaces([outputDir])) {
    removed.push(stale.path);
    diagnostics.push(diag(buildCodes.staleWorkspace, stale));
  }

  if (!removed.length) {
    const names = outputNames(prepared.plan).join(', ');
    diagnostics.push(diag(cliCodes.nothingRemoved, { dir: outputDir, names }));
  }

  const scripts = prepared.clean ?? [];
  if (!scripts.length) return done(EXIT.ok, removed);
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => controller.abort(sig);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const runner = new ProcessRunner({ signal: controller.signal });
  const scratch = await mkdtemp(join(tmpdir(), 'imgc-clean-'));
  const found: Diagnostic[] = [];
  const report = (d: Diagnostic) => found.push(d);
  const source: Record<string, string> = prepared.sourceDir
    ? { IMGC_SOURCE_DIR: prepared.sourceDir, SRCDIR: prepared.sourceDir }
    : {};
  let code: number = EXIT.ok;
  const runtimes = coreStepRuntimes();
  try {
    for (const step of scripts) {
      if (!flags.json) say(io, `running ${step.title}`);
      try {
        await runtimes.run('script', step, {
          // clean scripts run on the host: there is no tree and no package cache
          tree: '',
          packageCache: '',
          workDir: scratch,
          signal: controller.signal,
          runner,
          progress: {
            log: (line) => {
              if (!flags.json) say(io, `  ${line}`);
            },
            packages: () => {},
            note: () => {},
          },
          report,
          env: { ...source, IMGC_OUTPUT_DIR: outputDir, OUTPUTDIR: outputDir },
        });
      } catch (e) {
        if (e instanceof AbortedError) {
          report(diag(buildCodes.interrupted, { signal: e.reason }));
          code = EXIT.interrupted;
          break;
        }
        const d = (e as { diagnostic?: Diagnostic }).diagnostic;
        report(
          d
            ? { ...d, pointer: step.origin[0] }
            : diag(buildCodes.stepFailed, { step: step.title, detail: String(e) }),
        );
        code = EXIT.buildFailed;
        break;
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await rm(scratch, { recursive: true, force: true });
  }
  appendAll(diagnostics, locate(found, prepared.positions));
  return done(code, removed);
}
