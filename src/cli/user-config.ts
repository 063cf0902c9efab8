/**
 * The user config file: defaults for the cache folder, the distribution and the output folder,
 * in `$XDG_CONFIG_HOME/imgc/config.toml` (`~/.config/imgc/config.toml`), or the file
 * IMGC_USER_CONFIG names (empty: none). It holds values only — never plugins or code: a plugin
 * loads only when named with --plugin or --config (docs/decisions/0073, 0081).
 * Precedence: flag > environment variable > this file > nothing.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { discoveryCodes } from '../diagnostics/codes/discovery.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { readFailure, readInputTextSync } from '../input/bounded.js';
import { closest } from '../lib/closest.js';

/** A setting: its key in the file, the environment variable that overrides it, and the flag that overrides both. */
export const USER_SETTINGS = [
  { key: 'cache-dir', env: 'IMGC_CACHE_DIR', flag: '--cache-dir', path: true },
  { key: 'distro', env: 'IMGC_DISTRO', flag: '--distro', path: false },
  { key: 'output-dir', env: 'IMGC_OUTPUT_DIR', flag: '-o/--output-dir', path: true },
  { key: 'keep-trees', env: 'IMGC_KEEP_TREES', flag: '--keep-trees', path: false, integer: true },
] as const;

export type UserSettingKey = (typeof USER_SETTINGS)[number]['key'];

export interface UserConfig {
  file?: string;
  values: Partial<Record<UserSettingKey, string>>;
  diagnostics: Diagnostic[];
}

export function userConfigPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.IMGC_USER_CONFIG !== undefined) return env.IMGC_USER_CONFIG || undefined;
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.config'), 'imgc', 'config.toml');
}

export function readUserConfig(env: NodeJS.ProcessEnv = process.env): UserConfig {
  const file = userConfigPath(env);
  if (!file || (env.IMGC_USER_CONFIG === undefined && !existsSync(file)))
    return { values: {}, diagnostics: [] };
  let text: string;
  try {
    text = readInputTextSync(file);
  } catch (e) {
    return { file, values: {}, diagnostics: [readFailure(e, file)] };
  }
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (e) {
    const at = e instanceof TomlError ? { file, line: e.line, column: e.column } : { file };
    const detail = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
    return { file, values: {}, diagnostics: [diag(discoveryCodes.userConfigInvalid, { detail }, at)] };
  }
  const values: UserConfig['values'] = {};
  const diagnostics: Diagnostic[] = [];
  const keys = USER_SETTINGS.map((s) => s.key as string);
  for (const [key, value] of Object.entries(doc)) {
    const at = { file, ...lineOf(text, key) };
    const setting = USER_SETTINGS.find((s) => s.key === key);
    if (!setting) {
      const near = closest(key, keys);
      const detail = `unknown key "${key}"${near ? `; did you mean "${near}"?` : ''}${key === 'plugins' ? ' (plugins load only with --plugin or --config)' : ''}`;
      diagnostics.push(diag(discoveryCodes.userConfigInvalid, { detail }, at));
    } else if ('integer' in setting && Number.isInteger(value)) values[setting.key] = String(value);
    else if (typeof value !== 'string' || !value) {
      const kind = 'integer' in setting ? 'a whole number' : 'a non-empty string';
      diagnostics.push(diag(discoveryCodes.userConfigInvalid, { detail: `${key} must be ${kind}` }, at));
    } else values[setting.key] = setting.path ? expandPath(value, dirname(file)) : value;
  }
  return { file, values, diagnostics };
}

/** `~/x` is under the home folder; a relative path is relative to the config file's folder. */
function expandPath(value: string, base: string): string {
  if (value === '~' || value.startsWith('~/')) return join(homedir(), value.slice(1));
  return resolve(base, value);
}

function lineOf(text: string, key: string): { line?: number; column?: number } {
  const index = text
    .split('\n')
    .findIndex((l) => new RegExp(`^\\s*"?${key.replace(/[.-]/g, '\\$&')}"?\\s*=`).test(l));
  return index < 0 ? {} : { line: index + 1, column: 1 };
}
