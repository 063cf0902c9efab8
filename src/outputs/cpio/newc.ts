/**
 * A deterministic writer of "newc" cpio archives (the format the kernel unpacks as an
 * initramfs): entries sorted by byte order of their path, owners 0:0, one fixed mtime,
 * inode numbers counted from 1 in that order, device numbers 0. Hard links share an inode
 * number; the data goes with the last name, as GNU cpio writes it.
 */
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';

export interface CpioEntry {
  /** path inside the archive, without a leading "./" ("." for the root) */
  name: string;
  /** host path to read from */
  source: string;
  mode: number;
  size: number;
  rdevMajor: number;
  rdevMinor: number;
  ino: number;
  nlink: number;
  /** this name carries the file's data (always, except for earlier names of a hard link) */
  hasData: boolean;
  linkTarget?: string;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Lists a tree in archive order with everything the headers need. */
export async function collectEntries(root: string): Promise<CpioEntry[]> {
  const found: { name: string; source: string; st: Awaited<ReturnType<typeof lstat>> }[] = [];
  const walk = async (dir: string, prefix: string) => {
    const names = (await readdir(dir)).sort(byteOrder);
    for (const n of names) {
      const source = join(dir, n);
      const name = prefix ? `${prefix}/${n}` : n;
      const st = await lstat(source);
      found.push({ name, source, st });
      if (st.isDirectory()) await walk(source, name);
    }
  };
  found.push({ name: '.', source: root, st: await lstat(root) });
  await walk(root, '');
  found.sort((a, b) => (a.name === '.' ? -1 : b.name === '.' ? 1 : byteOrder(a.name, b.name)));

  const inodeOf = new Map<string, number>();
  const lastName = new Map<string, string>();
  const linkCount = new Map<string, number>();
  for (const f of found) {
    if ((Number(f.st.mode) & S_IFMT) === S_IFREG && Number(f.st.nlink) > 1) {
      const key = `${f.st.dev}:${f.st.ino}`;
      lastName.set(key, f.name);
      linkCount.set(key, (linkCount.get(key) ?? 0) + 1);
    }
  }
  let next = 1;
  const entries: CpioEntry[] = [];
  for (const f of found) {
    const mode = Number(f.st.mode);
    const type = mode & S_IFMT;
    const key = `${f.st.dev}:${f.st.ino}`;
    const linked = linkCount.has(key) && (linkCount.get(key) ?? 0) > 1;
    let ino: number;
    if (linked) {
      ino = inodeOf.get(key) ?? next++;
      inodeOf.set(key, ino);
    } else ino = next++;
    const rdev = Number(f.st.rdev);
    const entry: CpioEntry = {
      name: f.name,
      source: f.source,
      mode,
      size: 0,
      rdevMajor: ((rdev >> 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff),
      rdevMinor: (rdev & 0xff) | ((rdev >> 12) & ~0xff & 0xfffff),
      ino,
      nlink: type === S_IFREG ? (linked ? linkCount.get(key)! : 1) : Number(f.st.isDirectory() ? 2 : 1),
      hasData: true,
    };
    if (type === S_IFREG) {
      entry.hasData = !linked || lastName.get(key) === f.name;
      entry.size = entry.hasData ? Number(f.st.size) : 0;
    } else if (type === S_IFLNK) {
      entry.linkTarget = await readlink(f.source);
      entry.size = Buffer.byteLength(entry.linkTarget);
    }
    entries.push(entry);
  }
  return entries;
}

const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
const pad4 = (n: number) => (4 - (n % 4)) % 4;

export function header(
  e: Pick<CpioEntry, 'name' | 'mode' | 'ino' | 'nlink' | 'size' | 'rdevMajor' | 'rdevMinor'>,
  mtime: number,
): Buffer {
  const name = Buffer.from(`${e.name}\0`);
  const fields = [
    e.ino,
    e.mode,
    0, // uid
    0, // gid
    e.nlink,
    mtime,
    e.size,
    0, // devmajor
    0, // devminor
    e.rdevMajor,
    e.rdevMinor,
    name.length,
    0, // check
  ];
  const head = Buffer.from(`070701${fields.map(hex).join('')}`, 'ascii');
  return Buffer.concat([head, name, Buffer.alloc(pad4(head.length + name.length))]);
}

async function write(out: Writable, chunk: Buffer): Promise<void> {
  if (!out.write(chunk))
    await new Promise<void>((resolve, reject) => {
      const onDrain = () => {
        out.off('error', onError);
        resolve();
      };
      const onError = (e: Error) => {
        out.off('drain', onDrain);
        reject(e);
      };
      out.once('drain', onDrain);
      out.once('error', onError);
    });
}

const CHUNK = 1 << 20;

/** Streams the archive of `entries` into `out` (not ended here). Returns the bytes written. */
export async function writeNewc(
  entries: CpioEntry[],
  out: Writable,
  mtime: number,
  signal?: AbortSignal,
): Promise<number> {
  let total = 0;
  const put = async (b: Buffer) => {
    total += b.length;
    await write(out, b);
  };
  const buffer = Buffer.alloc(CHUNK);
  for (const e of entries) {
    if (signal?.aborted) throw new Error('aborted');
    await put(header(e, mtime));
    if (e.linkTarget !== undefined) {
      await put(Buffer.from(e.linkTarget));
    } else if ((e.mode & S_IFMT) === S_IFREG && e.hasData && e.size > 0) {
      const fh = await open(e.source, 'r');
      try {
        let left = e.size;
        while (left > 0) {
          const { bytesRead } = await fh.read(buffer, 0, Math.min(CHUNK, left), null);
          if (bytesRead === 0) throw new Error(`${e.source} shrank while it was archived`);
          left -= bytesRead;
          await put(Buffer.from(buffer.subarray(0, bytesRead)));
        }
      } finally {
        await fh.close();
      }
    }
    const p = pad4(e.size);
    if (p) await put(Buffer.alloc(p));
  }
  const trailer = header(
    { name: 'TRAILER!!!', mode: 0, ino: 0, nlink: 1, size: 0, rdevMajor: 0, rdevMinor: 0 },
    0,
  );
  await put(trailer);
  return total;
}
