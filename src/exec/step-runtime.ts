/**
 * The step runtime contract: whatever runs a step type in the core (a tree step, an output,
 * a script phase) registers `{ stepTypes, run(step, context) }` here, and the executor looks
 * the runtime up by the step's type instead of branching on it. A backend runs its own step
 * types through `Backend.execute`; everything else comes from this registry.
 */
import type { StepContext } from '../backends/contract.js';
import { isStepOf, type PlanStep, type StepType } from '../plan/steps.js';

/** What an output step gets besides the tree: where to write, and what it may do with the tree. */
export interface OutputContext extends StepContext {
  /** the temporary path of the output; it is renamed to `final` once every output is written */
  dest: string;
  /** where the output ends up */
  final: string;
  /** the temporary path of a file written beside the output, named `name` in the output folder */
  extra(name: string): string;
  /** the last output may take the tree itself instead of a copy */
  mayMove: boolean;
  /**
   * A file several outputs of this build need alike (the live squashfs of iso and pxe): `make`
   * writes it once, for the first output that asks, in the workspace; the others wait for it.
   * Outputs hard-link or copy it and must not change it.
   */
  sharedFile(key: string, make: (path: string) => Promise<void>): Promise<string>;
  /** the disk scripts chained to this output, and how one runs (with its events) */
  diskScripts: {
    steps: PlanStep<'disk-script'>[];
    run(step: PlanStep<'disk-script'>, env: Record<string, string>): Promise<void>;
  };
}

/** The environment a host script step gets (output folder, outputs, failure) beyond its own. */
export interface ScriptContext extends StepContext {
  env: Record<string, string>;
}

export interface RuntimeContexts {
  tree: StepContext;
  output: OutputContext;
  script: ScriptContext;
}
export type RuntimeKind = keyof RuntimeContexts;

export interface StepRuntime<K extends RuntimeKind = RuntimeKind, T extends StepType = StepType> {
  kind: K;
  stepTypes: ReadonlySet<T>;
  run(step: PlanStep<T>, context: RuntimeContexts[K]): Promise<void>;
}

export function defineStep<K extends RuntimeKind, T extends StepType>(
  kind: K,
  stepTypes: readonly T[],
  run: (step: PlanStep<T>, context: RuntimeContexts[K]) => Promise<void>,
): StepRuntime<K, T> {
  return { kind, stepTypes: new Set(stepTypes), run };
}

export class StepRuntimes {
  private readonly runtimes: StepRuntime[] = [];

  constructor(runtimes: readonly StepRuntime[] = []) {
    for (const r of runtimes) this.add(r);
  }

  add<K extends RuntimeKind, T extends StepType>(runtime: StepRuntime<K, T>): void {
    const taken = [...runtime.stepTypes].filter((t) => this.runtimes.some((r) => r.stepTypes.has(t)));
    if (taken.length) throw new Error(`step types registered twice: ${taken.join(', ')}`);
    this.runtimes.push(runtime);
  }

  has(type: StepType): boolean {
    return this.runtimes.some((r) => r.stepTypes.has(type));
  }

  /** Runs the step with the runtime of its type, which must be of the kind the caller provides. */
  async run<K extends RuntimeKind>(kind: K, step: PlanStep, context: RuntimeContexts[K]): Promise<void> {
    const runtime = this.runtimes.find(
      (r): r is StepRuntime<K> => r.kind === kind && isStepOf(step, r.stepTypes),
    );
    if (!runtime) throw new Error(`no ${kind} runtime for ${step.type} steps`);
    return runtime.run(step, context);
  }
}
