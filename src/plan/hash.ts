import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so equal data always hashes equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Bumped when an executor starts producing a different tree from the same step options (for
 * example how the Debian bootstrap makes the initramfs), so trees cached by an older imgc are
 * not reused as if they were the same. 2: initramfs made once, dpkg path filters pruned.
 * 3: the Debian bootstrap merges /usr with mmdebstrap's hook (usr-is-merged, not usrmerge).
 * 4: the Debian bootstrap removes mmdebstrap's 99mmdebstrap apt and dpkg settings (build options
 * such as force-unsafe-io that the image kept for good).
 */
export const STEP_REVISION = 4;

/**
 * A step id: the first 16 hex digits of sha256(revision, type, options, input ids and, when
 * there are any, the ids of the steps it runs after).
 */
export function stepId(
  type: string,
  options: unknown,
  inputs: readonly string[],
  after: readonly string[] = [],
): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        revision: STEP_REVISION,
        type,
        options,
        inputs,
        after: after.length ? after : undefined,
      }),
    )
    .digest('hex')
    .slice(0, 16);
}
