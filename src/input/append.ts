/**
 * `target.push(...items)` without the argument limit: spreading some 120,000 items overflows the
 * stack, and a hostile definition can hold that many words on a line or lines in a script.
 */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

type ListItem<L> = NonNullable<L> extends readonly (infer E)[] ? E : never;

/**
 * `owner[key] = [...(owner[key] ?? []), ...items]` in linear time: appends in place, creating the
 * list when absent. Reader code only, where the list was made by the same reader and is shared
 * with nothing else; a list copied from elsewhere must be copied before it is appended to.
 */
export function appendToField<O extends object, K extends keyof O>(
  owner: O,
  key: K,
  items: Iterable<ListItem<O[K]>>,
): ListItem<O[K]>[] {
  const list = (owner[key] ?? []) as ListItem<O[K]>[];
  owner[key] = list as O[K];
  return appendAll(list, items);
}
