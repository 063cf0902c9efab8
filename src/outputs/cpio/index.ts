/**
 * The `cpio` output (mkosi Format=cpio): the whole tree as a deterministic newc archive,
 * usable as an initrd, compressed with zstd, xz (CRC32 check, as the kernel needs) or gzip.
 */
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { ProcessFailed, startProcess } from '../../exec/process.js';
import { toolError } from '../shared/run.js';
import { collectEntries, writeNewc } from './newc.js';

export type CpioCompression = 'none' | 'gzip' | 'zstd' | 'xz';

export const compressorArgs: Record<Exclude<CpioCompression, 'none'>, [string, ...string[]]> = {
  zstd: ['zstd', '-q', '-c', '-T0', '-3'],
  xz: ['xz', '-c', '-T0', '--check=crc32'],
  gzip: ['gzip', '-n', '-c'],
};

export interface CpioRequest {
  tree: string;
  dest: string;
  compression: CpioCompression;
  /** every entry's mtime; default 0 */
  epoch?: number;
  signal?: AbortSignal;
}

export async function writeCpioOutput(r: CpioRequest): Promise<{ entries: number }> {
  const entries = await collectEntries(r.tree);
  const mtime = r.epoch ?? 0;
  if (r.compression === 'none') {
    const out = createWriteStream(r.dest, { flags: 'wx' });
    await writeNewc(entries, out, mtime, r.signal);
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    return { entries: entries.length };
  }
  const [tool, ...args] = compressorArgs[r.compression];
  const fh = await open(r.dest, 'wx');
  try {
    // the environment of the compressor is imgc's own, as it was before the tools shared a runner
    const child = startProcess(tool, args, {
      env: process.env,
      stdoutFd: fh.fd,
      stdin: true,
      ...(r.signal ? { signal: r.signal } : {}),
    });
    const exited = child.done.then(
      () => undefined,
      (e: unknown) => {
        throw e instanceof ProcessFailed ? toolError(e.failure, 'cpio') : e;
      },
    );
    exited.catch(() => {}); // awaited below unless writing fails first
    try {
      await Promise.race([writeNewc(entries, child.stdin!, mtime, r.signal), exited]);
      child.stdin!.end();
    } catch (e) {
      child.kill('SIGKILL');
      throw e;
    }
    await exited;
  } finally {
    await fh.close();
  }
  return { entries: entries.length };
}
