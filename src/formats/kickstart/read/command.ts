/** A command checked against its version: options by canonical name, and what is left over. */

import type { KsWord } from '../lexer.js';
import { aliasesOf, type CommandSpec, type GivenOption } from '../versions.js';
import type { KsLocation } from './document.js';

export class CheckedCommand {
  constructor(
    readonly name: string,
    readonly at: KsLocation,
    readonly spec: CommandSpec,
    readonly options: GivenOption[],
    readonly positionals: KsWord[],
  ) {}

  private canonical(name: string): string {
    return aliasesOf(this.spec, name)[0]!;
  }

  has(name: string): boolean {
    const c = this.canonical(name);
    return this.options.some((o) => o.name === c);
  }

  /** the last value given for the option (argparse: last wins) */
  value(name: string): string | undefined {
    const c = this.canonical(name);
    let out: string | undefined;
    for (const o of this.options) if (o.name === c) out = o.value ?? out;
    return out;
  }

  /** every value given for the option, comma lists split */
  list(name: string): string[] {
    const c = this.canonical(name);
    return this.options
      .filter((o) => o.name === c && o.value !== undefined)
      .flatMap((o) => splitList(o.value!));
  }

  locationOf(name: string): KsLocation {
    const c = this.canonical(name);
    const o = this.options.find((g) => g.name === c);
    return o ? { ...this.at, column: o.word.column } : this.at;
  }

  /** the options not named in `consumed`, as `--name=value` / `--flag` in source order */
  rest(consumed: readonly string[]): string[] {
    const used = new Set(consumed.map((n) => this.canonical(n)));
    return this.options.filter((o) => !used.has(o.name)).map(renderOption);
  }
}

export function renderOption(o: GivenOption): string {
  return o.value === undefined ? o.name : `${o.name}=${o.value}`;
}

export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
