/** What a command file needs to add itself to the program: one `register…(program, ctx)` line in main.ts. */
import type { Command } from 'commander';
import type { FormatRegistry } from '../formats/registry.js';
import type { Io } from './output.js';

export interface CommandContext {
  io: Io;
  registry: FormatRegistry;
  exit: { code: number };
  withFormatFlags: (cmd: Command) => Command;
}
