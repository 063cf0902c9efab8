import type { ImageIR } from './schema.js';

/**
 * The canonical form of an IR: undefined properties and empty optional objects removed,
 * so that two IRs that mean the same thing compare equal with a deep equality check.
 * The order of lists is meaningful and kept.
 */
export function normalizeIr(ir: ImageIR): ImageIR {
  return prune(ir) as ImageIR;
}

/** Objects the schema requires even when empty. */
const KEEP_WHEN_EMPTY = new Set([
  'distribution',
  'packages',
  'system',
  'services',
  'kernel',
  'accounts',
  'extensions',
  'overlay',
]);

function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (child === undefined) continue;
    const pruned = prune(child);
    if (isEmptyObject(pruned) && !KEEP_WHEN_EMPTY.has(key)) continue;
    out[key] = pruned;
  }
  return out;
}

function isEmptyObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;
}
