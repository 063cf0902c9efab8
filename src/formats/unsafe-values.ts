/** Positioned errors for the values `unsafeValues()` finds. */
import { coreCodes } from '../diagnostics/codes/core.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { type PositionTable, positionOf } from '../ir/positions.js';
import type { ImageIR } from '../ir/schema.js';
import { unsafeValues } from '../ir/unsafe-values.js';

export function unsafeValueDiagnostics(ir: ImageIR, positions: PositionTable, file: string): Diagnostic[] {
  return unsafeValues(ir).map(({ pointer, kind, value }) => {
    const at = positionOf(positions, pointer) ?? { file };
    if (kind === 'climbing-path') return diag(coreCodes.climbingPath, { pointer, path: value }, at);
    if (kind === 'option-like-name') return diag(coreCodes.optionLikeName, { pointer, name: value }, at);
    if (kind === 'not-a-file-name') return diag(coreCodes.outputNameIsPath, { pointer, name: value }, at);
    const shown = /password|secret/i.test(pointer) ? '(a secret, not shown)' : JSON.stringify(value);
    return diag(coreCodes.controlCharacter, { pointer, shown }, at);
  });
}
