import type { ImageIR, Profile, ProfileOverlay } from './schema.js';

/** Active profiles in application order: each after the profiles it requires, each once. */
export function resolveActiveProfiles(ir: ImageIR, chosen: readonly string[] = ir.activeProfiles): Profile[] {
  const byName = new Map(ir.profiles.map((p) => [p.name, p]));
  const out: Profile[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const p = byName.get(name);
    if (!p) return;
    for (const r of p.requires ?? []) visit(r);
    out.push(p);
  };
  for (const name of chosen) visit(name);
  return out;
}

/**
 * The image with its active profiles applied: lists append, objects merge key by key,
 * scalars replace. The result has no profiles left, so merging twice changes nothing.
 */
export function mergeProfiles(ir: ImageIR): ImageIR {
  let merged: ImageIR = structuredClone(ir);
  for (const profile of resolveActiveProfiles(ir)) merged = applyOverlay(merged, profile.overlay);
  merged.profiles = [];
  merged.activeProfiles = [];
  return merged;
}

export function applyOverlay(ir: ImageIR, overlay: ProfileOverlay): ImageIR {
  return deepMerge(ir, overlay) as ImageIR;
}

function deepMerge(base: unknown, add: unknown): unknown {
  if (add === undefined) return base;
  if (Array.isArray(base) && Array.isArray(add)) return [...base, ...structuredClone(add)];
  if (isObject(base) && isObject(add)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(add)) out[k] = deepMerge(base[k], v);
    return out;
  }
  return structuredClone(add);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
