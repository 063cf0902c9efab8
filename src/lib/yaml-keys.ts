/**
 * Mapping keys that are not scalars (`? [a, b]: c`, `? ? ? x`). The `yaml` package prints such a
 * key into a string wherever a plain object is made of the map (toJSON, String), and a chain of
 * `? ` nests a key per step, each printed twice by the one above: 40 of them on a 100-byte line
 * made gigabytes. The tools behind these formats take string keys only.
 */
import { type Document, isAlias, isScalar, type Node, visit } from 'yaml';

/** The offset of the first key that is neither a scalar nor an alias of one, or undefined. */
export function complexKeyOffset(doc: Document): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key as Node | null;
      if (key === null || isScalar(key)) return undefined;
      if (isAlias(key) && isScalar(key.resolve(doc))) return undefined;
      offset = key.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}
