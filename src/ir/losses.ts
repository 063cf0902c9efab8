import { escapeToken, matchesPattern, parsePointer } from './pointer.js';

/**
 * The parts of `value` that no capability pattern covers, as JSON Pointers. A subtree that
 * no pattern can reach is reported once, at its root (each item, for a list), rather than
 * leaf by leaf.
 */
export function uncoveredPointers(value: unknown, capabilities: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (node: unknown, ptr: string) => {
    if (node === undefined) return;
    if (ptr !== '' && !capabilities.some((c) => mayReach(ptr, c))) {
      // list items are reported one by one: each has its own source line
      if (Array.isArray(node)) {
        for (const [i, item] of node.entries()) if (!isEmpty(item)) out.push(`${ptr}/${i}`);
      } else if (!isEmpty(node)) out.push(ptr);
      return;
    }
    if (Array.isArray(node)) {
      for (const [i, child] of node.entries()) walk(child, `${ptr}/${i}`);
    } else if (node !== null && typeof node === 'object')
      for (const [k, child] of Object.entries(node as Record<string, unknown>))
        walk(child, `${ptr}/${escapeToken(k)}`);
    else if (!capabilities.some((c) => matchesPattern(ptr, c))) out.push(ptr);
  };
  walk(value, '');
  return out;
}

/** Can `pattern` match `ptr` or something below it? */
export function mayReach(ptr: string, pattern: string): boolean {
  const p = parsePointer(ptr);
  const q = parsePointer(pattern);
  for (let i = 0; i < p.length; i++) {
    const t = q[i];
    if (t === undefined) return false;
    if (t === '**') return true;
    if (t !== '*' && t !== p[i]) return false;
  }
  return true;
}

function isEmpty(v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 0;
  if (v !== null && typeof v === 'object')
    return Object.values(v).every((x) => x === undefined || isEmpty(x));
  return false;
}
