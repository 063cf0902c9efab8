import { lookupTable } from '../lib/lookup-table.js';

/** Byte sizes written as integers or as a number with a unit ("20 GiB", "512MiB", "1 GB"). */

const UNITS: Record<string, number> = lookupTable({
  B: 1,
  kB: 1000,
  KB: 1000,
  KiB: 1024,
  MB: 1000 ** 2,
  MiB: 1024 ** 2,
  GB: 1000 ** 3,
  GiB: 1024 ** 3,
  TB: 1000 ** 4,
  TiB: 1024 ** 4,
});

/** Bytes from an integer or a string such as "20 GiB"; undefined when unreadable. */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value === 'bigint')
    return value >= 0n && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$/.exec(value);
  if (!m) return undefined;
  const unit = m[2] || 'B';
  const factor = UNITS[unit];
  if (factor === undefined) return undefined;
  const bytes = Math.round(Number(m[1]) * factor);
  // a size no IR integer can hold (1e30 GiB) is unreadable, not Infinity
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** The shortest exact "N Unit" spelling of a byte count, in binary units. */
export function formatSize(bytes: number): string | number {
  for (const [unit, factor] of [
    ['TiB', 1024 ** 4],
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= factor && bytes % factor === 0) return `${bytes / factor} ${unit}`;
  }
  return bytes;
}
