/**
 * imgc.1, generated from the command tree (`npm run man` writes man/imgc.1): every command,
 * argument and option with its help text, the exit codes, the environment and the files.
 */
import type { ArgumentModel, CommandModel, OptionModel, ProgramModel } from './command-model.js';
import { EXIT_CODE_TABLE } from './output.js';
import { USER_SETTINGS } from './user-config.js';

/** Text safe in roff: backslashes doubled, dashes as \-, no line starting with a control character. */
function roff(text: string): string {
  return (
    text
      .replace(/\\/g, '\\e')
      .replace(/-/g, '\\-')
      .replace(/`([^`]+)`/g, '\\fB$1\\fR')
      .replace(/^([.'])/gm, '\\&$1')
      // groff reads its input as Latin-1 unless told otherwise: anything else as a \[uXXXX] escape
      .replace(
        /[^\x20-\x7e\n]/gu,
        (c) => `\\[u${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`,
      )
  );
}

const bold = (s: string) => `\\fB${roff(s)}\\fR`;
const italic = (s: string) => `\\fI${roff(s)}\\fR`;

function optionHead(o: OptionModel): string {
  const names = [o.short, o.long]
    .filter((n): n is string => Boolean(n))
    .map(bold)
    .join(', ');
  return o.argument ? `${names} ${italic(o.argument.replace(/[<>[\]]/g, ''))}` : names;
}

function optionItems(options: readonly OptionModel[]): string[] {
  return options.flatMap((o) => [
    '.TP',
    optionHead(o),
    roff(o.repeatable && !o.description.includes('repeat') ? `${o.description} (repeatable)` : o.description),
  ]);
}

function argumentText(a: ArgumentModel): string {
  return a.required ? italic(a.name) : `[${italic(a.name)}]`;
}

function commandSection(c: CommandModel): string[] {
  const synopsis = [bold(`imgc ${c.name}`), ...c.arguments.map(argumentText), '[\\fIoptions\\fR]'].join(' ');
  const args = c.arguments.flatMap((a) => ['.TP', italic(a.name), roff(a.description)]);
  return [
    '.SS',
    `${roff(c.name)}`,
    synopsis,
    '.br',
    roff(c.description),
    '.RS',
    ...args,
    ...optionItems(c.options),
    '.RE',
  ];
}

export function manPage(model: ProgramModel, date: string): string {
  const exitRows = EXIT_CODE_TABLE.flatMap((e) => ['.TP', bold(String(e.code)), roff(e.meaning)]);
  const environment = [
    ...USER_SETTINGS.flatMap((s) => [
      '.TP',
      bold(s.env),
      roff(`default for ${s.flag} when the flag is not given (overrides ${s.key} in the user config file)`),
    ]),
    '.TP',
    bold('IMGC_USER_CONFIG'),
    roff('the user config file to read instead of $XDG_CONFIG_HOME/imgc/config.toml; empty: read none'),
    '.TP',
    bold('IMGC_CONFIG'),
    roff('an imgc.config.json whose plugins are loaded, as --config'),
    '.TP',
    bold('SOURCE_DATE_EPOCH'),
    roff("timestamp written into archives; default: the definition file's modification time"),
  ];
  return [
    `.TH IMGC 1 "${date}" "imgc ${roff(model.version)}" "User Commands"`,
    '.SH NAME',
    `imgc \\- ${roff(model.description)}`,
    '.SH SYNOPSIS',
    `${bold('imgc')} [\\fIglobal options\\fR] \\fIcommand\\fR [\\fIarguments\\fR] [\\fIoptions\\fR]`,
    '.SH DESCRIPTION',
    roff(
      "imgc reads OS image definitions (KIWI, mkosi, Kickstart, osbuild blueprints, bootc Containerfiles and its own IR), translates between them reporting every field the target cannot hold, plans and builds images with the distributions' own package managers.",
    ),
    '.SH GLOBAL OPTIONS',
    ...optionItems(model.options),
    '.SH COMMANDS',
    roff(
      'Every command takes -q/--quiet (errors only) and -v/--verbose (also what imgc read and decided, and every line build tools print).',
    ),
    ...model.commands.flatMap(commandSection),
    '.SH EXIT STATUS',
    ...exitRows,
    '.SH ENVIRONMENT',
    ...environment,
    '.SH FILES',
    '.TP',
    italic('$XDG_CONFIG_HOME/imgc/config.toml'),
    roff(
      `the user config file (default ~/.config/imgc/config.toml): ${USER_SETTINGS.map((s) => s.key).join(', ')}; values only, never plugins or code; flags and environment variables win over it`,
    ),
    '.SH SEE ALSO',
    `${bold('mkosi')}(1), ${bold('kiwi-ng')}(8), ${bold('ksvalidator')}(1)`,
    '',
  ]
    .flatMap((line) => (line.startsWith('.') ? [line] : wrap(line)))
    .join('\n');
}

/** Text lines of at most 78 characters, broken at spaces (roff fills them again). */
function wrap(line: string): string[] {
  const lines: string[] = [];
  let rest = line;
  while (rest.length > 78) {
    const at = rest.lastIndexOf(' ', 78);
    if (at <= 0) break;
    lines.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  return [...lines, rest].map((l) => (/^[.']/.test(l) ? `\\&${l}` : l));
}
