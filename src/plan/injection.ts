/**
 * Values that would inject lines into generated config files or options into package-manager
 * command lines (IMGC1040, IMGC1042) and output names that are paths (IMGC1043), refused at
 * plan time too. Paths with `..` are left to
 * the readers (IMGC1041): every write of a build is confined to the tree regardless.
 */
import { coreCodes } from '../diagnostics/codes/core.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';
import type { ImageIR } from '../ir/schema.js';
import { unsafeValues } from '../ir/unsafe-values.js';

export function injectionDiagnostics(ir: ImageIR): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const { pointer, kind, value } of unsafeValues(ir)) {
    if (kind === 'not-a-file-name')
      found.push(diag(coreCodes.outputNameIsPath, { pointer, name: value }, {}, { pointer }));
    if (kind === 'option-like-name')
      found.push(diag(coreCodes.optionLikeName, { pointer, name: value }, {}, { pointer }));
    if (kind === 'control-character') {
      const shown = /password|secret/i.test(pointer) ? '(a secret, not shown)' : JSON.stringify(value);
      found.push(diag(coreCodes.controlCharacter, { pointer, shown }, {}, { pointer }));
    }
  }
  return found;
}
