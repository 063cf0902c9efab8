/**
 * What a backend plugin's answers may make imgc do on the host. A plugin is trusted to run its
 * own steps, but values it returns become host paths (the package cache is
 * `<cache>/packages/<backend>/<suite>-<architecture>`) and the steps it plans are executed by
 * whoever the plan names: a plugin that could plan `write-files` or a host `run-script` would
 * have imgc write where the plugin says. So the distribution's names must be plain path
 * components, and a plugin plans only package steps of types it executes itself.
 */
import type { ResolvedDistribution } from '../backends/contract.js';
import type { StepDraft, StepType } from '../plan/steps.js';

const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._+~-]*$/;

export function unsafeDistributionField(
  d: ResolvedDistribution,
): { field: string; value: string } | undefined {
  for (const field of ['id', 'release', 'suite', 'architecture', 'versionId'] as const) {
    const value = d[field];
    if (value === undefined && field === 'versionId') continue;
    if (typeof value !== 'string' || !PLAIN_NAME.test(value) || value.length > 128)
      return { field, value: String(value) };
  }
  return undefined;
}

/** Why a planned step is refused, or undefined when it is one the plugin may plan. */
export function refusedDraft(
  draft: StepDraft,
  allowed: readonly StepType[],
  executes: readonly StepType[],
): string | undefined {
  if (!allowed.includes(draft.type)) return `only ${allowed.join(' or ')} may be planned here`;
  if (!executes.includes(draft.type))
    return 'the plugin does not list it in describe.executes, so imgc would run it';
  if (draft.executor !== undefined) return 'a plugin cannot choose who executes a step';
  return undefined;
}
