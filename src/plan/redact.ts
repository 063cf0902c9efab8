/**
 * A plan as it may be shown (`imgc plan --json`, the plan text): passwords, hashes and
 * secrets in generated files replaced by a marker. Step ids are kept: they were hashed from
 * the real values, so a changed password still changes the plan.
 */
import { redactValue } from '../diagnostics/redact.js';

export function redactPlan<T>(plan: T): T {
  return redactValue(plan);
}
