/** The core `run-script` step: a definition's script, in the image (chroot) or on the host. */
import type { StepContext } from '../backends/contract.js';
import type { PlanStep, StepOptions } from '../plan/steps.js';
import { runScriptFile, scriptFailure } from './scripts.js';

export async function runScript(step: PlanStep, context: StepContext): Promise<void> {
  const o = step.options as StepOptions<'run-script'>;
  try {
    await runScriptFile({
      id: step.id,
      name: o.name,
      phase: o.phase,
      chroot: o.chroot,
      interpreter: o.interpreter,
      body: o.body,
      network: o.network,
      ...(o.log ? { log: o.log } : {}),
      tree: context.tree,
      workDir: context.workDir,
      runner: context.runner,
      onLine: (line) => context.progress.log(line),
    });
  } catch (e) {
    scriptFailure(e, o, step.origin[0], context.report);
  }
}
