/**
 * The `tar` output: a deterministic archive of the tree (GNU tar). Names sorted, numeric
 * owners exactly as in the tree (no host user names), pax headers without atime/ctime,
 * mtimes clamped to SOURCE_DATE_EPOCH; compressors run without names or timestamps.
 */
import type { Runner } from '../../backends/contract.js';

export type TarCompression = 'none' | 'gzip' | 'zstd' | 'xz';

export interface TarRequest {
  tree: string;
  dest: string;
  compression: TarCompression;
  sourceDateEpoch?: number;
  runner: Runner;
}

const compressors: Record<Exclude<TarCompression, 'none'>, string> = {
  gzip: 'gzip -n',
  zstd: 'zstd -T0 -3 -q',
  xz: 'xz -T0',
};

export function tarArguments(r: Omit<TarRequest, 'runner'>): string[] {
  const args = [
    '--create',
    `--file=${r.dest}`,
    `--directory=${r.tree}`,
    '--sort=name',
    '--format=pax',
    '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime',
    '--numeric-owner',
    '--xattrs',
    '--xattrs-include=*',
    '--acls',
    '--selinux',
  ];
  if (r.sourceDateEpoch !== undefined) args.push(`--mtime=@${r.sourceDateEpoch}`, '--clamp-mtime');
  if (r.compression !== 'none') args.push(`--use-compress-program=${compressors[r.compression]}`);
  args.push('.');
  return args;
}

export async function writeTarOutput(r: TarRequest): Promise<void> {
  await r.runner.run('tar', tarArguments(r), { env: { LC_ALL: 'C' } });
}
