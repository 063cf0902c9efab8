/**
 * The epoch of a fleet job: chosen once at submit from the files the definition was read from
 * (as `imgc build` chooses it), then fixed in the job so every worker plans the same build.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackendRegistry } from '../../src/backends/registry.js';
import { planDefinition } from '../../src/fleet/plan-job.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import type { BuildPlan } from '../../src/plan/steps.js';
import { sampleDefinition } from '../boot/sample-build.js';

const finalizeEpoch = (plan: BuildPlan | undefined) =>
  (plan?.steps.find((s) => s.type === 'finalize')?.options as { sourceDateEpoch?: number } | undefined)
    ?.sourceDateEpoch;

const plan = (epoch: Parameters<typeof planDefinition>[3]['epoch']) =>
  planDefinition(new FormatRegistry(), new BackendRegistry(), sampleDefinition, {
    profiles: [],
    options: {},
    outputs: ['tar'],
    epoch,
  });

describe('the epoch of a fleet job', () => {
  it('is chosen from the definition files and makes a reproducible plan', async () => {
    const seen: string[][] = [];
    const planned = await plan((files) => {
      seen.push(files);
      return { value: 1_600_000_000, reproducible: true, diagnostics: [] };
    });
    expect(seen).toEqual([[resolve(sampleDefinition)]]);
    expect(planned.epoch).toEqual({ value: 1_600_000_000, reproducible: true });
    expect(finalizeEpoch(planned.plan)).toBe(1_600_000_000);
  });

  it('as fixed in the job plans the same steps, and no epoch in the tree when not reproducible', async () => {
    const chosen = await plan(() => ({ value: 1_600_000_000, reproducible: true, diagnostics: [] }));
    const fixed = await plan({ value: 1_600_000_000, reproducible: true });
    expect(fixed.plan!.steps.map((s) => s.id)).toEqual(chosen.plan!.steps.map((s) => s.id));
    const plain = await plan({ value: 1_600_000_000, reproducible: false });
    expect(finalizeEpoch(plain.plan)).toBeUndefined();
  });

  it('stops at an unusable epoch with its diagnostic', async () => {
    const planned = await plan(() => ({
      value: 0,
      reproducible: false,
      diagnostics: [{ code: 'IMGC7700', severity: 'error', message: 'bad epoch' }],
    }));
    expect(planned.plan).toBeUndefined();
    expect(planned.diagnostics.map((d) => d.code)).toContain('IMGC7700');
  });
});
