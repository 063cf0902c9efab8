/** `imgc plugins list`: every plugin found, where it was found, and whether it is used and why. */
import { discoverPlugins } from '../plugins/discovery.js';
import { EXIT, type Io, printDiagnostics, printJson } from './output.js';

export function runPluginsList(
  io: Io,
  flags: { json?: boolean; plugin?: string[]; config?: string },
  cwd = process.cwd(),
): number {
  const { plugins, diagnostics, unloaded } = discoverPlugins({
    cwd,
    explicit: flags.plugin ?? [],
    ...(flags.config ? { config: flags.config } : {}),
  });
  const all = [...diagnostics, ...plugins.flatMap((p) => p.diagnostics)];
  if (flags.json) {
    printJson(io, {
      plugins: plugins.map((p) => ({
        name: p.name,
        kind: p.manifest?.kind ?? null,
        apiVersion: p.manifest?.apiVersion ?? null,
        status: p.status,
        from: p.from,
        why: p.why,
        dir: p.dir,
        manifest: p.manifestPath,
        ...(p.manifest?.backend
          ? { backend: p.manifest.backend.id, distributions: p.manifest.backend.distributions }
          : {}),
        diagnostics: p.diagnostics,
      })),
      notLoaded: unloaded,
      diagnostics,
    });
  } else {
    if (!plugins.length)
      io.stdout('no plugins named (--plugin, or --config with a "plugins" list and npm dependencies)\n');
    for (const p of plugins) {
      const what = p.manifest
        ? `${p.manifest.kind}${p.manifest.backend ? ` ${p.manifest.backend.id} (${p.manifest.backend.distributions.join(', ')})` : ''}, API ${p.manifest.apiVersion}`
        : 'no usable manifest';
      io.stdout(
        `${p.status.padEnd(9)} ${p.name}  ${what}\n          found via ${p.why}: ${p.manifestPath}\n`,
      );
    }
    for (const u of unloaded)
      io.stdout(`not loaded ${u.path}\n          ${u.why}; to use it: ${u.howToLoad}\n`);
    printDiagnostics(io, all);
  }
  return all.some((d) => d.severity === 'error') ? EXIT.inputErrors : EXIT.ok;
}
