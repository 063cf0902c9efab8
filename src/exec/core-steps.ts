/**
 * The step types the core runs, registered by kind: the tree steps no backend owns, every
 * output (src/outputs/registry.ts) and the host script phases (disk, post-output, clean).
 * Error scripts are not here: they run only after a failure, with their own rules.
 */
import { makeInitrd } from '../outputs/initrd/index.js';
import { outputRuntimes } from '../outputs/registry.js';
import { installFirstBoot } from './first-boot.js';
import { runScript } from './run-script.js';
import { runScriptFile, scriptFailure, scriptOf } from './scripts.js';
import { defineStep, StepRuntimes } from './step-runtime.js';
import { writeFiles } from './write-files.js';

const treeRuntimes = [
  defineStep('tree', ['write-files'], writeFiles),
  defineStep('tree', ['run-script'], runScript),
  defineStep('tree', ['first-boot-script'], installFirstBoot),
  defineStep('tree', ['make-initrd'], makeInitrd),
];

/**
 * A definition's script that runs on the host (a chroot disk script in the tree): a failure
 * fails the step unless the script says onError ignore.
 */
const hostScriptStep = defineStep(
  'script',
  ['disk-script', 'post-output-script', 'clean-script'],
  async (step, context) => {
    const o = step.options;
    const inTree = step.type === 'disk-script';
    const chroot = step.type === 'disk-script' && step.options.chroot;
    const phase = step.type === 'disk-script' ? step.options.phase : step.type.replace(/-script$/, '');
    try {
      await runScriptFile({
        ...scriptOf(step.id, o, { phase, chroot }),
        ...(inTree ? { tree: context.tree } : {}),
        workDir: context.workDir,
        env: context.env,
        // KIWI runs its host disk hooks (editbootconfig, editbootinstall) in the image root folder
        ...(inTree && !chroot ? { cwd: context.tree } : {}),
        runner: context.runner,
        onLine: (line) => context.progress.log(line),
      });
    } catch (e) {
      scriptFailure(e, o, step.origin[0], context.report);
    }
  },
);

/** A registry with every step type the core runs. */
export function coreStepRuntimes(): StepRuntimes {
  return new StepRuntimes([...treeRuntimes, ...outputRuntimes, hostScriptStep]);
}
