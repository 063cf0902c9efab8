/**
 * Runs one script of the definition, in the tree (chroot with /proc, /sys, /dev) or on the
 * host, for every script step type (run-script, disk-script, post-output-script,
 * error-script, clean-script). Every script sees IMGC_PHASE and IMGC_SCRIPT; a host script
 * also sees the tree as IMGC_ROOT and BUILDROOT when there is one. `log` appends every line
 * the script prints to that file (inside the tree for chroot scripts). A chroot script with
 * `kiwiEnv` finds KIWI's /.kconfig and /.profile in the tree while it runs (kiwi-env.ts).
 */
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Runner } from '../backends/contract.js';
import { StepError } from '../backends/contract.js';
import { buildCodes } from '../diagnostics/codes/build.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { withKiwiEnv } from './kiwi-env.js';
import { CommandError } from './runner.js';
import { resolveInTree, writeFileInTree } from './tree-path.js';

export interface ScriptRun {
  /** makes the temporary script file name unique: the step id */
  id: string;
  name: string;
  phase: string;
  chroot: boolean;
  interpreter: string;
  body: string;
  network?: boolean;
  log?: string;
  /** the tree: where chroot scripts run, IMGC_ROOT/BUILDROOT of host scripts; absent = there is none */
  tree?: string;
  /** where a host script's file is written */
  workDir: string;
  env?: Record<string, string>;
  /** KIWI's script environment, for a chroot script of a KIWI description */
  kiwiEnv?: { variables: Record<string, string>; kconfigDigest: string };
  /** working directory of a host script */
  cwd?: string;
  runner: Runner;
  onLine: (line: string) => void;
}

/** What every script step's options carry, as the first fields of a ScriptRun. */
export function scriptOf(
  id: string,
  o: {
    name: string;
    phase?: string;
    chroot?: boolean;
    interpreter: string;
    body: string;
    network?: boolean;
    log?: string;
    kiwiEnv?: ScriptRun['kiwiEnv'];
  },
  defaults: { phase: string; chroot: boolean },
): Pick<
  ScriptRun,
  'id' | 'name' | 'phase' | 'chroot' | 'interpreter' | 'body' | 'network' | 'log' | 'kiwiEnv'
> {
  return {
    id,
    name: o.name,
    phase: o.phase ?? defaults.phase,
    chroot: o.chroot ?? defaults.chroot,
    interpreter: o.interpreter,
    body: o.body,
    ...(o.network !== undefined ? { network: o.network } : {}),
    ...(o.log ? { log: o.log } : {}),
    ...(o.kiwiEnv ? { kiwiEnv: o.kiwiEnv } : {}),
  };
}

export async function runScriptFile(run: ScriptRun): Promise<void> {
  const env: Record<string, string> = {
    IMGC_PHASE: run.phase,
    IMGC_SCRIPT: run.name,
    DEBIAN_FRONTEND: 'noninteractive',
    ...run.env,
  };
  const file = `imgc-script-${run.id}`;
  const log = run.log
    ? await openLog(run.chroot && run.tree ? await resolveInTree(run.tree, run.log) : run.log)
    : undefined;
  const onLine = (line: string) => {
    run.onLine(line);
    log?.write(`${line}\n`);
  };
  try {
    if (run.chroot) {
      if (!run.tree) throw new Error(`script ${run.name} runs in the image, but there is no tree`);
      const inside = await writeFileInTree(run.tree, `/tmp/${file}`, run.body, 0o755);
      await chmod(inside, 0o755);
      const tree = run.tree;
      const command = [...run.interpreter.split(/\s+/), `/tmp/${file}`];
      try {
        const chroot = (extra: Record<string, string> = {}) =>
          run.runner.chroot(tree, command, {
            env: { ...extra, ...env },
            onLine,
            network: run.network ?? false,
          });
        if (run.kiwiEnv) await withKiwiEnv(tree, run.kiwiEnv.variables, () => chroot(run.kiwiEnv!.variables));
        else await chroot();
      } finally {
        await rm(inside, { force: true });
      }
    } else {
      const outside = join(run.workDir, file);
      await mkdir(run.workDir, { recursive: true });
      await writeFile(outside, run.body, { mode: 0o755 });
      const [command, ...args] = run.interpreter.split(/\s+/);
      try {
        await run.runner.run(command!, [...args, outside], {
          env: run.tree ? { ...env, IMGC_ROOT: run.tree, BUILDROOT: run.tree } : env,
          onLine,
          ...(run.cwd ? { cwd: run.cwd } : {}),
        });
      } finally {
        await rm(outside, { force: true });
      }
    }
  } finally {
    if (log) await new Promise<void>((done) => log.end(done));
  }
}

async function openLog(path: string) {
  await mkdir(dirname(path), { recursive: true });
  const stream = createWriteStream(path, { flags: 'a' });
  stream.on('error', () => {});
  return stream;
}

/**
 * What a script's non-zero exit means for the build: a StepError (IMGC7019) that points at the
 * script, or with `onError: ignore` a warning and nothing thrown. Other errors pass through.
 */
export function scriptFailure(
  e: unknown,
  script: { name: string; onError: 'fail' | 'ignore' },
  pointer: string | undefined,
  report: (d: Diagnostic) => void,
): void {
  if (!(e instanceof CommandError)) throw e;
  const d = diag(buildCodes.scriptFailed, { name: script.name, code: e.exitCode ?? -1 });
  if (script.onError === 'ignore') {
    report({ ...d, severity: 'warning', ...(pointer !== undefined ? { pointer } : {}) });
    return;
  }
  throw new StepError(d, e.message);
}
