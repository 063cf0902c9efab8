/** JSON Pointer (RFC 6901) helpers; the IR's position table and loss reports are keyed by them. */

export function escapeToken(token: string | number): string {
  const text = String(token);
  if (!text.includes('~') && !text.includes('/')) return text;
  return text.replaceAll('~', '~0').replaceAll('/', '~1');
}

export function unescapeToken(token: string): string {
  return token.replaceAll('~1', '/').replaceAll('~0', '~');
}

export function pointer(...tokens: (string | number)[]): string {
  return tokens.map((t) => `/${escapeToken(t)}`).join('');
}

export function parsePointer(ptr: string): string[] {
  if (ptr === '') return [];
  if (!ptr.startsWith('/')) throw new Error(`not a JSON pointer: ${ptr}`);
  return ptr.slice(1).split('/').map(unescapeToken);
}

export function getAt(value: unknown, ptr: string): unknown {
  let cur: unknown = value;
  for (const token of parsePointer(ptr)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[token];
  }
  return cur;
}

/** Every leaf (scalar, or empty array/object) of a JSON value with its pointer, in document order. */
export function* leaves(value: unknown, prefix = ''): Generator<[string, unknown]> {
  if (Array.isArray(value)) {
    if (value.length === 0) return;
    for (let i = 0; i < value.length; i++) yield* leaves(value[i], `${prefix}/${i}`);
    return;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    for (const [k, v] of entries) yield* leaves(v, `${prefix}/${escapeToken(k)}`);
    return;
  }
  if (value === undefined) return;
  yield [prefix, value];
}

/**
 * Pointer patterns: `*` matches one token, `**` any number of tokens (also none).
 * `/packages/install/*\/name` matches `/packages/install/3/name`.
 */
export function matchesPattern(ptr: string, pattern: string): boolean {
  return matchesTokens(parsePointer(ptr), parsePointer(pattern));
}

/** matchesPattern on pointers and patterns already split into tokens. */
export function matchesTokens(p: readonly string[], q: readonly string[]): boolean {
  const match = (i: number, j: number): boolean => {
    if (j === q.length) return i === p.length;
    if (q[j] === '**') {
      for (let k = i; k <= p.length; k++) if (match(k, j + 1)) return true;
      return false;
    }
    if (i === p.length) return false;
    return (q[j] === '*' || q[j] === p[i]) && match(i + 1, j + 1);
  };
  return match(0, 0);
}

/** Can pattern `q` match `p` or something below it? (tokens as parsePointer gives them) */
export function reachesTokens(p: readonly string[], q: readonly string[]): boolean {
  for (let i = 0; i < p.length; i++) {
    const t = q[i];
    if (t === undefined) return false;
    if (t === '**') return true;
    if (t !== '*' && t !== p[i]) return false;
  }
  return true;
}
