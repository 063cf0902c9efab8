import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ancestorsOf, defaultJobs, runUnits, type ScheduledUnit } from '../../src/exec/output-schedule.js';

/** A unit the test finishes by hand, recording when it started. */
function gated(ids: string[], waits: Record<string, string[]> = {}) {
  const units: ScheduledUnit[] = ids.map((id) => ({ id, waitsFor: waits[id] ?? [] }));
  const started: string[] = [];
  const finish = new Map<string, { ok: () => void; fail: (e: Error) => void }>();
  const run = (u: ScheduledUnit) =>
    new Promise<void>((ok, fail) => {
      started.push(u.id);
      finish.set(u.id, { ok, fail });
    });
  return { units, started, finish, run };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('runUnits', () => {
  it('starts independent units side by side up to the limit, the next as soon as one ends', async () => {
    const g = gated(['a', 'b', 'c', 'd']);
    const all = runUnits(g.units, 2, g.run, () => {});
    await tick();
    expect(g.started).toEqual(['a', 'b']);
    g.finish.get('b')!.ok();
    await tick();
    expect(g.started).toEqual(['a', 'b', 'c']);
    g.finish.get('a')!.ok();
    await tick();
    expect(g.started).toEqual(['a', 'b', 'c', 'd']);
    g.finish.get('c')!.ok();
    g.finish.get('d')!.ok();
    await all;
  });

  it('starts a unit only when what it waits for is done, in run order among the ready ones', async () => {
    const g = gated(['read1', 'read2', 'move'], { move: ['read1', 'read2'] });
    const all = runUnits(g.units, 4, g.run, () => {});
    await tick();
    expect(g.started).toEqual(['read1', 'read2']);
    g.finish.get('read1')!.ok();
    await tick();
    expect(g.started).toEqual(['read1', 'read2']);
    g.finish.get('read2')!.ok();
    await tick();
    expect(g.started).toEqual(['read1', 'read2', 'move']);
    g.finish.get('move')!.ok();
    await all;
  });

  it('with one job runs the units one after another in their order', async () => {
    const order: string[] = [];
    const units = ['x', 'y', 'z'].map((id) => ({ id, waitsFor: [] }));
    await runUnits(
      units,
      1,
      async (u) => {
        order.push(`start ${u.id}`);
        await tick();
        order.push(`end ${u.id}`);
      },
      () => {},
    );
    expect(order).toEqual(['start x', 'end x', 'start y', 'end y', 'start z', 'end z']);
  });

  it('on the first failure stops the others, starts nothing new and throws once all have settled', async () => {
    const g = gated(['disk', 'iso', 'pxe', 'uki']);
    const stops: string[] = [];
    const ends: string[] = [];
    const all = runUnits(
      g.units,
      3,
      g.run,
      (failed) => {
        stops.push(failed.id);
        // what a real stop does: the running units end with an abort
        g.finish.get('disk')!.fail(new Error('aborted'));
      },
      (u, end) =>
        ends.push(
          end.ok ? `${u.id} ok` : `${u.id} ${end.stoppedBy ? `stopped by ${end.stoppedBy}` : 'failed'}`,
        ),
    );
    await tick();
    expect(g.started).toEqual(['disk', 'iso', 'pxe']);
    let settled = false;
    all.catch(() => {}).finally(() => (settled = true));
    g.finish.get('iso')!.fail(new Error('xorriso failed'));
    await tick();
    expect(settled).toBe(false); // pxe still runs
    g.finish.get('pxe')!.fail(new Error('aborted'));
    await expect(all).rejects.toThrow('xorriso failed');
    expect(stops).toEqual(['iso']);
    expect(g.started).toEqual(['disk', 'iso', 'pxe']); // uki never started
    expect(ends).toEqual(['iso failed', 'disk stopped by iso', 'pxe stopped by iso']);
  });

  it('refuses units that wait for each other instead of hanging', async () => {
    const units = [
      { id: 'a', waitsFor: ['b'] },
      { id: 'b', waitsFor: ['a'] },
    ];
    await expect(
      runUnits(
        units,
        2,
        async () => {},
        () => {},
      ),
    ).rejects.toThrow(/wait for each other.*a, b/);
  });

  it('ignores waits for ids that are not units (tree steps, done before)', async () => {
    const ran: string[] = [];
    await runUnits(
      [{ id: 'a', waitsFor: ['tree'] }],
      2,
      async (u) => void ran.push(u.id),
      () => {},
    );
    expect(ran).toEqual(['a']);
  });
});

describe('ancestorsOf and defaultJobs', () => {
  it('follows waits through other units', () => {
    const units = [
      { id: 'a', waitsFor: [] },
      { id: 'b', waitsFor: ['a'] },
      { id: 'c', waitsFor: ['b'] },
      { id: 'd', waitsFor: [] },
    ];
    expect([...ancestorsOf(units, 'c')].sort()).toEqual(['a', 'b']);
    expect(ancestorsOf(units, 'd').size).toBe(0);
  });

  it('is one job per CPU', () => {
    expect(defaultJobs()).toBe(availableParallelism());
  });
});
