/**
 * `mkfs.ext4 -d` copies each source file's atime and ctime into its inode, and those differ
 * between two trees built at different times (ctime cannot be set from user space, reading a
 * file moves its atime). For a reproducible filesystem a `debugfs -w` pass sets both to the
 * epoch on every inode in use; mtimes are the tree's, already clamped by finalize.
 */
import { runTool } from './run.js';

export interface InodeRange {
  first: number;
  last: number;
}

/** Inodes in use from `dumpe2fs` output: each group's range minus its "Free inodes:" list. */
export function usedInodes(dump: string): InodeRange[] {
  const perGroup = Number(/^Inodes per group:\s+(\d+)/m.exec(dump)?.[1]);
  if (!Number.isInteger(perGroup) || perGroup <= 0) throw new Error('dumpe2fs printed no "Inodes per group"');
  const used: InodeRange[] = [];
  let group = 0;
  for (const m of dump.matchAll(/^[ \t]+Free inodes: ?(.*)$/gm)) {
    const start = group * perGroup + 1;
    const end = (group + 1) * perGroup;
    let next = start;
    const free = m[1]!
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const span of free) {
      const [a, b] = span.split('-').map(Number) as [number, number | undefined];
      if (a > next) used.push({ first: next, last: a - 1 });
      next = (b ?? a) + 1;
    }
    if (next <= end) used.push({ first: next, last: end });
    group++;
  }
  return used;
}

/** The debugfs commands that set atime and ctime of every inode in `ranges` to `epoch`. */
export function timeScript(ranges: InodeRange[], epoch: number): string {
  const lines: string[] = [];
  for (const r of ranges)
    for (let ino = r.first; ino <= r.last; ino++)
      for (const field of ['atime', 'ctime'])
        lines.push(`sif <${ino}> ${field} @${epoch}`, `sif <${ino}> ${field}_extra 0`);
  return `${lines.join('\n')}\n`;
}

/** Sets atime and ctime of every used inode of the ext4 at `offset` bytes into `image`. */
export async function settleExt4Times(
  image: string,
  offset: number,
  epoch: number,
  signal?: AbortSignal,
): Promise<number> {
  const device = `${image}?offset=${offset}`;
  const dump = await runTool('dumpe2fs', [device], { ...(signal ? { signal } : {}) });
  const ranges = usedInodes(dump);
  await runTool('debugfs', ['-w', '-f', '-', device], {
    ...(signal ? { signal } : {}),
    input: timeScript(ranges, epoch),
    env: { E2FSPROGS_FAKE_TIME: String(epoch) },
  });
  return ranges.reduce((n, r) => n + r.last - r.first + 1, 0);
}
