/**
 * Compares the outputs of two builds of one plan, for `imgc build --verify-reproducible`:
 * files byte by byte (the first differing byte ranges), folders entry by entry (type, mode,
 * owner, mtime, size, content digest, link target, extended attributes).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { appendAll } from '../input/append.js';
import { ProcessFailed, runProcess } from './process.js';

export interface OutputComparison {
  /** the name in the output folder */
  name: string;
  identical: boolean;
  /** what differs, first differences first; empty when identical */
  differences: string[];
  /** how many differences there are in all (files or byte ranges), beyond those listed */
  total: number;
}

/** How many differences are listed per output. */
export const LISTED = 10;
const CHUNK = 1 << 20;

export interface ByteRange {
  start: number;
  end: number;
}

/** The byte ranges where two buffers of one chunk differ, offsets from `base`. */
export function differingRanges(a: Buffer, b: Buffer, base: number): ByteRange[] {
  const ranges: ByteRange[] = [];
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n) {
    if (a[i] === b[i]) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && a[i] !== b[i]) i++;
    ranges.push({ start: base + start, end: base + i });
  }
  return ranges;
}

/** Joins a range that continues where the previous one ended (across chunks). */
function append(ranges: ByteRange[], next: ByteRange[]): void {
  for (const r of next) {
    const last = ranges.at(-1);
    if (last && last.end === r.start) last.end = r.end;
    else ranges.push({ ...r });
  }
}

const hex = (n: number) => `0x${n.toString(16)}`;

export function describeRange(r: ByteRange): string {
  return `bytes ${hex(r.start)}–${hex(r.end - 1)} (${r.end - r.start} byte${r.end - r.start === 1 ? '' : 's'})`;
}

async function readChunk(fd: Awaited<ReturnType<typeof open>>, position: number): Promise<Buffer> {
  const buffer = Buffer.alloc(CHUNK);
  const { bytesRead } = await fd.read(buffer, 0, CHUNK, position);
  return buffer.subarray(0, bytesRead);
}

/** Byte-by-byte comparison of two files; every differing range is counted, the first LISTED are described. */
export async function compareFiles(a: string, b: string): Promise<{ differences: string[]; total: number }> {
  const [sa, sb] = [await lstat(a), await lstat(b)];
  const differences: string[] = [];
  if (sa.size !== sb.size) differences.push(`size ${sa.size} bytes against ${sb.size}`);
  const fa = await open(a, 'r');
  const fb = await open(b, 'r');
  const ranges: ByteRange[] = [];
  let differing = 0;
  try {
    for (let position = 0; position < Math.min(sa.size, sb.size); position += CHUNK) {
      const [ca, cb] = [await readChunk(fa, position), await readChunk(fb, position)];
      if (ca.equals(cb)) continue;
      const found = differingRanges(ca, cb, position);
      for (const r of found) differing += r.end - r.start;
      append(ranges, found);
    }
  } finally {
    await fa.close();
    await fb.close();
  }
  if (ranges.length)
    differences.push(
      `${differing} bytes differ in ${ranges.length} range${ranges.length === 1 ? '' : 's'}`,
      ...ranges.slice(0, LISTED).map(describeRange),
    );
  return { differences, total: ranges.length + (sa.size !== sb.size ? 1 : 0) };
}

