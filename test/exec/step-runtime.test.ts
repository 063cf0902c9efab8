/** The step runtime registry: every step type has exactly one runner, found by kind and type. */
import { describe, expect, it } from 'vitest';
import { FAMILY_STEP_TYPES } from '../../src/backends/common/configure.js';
import type { StepContext } from '../../src/backends/contract.js';
import { coreStepRuntimes } from '../../src/exec/core-steps.js';
import { defineStep, StepRuntimes } from '../../src/exec/step-runtime.js';
import type { PlanStep } from '../../src/plan/steps.js';
import { stepTypes } from '../../src/plan/steps.js';

const step = (type: string, options: Record<string, unknown> = {}) =>
  ({
    id: '0',
    type,
    title: type,
    executor: 'core',
    inputs: [],
    options,
    origin: [],
    cache: false,
  }) as unknown as PlanStep;

describe('step runtimes', () => {
  it('cover every step type: the core registry, a family backend, or the failure path (error scripts)', () => {
    const core = coreStepRuntimes();
    const family: readonly string[] = FAMILY_STEP_TYPES;
    const orphans = stepTypes.filter((t) => !core.has(t) && !family.includes(t) && t !== 'error-script');
    expect(orphans).toEqual([]);
    // and the core does not also claim what the backends run
    expect(stepTypes.filter((t) => core.has(t) && family.includes(t))).toEqual([]);
  });

  it('refuse a step type registered twice', () => {
    const noop = async () => {};
    const registry = new StepRuntimes([defineStep('output', ['output-tar'], noop)]);
    expect(() => registry.add(defineStep('output', ['output-cpio', 'output-tar'], noop))).toThrow(
      /output-tar/,
    );
  });

  it('run the runtime of the step type, and only for the kind it was registered as', async () => {
    const ran: string[] = [];
    const registry = new StepRuntimes([
      defineStep('tree', ['write-files'], async (s) => {
        ran.push(`tree ${s.options.entries.length}`);
      }),
    ]);
    const context = {} as StepContext;
    await registry.run('tree', step('write-files', { entries: [] }), context);
    expect(ran).toEqual(['tree 0']);
    await expect(registry.run('tree', step('run-script'), context)).rejects.toThrow(
      /no tree runtime for run-script/,
    );
    await expect(registry.run('script', step('write-files'), { ...context, env: {} })).rejects.toThrow(
      /no script runtime/,
    );
  });
});
