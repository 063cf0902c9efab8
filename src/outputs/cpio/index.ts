/**
 * The `cpio` output (mkosi Format=cpio): the whole tree as a deterministic newc archive,
 * usable as an initrd, compressed with zstd, xz (CRC32 check, as the kernel needs) or gzip.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { outputCodes } from '../../diagnostics/codes/outputs.js';
import { outputError } from '../shared/errors.js';
import { packageOf } from '../shared/run.js';
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
    const child = spawn(tool, args, {
      stdio: ['pipe', fh.fd, 'pipe'],
      ...(r.signal ? { signal: r.signal } : {}),
    });
    child.stdin!.on('error', () => {}); // EPIPE when the compressor dies: its exit code tells why
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => {
      stderr = (stderr + b.toString()).slice(-2000);
    });
    const exited = new Promise<number | null>((resolve, reject) => {
      child.on('error', (e: NodeJS.ErrnoException) =>
        reject(
          e.code === 'ENOENT'
            ? outputError(
                outputCodes.toolMissing,
                { tool, packageName: packageOf[tool] ?? tool, output: 'cpio' },
                'cpio',
              )
            : e,
        ),
      );
      child.on('close', (code) => resolve(code));
    });
    try {
      await Promise.race([writeNewc(entries, child.stdin!, mtime, r.signal), exited.then(() => undefined)]);
      child.stdin!.end();
    } catch (e) {
      child.kill('SIGKILL');
      throw e;
    }
    const code = await exited;
    if (code !== 0)
      throw outputError(
        outputCodes.toolFailed,
        { command: [tool, ...args].join(' '), exitCode: String(code), stderr: stderr.trim() },
        'cpio',
      );
  } finally {
    await fh.close();
  }
  return { entries: entries.length };
}
