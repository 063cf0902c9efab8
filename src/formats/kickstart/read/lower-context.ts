/** What lowering a Kickstart document accumulates: the IR, positions, diagnostics and extension data. */
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { emptyIr } from '../../../ir/empty.js';
import type { PositionTable } from '../../../ir/positions.js';
import { kickstartCodes } from '../codes.js';
import type { KickstartExtension } from '../extension.js';
import type { KsVersion } from '../versions.js';
import type { CheckedCommand } from './command.js';
import type { KsLocation } from './document.js';

export class LowerContext {
  readonly ir = emptyIr();
  readonly positions: PositionTable = {};
  readonly diagnostics: Diagnostic[] = [];
  readonly ext: KickstartExtension = {};
  constructor(readonly version: KsVersion) {}

  place(pointer: string, at: KsLocation): void {
    this.positions[pointer] = { file: at.file, line: at.line, column: at.column };
  }

  keepOptions(pointer: string, options: string[], always = false): void {
    if (options.length === 0 && !always) return;
    this.ext.options ??= {};
    this.ext.options[pointer] = options;
  }

  ref(pointer: string, name: string): void {
    this.ext.refs ??= {};
    this.ext.refs[pointer] = name;
  }

  invalid(cmd: CheckedCommand, option: string, value: string, expected: string): void {
    this.diagnostics.push(
      diag(
        kickstartCodes.invalidValue,
        { command: cmd.name, option, value, expected },
        cmd.locationOf(option),
      ),
    );
  }

  integer(cmd: CheckedCommand, option: string): number | undefined {
    const v = cmd.value(option);
    if (v === undefined) return undefined;
    // sizes are MiB and become bytes: a number past 2^53 / 2^20 has no exact byte count
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v) * 1024 * 1024)) {
      this.invalid(cmd, option, v, 'a whole number (below 2^33)');
      return undefined;
    }
    return Number(v);
  }
}
