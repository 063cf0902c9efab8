/** Spelling suggestions: the known name nearest to a misspelt one. */

/** How far a word may be from a candidate and still count as a likely typo of it. */
export type TypoReach = (word: string) => number;

/** A third of the word's length, at least one edit: short names need a near match. */
export const proportionalReach: TypoReach = (word) => Math.max(1, Math.floor(word.length / 3));

/** The candidate nearest to `word` (case-insensitive), when it is within `reach` edits. */
export function closest(
  word: string,
  candidates: readonly string[],
  reach: TypoReach = proportionalReach,
): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = word.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= reach(word) ? best : undefined;
}

/** Levenshtein distance with one row of memory. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
