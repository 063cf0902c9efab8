import { coreCodes } from './codes/core.js';
import { diag } from './define.js';
import { type Diagnostic, hasErrors } from './types.js';

/**
 * The first `limit` diagnostics and IMGC1054 counting the rest: 200,000 syntax errors, or a
 * loss per line of a 34,000-line file, print nothing useful and cost seconds to render.
 */
export function capDiagnostics(diagnostics: readonly Diagnostic[], limit: number): Diagnostic[] {
  if (diagnostics.length <= limit) return [...diagnostics];
  const rest = diagnostics.slice(limit);
  const errors = rest.filter((d) => d.severity === 'error').length;
  const shown = diagnostics.slice(0, limit);
  // the errors left out must still fail the command
  const severity = errors > 0 && !hasErrors(shown) ? 'error' : 'info';
  const summary = diag(coreCodes.diagnosticsCapped, { shown: limit, more: rest.length, errors }, undefined, {
    severity,
  });
  return [...shown, summary];
}
