import { join } from 'node:path';

/**
 * Where a MANIFEST row's file is: `<owner>+<name>/<path>`, or under the folder its notes name
 * with `staged=<folder>` when one repository was staged at several commits.
 */
export function corpusFileOf(dir: string, row: Record<string, string>): string {
  const staged = /(?:^|;\s*)staged=([^;\s]+)/.exec(row.notes ?? '')?.[1];
  return join(dir, staged ?? row.repo!.replace('/', '+'), row.path!);
}
