import { createHash, randomUUID } from 'node:crypto';

/**
 * UUIDs for the disk, its partitions and filesystems: random by default; derived from a seed
 * (the output step's hash, which covers the plan before it) in a reproducible build, so that
 * rebuilding one plan gives the same ids and two different images get different ones.
 */
export function uuidSource(seed: string | undefined): (label: string) => string {
  if (seed === undefined) return () => randomUUID();
  return (label) => {
    const h = createHash('sha256').update(`${seed}\0${label}`).digest();
    h[6] = (h[6]! & 0x0f) | 0x40;
    h[8] = (h[8]! & 0x3f) | 0x80;
    const x = h.subarray(0, 16).toString('hex');
    return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
  };
}
