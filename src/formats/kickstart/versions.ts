/**
 * Version handlers: which commands, sections and options a kickstart version knows, read
 * from the generated table in `version-data.ts`, and an option parser that follows
 * pykickstart's argparse rules (`--opt value` = `--opt=value`, unique prefixes accepted).
 */
import type { KsWord } from './lexer.js';
import { type CommandEntry, OPTION_SETS, VERSION_DATA } from './version-data.js';

/** pykickstart's version numbers: they order versions by age, RHEL between its Fedora neighbours. */
const VERSION_ORDER = {
  RHEL5: 4100,
  F7: 5000,
  F8: 6000,
  F9: 7000,
  F10: 8000,
  F11: 9000,
  F12: 10000,
  F13: 11000,
  RHEL6: 11100,
  F14: 12000,
  F15: 13000,
  F16: 14000,
  F17: 15000,
  F18: 16000,
  F19: 17000,
  F20: 18000,
  F21: 19000,
  RHEL7: 19100,
  F22: 20000,
  F23: 21000,
  F24: 22000,
  F25: 23000,
  F26: 24000,
  F27: 25000,
  F28: 26000,
  RHEL8: 26100,
  F29: 27000,
  F30: 30000,
  F31: 31000,
  F32: 32000,
  F33: 33000,
  F34: 34000,
  RHEL9: 34100,
  F35: 35000,
  F36: 36000,
  F37: 37000,
  F38: 38000,
  F39: 39000,
  F40: 40000,
  RHEL10: 40100,
  F41: 41000,
  F42: 42000,
  F43: 43000,
  F44: 44000,
  F45: 45000,
} as const;

export type KsVersion = keyof typeof VERSION_ORDER;
/** every supported version, oldest first */
export const KS_VERSIONS = (Object.keys(VERSION_ORDER) as KsVersion[]).sort(
  (a, b) => VERSION_ORDER[a] - VERSION_ORDER[b],
);
export const DEFAULT_KS_VERSION: KsVersion = 'F45';
export const OLDEST_FEDORA = 7;
export const NEWEST_FEDORA = 45;

/** The supported versions as ranges, for messages. */
export const SUPPORTED_VERSIONS = `F${OLDEST_FEDORA}–F${NEWEST_FEDORA}, RHEL5–RHEL10 (DEVEL = ${DEFAULT_KS_VERSION})`;

/** Whether `version` is `since` or newer (pykickstart's `version >= since`). */
export function isAtLeast(version: KsVersion, since: KsVersion): boolean {
  return VERSION_ORDER[version] >= VERSION_ORDER[since];
}

export function isRhel(version: KsVersion): boolean {
  return version.startsWith('RHEL');
}

/** `F43`, `f43`, `fedora43`, `RHEL9`, `rhel-9`, `centos7`, `DEVEL` → a supported version, or undefined. */
export function resolveVersion(name: string): KsVersion | undefined {
  const n = name.trim().toUpperCase().replace(/[-_ ]/g, '');
  if (n === 'DEVEL' || n === 'RAWHIDE') return DEFAULT_KS_VERSION;
  const m =
    /^(F|FC|FEDORA|RHEL|EL|CENTOS|CENTOSSTREAM|ALMALINUX|ALMA|ROCKY|ROCKYLINUX|OL|ORACLELINUX)(\d+)$/.exec(n);
  if (!m) return undefined;
  const family = m[1]!.startsWith('F') ? 'F' : 'RHEL';
  const candidate = `${family}${Number(m[2])}`;
  return candidate in VERSION_ORDER ? (candidate as KsVersion) : undefined;
}

export interface OptionSpec {
  names: string[];
  /** 'none' = a flag */
  value: 'none' | 'required' | 'optional';
  required: boolean;
  deprecated: boolean;
}

export interface CommandSpec {
  options: OptionSpec[];
  /** positional argument names with their argparse nargs */
  positionals: { name: string; nargs: string }[];
}

const specCache = new Map<number, CommandSpec>();

function specOf(index: number): CommandSpec {
  const cached = specCache.get(index);
  if (cached) return cached;
  const spec: CommandSpec = { options: [], positionals: [] };
  for (const item of OPTION_SETS[index] ?? []) {
    const pos = /^<(.+):(.+)>$/.exec(item);
    if (pos) {
      spec.positionals.push({ name: pos[1]!, nargs: pos[2]! });
      continue;
    }
    const m = /^([^=!~]+)(=\??)?(!)?(~)?$/.exec(item)!;
    spec.options.push({
      names: m[1]!.split('|'),
      value: m[2] === '=' ? 'required' : m[2] === '=?' ? 'optional' : 'none',
      required: Boolean(m[3]),
      deprecated: Boolean(m[4]),
    });
  }
  specCache.set(index, spec);
  return spec;
}

export type CommandStatus =
  | { status: 'ok'; spec: CommandSpec }
  | { status: 'deprecated' | 'removed' | 'unknown' };

export function commandStatus(version: KsVersion, name: string): CommandStatus {
  const commands = VERSION_DATA[version]?.commands;
  // the generated tables are plain objects: `constructor` is no command
  const entry: CommandEntry | undefined =
    commands && Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (entry === undefined) return { status: 'unknown' };
  if (entry === 'deprecated' || entry === 'removed') return { status: entry };
  return { status: 'ok', spec: specOf(entry) };
}

export function sectionSpec(version: KsVersion, name: string): CommandSpec | undefined | null {
  const sections = VERSION_DATA[version]?.sections;
  const index = sections && Object.hasOwn(sections, name) ? sections[name] : undefined;
  if (index === undefined) return undefined;
  return index < 0 ? null : specOf(index);
}

