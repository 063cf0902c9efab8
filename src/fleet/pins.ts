/**
 * Determinism across workers: the package set is resolved once, when the job is submitted, and
 * every worker installs exactly those versions. Until the lock file lands (`imgc lock`), the
 * pins come from the family's resolver (decision 0098) through `PinSource`, the one seam the
 * lock file replaces: a source that reads `imgc.lock` instead of resolving.
 */
import type { BackendRegistry } from '../backends/registry.js';
import { fleetCodes } from '../diagnostics/codes/fleet.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { resolvePlanPackages } from '../exec/resolve-packages.js';
import type { ImageIR } from '../ir/schema.js';
import type { BuildPlan } from '../plan/steps.js';

export interface PinnedPackage {
  name: string;
  version: string;
  arch?: string;
}

export interface PackagePins {
  /** what produced them: the resolver's name (apt-get, dnf, …) or a lock file */
  source: string;
  packages: PinnedPackage[];
}

export interface PinSource {
  pin(
    plan: BuildPlan,
    backends: BackendRegistry,
    context: { name: string; cacheDir: string; signal?: AbortSignal },
  ): Promise<{ pins?: PackagePins; diagnostics: Diagnostic[] }>;
}

/** Pins from the plan backend's own resolver (apt, dnf, zypper, pacman). */
export const resolverPins: PinSource = {
  async pin(plan, backends, { name, cacheDir, signal }) {
    const resolution = await resolvePlanPackages(plan, backends, cacheDir, signal);
    const errors = resolution.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length || !resolution.packages.length) {
      const detail =
        errors.map((d) => `${d.code} ${d.message}`).join('; ') || 'the resolver found no packages';
      return { diagnostics: [diag(fleetCodes.pinsFailed, { name, detail })] };
    }
    const packages = resolution.packages.map((p) => ({
      name: p.name,
      version: p.version,
      ...(p.arch ? { arch: p.arch } : {}),
    }));
    return {
      pins: { source: resolution.tool, packages },
      diagnostics: [diag(fleetCodes.pinsResolved, { count: packages.length, tool: resolution.tool, name })],
    };
  },
};

/**
 * The IR with every pinned package installed at its pinned version: named packages get their
 * version, the rest of the resolved closure is added, so the resolver has no choice left.
 */
export function applyPins(ir: ImageIR, pins: PackagePins): ImageIR {
  const byName = new Map(pins.packages.map((p) => [p.name, p]));
  const install = ir.packages.install.map((ref) => {
    const pin = byName.get(ref.name);
    return pin ? { ...ref, version: pin.version } : ref;
  });
  const named = new Set(install.map((r) => r.name));
  for (const p of pins.packages) if (!named.has(p.name)) install.push({ name: p.name, version: p.version });
  return { ...ir, packages: { ...ir.packages, install } };
}
