/**
 * `target.push(...items)` without the argument limit: spreading some 120,000 items overflows the
 * stack, and a hostile definition can hold that many words on a line or lines in a script.
 */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}
