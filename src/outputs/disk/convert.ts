import { diskCodes } from '../../diagnostics/codes/disk.js';
import { DiskError, diskError } from './errors.js';
import { runTool } from './run.js';

export type DiskFormat = 'qcow2' | 'vmdk' | 'vhdx' | 'vpc';

/** Converts a raw image with qemu-img (sparse input stays cheap: holes are skipped). */
export async function convertDisk(
  raw: string,
  format: DiskFormat,
  out: string,
  options: { signal?: AbortSignal } = {},
): Promise<void> {
  try {
    await runTool('qemu-img', ['convert', '-q', '-f', 'raw', '-O', format, raw, out], {
      signal: options.signal,
    });
  } catch (e) {
    if (e instanceof DiskError && e.diagnostic.code === diskCodes.toolFailed.code)
      throw diskError(diskCodes.conversionFailed, { format, detail: e.diagnostic.message });
    throw e;
  }
}

/** The executor's calling convention for conversions (src/exec/executor.ts). */
export async function convertImage(
  raw: string,
  dest: string,
  format: string,
  signal?: AbortSignal,
): Promise<void> {
  const known: DiskFormat[] = ['qcow2', 'vmdk', 'vhdx', 'vpc'];
  const f = format === 'vhd' ? 'vpc' : format;
  if (!known.includes(f as DiskFormat))
    throw diskError(diskCodes.conversionFailed, { format, detail: 'unknown image format' });
  return convertDisk(raw, f as DiskFormat, dest, signal ? { signal } : {});
}
