/**
 * Mapping keys that are not scalars (`? [a, b]: c`, `? ? ? x`). The `yaml` package prints such a
 * key into a string wherever a plain object is made of the map (toJSON, String), and a chain of
 * `? ` nests a key per step, each printed twice by the one above: 40 of them on a 100-byte line
 * made gigabytes. The tools behind these formats take string keys only.
 */
import { type Alias, type Document, isAlias, isScalar, type Node, visit } from 'yaml';
import { aliasTargets } from './yaml-aliases.js';

/** The offset of the first key that is neither a scalar nor an alias of one, or undefined. */
export function complexKeyOffset(doc: Document): number | undefined {
  let offset: number | undefined;
  let targets: Map<Alias, Node | undefined> | undefined;
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key as Node | null;
      if (key === null || isScalar(key)) return undefined;
      if (isAlias(key)) {
        // one walk for all alias keys: key.resolve(doc) walks the document per key
        targets ??= aliasTargets(doc);
        if (isScalar(targets.get(key))) return undefined;
      }
      offset = key.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}
