/**
 * Finds the plugins the user named, in this order (the first of two with the same name wins):
 *   1. --plugin <path> on the command line
 *   2. "plugins" in a config file the user names with --config <file> or IMGC_CONFIG
 *   3. npm packages that the package.json beside that config file depends on, whose own
 *      package.json has an "imgc" field
 * Plugins are code; nothing is loaded because of where imgc happens to run. A plugins/ folder,
 * an imgc.config.json or a package.json in the working directory are listed as `not-loaded`
 * (docs/decisions/0073-plugins-load-only-when-named.md).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { pluginCodes } from '../diagnostics/codes/plugins.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { manifestErrors, type PluginManifest, SUPPORTED_PLUGIN_API } from './manifest.js';

export type PluginSource = 'option' | 'config' | 'npm';

/** Found in the working directory but not named by the user: listed, never loaded. */
export interface UnloadedCandidate {
  path: string;
  why: string;
  howToLoad: string;
}

export interface DiscoveredPlugin {
  name: string;
  dir: string;
  manifestPath: string;
  from: PluginSource;
  /** why it was looked at */
  why: string;
  status: 'ok' | 'refused' | 'invalid' | 'duplicate';
  manifest?: PluginManifest;
  diagnostics: Diagnostic[];
}

export interface DiscoverOptions {
  /** where relative --plugin paths start and where unloaded candidates are looked for; default the working directory */
  cwd?: string;
  explicit?: readonly string[];
  /** a config file the user named (--config); default $IMGC_CONFIG */
  config?: string;
}

export const MANIFEST_FILE = 'imgc-plugin.json';
export const CONFIG_FILE = 'imgc.config.json';

