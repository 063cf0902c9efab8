/** The reason a file-system call failed, as a diagnostic's `reason` parameter says it. */
export function reasonOf(e: unknown): string {
  if (e && typeof e === 'object' && 'code' in e && e.code === 'ENOENT') return 'no such file or folder';
  return e instanceof Error ? e.message : String(e);
}
