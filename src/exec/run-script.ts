/** The core `run-script` step: a definition's script, in the image (chroot) or on the host. */
import type { StepContext } from '../backends/contract.js';
import type { PlanStep } from '../plan/steps.js';
import { runScriptFile, scriptFailure, scriptOf } from './scripts.js';

export async function runScript(step: PlanStep<'run-script'>, context: StepContext): Promise<void> {
  const o = step.options;
  try {
    await runScriptFile({
      ...scriptOf(step.id, o, { phase: o.phase, chroot: o.chroot }),
      tree: context.tree,
      workDir: context.workDir,
      runner: context.runner,
      onLine: (line) => context.progress.log(line),
    });
  } catch (e) {
    scriptFailure(e, o, step.origin[0], context.report);
  }
}