function readJson(path: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(readFileSync(path, 'utf8')) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** The manifest of a folder or file: imgc-plugin.json, or package.json's "imgc" field. */
function locate(path: string): { manifestPath: string; raw?: unknown; error?: string } | undefined {
  const dir = existsSync(path) && statSync(path).isDirectory() ? path : dirname(path);
  const file = existsSync(path) && statSync(path).isFile() ? path : join(dir, MANIFEST_FILE);
  if (basename(file) === 'package.json' || (!existsSync(file) && existsSync(join(dir, 'package.json')))) {
    const pkgPath = basename(file) === 'package.json' ? file : join(dir, 'package.json');
    const pkg = readJson(pkgPath);
    if (pkg.error) return { manifestPath: pkgPath, error: pkg.error };
    const p = pkg.value as {
      name?: string;
      version?: string;
      description?: string;
      imgc?: Record<string, unknown>;
    };
    if (!p?.imgc || typeof p.imgc !== 'object') return undefined;
    const raw = {
      name: p.name,
      ...(p.version ? { version: p.version } : {}),
      ...(p.description ? { description: p.description } : {}),
      ...p.imgc,
    };
    return { manifestPath: pkgPath, raw };
  }
  if (!existsSync(file)) return undefined;
  const m = readJson(file);
  return m.error ? { manifestPath: file, error: m.error } : { manifestPath: file, raw: m.value };
}

function judge(path: string, from: PluginSource, why: string): DiscoveredPlugin | undefined {
  const found = locate(path);
  if (!found) return undefined;
  const dir = dirname(found.manifestPath);
  const base: DiscoveredPlugin = {
    name: basename(dir),
    dir,
    manifestPath: found.manifestPath,
    from,
    why,
    status: 'invalid',
    diagnostics: [],
  };
  if (found.error) {
    base.diagnostics.push(
      diag(
        pluginCodes.manifestInvalid,
        { path: found.manifestPath, detail: found.error },
        { file: found.manifestPath },
      ),
    );
    return base;
  }
  const raw = found.raw as Partial<PluginManifest>;
  if (typeof raw?.name === 'string') base.name = raw.name;
  // The version is judged before the shape: a newer manifest may have fields this imgc does not know.
  if (raw && raw.apiVersion !== undefined && !SUPPORTED_PLUGIN_API.includes(raw.apiVersion as number)) {
    base.status = 'refused';
    base.diagnostics.push(
      diag(
        pluginCodes.apiVersionUnsupported,
        { name: base.name, version: String(raw.apiVersion), supported: SUPPORTED_PLUGIN_API.join(', ') },
        { file: found.manifestPath },
      ),
    );
    return base;
  }
  const errors = manifestErrors(raw);
  if (errors.length) {
    base.diagnostics.push(
      diag(
        pluginCodes.manifestInvalid,
        { path: found.manifestPath, detail: errors.join('; ') },
        { file: found.manifestPath },
      ),
    );
    return base;
  }
  return { ...base, status: 'ok', manifest: raw as PluginManifest };
}

export function discoverPlugins(options: DiscoverOptions = {}): {
  plugins: DiscoveredPlugin[];
  diagnostics: Diagnostic[];
  unloaded: UnloadedCandidate[];
} {
  const cwd = resolve(options.cwd ?? process.cwd());
  const plugins: DiscoveredPlugin[] = [];
  const diagnostics: Diagnostic[] = [];
  const add = (p: DiscoveredPlugin | undefined) => {
    if (!p) return;
    const first = plugins.find((q) => q.name === p.name && q.status !== 'duplicate');
    if (first) {
      p.status = 'duplicate';
      p.diagnostics.push(
        diag(pluginCodes.duplicate, { name: p.name, used: first.manifestPath, ignored: p.manifestPath }),
      );
    }
    plugins.push(p);
  };
  const named = (path: string, from: PluginSource, why: string, base: string) => {
    const full = isAbsolute(path) ? path : resolve(base, path);
    const p = judge(full, from, why);
    if (!p) diagnostics.push(diag(pluginCodes.pluginNotFound, { path: full, from: why }));
    add(p);
  };

  for (const path of options.explicit ?? []) named(path, 'option', '--plugin', cwd);

  const configOption = options.config ?? process.env.IMGC_CONFIG;
  const configPath = configOption ? resolve(cwd, configOption) : undefined;
  if (configPath) {
    const project = dirname(configPath);
    const config = existsSync(configPath)
      ? readJson(configPath)
      : { error: 'no such file', value: undefined };
    const list = (config.value as { plugins?: unknown } | undefined)?.plugins;
    if (
      config.error ||
      (list !== undefined && (!Array.isArray(list) || list.some((x) => typeof x !== 'string')))
    ) {
      diagnostics.push(
        diag(
          pluginCodes.configInvalid,
          { path: configPath, detail: config.error ?? '"plugins" must be a list of paths' },
          { file: configPath },
        ),
      );
    } else {
      for (const path of (list as string[] | undefined) ?? []) named(path, 'config', configPath, project);
      for (const dep of npmDependencies(project)) {
        const why = `dependency ${dep} (in ${join(project, 'package.json')}) declares "imgc" in its package.json`;
        add(judge(join(project, 'node_modules', dep, 'package.json'), 'npm', why));
      }
    }
  }
  const loaded = new Set(plugins.flatMap((p) => [p.dir, p.manifestPath]));
  const unloaded = unloadedCandidates(cwd, configPath).filter((u) => !loaded.has(u.path));
  return { plugins, diagnostics, unloaded };
}

function npmDependencies(project: string): string[] {
  const pkg = readJson(join(project, 'package.json')).value as
    | { dependencies?: Record<string, string>; devDependencies?: Record<string, string> }
    | undefined;
  const deps = Object.keys({ ...(pkg?.dependencies ?? {}), ...(pkg?.devDependencies ?? {}) }).sort();
  return deps.filter((dep) => existsSync(join(project, 'node_modules', dep, 'package.json')));
}

/** What older imgc loaded by itself from the working directory; now only shown. */
function unloadedCandidates(cwd: string, configPath: string | undefined): UnloadedCandidate[] {
  const found: UnloadedCandidate[] = [];
  const config = join(cwd, CONFIG_FILE);
  if (existsSync(config) && config !== configPath)
    found.push({
      path: config,
      why: 'a config file in the working directory',
      howToLoad: `--config ${config}`,
    });
  const pluginsDir = join(cwd, 'plugins');
  if (existsSync(pluginsDir) && statSync(pluginsDir).isDirectory()) {
    for (const entry of readdirSync(pluginsDir).sort()) {
      const dir = join(pluginsDir, entry);
      if (existsSync(join(dir, MANIFEST_FILE)))
        found.push({ path: dir, why: `plugins/${entry}/${MANIFEST_FILE}`, howToLoad: `--plugin ${dir}` });
    }
  }
  if (!configPath || dirname(configPath) !== cwd) {
    for (const dep of npmDependencies(cwd)) {
      const pkg = join(cwd, 'node_modules', dep, 'package.json');
      if (locate(pkg))
        found.push({
          path: pkg,
          why: `npm dependency ${dep}`,
          howToLoad: `--config <an imgc.config.json in ${cwd}>`,
        });
    }
  }
  return found;
}
