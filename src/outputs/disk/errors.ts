import { StepError } from '../../backends/contract.js';
import type { CodeDef } from '../../diagnostics/define.js';
import type { Diagnostic } from '../../diagnostics/types.js';

/** A disk assembly failure carrying its catalogue diagnostic; a StepError, so the executor reports it as is. */
export class DiskError extends StepError {
  constructor(diagnostic: Diagnostic) {
    super({ ...diagnostic, source: diagnostic.source ?? 'output:disk' });
    this.name = 'DiskError';
  }
}

export function diskError<P>(def: CodeDef<P>, params: P): DiskError {
  const hint = typeof def.hint === 'function' ? def.hint(params) : def.hint;
  return new DiskError({
    code: def.code,
    severity: def.severity,
    message: def.message(params),
    ...(hint ? { hint } : {}),
  });
}
