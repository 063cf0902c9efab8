/**
 * Resolves the package set of a plan with the family's own resolver, without installing and
 * without root: the backend that planned it answers through its optional `resolvePackages`
 * (apt, dnf, zypper, pacman for the built-in families). The request is the plan's package
 * steps merged, so the answer is the set a build would install.
 */

import type { PackageRequest, Resolution } from '../backends/contract.js';
import type { BackendRegistry } from '../backends/registry.js';
import { resolveCodes } from '../diagnostics/codes/resolve.js';
import { diag } from '../diagnostics/define.js';
import type { BuildPlan } from '../plan/steps.js';

export type { Resolution, ResolvedPackage } from '../backends/contract.js';

/** The bootstrap step's options with the install step's packages and exclusions added. */
export function packageRequest(plan: BuildPlan): PackageRequest | undefined {
  const bootstrap = plan.steps.find((s) => s.type === 'bootstrap');
  const install = plan.steps.find((s) => s.type === 'install-packages');
  if (!bootstrap && !install) return undefined;
  const b = bootstrap?.type === 'bootstrap' ? bootstrap.options : undefined;
  const i = install?.type === 'install-packages' ? install.options : undefined;
  return {
    distribution: b?.distribution,
    suite: b?.suite,
    architecture: b?.architecture,
    variant: b?.variant,
    sources: b?.sources ?? (typeof i?.settings?.sources === 'string' ? i.settings.sources : undefined),
    packages: [...(b?.packages ?? []), ...(i?.packages ?? [])],
    exclude: [...new Set([...(b?.exclude ?? []), ...(i?.exclude ?? [])])],
    installRecommends: b?.installRecommends ?? i?.installRecommends,
    settings: { ...i?.settings, ...b?.settings },
  };
}

/** Resolves what the plan's package steps would install; needs network to the plan's repositories. */
export async function resolvePlanPackages(
  plan: BuildPlan,
  backends: BackendRegistry,
  cacheDir: string,
  signal?: AbortSignal,
): Promise<Resolution> {
  const request = packageRequest(plan);
  if (!request || (!request.variant && !request.packages.length))
    return { tool: '', requested: [], packages: [], diagnostics: [diag(resolveCodes.noPackageStep, {})] };
  const backend = backends.get(plan.backend);
  if (!backend?.resolvePackages)
    return {
      tool: '',
      requested: request.packages,
      packages: [],
      diagnostics: [diag(resolveCodes.resolverUnsupported, { family: backend?.id ?? plan.backend })],
    };
  const resolution = await backend.resolvePackages(request, { cacheDir, signal });
  resolution.packages.sort((a, b) => a.name.localeCompare(b.name));
  return resolution;
}