export function sectionNames(version: KsVersion): string[] {
  return Object.keys(VERSION_DATA[version]?.sections ?? {});
}

export function knownCommands(version: KsVersion): string[] {
  return Object.keys(VERSION_DATA[version]?.commands ?? {});
}

/** One option as given: its canonical (first) name, the name written, its value. */
export interface GivenOption {
  name: string;
  written: string;
  value?: string;
  word: KsWord;
}

export interface ParsedArgs {
  options: GivenOption[];
  positionals: KsWord[];
}

export type ArgProblem =
  | { kind: 'unknown-option'; word: KsWord; option: string }
  | { kind: 'ambiguous-option'; word: KsWord; option: string; candidates: string[] }
  | { kind: 'needs-value'; word: KsWord; option: string }
  | { kind: 'flag-with-value'; word: KsWord; option: string }
  | { kind: 'deprecated-option'; word: KsWord; option: string }
  | { kind: 'missing-required'; option: string }
  | { kind: 'unexpected-argument'; word: KsWord };

/** Splits a command's words into options and positionals; problems are reported, not thrown. */
export function parseArgs(
  spec: CommandSpec,
  words: readonly KsWord[],
): { args: ParsedArgs; problems: ArgProblem[] } {
  const args: ParsedArgs = { options: [], positionals: [] };
  const problems: ArgProblem[] = [];
  let onlyPositionals = isFreeForm(spec);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const text = word.value;
    if (onlyPositionals || !looksLikeOption(spec, text)) {
      args.positionals.push(word);
      continue;
    }
    if (text === '--') {
      onlyPositionals = true;
      continue;
    }
    const eq = text.indexOf('=');
    const written = eq >= 0 ? text.slice(0, eq) : text;
    const found = findOption(spec, written);
    if (found.kind === 'none') {
      problems.push({ kind: 'unknown-option', word, option: written });
      continue;
    }
    if (found.kind === 'ambiguous') {
      problems.push({ kind: 'ambiguous-option', word, option: written, candidates: found.candidates });
      continue;
    }
    const opt = found.option;
    const given: GivenOption = { name: opt.names[0]!, written, word };
    if (opt.value === 'none') {
      if (eq >= 0) {
        problems.push({ kind: 'flag-with-value', word, option: written });
        continue;
      }
    } else if (eq >= 0) given.value = text.slice(eq + 1);
    else {
      const next = words[i + 1];
      if (next && !looksLikeOption(spec, next.value)) {
        given.value = next.value;
        i++;
      } else if (opt.value === 'required') {
        problems.push({ kind: 'needs-value', word, option: written });
        continue;
      }
    }
    if (opt.deprecated) problems.push({ kind: 'deprecated-option', word, option: written });
    args.options.push(given);
  }
  for (const opt of spec.options) {
    if (opt.required && !args.options.some((g) => g.name === opt.names[0])) {
      problems.push({ kind: 'missing-required', option: opt.names[0]! });
    }
  }
  if (spec.options.length === 0 && spec.positionals.length === 0) {
    for (const word of args.positionals) problems.push({ kind: 'unexpected-argument', word });
  }
  return { args, problems };
}

/** Commands such as authselect, realm and auth hand their whole line on unparsed. */
export function isFreeForm(spec: CommandSpec): boolean {
  return (
    spec.options.length === 0 && spec.positionals.length === 1 && spec.positionals[0]!.name === 'options'
  );
}

/** argparse's test: `-x`-like words are options, except negative numbers and words with a space. */
function looksLikeOption(spec: CommandSpec, text: string): boolean {
  if (!text.startsWith('-') || text === '-') return false;
  if (text === '--') return true;
  const name = text.includes('=') ? text.slice(0, text.indexOf('=')) : text;
  if (spec.options.some((o) => o.names.includes(name))) return true;
  if (/^-\d+$|^-\d*\.\d+$/.test(text)) return false;
  return !text.includes(' ');
}

type Found =
  | { kind: 'one'; option: OptionSpec }
  | { kind: 'none' }
  | { kind: 'ambiguous'; candidates: string[] };

function findOption(spec: CommandSpec, written: string): Found {
  for (const opt of spec.options) if (opt.names.includes(written)) return { kind: 'one', option: opt };
  if (!written.startsWith('--')) return { kind: 'none' };
  const matches = spec.options.filter((o) => o.names.some((n) => n.startsWith(written)));
  if (matches.length === 1) return { kind: 'one', option: matches[0]! };
  if (matches.length > 1) {
    return {
      kind: 'ambiguous',
      candidates: matches.flatMap((o) => o.names.filter((n) => n.startsWith(written))),
    };
  }
  return { kind: 'none' };
}

/** All names (canonical first) of the option that `name` denotes in `spec`. */
export function aliasesOf(spec: CommandSpec, name: string): string[] {
  return spec.options.find((o) => o.names.includes(name))?.names ?? [name];
}

/** Whether `version` accepts `--option` on `command` (a section name such as `%packages` too). */
export function hasOption(version: KsVersion, command: string, option: string): boolean {
  const spec = command.startsWith('%') ? sectionSpec(version, command) : specOfCommand(version, command);
  return Boolean(spec?.options.some((o) => o.names.includes(option) && !o.deprecated));
}

function specOfCommand(version: KsVersion, command: string): CommandSpec | undefined {
  const s = commandStatus(version, command);
  return s.status === 'ok' ? s.spec : undefined;
}
