/**
 * The command tree as data, read from commander: what `imgc completion` and the man page are
 * generated from, so neither can list a command or flag that does not exist.
 */
import type { Argument, Command, Option } from 'commander';
import type { FormatRegistry } from '../formats/registry.js';
import { OUTPUT_TYPES } from '../ir/schema.js';
import { buildableOutputs } from '../plan/planner.js';
import { FORMAT_OPTION_KEYS } from './format-option-keys.js';
import { distributionRows, LIST_TOPICS } from './list.js';

/** The shells `imgc completion` writes a script for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;

/** What a value is completed from: words, folders or files. */
export type Values = { words: string[] } | 'dirs' | 'files' | 'none';

export interface OptionModel {
  long?: string;
  short?: string;
  /** the argument's placeholder, e.g. `<format>`; absent for a switch */
  argument?: string;
  repeatable: boolean;
  description: string;
  values: Values;
}

export interface ArgumentModel {
  name: string;
  required: boolean;
  description: string;
  values: Values;
}

export interface CommandModel {
  /** `inspect`, or `plugins list` for a nested command */
  name: string;
  description: string;
  /** for a nested command, what its group (`plugins`) says about itself */
  groupDescription?: string;
  options: OptionModel[];
  arguments: ArgumentModel[];
}

export interface ProgramModel {
  name: string;
  description: string;
  version: string;
  options: OptionModel[];
  commands: CommandModel[];
}

/** The words flag and argument values are completed from, taken from imgc's registries. */
export interface ValueSources {
  formats: string[];
  readableFormats: string[];
  writableFormats: string[];
  outputTypes: string[];
  buildableOutputs: string[];
  distros: string[];
}

export function valueSources(registry: FormatRegistry): ValueSources {
  const formats = registry.list();
  const { rows } = distributionRows();
  return {
    formats: formats.map((f) => f.id),
    readableFormats: formats.filter((f) => f.reader).map((f) => f.id),
    writableFormats: formats.filter((f) => f.writer).map((f) => f.id),
    outputTypes: [...OUTPUT_TYPES],
    buildableOutputs: [...buildableOutputs],
    distros: rows.flatMap((r) => [r.id, ...r.releases.map((release) => `${r.id}:${release}`)]),
  };
}

function optionValues(command: string, option: Option, sources: ValueSources): Values {
  if (!option.required && !option.optional) return 'none';
  switch (option.attributeName()) {
    case 'from':
    case 'fromA':
    case 'fromB':
      return { words: sources.readableFormats };
    case 'to':
    case 'fromFormat':
      return { words: sources.writableFormats };
    case 'output':
      return { words: command === 'translate' ? sources.outputTypes : sources.buildableOutputs };
    case 'distro':
      return { words: sources.distros };
    case 'formatOption':
      return { words: FORMAT_OPTION_KEYS.map((k) => `${k.key}=`) };
    case 'outputDir':
    case 'cacheDir':
    case 'plugin':
      return 'dirs';
    case 'config':
      return 'files';
    default:
      return { words: [] };
  }
}

function argumentValues(command: string, arg: Argument): Values {
  if (command === 'list') return { words: [...LIST_TOPICS] };
  if (command === 'completion') return { words: [...SHELLS] };
  if (command === 'init') return 'dirs';
  return arg.argChoices ? { words: arg.argChoices } : 'files';
}

function optionModel(command: string, option: Option, sources: ValueSources): OptionModel {
  const placeholder = /[<[][^>\]]+[>\]]/.exec(option.flags)?.[0];
  return {
    ...(option.long ? { long: option.long } : {}),
    ...(option.short ? { short: option.short } : {}),
    ...(placeholder ? { argument: placeholder } : {}),
    repeatable: Array.isArray(option.defaultValue) || option.variadic,
    description: option.description,
    values: optionValues(command, option, sources),
  };
}

const visible = (o: Option) => !o.hidden;

export function programModel(program: Command, sources: ValueSources): ProgramModel {
  const commands: CommandModel[] = [];
  const add = (cmd: Command, prefix: string[], group?: Command) => {
    const name = [...prefix, cmd.name()].join(' ');
    if (cmd.commands.length) {
      for (const sub of cmd.commands) add(sub, [...prefix, cmd.name()], cmd);
      return;
    }
    commands.push({
      name,
      description: cmd.description(),
      ...(group ? { groupDescription: group.description() } : {}),
      options: cmd.options.filter(visible).map((o) => optionModel(name, o, sources)),
      arguments: cmd.registeredArguments.map((a) => ({
        name: a.name(),
        required: a.required,
        description: a.description,
        values: argumentValues(name, a),
      })),
    });
  };
  for (const cmd of program.commands) add(cmd, []);
  return {
    name: program.name(),
    description: program.description(),
    version: program.version() ?? '',
    options: program.options.filter(visible).map((o) => optionModel('', o, sources)),
    commands,
  };
}
