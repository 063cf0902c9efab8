/**
 * A KIWI script written into another format: the target has no `/.kconfig` or `/.profile`, so
 * a script that uses them gets imgc's helper functions and the `kiwi_*` variables written at
 * its top (IMGC6020); where the target runs the script outside the image, they cannot go
 * with it and the loss names what the script uses (IMGC6021).
 */
import { translateCodes } from '../../diagnostics/codes/translate.js';
import { diag } from '../../diagnostics/define.js';
import type { Diagnostic } from '../../diagnostics/types.js';
import {
  inlineKiwiEnv,
  type KiwiEnvUsage,
  kiwiEnvUsage,
  kiwiProfileVariables,
  usesKiwiEnv,
} from '../../ir/kiwi-script-env/index.js';
import type { ImageIR } from '../../ir/schema.js';

export interface ScriptForTarget {
  body: string;
  diagnostics: Diagnostic[];
}

/** What the script uses, for a message: `sources /.kconfig; calls a, b; reads $kiwi_x`. */
export function describeUsage(u: KiwiEnvUsage): string {
  const sourced = [u.sourcesKconfig ? '/.kconfig' : '', u.sourcesProfile ? '/.profile' : ''].filter(Boolean);
  return [
    sourced.length ? `sources ${sourced.join(' and ')}` : '',
    u.functions.length ? `calls ${u.functions.map((f) => f.name).join(', ')}` : '',
    u.variables.length ? `reads ${u.variables.map((v) => `$${v.name}`).join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

/**
 * The body to write for the script at `index`: unchanged when it does not use KIWI's script
 * environment; with the environment inlined when it runs inside the image in the target;
 * unchanged with a reported loss when `outside` says why it cannot carry it.
 */
export function scriptForTarget(
  ir: ImageIR,
  index: number,
  body: string,
  target: string,
  outside?: string,
): ScriptForTarget {
  const usage = kiwiEnvUsage(body);
  if (!usesKiwiEnv(usage)) return { body, diagnostics: [] };
  const pointer = `/scripts/${index}`;
  const script = ir.scripts[index]?.name ?? `script ${index + 1}`;
  const uses = describeUsage(usage);
  if (outside !== undefined)
    return {
      body,
      diagnostics: [
        diag(translateCodes.kiwiEnvLost, { target, script, uses, why: outside }, {}, { pointer }),
      ],
    };
  const inlined = inlineKiwiEnv(body, kiwiProfileVariables(ir));
  const diagnostics = [diag(translateCodes.kiwiEnvInlined, { target, script, uses }, {}, { pointer })];
  if (inlined.unrewritten.length)
    diagnostics.push(
      diag(
        translateCodes.kiwiEnvSourceKept,
        { target, script, lines: inlined.unrewritten.join(', ') },
        {},
        { pointer: `${pointer}/body` },
      ),
    );
  return { body: inlined.body, diagnostics };
}

/** The loss for a target that cannot write the script at all, naming what it used of KIWI's environment. */
export function kiwiEnvLoss(
  ir: ImageIR,
  index: number,
  body: string | undefined,
  target: string,
  why: string,
) {
  return scriptForTarget(ir, index, body ?? '', target, why).diagnostics;
}
