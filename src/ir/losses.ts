import { escapeToken, matchesTokens, parsePointer, reachesTokens } from './pointer.js';

/**
 * The parts of `value` that no capability pattern covers, as JSON Pointers. A subtree that
 * no pattern can reach is reported once, at its root (each item, for a list), rather than
 * leaf by leaf.
 */
export function uncoveredPointers(value: unknown, capabilities: readonly string[]): string[] {
  const out: string[] = [];
  // patterns are parsed once per capability table, and each level keeps only those that can
  // still reach it: a large IR (thousands of packages) costs nodes × live patterns
  const all = compiledTable(capabilities);
  const walk = (node: unknown, ptr: string, tokens: string[], candidates: readonly Pattern[]) => {
    if (node === undefined) return;
    const live = tokens.length ? candidates.filter((q) => reachesLast(tokens, q)) : candidates;
    // a live pattern ending in `**` whose `**` is reached covers all below (`/**` is all of the IR)
    if (live.some((q) => q.trailingStar && q.starAt <= tokens.length)) return;
    if (ptr !== '' && live.length === 0) {
      // list items are reported one by one: each has its own source line
      if (Array.isArray(node)) {
        for (const [i, item] of node.entries()) if (!isEmpty(item)) out.push(`${ptr}/${i}`);
      } else if (!isEmpty(node)) out.push(ptr);
      return;
    }
    // one token stack for the whole walk: a copy per node was most of the walk's allocation
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        tokens.push(String(i));
        walk(node[i], `${ptr}/${i}`, tokens, live);
        tokens.pop();
      }
    } else if (node !== null && typeof node === 'object')
      for (const [k, child] of Object.entries(node as Record<string, unknown>)) {
        tokens.push(k);
        walk(child, `${ptr}/${escapeToken(k)}`, tokens, live);
        tokens.pop();
      }
    else if (!live.some((q) => matchesTokens(tokens, q.tokens))) out.push(ptr);
  };
  walk(value, '', [], all);
  return out;
}

/** Writers hand out the same capability array for every translation: compile it once. */
const compiledTables = new WeakMap<readonly string[], readonly Pattern[]>();

function compiledTable(capabilities: readonly string[]): readonly Pattern[] {
  let table = compiledTables.get(capabilities);
  if (!table) {
    table = capabilities.map(compilePattern);
    compiledTables.set(capabilities, table);
  }
  return table;
}

interface Pattern {
  tokens: string[];
  /** index of the first `**`, or -1 */
  starAt: number;
  /** the pattern's only `**` is its last token */
  trailingStar: boolean;
}

function compilePattern(pattern: string): Pattern {
  const tokens = parsePointer(pattern);
  const starAt = tokens.indexOf('**');
  return { tokens, starAt, trailingStar: starAt >= 0 && starAt === tokens.length - 1 };
}

/** mayReach for a pointer whose parent the pattern already reaches: only the last token is new. */
function reachesLast(tokens: readonly string[], q: Pattern): boolean {
  const i = tokens.length - 1;
  if (q.starAt >= 0 && q.starAt <= i) return true;
  const t = q.tokens[i];
  return t !== undefined && (t === '*' || t === tokens[i]);
}

/** Can `pattern` match `ptr` or something below it? */
export function mayReach(ptr: string, pattern: string): boolean {
  return reachesTokens(parsePointer(ptr), parsePointer(pattern));
}

function isEmpty(v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 0;
  if (v !== null && typeof v === 'object')
    return Object.values(v).every((x) => x === undefined || isEmpty(x));
  return false;
}
