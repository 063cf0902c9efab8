/**
 * The core `first-boot-script` step: installs the script and a oneshot systemd unit that runs
 * it once, on the first boot of the image, enabled through a multi-user.target.wants link.
 *
 * "Once" is a state directory, not ConditionFirstBoot=: the finalize step empties
 * /etc/machine-id, and systemd treats an empty machine-id as "not the first boot" (only a
 * missing file or "uninitialized" is), and an IR may fix the machine id. The unit carries
 * `ConditionPathExists=!/var/lib/imgc/first-boot/<stem>` and `StateDirectory=` for that
 * path, which systemd creates when the unit starts: the script is attempted once, whether it
 * succeeds or not, and needs no tool of the image to record it. Remove the folder to run it
 * again.
 */
import { existsSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { basename, posix } from 'node:path';
import type { StepContext } from '../backends/contract.js';
import { scriptCodes } from '../diagnostics/codes/scripts.js';
import { diag } from '../diagnostics/define.js';
import { FIRST_BOOT_STATE } from '../plan/script-steps.js';
import type { PlanStep, StepOptions } from '../plan/steps.js';
import { mkdirInTree, symlinkInTree, writeFileInTree } from './tree-path.js';
import { inTree } from './write-files.js';

type Options = StepOptions<'first-boot-script'>;

export const UNIT_DIR = '/etc/systemd/system';
export const WANTED_BY = 'multi-user.target';

/** `%` starts a specifier in unit files; quotes and backslashes end a quoted word. */
const unitText = (value: string) => value.replace(/[\r\n]+/g, ' ').replace(/%/g, '%%');
const quoted = (value: string) => `"${unitText(value).replace(/["\\]/g, '\\$&')}"`;

/** The stem shared by the script file, the unit and the state folder: `NN-name`. */
export function firstBootStem(o: Pick<Options, 'path'>): string {
  return basename(o.path);
}

/** The unit file's text. */
export function firstBootUnit(o: Options): string {
  const stem = firstBootStem(o);
  const state = `${FIRST_BOOT_STATE}/${stem}`;
  const after = [...(o.network ? ['network-online.target'] : []), ...o.after];
  const lines = [
    `# Written by imgc for the first-boot script ${unitText(o.name)} of the definition.`,
    `# It runs once: remove ${state} to run it again.`,
    '[Unit]',
    `Description=imgc first-boot script ${unitText(o.name)}`,
    `ConditionPathExists=!${state}`,
    ...(o.network ? ['Wants=network-online.target'] : []),
    ...(after.length ? [`After=${after.join(' ')}`] : []),
    '',
    '[Service]',
    'Type=oneshot',
    'RemainAfterExit=yes',
    `StateDirectory=${state.replace('/var/lib/', '')}`,
    `Environment=${quoted('IMGC_PHASE=first-boot')} ${quoted(`IMGC_SCRIPT=${o.name}`)}`,
    // "-": a failure is logged and the unit still succeeds, so the boot is not degraded
    `ExecStart=${o.onError === 'ignore' ? '-' : ''}${o.interpreter} ${o.path}`,
    o.log ? `StandardOutput=append:${o.log}` : 'StandardOutput=journal+console',
    'StandardError=inherit',
    'TimeoutStartSec=infinity',
    '',
    '[Install]',
    `WantedBy=${WANTED_BY}`,
    '',
  ];
  return lines.join('\n');
}

export async function installFirstBoot(
  step: PlanStep<'first-boot-script'>,
  context: StepContext,
): Promise<void> {
  const o = step.options;
  const { tree } = context;
  await chmod(await writeFileInTree(tree, o.path, o.body, 0o755), 0o755);

  const unitPath = posix.join(UNIT_DIR, o.unit);
  await chmod(await writeFileInTree(tree, unitPath, firstBootUnit(o), 0o644), 0o644);

  // what `systemctl enable` would do: the link in the wanting target's .wants folder
  await symlinkInTree(tree, posix.join(UNIT_DIR, `${WANTED_BY}.wants`, o.unit), unitPath);

  if (o.log) await mkdirInTree(tree, posix.dirname(posix.join('/', o.log)));

  const warn = (reason: string) =>
    context.report(
      diag(scriptCodes.firstBootUnrunnable, { script: o.name, reason }, {}, { pointer: step.origin[0] }),
    );
  const has = (...paths: string[]) => paths.some((p) => existsSync(inTree(tree, p)));
  if (!has('usr/lib/systemd/systemd', 'lib/systemd/systemd'))
    warn(`the image has no systemd, so nothing starts ${o.unit}`);
  const interpreter = o.interpreter.split(/\s+/)[0]!;
  if (interpreter.startsWith('/') && !has(interpreter))
    warn(`its interpreter ${interpreter} is not in the image`);
}
