/** Pieces every systemd-family backend shares: distribution resolution and the unapplied-field report. */

import { buildCodes } from '../../diagnostics/codes/build.js';
import { diag } from '../../diagnostics/define.js';
import type { Diagnostic } from '../../diagnostics/types.js';
import type { FormatOptions } from '../../formats/contract.js';
import type { ImageIR, Repository } from '../../ir/schema.js';
import { lookupTable } from '../../lib/lookup-table.js';
import type { StepDraft, StepOptions } from '../../plan/steps.js';
import type { Awaitable, HostFacts, PlanInput, ResolvedDistribution } from '../contract.js';

export function optionString(options: FormatOptions, key: string): string | undefined {
  const v = options[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The IR's distribution, or --distro id:release, or the backend's default. */
export function wantedDistribution(ir: ImageIR, options: FormatOptions, fallbackId: string) {
  const [optDistro, optRelease] = (optionString(options, 'distro') ?? '').split(':');
  const id = (ir.distribution.id ?? (optDistro || fallbackId)).toLowerCase();
  const release = ir.distribution.release ?? optionString(options, 'release') ?? (optRelease || undefined);
  return { id, release };
}

const archAliases: Record<string, string> = lookupTable({ amd64: 'x86_64', arm64: 'aarch64', x64: 'x86_64' });

/** Builds run the target's own binaries (scriptlets, hooks), so only the host architecture works. */
export function checkArchitecture(
  ir: ImageIR,
  options: FormatOptions,
  host: HostFacts,
): { architecture?: string; diagnostics: Diagnostic[] } {
  const wanted = ir.distribution.architecture ?? optionString(options, 'arch') ?? host.architecture;
  const architecture = archAliases[wanted] ?? wanted;
  if (architecture !== (archAliases[host.architecture] ?? host.architecture)) {
    return {
      diagnostics: [
        diag(
          buildCodes.unsupportedArchitecture,
          { architecture: wanted, host: host.architecture },
          {},
          { pointer: '/distribution/architecture' },
        ),
      ],
    };
  }
  return { architecture, diagnostics: [] };
}

export interface FamilyAbilities {
  family: string;
  groups: boolean;
  modules: boolean;
}

/** The family-specific fields none of these backends apply yet, each with its reason. */
export function unappliedFields(ir: ImageIR, can: FamilyAbilities): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ignore = (pointer: string, field: string, reason: string) =>
    out.push(diag(buildCodes.fieldIgnored, { field, reason }, {}, { pointer, severity: 'warning' }));
  ir.packages.groups.forEach((g, i) => {
    if (!can.groups)
      ignore(`/packages/groups/${i}`, `package group ${g.name}`, `${can.family} has no package groups`);
    else if (g.exclude)
      ignore(
        `/packages/groups/${i}`,
        `excluded group ${g.name}`,
        'excluding a whole group is not supported; exclude its packages',
      );
  });
  if (!can.modules) {
    ir.packages.modules.forEach((m, i) => {
      ignore(`/packages/modules/${i}`, `module ${m.name}`, `${can.family} has no module streams`);
    });
  }
  if (ir.system.selinux)
    ignore(
      '/system/selinux',
      'system.selinux',
      'the build does not write /etc/selinux/config or relabel; the policy package default applies',
    );
  if (ir.system.firewall)
    ignore('/system/firewall', 'system.firewall', 'firewall rules are not applied at build time');
  if (ir.system.fips) ignore('/system/fips', 'system.fips', 'FIPS mode is not switched on at build time');
  if (ir.system.kernel.cmdlineRemove?.length)
    ignore(
      '/system/kernel/cmdlineRemove',
      'kernel.cmdlineRemove',
      'there is no default command line to remove from',
    );
  return out;
}

type Defaults = (
  dist: ResolvedDistribution,
  options: FormatOptions,
  host: HostFacts,
) => Awaitable<{ repositories: Repository[]; diagnostics: Diagnostic[] }>;
type PackageSteps<R> = (input: PlanInput) => R & { diagnostics: Diagnostic[] };

/**
 * When every IR repository is image-only (osbuild's customizations.repositories are), the
 * build still needs something to install from: the distribution's default repositories.
 */
export function withBuildRepositories<R>(defaults: Defaults, steps: PackageSteps<R>) {
  return async (input: PlanInput) => {
    if (input.repositories.some((r) => r.usage !== 'image-only' && r.enabled !== false)) return steps(input);
    const found = await defaults(input.distribution, input.options, input.host);
    const result = steps({ ...input, repositories: [...found.repositories, ...input.repositories] });
    return { ...result, diagnostics: [...found.diagnostics, ...result.diagnostics] };
  };
}

/** The remove-packages step of a family: the same shape for every package manager, titled by its tool. */
export function removeStepFor(tool: string) {
  return (packages: string[], origin: string[]): StepDraft<'remove-packages'> => ({
    type: 'remove-packages',
    title: `${tool}: remove ${packages.length} packages`,
    options: { packages },
    origin,
  });
}

export interface PackageDraftsInput {
  tool: string;
  /** the distribution as the bootstrap title names it, e.g. `fedora 40` */
  target: string;
  /** what the counted names are, e.g. `packages and groups` */
  noun: string;
  bootstrap: StepOptions<'bootstrap'>;
  /** every name the image gets; installed by the second step when the IR has its own bootstrap list */
  everything: string[];
  installSettings: StepOptions<'install-packages'>['settings'];
  /** the IR lists the package names come from */
  packageOrigin: string[];
}

/** The bootstrap step and, when the IR has its own bootstrap list, the install step after it. */
export function packageDrafts(
  input: PlanInput,
  d: PackageDraftsInput,
): { bootstrap: StepDraft; install?: StepDraft } {
  const bootstrap: StepDraft = {
    type: 'bootstrap',
    title: `${d.tool}: ${d.target} (${d.bootstrap.packages.length} ${d.noun})`,
    options: d.bootstrap,
    origin: input.separateInstall
      ? ['/distribution', '/repositories', '/packages/bootstrap']
      : ['/distribution', '/repositories', ...d.packageOrigin],
    cache: true,
  };
  if (!input.separateInstall) return { bootstrap };
  return {
    bootstrap,
    install: {
      type: 'install-packages',
      title: `${d.tool}: install ${d.everything.length} ${d.noun}`,
      options: {
        packages: d.everything,
        exclude: d.bootstrap.exclude,
        installRecommends: d.bootstrap.installRecommends,
        settings: d.installSettings,
      },
      origin: d.packageOrigin,
      cache: true,
    },
  };
}
