/** `imgc plan`: the typed build steps of a definition, without running anything and without root. */
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type BackendRegistry, localHost } from '../backends/registry.js';
import { cliCodes } from '../diagnostics/codes/cli.js';
import { diag } from '../diagnostics/define.js';
import { type Diagnostic, hasErrors } from '../diagnostics/types.js';
import { loadDefinition } from '../formats/load.js';
import type { FormatRegistry } from '../formats/registry.js';
import { appendAll } from '../input/append.js';
import type { PositionTable } from '../ir/positions.js';
import { mergeProfiles } from '../ir/profiles.js';
import type { OutputType } from '../ir/schema.js';
import { closest } from '../lib/closest.js';
import { buildableOutputs, imageName, planBuild } from '../plan/planner.js';
import type { BuildPlan, PlanStep } from '../plan/steps.js';
import { openBackends } from '../plugins/index.js';
import { type FormatFlags, formatOptionsFrom } from './options.js';
import { exitFor, type Io, printDiagnostics, printJson, shown } from './output.js';
import { chooseEpoch } from './source-date-epoch.js';

export interface PlanFlags extends FormatFlags {
  from?: string;
  profile?: string[];
  output?: string[];
  json?: boolean;
  /** plugin folders or manifests from the global --plugin */
  plugin?: string[];
  /** an imgc.config.json from the global --config, whose plugins are loaded */
  config?: string;
  /** a reproducible build with SOURCE_DATE_EPOCH from the definition's files when the environment has none */
  reproducible?: boolean;
}

export interface PreparedPlan {
  plan?: BuildPlan;
  /** the definition's clean scripts, which `imgc clean` runs */
  clean?: PlanStep[];
  /** the folder of the definition */
  sourceDir?: string;
  /** SOURCE_DATE_EPOCH of the plan, and whether the build is a reproducible one */
  epoch?: { value: number; reproducible: boolean };
  /** the image's name as its outputs are named (the lock file is `<name>.lock`) */
  name?: string;
  /** the backends the plan was made with (built-ins and plugins); close() stops plugin processes */
  backends?: BackendRegistry;
  close?: () => Promise<void>;
  positions: PositionTable;
  diagnostics: Diagnostic[];
}

export function parseOutputTypes(values: string[] | undefined): {
  types: OutputType[];
  diagnostics: Diagnostic[];
} {
  const types: OutputType[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const v of (values ?? []).flatMap((x) => x.split(','))) {
    const t = v.trim();
    if (!t) continue;
    if ((buildableOutputs as string[]).includes(t)) types.push(t as OutputType);
    else {
      const suggestion = closest(t, buildableOutputs);
      diagnostics.push(
        diag(cliCodes.unsupportedOutputType, {
          type: t,
          known: buildableOutputs.join(', '),
          ...(suggestion ? { suggestion } : {}),
        }),
      );
    }
  }
  return { types: [...new Set(types)], diagnostics };
}

export async function preparePlan(
  registry: FormatRegistry,
  path: string,
  flags: PlanFlags,
  given?: BackendRegistry,
): Promise<PreparedPlan> {
  const outputs = parseOutputTypes(flags.output);
  if (outputs.diagnostics.length) return { positions: {}, diagnostics: outputs.diagnostics };
  const opened = given
    ? undefined
    : openBackends({ explicit: flags.plugin ?? [], ...(flags.config ? { config: flags.config } : {}) });
  const backends = given ?? opened!.registry;
  const pluginDiagnostics = opened?.diagnostics ?? [];
  const closing = { backends, ...(opened ? { close: opened.close } : {}) };
  const options = formatOptionsFrom(flags);
  // an IR saved by `imgc inspect --json` or `translate --to ir` (*.ir.json, --from ir) is a format like any other
  const loaded = await loadDefinition(registry, path, {
    from: flags.from,
    profiles: flags.profile ?? [],
    options,
  });
  let ir = loaded.ir;
  const positions = loaded.positions;
  const diagnostics = [...pluginDiagnostics, ...loaded.diagnostics];
  if (!ir || hasErrors(diagnostics)) return { positions, diagnostics, ...closing };
  if (flags.profile?.length) ir = { ...ir, activeProfiles: flags.profile };
  const effective = mergeProfiles(ir);
  const info = await stat(path);
  const sourceDir = info.isDirectory() ? resolve(path) : dirname(resolve(path));
  const epoch = chooseEpoch({
    env: process.env.SOURCE_DATE_EPOCH,
    reproducible: flags.reproducible === true,
    files: [...new Set([resolve(path), ...loaded.files.map((f) => resolve(sourceDir, f))])],
  });
  appendAll(diagnostics, epoch.diagnostics);
  if (hasErrors(epoch.diagnostics)) return { positions, diagnostics, ...closing };
  const sourceDateEpoch = epoch.epoch;
  const planned = await planBuild({
    ir: effective,
    positions,
    outputs: outputs.types,
    backends,
    host: localHost(),
    options,
    sourceDir,
    sourceDateEpoch,
    reproducible: epoch.reproducible,
  });
  return {
    plan: planned.plan,
    name: imageName(effective),
    ...(planned.clean ? { clean: planned.clean } : {}),
    sourceDir,
    epoch: { value: sourceDateEpoch, reproducible: epoch.reproducible },
    positions,
    diagnostics: [...diagnostics, ...planned.diagnostics],
    ...closing,
  };
}

export function renderPlanText(plan: BuildPlan): string {
  const d = plan.distribution;
  const lines = [
    `plan: ${d.id} ${d.release} (${d.suite}, ${d.architecture}) with backend ${plan.backend} → ${plan.outputs.join(', ')}`,
  ];
  for (const [i, s] of plan.steps.entries()) {
    const flags = [s.executor, s.cache ? 'cached' : ''].filter(Boolean).join(', ');
    lines.push(`${String(i + 1).padStart(3)}. ${s.id}  ${s.type.padEnd(18)} ${s.title}  [${flags}]`);
    if (s.inputs.length) lines.push(`       ← ${s.inputs.join(', ')}`);
    if (s.after?.length) lines.push(`       after ${s.after.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function runPlan(
  io: Io,
  registry: FormatRegistry,
  path: string,
  flags: PlanFlags,
): Promise<number> {
  const prepared = await preparePlan(registry, path, flags);
  await prepared.close?.();
  // Secrets are hashed into the step ids but printed only with --show-secrets.
  const plan = prepared.plan ? shown(io, prepared.plan) : null;
  if (flags.json) printJson(io, { plan, diagnostics: prepared.diagnostics });
  else {
    printDiagnostics(io, prepared.diagnostics);
    if (plan) io.stdout(renderPlanText(plan));
  }
  return exitFor(prepared.diagnostics, [path], !prepared.plan);
}

export function defaultCacheDir(): string {
  if (process.getuid?.() === 0) return '/var/cache/imgc';
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg?.startsWith('/') ? xdg : join(homedir(), '.cache'), 'imgc');
}
