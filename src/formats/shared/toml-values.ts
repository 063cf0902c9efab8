/**
 * TOML has no null: the TOML writers (blueprint, bib config.toml) take nulls out of extension
 * data they pass through, and name each one, so nothing is dropped without a word.
 */

/** A copy of `value` without nulls (and undefined); `dropped` gets the TOML path of each null. */
export function withoutNulls(value: unknown, dropped: (path: string) => void, path = ''): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    value.forEach((item, i) => {
      if (item === null || item === undefined) dropped(`${path}[${i}]`);
      else out.push(withoutNulls(item, dropped, `${path}[${i}]`));
    });
    return out;
  }
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${tomlKey(key)}` : tomlKey(key);
    if (item === null) dropped(at);
    else if (item !== undefined)
      Object.defineProperty(out, key, {
        value: withoutNulls(item, dropped, at),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return out;
}

function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}
