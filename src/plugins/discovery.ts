/**
 * Finds plugins, in this order (the first of two with the same name wins):
 *   1. --plugin <path> on the command line
 *   2. "plugins" in the project config file imgc.config.json
 *   3. plugins/<name>/imgc-plugin.json in the project
 *   4. npm packages the project depends on whose package.json has an "imgc" field
 * Each result says where it came from and why it is used or refused.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { pluginCodes } from '../diagnostics/codes/plugins.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { manifestErrors, type PluginManifest, SUPPORTED_PLUGIN_API } from './manifest.js';

export type PluginSource = 'option' | 'config' | 'plugins-dir' | 'npm';

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
  /** the project folder (imgc.config.json, plugins/, package.json); default the working directory */
  cwd?: string;
  explicit?: readonly string[];
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

  const configPath = join(cwd, CONFIG_FILE);
  if (existsSync(configPath)) {
    const config = readJson(configPath);
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
      for (const path of (list as string[] | undefined) ?? []) named(path, 'config', CONFIG_FILE, cwd);
    }
  }

  const pluginsDir = join(cwd, 'plugins');
  if (existsSync(pluginsDir)) {
    for (const entry of readdirSync(pluginsDir).sort()) {
      const dir = join(pluginsDir, entry);
      if (existsSync(join(dir, MANIFEST_FILE)))
        add(judge(dir, 'plugins-dir', `plugins/${entry}/${MANIFEST_FILE}`));
    }
  }

  const pkg = readJson(join(cwd, 'package.json')).value as
    | { dependencies?: Record<string, string>; devDependencies?: Record<string, string> }
    | undefined;
  const deps = Object.keys({ ...(pkg?.dependencies ?? {}), ...(pkg?.devDependencies ?? {}) }).sort();
  for (const dep of deps) {
    const dir = join(cwd, 'node_modules', dep);
    if (!existsSync(join(dir, 'package.json'))) continue;
    add(judge(join(dir, 'package.json'), 'npm', `dependency ${dep} declares "imgc" in its package.json`));
  }
  return { plugins, diagnostics };
}
