/**
 * What every command does before it runs: its verbosity, the defaults the environment and the
 * user config file give for flags left out (flag > environment > config file > none, each
 * default reported as IMGC1081), and the checks of flags commander cannot make (-O keys, a
 * missing output folder). Usage errors stop the command with exit 2.
 */
import type { Command } from 'commander';
import { cliCodes } from '../diagnostics/codes/cli.js';
import { discoveryCodes } from '../diagnostics/codes/discovery.js';
import { diag } from '../diagnostics/define.js';
import { type Diagnostic, hasErrors } from '../diagnostics/types.js';
import { builtinFormats, type FormatRegistry } from '../formats/registry.js';
import { appendAll } from '../input/append.js';
import { discoverPlugins } from '../plugins/discovery.js';
import { checkFormatOptionKeys, unreadFormatOptionKeys } from './format-option-keys.js';
import { INIT_DEFAULT_FORMAT } from './init.js';
import type { Io } from './output.js';
import { USER_SETTINGS, type UserConfig, type UserSettingKey } from './user-config.js';

/** Thrown by a pre-action check: the command does not run and imgc exits with `code`. */
export class CommandStopped extends Error {
  constructor(
    readonly diagnostics: Diagnostic[],
    readonly code: number,
    /** how the command prints: a JSON document, NDJSON events (build --json), or text */
    readonly output: 'json' | 'ndjson' | 'text' = 'text',
  ) {
    super(diagnostics.map((d) => d.message).join('; '));
  }
}

const outputOf = (cmd: Command): CommandStopped['output'] =>
  cmd.opts().json ? (cmd.name() === 'build' ? 'ndjson' : 'json') : 'text';

const ATTRIBUTE: Record<UserSettingKey, string> = {
  'cache-dir': 'cacheDir',
  distro: 'distro',
  'output-dir': 'outputDir',
  'keep-trees': 'keepTrees',
};

/** Commands whose output folder may come from IMGC_OUTPUT_DIR or the config file. */
const OUTPUT_DIR_DEFAULTED = new Set(['build', 'clean']);

export interface CommandContext {
  io: Io;
  registry: FormatRegistry;
  userConfig: () => UserConfig;
  env?: NodeJS.ProcessEnv;
  /** --plugin and --config of the program */
  plugins: { explicit: string[]; config?: string };
}

export function prepareCommand(cmd: Command, ctx: CommandContext): Diagnostic[] {
  const opts = cmd.opts() as Record<string, unknown>;
  ctx.io.verbosity = opts.quiet ? 'quiet' : opts.verbose ? 'verbose' : 'normal';
  const notes: Diagnostic[] = [];
  const errors: Diagnostic[] = [];
  const config = ctx.userConfig();
  if (hasErrors(config.diagnostics)) throw new CommandStopped(config.diagnostics, 2, outputOf(cmd));
  const env = ctx.env ?? process.env;
  for (const setting of USER_SETTINGS) {
    const attribute = ATTRIBUTE[setting.key];
    if (!cmd.options.some((o) => o.attributeName() === attribute)) continue;
    if (cmd.getOptionValueSource(attribute) === 'cli') continue;
    if (setting.key === 'output-dir' && !OUTPUT_DIR_DEFAULTED.has(cmd.name())) continue;
    const fromEnv = env[setting.env];
    const value = fromEnv || config.values[setting.key];
    if (!value) continue;
    const from = fromEnv ? setting.env : (config.file ?? 'the user config');
    if (setting.key === 'distro') {
      // a default fills a definition without a distribution; --distro replaces one
      cmd.setOptionValueWithSource('defaultDistro', value, fromEnv ? 'env' : 'config');
      cmd.setOptionValueWithSource('defaultDistroFrom', from, fromEnv ? 'env' : 'config');
      continue;
    }
    cmd.setOptionValueWithSource(attribute, value, fromEnv ? 'env' : 'config');
    notes.push(diag(discoveryCodes.defaultFromConfig, { flag: setting.flag, value, from }));
  }
  if (OUTPUT_DIR_DEFAULTED.has(cmd.name()) && !cmd.getOptionValue('outputDir'))
    errors.push(diag(cliCodes.missingOutputDir, { command: cmd.name() }));
  const pairs = opts.formatOption as string[] | undefined;
  if (pairs?.length) {
    appendAll(errors, checkFormatOptionKeys(pairs, pluginNamespaces(ctx)));
    const target =
      cmd.name() === 'init' ? ((opts.fromFormat as string | undefined) ?? INIT_DEFAULT_FORMAT) : opts.to;
    appendAll(notes, unreadFormatOptionKeys(pairs, cmd.name(), target as string | undefined));
  }
  if (errors.length) throw new CommandStopped([...notes, ...errors], 2, outputOf(cmd));
  return notes;
}

/** Names whose `<name>.<key>` options belong to a plugin in use: plugin names, backend ids, format ids. */
function pluginNamespaces(ctx: CommandContext): string[] {
  const builtin = new Set(builtinFormats.map((f) => f.id));
  const formats = ctx.registry
    .list()
    .map((f) => f.id)
    .filter((id) => !builtin.has(id));
  if (!ctx.plugins.explicit.length && !ctx.plugins.config && !process.env.IMGC_CONFIG) return formats;
  const { plugins } = discoverPlugins({
    explicit: ctx.plugins.explicit,
    ...(ctx.plugins.config ? { config: ctx.plugins.config } : {}),
  });
  return [
    ...formats,
    ...plugins.flatMap((p) => [p.name, ...(p.manifest?.backend ? [p.manifest.backend.id] : [])]),
  ];
}
