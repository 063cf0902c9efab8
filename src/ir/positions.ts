/** The IR's side table of source positions, keyed by JSON Pointer. */

export interface SourcePosition {
  file: string;
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
  endLine?: number;
  endColumn?: number;
}

export type PositionTable = Record<string, SourcePosition>;

/**
 * The position of a pointer, or of its nearest ancestor that has one: a field inside a
 * `<user>` element that has no position of its own points at the element.
 */
export function positionOf(table: PositionTable, ptr: string): SourcePosition | undefined {
  let cur = ptr;
  for (;;) {
    const pos = table[cur];
    if (pos) return pos;
    if (cur === '') return undefined;
    cur = cur.slice(0, cur.lastIndexOf('/'));
  }
}
