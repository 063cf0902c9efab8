import { type CodeDef, diag } from '../../../diagnostics/define.js';
import type { Diagnostic, Location } from '../../../diagnostics/types.js';
import { emptyIr } from '../../../ir/empty.js';
import { escapeToken } from '../../../ir/pointer.js';
import { type PositionTable, positionOf } from '../../../ir/positions.js';
import type { ImageIR } from '../../../ir/schema.js';
import { closest } from '../../../lib/closest.js';
import { blueprintCodes } from '../codes.js';

export type Table = Record<string, unknown>;

/** State of one lowering: the IR being built, where its fields came from, what was found wrong. */
export class LowerContext {
  readonly ir: ImageIR = emptyIr();
  readonly positions: PositionTable = {};
  readonly diagnostics: Diagnostic[] = [];
  /** unknown keys kept verbatim, by their pointer in the blueprint document */
  readonly unknown: Record<string, unknown> = {};

  constructor(
    readonly file: string,
    private readonly docPositions: PositionTable,
    /** pointer of the blueprint object inside the document (non-empty for wrapped dialects) */
    readonly base: string,
  ) {}

  at(docPtr: string): Location {
    return positionOf(this.docPositions, this.base + docPtr) ?? { file: this.file, line: 1, column: 1 };
  }

  /** Records that IR field `irPtr` came from blueprint field `docPtr`. */
  map(irPtr: string, docPtr: string): void {
    this.positions[irPtr] = { ...this.at(docPtr), file: this.file } as PositionTable[string];
  }

  report<D extends CodeDef<any>>(
    def: D,
    params: Parameters<D['message']>[0],
    docPtr: string,
    irPtr?: string,
  ): void {
    const extra = { source: 'blueprint', ...(irPtr ? { pointer: irPtr } : {}) };
    this.diagnostics.push((diag as any)(def, params, this.at(docPtr), extra));
  }

  /** Warns about keys outside `known` and keeps their values as extension data. */
  checkKeys(table: Table, known: readonly string[], docPtr: string, where: string): void {
    for (const key of Object.keys(table)) {
      if (known.includes(key)) continue;
      const suggestion = closest(key, known, () => 2);
      const ptr = `${docPtr}/${escapeToken(key)}`;
      this.diagnostics.push(
        diag(blueprintCodes.unknownKey, { key, where }, this.at(ptr), {
          source: 'blueprint',
          hint: suggestion ? `did you mean "${suggestion}"?` : undefined,
        }),
      );
      this.unknown[ptr] = table[key];
    }
  }

  // Typed field readers: a wrong type is a positioned error and the field is skipped.

  str(table: Table, key: string, docPtr: string): string | undefined {
    const v = table[key];
    if (v === undefined) return undefined;
    if (typeof v === 'string') return v;
    this.wrongType(key, 'a string', v, `${docPtr}/${escapeToken(key)}`);
    return undefined;
  }

  bool(table: Table, key: string, docPtr: string): boolean | undefined {
    const v = table[key];
    if (v === undefined) return undefined;
    if (typeof v === 'boolean') return v;
    this.wrongType(key, 'true or false', v, `${docPtr}/${escapeToken(key)}`);
    return undefined;
  }

  int(table: Table, key: string, docPtr: string): number | undefined {
    const v = table[key];
    if (v === undefined) return undefined;
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (typeof v === 'bigint') return Number(v);
    this.wrongType(key, 'an integer', v, `${docPtr}/${escapeToken(key)}`);
    return undefined;
  }

  strList(table: Table, key: string, docPtr: string): string[] | undefined {
    const v = table[key];
    if (v === undefined) return undefined;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    this.wrongType(key, 'a list of strings', v, `${docPtr}/${escapeToken(key)}`);
    return undefined;
  }

  table(table: Table, key: string, docPtr: string): Table | undefined {
    const v = table[key];
    if (v === undefined) return undefined;
    if (isTable(v)) return v;
    this.wrongType(key, 'a table', v, `${docPtr}/${escapeToken(key)}`);
    return undefined;
  }

  tables(table: Table, key: string, docPtr: string): Table[] {
    const v = table[key];
    if (v === undefined) return [];
    if (Array.isArray(v) && v.every(isTable)) return v as Table[];
    this.wrongType(key, `an array of tables ([[${key}]])`, v, `${docPtr}/${escapeToken(key)}`);
    return [];
  }

  private wrongType(field: string, expected: string, found: unknown, docPtr: string): void {
    this.report(blueprintCodes.wrongType, { field, expected, found: describe(found) }, docPtr);
  }
}

export function isTable(v: unknown): v is Table {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
}

export function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (isTable(v)) return 'a table';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  return `${typeof v} ${String(v)}`;
}
