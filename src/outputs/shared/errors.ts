import { StepError } from '../../backends/contract.js';
import type { CodeDef } from '../../diagnostics/define.js';

/** An output assembly failure carrying its catalogue diagnostic; the executor reports it as is. */
export class OutputError extends StepError {
  // biome-ignore lint/suspicious/noExplicitAny: catalogue entries take parameters of any shape
  constructor(code: CodeDef<any>, params: unknown, source: string) {
    const hint = typeof code.hint === 'function' ? code.hint(params) : code.hint;
    super({
      code: code.code,
      severity: code.severity,
      message: code.message(params),
      source,
      ...(hint ? { hint } : {}),
    });
    this.name = 'OutputError';
  }
}

export function outputError<P>(def: CodeDef<P>, params: P, output = 'output'): OutputError {
  return new OutputError(def, params, `output:${output}`);
}
