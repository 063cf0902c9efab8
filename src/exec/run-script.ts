/** The core `run-script` step: a definition's script, in the image (chroot) or on the host. */
import { chmod, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StepContext } from '../backends/contract.js';
import { buildCodes } from '../diagnostics/codes/build.js';
import { diag } from '../diagnostics/define.js';
import type { PlanStep, StepOptions } from '../plan/steps.js';
import { CommandError } from './runner.js';
import { StepError } from './step-error.js';

export async function runScript(step: PlanStep, context: StepContext): Promise<void> {
  const o = step.options as StepOptions<'run-script'>;
  const env = { IMGC_PHASE: o.phase, IMGC_SCRIPT: o.name, DEBIAN_FRONTEND: 'noninteractive' };
  const onLine = (line: string) => context.progress.log(line);
  const file = `imgc-script-${step.id}`;
  try {
    if (o.chroot) {
      const inside = join(context.tree, 'tmp', file);
      await writeFile(inside, o.body);
      await chmod(inside, 0o755);
      try {
        await context.runner.chroot(context.tree, [o.interpreter, `/tmp/${file}`], {
          env,
          onLine,
          network: o.network,
        });
      } finally {
        await rm(inside, { force: true });
      }
    } else {
      const outside = join(context.workDir, file);
      await writeFile(outside, o.body, { mode: 0o755 });
      await context.runner.run(o.interpreter, [outside], {
        env: { ...env, IMGC_ROOT: context.tree, BUILDROOT: context.tree },
        onLine,
      });
    }
  } catch (e) {
    if (!(e instanceof CommandError)) throw e;
    const d = diag(buildCodes.scriptFailed, { name: o.name, code: e.exitCode ?? -1 });
    if (o.onError === 'ignore') {
      context.report({ ...d, severity: 'warning', pointer: step.origin[0] });
      return;
    }
    throw new StepError(d, e.message);
  }
}
