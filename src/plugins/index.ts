/** What the CLI needs from the plugin host: backends and formats from the discovered plugins. */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Backend } from '../backends/contract.js';
import { BackendRegistry } from '../backends/registry.js';
import { pluginCodes } from '../diagnostics/codes/plugins.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';
import type { FormatModule } from '../formats/contract.js';
import type { FormatRegistry } from '../formats/registry.js';
import { appendAll } from '../input/append.js';
import { BridgedBackend, processTransport } from './bridge.js';
import { type DiscoveredPlugin, type DiscoverOptions, discoverPlugins } from './discovery.js';

export function backendOf(p: DiscoveredPlugin): Backend | undefined {
  const b = p.manifest?.backend;
  if (p.status !== 'ok' || p.manifest?.kind !== 'backend' || !b) return undefined;
  return new BridgedBackend({
    name: p.name,
    backend: { id: b.id, distributions: b.distributions, ...(b.hostTools ? { hostTools: b.hostTools } : {}) },
    connect: () => processTransport(b.command, p.dir),
  });
}

export interface OpenedBackends {
  registry: BackendRegistry;
  diagnostics: Diagnostic[];
  close(): Promise<void>;
}

/** The built-in backends plus every usable backend plugin (started only when used). */
export function openBackends(options: DiscoverOptions = {}): OpenedBackends {
  const { plugins, diagnostics } = discoverPlugins(options);
  const registry = new BackendRegistry();
  const opened: Backend[] = [];
  for (const p of plugins) {
    appendAll(diagnostics, p.diagnostics);
    const backend = backendOf(p);
    if (!backend) continue;
    if (registry.get(backend.id)) {
      diagnostics.push(
        diag(pluginCodes.duplicate, {
          name: backend.id,
          used: `backend ${backend.id}`,
          ignored: p.manifestPath,
        }),
      );
      continue;
    }
    registry.add(backend);
    opened.push(backend);
  }
  return {
    registry,
    diagnostics,
    close: async () => {
      await Promise.all(opened.map((b) => b.close?.()));
    },
  };
}

/** Format plugins run in process: their module's default export is added to the registry. */
export async function addFormatPlugins(
  registry: FormatRegistry,
  options: DiscoverOptions = {},
): Promise<Diagnostic[]> {
  const discovered = discoverPlugins(options);
  // Every plugin here was named by the user, so each of its problems is theirs to see.
  const diagnostics: Diagnostic[] = [
    ...discovered.diagnostics,
    ...discovered.plugins.flatMap((p) => p.diagnostics),
  ];
  for (const p of discovered.plugins) {
    if (p.status !== 'ok' || p.manifest?.kind !== 'format' || !p.manifest.format) continue;
    try {
      const mod = (await import(pathToFileURL(join(p.dir, p.manifest.format.module)).href)) as {
        default?: FormatModule;
      };
      const format = mod.default;
      if (!format || typeof format.id !== 'string' || !format.detection)
        throw new Error('the default export is not a FormatModule');
      registry.add(format);
    } catch (e) {
      diagnostics.push(diag(pluginCodes.formatModuleInvalid, { name: p.name, detail: (e as Error).message }));
    }
  }
  return diagnostics;
}

export { discoverPlugins } from './discovery.js';
