/**
 * The output phase as a graph: each unit (a pre-disk script, or an output with the disk
 * scripts chained to it) starts once the units it waits for are done, at most `jobs` at a
 * time, in run order when several are ready. The first failure starts nothing new and stops
 * the running units; it is thrown once every started unit has settled, so nothing is still
 * writing when the caller cleans up.
 */
import { availableParallelism } from 'node:os';

export interface ScheduledUnit {
  id: string;
  /** ids of other units that must be done first */
  waitsFor: readonly string[];
}

/** Why a unit ended: done, the failure it threw, or stopped because another unit failed. */
export type UnitEnd = { ok: true } | { ok: false; error: unknown; stoppedBy?: string };

/** One job per CPU: outputs are mostly one busy process each (mkfs.ext4 -d, xorriso, objcopy). */
export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

export async function runUnits<U extends ScheduledUnit>(
  units: readonly U[],
  jobs: number,
  run: (unit: U) => Promise<void>,
  /** called once, with the first failure: stop what still runs */
  stop: (failed: U, error: unknown) => void,
  /** each unit's end, in the order they end */
  onEnd: (unit: U, end: UnitEnd) => void = () => {},
): Promise<void> {
  const known = new Set(units.map((u) => u.id));
  const pending = [...units];
  const done = new Set<string>();
  const running = new Map<string, Promise<void>>();
  let failure: { unit: U; error: unknown } | undefined;
  const ready = (u: U) => u.waitsFor.every((w) => done.has(w) || !known.has(w));
  while (pending.length || running.size) {
    while (!failure && running.size < Math.max(1, jobs)) {
      const k = pending.findIndex(ready);
      if (k < 0) break;
      const unit = pending.splice(k, 1)[0]!;
      const settle = run(unit).then(
        () => {
          done.add(unit.id);
          onEnd(unit, { ok: true });
        },
        (error: unknown) => {
          if (failure) onEnd(unit, { ok: false, error, stoppedBy: failure.unit.id });
          else {
            failure = { unit, error };
            onEnd(unit, { ok: false, error });
            stop(unit, error);
          }
        },
      );
      running.set(
        unit.id,
        settle.finally(() => running.delete(unit.id)),
      );
    }
    if (failure && !running.size) break;
    if (!running.size) {
      const stuck = pending.map((u) => u.id).join(', ');
      throw new Error(`output steps wait for each other and none can start: ${stuck}`);
    }
    await Promise.race(running.values());
  }
  if (failure) throw failure.error;
}

/** Every unit `id` waits for, directly or through others. */
export function ancestorsOf(units: readonly ScheduledUnit[], id: string): Set<string> {
  const byId = new Map(units.map((u) => [u.id, u]));
  const seen = new Set<string>();
  const visit = (u: string) => {
    for (const w of byId.get(u)?.waitsFor ?? []) {
      if (seen.has(w)) continue;
      seen.add(w);
      visit(w);
    }
  };
  visit(id);
  return seen;
}
