/**
 * Whether a script step gets KIWI's script environment (`/.kconfig`, `/.profile` and the
 * `kiwi_*` variables in its environment) and what the build does differently from KIWI there:
 * a script that sources either file, calls a helper or reads a `kiwi_*` variable gets it, as
 * every script of a KIWI description does under KIWI. The diagnostics point at the line of
 * the call when the script's position is its own file.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { scriptCodes } from '../diagnostics/codes/scripts.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic, Location } from '../diagnostics/types.js';
import {
  HELPERS,
  kconfigText,
  kiwiEnvUsage,
  kiwiProfileVariables,
  type Use,
  usesKiwiEnv,
} from '../ir/kiwi-script-env/index.js';
import type { PositionTable } from '../ir/positions.js';
import type { ImageIR, Script } from '../ir/schema.js';
import type { StepOptions } from './steps.js';

export const KCONFIG_DIGEST = createHash('sha256').update(kconfigText()).digest('hex');

export interface KiwiEnvContext {
  ir?: ImageIR;
  positions?: PositionTable;
}

export interface KiwiEnvPlan {
  kiwiEnv?: NonNullable<StepOptions<'run-script'>['kiwiEnv']>;
  /** set when the script has no #! line and no interpreter: KIWI runs it with bash */
  interpreter?: string;
}

export function planKiwiEnv(
  s: Script,
  index: number,
  text: { name: string; body: string },
  context: KiwiEnvContext,
  diagnostics: Diagnostic[],
): KiwiEnvPlan {
  if (!context.ir) return {};
  const usage = kiwiEnvUsage(text.body);
  if (!usesKiwiEnv(usage)) return {};
  const pointer = `/scripts/${index}`;
  const at = callSite(s, pointer, context.positions);
  if (!s.chroot) {
    diagnostics.push(
      diag(scriptCodes.kiwiEnvOnHost, { script: text.name }, at(usage.functions[0]), { pointer }),
    );
    return {};
  }
  for (const use of usage.functions) {
    const helper = HELPERS[use.name]!;
    const params = { script: text.name, name: use.name, note: helper.note ?? '' };
    if (helper.fidelity === 'removed')
      diagnostics.push(diag(scriptCodes.kiwiHelperRemoved, params, at(use), { pointer }));
    else if (helper.fidelity === 'approximate' || helper.fidelity === 'internal')
      diagnostics.push(
        diag(
          scriptCodes.kiwiHelperApproximated,
          { ...params, note: helper.note ?? 'a KIWI internal: it warns and does nothing' },
          at(use),
          { pointer },
        ),
      );
  }
  const variables = kiwiProfileVariables(context.ir);
  const empty = usage.variables.filter((v) => (variables[v.name] ?? '') === '');
  if (empty.length)
    diagnostics.push(
      diag(
        scriptCodes.kiwiVariablesEmpty,
        { script: text.name, names: empty.map((v) => `$${v.name}`).join(', ') },
        at(empty[0]),
        { pointer },
      ),
    );
  const plan: KiwiEnvPlan = { kiwiEnv: { variables, kconfigDigest: KCONFIG_DIGEST } };
  if (!s.interpreter && !text.body.startsWith('#!')) {
    plan.interpreter = '/bin/bash';
    diagnostics.push(diag(scriptCodes.kiwiBash, { script: text.name }, {}, { pointer }));
  }
  return plan;
}

/** Where a use is: its line in the script file when the script's position is that file. */
function callSite(s: Script, pointer: string, positions: PositionTable | undefined) {
  const own = positions?.[pointer];
  const isFile = own && s.name !== undefined && basename(own.file) === s.name && own.line === 1;
  return (use: Use | undefined): Location =>
    isFile && use ? { file: own.file, line: use.line, column: use.column } : {};
}
