/**
 * How the package managers themselves read a boolean in the repository files that several
 * readers meet (a Containerfile's COPY, an mkosi tree), so both readers agree with the tool.
 */

/** libdnf: `1`, `yes`, `true` and `on` are true, in any case. */
export function dnfBoolean(value: string): boolean {
  return /^(1|yes|true|on)$/i.test(value.trim());
}

/** apt (deb822 `Enabled:`): `yes`, `true`, `with`, `on`, `enable` or a non-zero number are true. */
export function aptBoolean(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (/^\d+$/.test(v)) return Number(v) !== 0;
  return ['yes', 'true', 'with', 'on', 'enable'].includes(v);
}
