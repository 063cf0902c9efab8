import type { CodeDef } from '../../diagnostics/define.js';
import type { Diagnostic } from '../../diagnostics/types.js';

/** A disk assembly failure carrying its catalogue diagnostic, so the executor can report it as is. */
export class DiskError extends Error {
  readonly diagnostic: Diagnostic;
  constructor(diagnostic: Diagnostic) {
    super(diagnostic.message);
    this.name = 'DiskError';
    this.diagnostic = { ...diagnostic, source: diagnostic.source ?? 'output:disk' };
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
