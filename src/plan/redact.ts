/**
 * A plan as it may be shown (`imgc plan --json`, the plan text): passwords, hashes and
 * secrets in generated files replaced by a marker. Step ids are kept: they were hashed from
 * the real values, so a changed password still changes the plan.
 */
import { REDACTED, redactSecrets } from '../diagnostics/redact.js';

const SECRET_KEYS = /^(password|passwd|passphrase|secret|plain|hash|proxyPassword|proxy_password)$/i;

export function redactPlan<T>(plan: T): T {
  return redact(plan, false) as T;
}

function redact(value: unknown, inSecret: boolean): unknown {
  if (typeof value === 'string') return inSecret ? REDACTED : redactSecrets(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, inSecret));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redact(v, inSecret || secretKey(k, value));
    return out;
  }
  return value;
}

/** `plain` and `hash` are secrets inside a password object only; a step's own hash fields are not. */
function secretKey(key: string, owner: object): boolean {
  if (key === 'plain' || key === 'hash')
    return 'plain' in owner || 'hash' in owner ? isPasswordLike(owner) : false;
  return SECRET_KEYS.test(key);
}

function isPasswordLike(owner: object): boolean {
  return Object.keys(owner).every((k) => ['plain', 'hash', 'locked', 'empty', 'forceChange'].includes(k));
}
