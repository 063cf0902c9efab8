/**
 * A plan pinned to a lock file: each package step carries the locked set in its settings
 * (`locked`: name=version, `lockedFiles`: sha256 size url per package) for the backend to
 * install exactly that, and every step id is hashed again so a tree cached from an unpinned
 * build is never taken for a locked one.
 */
import { stepId } from './hash.js';
import type { LockFile } from './lock-file.js';
import { type BuildPlan, PACKAGE_STEP_TYPES, type PlanStep } from './steps.js';

const installing = new Set<string>(['bootstrap', 'install-packages']);

export function pinnedToLock(plan: BuildPlan, lock: LockFile): BuildPlan {
  const locked = lock.packages.map((p) => `${p.name}:${p.architecture}=${p.version}`);
  const lockedFiles = lock.packages.map((p) => `${p.sha256} ${p.size} ${p.url}`);
  const renamed = new Map<string, string>();
  const steps = plan.steps.map((s) => {
    const options =
      installing.has(s.type) && (PACKAGE_STEP_TYPES as readonly string[]).includes(s.type)
        ? {
            ...s.options,
            settings: { ...(s.options as { settings?: object }).settings, locked, lockedFiles },
          }
        : s.options;
    const inputs = s.inputs.map((i) => renamed.get(i) ?? i);
    const after = s.after?.map((i) => renamed.get(i) ?? i);
    const id = stepId(s.type, options, inputs, after);
    renamed.set(s.id, id);
    return { ...s, id, inputs, ...(after ? { after } : {}), options } as PlanStep;
  });
  return { ...plan, steps };
}
