/**
 * `imgc packages <def>`: the package set as the definition states it and as the plan installs
 * it; with `--resolve`, as the family's own resolver resolves it (as `composer-cli blueprints
 * depsolve` or `kiwi-ng image info --resolve-package-list`).
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { type BackendRegistry, localHost } from '../backends/registry.js';
import { type Diagnostic, hasErrors } from '../diagnostics/types.js';
import { type Resolution, resolvePlanPackages } from '../exec/resolve-packages.js';
import { loadDefinition } from '../formats/load.js';
import type { FormatRegistry } from '../formats/registry.js';
import { appendAll } from '../input/append.js';
import { mergeProfiles } from '../ir/profiles.js';
import type { ImageIR } from '../ir/schema.js';
import { planBuild } from '../plan/planner.js';
import { openBackends } from '../plugins/index.js';
import { collect, type FormatFlags, formatOptionsFrom } from './options.js';
import { exitFor, type Io, printDiagnostics, printJson } from './output.js';
import { defaultCacheDir } from './plan.js';
import type { CommandContext } from './register.js';

export interface PackagesFlags extends FormatFlags {
  from?: string;
  profile?: string[];
  resolve?: boolean;
  repo?: string[];
  cacheDir?: string;
  json?: boolean;
  /** plugin folders or manifests from the global --plugin: a plugin backend may resolve too */
  plugin?: string[];
  /** an imgc.config.json from the global --config */
  config?: string;
}

export interface StatedPackages {
  install: string[];
  groups: string[];
  modules: string[];
  exclude: string[];
  remove: string[];
  bootstrap: string[];
  build: string[];
}

function stated(ir: ImageIR): StatedPackages {
  const p = ir.packages;
  const names = (list: { name: string }[]) => list.map((x) => x.name);
  return {
    install: names(p.install),
    groups: p.groups.map((g) => (g.kind ? `${g.kind}:${g.name}` : g.name)),
    modules: p.modules.map((m) => [m.name, m.stream].filter(Boolean).join(':')),
    exclude: names(p.exclude),
    remove: names(p.remove),
    bootstrap: names(p.bootstrap),
    build: names(p.build),
  };
}

/** `--repo URL` replaces the definition's repositories for this command only. */
function withRepos(ir: ImageIR, urls: string[]): ImageIR {
  if (!urls.length) return ir;
  return { ...ir, repositories: urls.map((url, i) => ({ id: `repo-${i + 1}`, urls: [url] })) };
}

interface PackagesReport {
  stated: StatedPackages | null;
  planned: string[];
  resolved: Omit<Resolution, 'diagnostics'> | null;
  diagnostics: Diagnostic[];
}

async function collectReport(
  registry: FormatRegistry,
  backends: BackendRegistry,
  path: string,
  flags: PackagesFlags,
): Promise<PackagesReport> {
  const options = formatOptionsFrom(flags);
  const loaded = await loadDefinition(registry, path, {
    from: flags.from,
    profiles: flags.profile ?? [],
    options,
  });
  const report: PackagesReport = {
    stated: null,
    planned: [],
    resolved: null,
    diagnostics: [...loaded.diagnostics],
  };
  if (!loaded.ir || hasErrors(loaded.diagnostics)) return report;
  const ir = withRepos(mergeProfiles(loaded.ir), flags.repo ?? []);
  report.stated = stated(ir);
  const sourceDir = (await stat(path)).isDirectory() ? resolve(path) : dirname(resolve(path));
  const planned = await planBuild({
    ir,
    positions: loaded.positions,
    // the definition's own outputs, as `imgc build` without --output: a disk adds boot packages
    outputs: [],
    backends,
    host: localHost(),
    options,
    sourceDir,
  });
  appendAll(
    report.diagnostics,
    planned.diagnostics.filter((d) => d.severity !== 'info'),
  );
  if (!planned.plan || hasErrors(planned.diagnostics)) return report;
  const steps = planned.plan.steps.filter((s) => s.type === 'bootstrap' || s.type === 'install-packages');
  report.planned = [...new Set(steps.flatMap((s) => (s.options as { packages?: string[] }).packages ?? []))];
  if (flags.resolve) {
    const { diagnostics, ...resolved } = await resolvePlanPackages(
      planned.plan,
      backends,
      resolve(flags.cacheDir ?? defaultCacheDir()),
    );
    appendAll(report.diagnostics, diagnostics);
    if (!hasErrors(diagnostics)) report.resolved = resolved;
  }
  return report;
}

function renderReport(r: PackagesReport): string {
  const out: string[] = [];
  const line = (label: string, list: string[]) => {
    if (list.length) out.push(`${label} (${list.length}): ${list.join(' ')}`);
  };
  if (r.stated) {
    line('install', r.stated.install);
    line('groups', r.stated.groups);
    line('modules', r.stated.modules);
    line('exclude', r.stated.exclude);
    line('remove', r.stated.remove);
    line('bootstrap', r.stated.bootstrap);
    line('build only', r.stated.build);
    const added = r.planned.filter((p) => !r.stated!.install.includes(p) && !r.stated!.bootstrap.includes(p));
    line('added by the plan', added);
  }
  if (r.resolved) {
    out.push(`resolved by ${r.resolved.tool}: ${r.resolved.packages.length} packages`);
    const width = Math.max(0, ...r.resolved.packages.map((p) => p.name.length));
    for (const p of r.resolved.packages)
      out.push(
        `  ${p.name.padEnd(width)}  ${p.version}${p.arch ? ` ${p.arch}` : ''}${p.from ? `  ${p.from}` : ''}`,
      );
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

export async function runPackages(io: Io, registry: FormatRegistry, path: string, flags: PackagesFlags) {
  const opened = openBackends({
    explicit: flags.plugin ?? [],
    ...(flags.config ? { config: flags.config } : {}),
  });
  const report = await collectReport(registry, opened.registry, path, flags).finally(() => opened.close());
  report.diagnostics = appendAll([...opened.diagnostics], report.diagnostics);
  if (flags.json) printJson(io, report);
  else {
    io.stdout(renderReport(report));
    printDiagnostics(io, report.diagnostics);
  }
  return exitFor(report.diagnostics, [path], !report.stated);
}

export function registerPackages(program: Command, ctx: CommandContext): void {
  ctx
    .withFormatFlags(
      program
        .command('packages')
        .description(
          'the package set as the definition states it; --resolve: as the family resolver resolves it',
        )
        .argument('<path>', 'a definition file, or a folder holding one')
        .option('--from <format>', 'input format (detected when absent)')
        .option('--profile <name>', 'activate a profile (repeatable)', collect, [])
        .option(
          '--resolve',
          "resolve dependencies with the family's resolver (apt, dnf, zypper, pacman, or a plugin backend's); needs the network to the repositories",
        )
        .option(
          '--repo <url>',
          'resolve against this repository instead of the definition’s (repeatable)',
          collect,
          [],
        )
        .option('--cache-dir <dir>', 'where package lists are kept between runs')
        .option('--json', 'print {"stated", "planned", "resolved", "diagnostics"}'),
    )
    .action(async (path: string, opts: PackagesFlags) => {
      const globals = program.opts() as { plugin?: string[]; config?: string };
      ctx.exit.code = await runPackages(ctx.io, ctx.registry, path, {
        ...opts,
        plugin: globals.plugin,
        config: globals.config,
      });
    });
}
