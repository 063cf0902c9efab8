/**
 * A constant lookup table without Object's prototype, so that `table[key]` for a key read from
 * a definition (`constructor`, `toString`, `__proto__`) is undefined rather than an inherited
 * function. Found by fuzzing: a kickstart command `constructor`, an mkosi key `toString=` and a
 * Containerfile `LABEL valueOf=x` crashed readers or made an invalid IR.
 */
export function lookupTable<R extends object>(entries: R): R {
  return Object.assign(Object.create(null) as R, entries);
}
