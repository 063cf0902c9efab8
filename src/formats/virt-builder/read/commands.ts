/**
 * A virt-customize command file (--commands-from-file): one command a line, without the leading
 * "--", then a space and its argument; `#` comments, blank lines ignored, a line ending in "\"
 * continues on the next one (both joined without the backslash).
 */
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import type { SourcePosition } from '../../../ir/positions.js';
import { virtBuilderCodes } from '../codes.js';
import { COMMANDS } from '../vocabulary.js';

export interface Command {
  command: string;
  argument: string;
  at: SourcePosition;
}

export function parseCommands(
  text: string,
  file: string,
): { commands: Command[]; diagnostics: Diagnostic[] } {
  const commands: Command[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const at = { file, line: i + 1, column: 1 };
    // while the text so far ends in "\", drop it and append the next line; kept as parts (an
    // empty line adds nothing, so the part before it is the end again) so that a long run of
    // continued lines is not copied once per line
    const parts = [lines[i]!];
    for (;;) {
      while (parts.length > 1 && parts.at(-1) === '') parts.pop();
      if (!parts.at(-1)!.endsWith('\\') || i + 1 >= lines.length) break;
      parts.push(parts.pop()!.slice(0, -1), lines[++i]!);
    }
    const trimmed = parts.join('').trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const space = trimmed.search(/\s/);
    const command = space < 0 ? trimmed : trimmed.slice(0, space);
    const argument = space < 0 ? '' : trimmed.slice(space + 1).trimStart();
    if (!COMMANDS.has(command)) {
      diagnostics.push(diag(virtBuilderCodes.unknownCommand, { command }, at));
      continue;
    }
    commands.push({ command, argument, at });
  }
  return { commands, diagnostics };
}