async function digest(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

interface EntryFacts {
  kind: string;
  mode: string;
  owner: string;
  mtime: string;
  size: number;
  target?: string;
  device?: string;
}

function kindOf(s: Awaited<ReturnType<typeof lstat>>): string {
  if (s.isDirectory()) return 'directory';
  if (s.isSymbolicLink()) return 'symlink';
  if (s.isFile()) return 'file';
  if (s.isCharacterDevice()) return 'character device';
  if (s.isBlockDevice()) return 'block device';
  if (s.isFIFO()) return 'fifo';
  return 'socket';
}

async function factsOf(path: string): Promise<EntryFacts> {
  const s = await lstat(path, { bigint: true });
  const kind = kindOf(await lstat(path));
  return {
    kind,
    mode: (Number(s.mode) & 0o7777).toString(8).padStart(4, '0'),
    owner: `${s.uid}:${s.gid}`,
    mtime: `${s.mtimeNs}`,
    size: kind === 'file' ? Number(s.size) : 0,
    ...(kind === 'symlink' ? { target: await readlink(path) } : {}),
    ...(kind.endsWith('device') ? { device: `${s.rdev}` } : {}),
  };
}

/** Every path under `root`, relative, sorted, folders before what they hold. */
async function walk(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  const names = (await readdir(join(root, rel))).sort();
  for (const name of names) {
    const path = rel ? `${rel}/${name}` : name;
    out.push(path);
    const s = await lstat(join(root, path));
    if (s.isDirectory()) appendAll(out, await walk(root, path));
  }
  return out;
}

/** `getfattr` dump of every extended attribute under `root`, by relative path; undefined when getfattr is missing. */
async function xattrsOf(root: string): Promise<Map<string, string> | undefined> {
  let text: string;
  try {
    text = await runProcess('getfattr', ['-R', '-h', '-d', '-m', '-', '-e', 'hex', '.'], {
      env: { PATH: process.env.PATH, LC_ALL: 'C' },
      cwd: root,
    });
  } catch (e) {
    if (e instanceof ProcessFailed && e.failure.kind === 'missing') return undefined;
    throw e;
  }
  const byPath = new Map<string, string>();
  for (const block of text.split('\n\n')) {
    const [head, ...attrs] = block.trim().split('\n');
    if (!head?.startsWith('# file: ')) continue;
    byPath.set(head.slice('# file: ./'.length), attrs.sort().join(' '));
  }
  return byPath;
}

function factDifferences(path: string, a: EntryFacts, b: EntryFacts): string[] {
  if (a.kind !== b.kind) return [`${path}: ${a.kind} against ${b.kind}`];
  const out: string[] = [];
  for (const key of ['mode', 'owner', 'mtime', 'size', 'target', 'device'] as const)
    if (a[key] !== b[key]) out.push(`${path}: ${key} ${a[key]} against ${b[key]}`);
  return out;
}

/** Entry-by-entry comparison of two folders. */
export async function compareTrees(a: string, b: string): Promise<{ differences: string[]; total: number }> {
  const [pa, pb] = [await walk(a), await walk(b)];
  const inB = new Set(pb);
  const inA = new Set(pa);
  const found: string[] = [];
  for (const path of pa) if (!inB.has(path)) found.push(`${path}: only in the first build`);
  for (const path of pb) if (!inA.has(path)) found.push(`${path}: only in the second build`);
  for (const path of pa) {
    if (!inB.has(path)) continue;
    const [fa, fb] = [await factsOf(join(a, path)), await factsOf(join(b, path))];
    const facts = factDifferences(path, fa, fb);
    appendAll(found, facts);
    if (
      facts.length === 0 &&
      fa.kind === 'file' &&
      (await digest(join(a, path))) !== (await digest(join(b, path)))
    )
      found.push(`${path}: content differs`);
  }
  const [xa, xb] = [await xattrsOf(a), await xattrsOf(b)];
  if (xa && xb) {
    for (const path of pa)
      if (inB.has(path) && (xa.get(path) ?? '') !== (xb.get(path) ?? ''))
        found.push(`${path}: extended attributes differ`);
  } else found.push('extended attributes not compared: getfattr (Debian package attr) is not installed');
  const real = found.filter((d) => !d.startsWith('extended attributes not compared'));
  return {
    differences: [...found.slice(0, LISTED), ...found.filter((d) => d.startsWith('extended attributes not'))],
    total: real.length,
  };
}

/** Compares every output two builds wrote into `first` and `second` (same names, same plan). */
export async function compareOutputs(first: string, second: string): Promise<OutputComparison[]> {
  const names = [...new Set([...(await readdir(first)), ...(await readdir(second))])].sort();
  const results: OutputComparison[] = [];
  for (const name of names) {
    const [sa, sb] = await Promise.all([
      lstat(join(first, name)).catch(() => undefined),
      lstat(join(second, name)).catch(() => undefined),
    ]);
    let compared: { differences: string[]; total: number };
    if (!sa || !sb) compared = { differences: [`only in the ${sa ? 'first' : 'second'} build`], total: 1 };
    else if (sa.isDirectory() && sb.isDirectory())
      compared = await compareTrees(join(first, name), join(second, name));
    else if (sa.isFile() && sb.isFile()) compared = await compareFiles(join(first, name), join(second, name));
    else compared = { differences: ['a file in one build, a folder in the other'], total: 1 };
    results.push({ name, identical: compared.total === 0, ...compared });
  }
  return results;
}
