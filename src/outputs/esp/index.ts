/**
 * The `esp` output (mkosi Format=esp): a GPT disk image with one partition, an EFI system
 * partition (FAT, written with mtools, nothing mounted) whose removable-media boot file
 * EFI/BOOT/BOOTX64.EFI is the image's UKI. Firmware boots it directly; the root file system
 * comes from the UKI's command line.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { uuidSource } from '../disk/ids.js';
import { fatTimeEnv } from '../shared/fat-time.js';
import { runTool } from '../shared/run.js';
import { assembleUki, type UkiRequest, type UkiResult } from '../uki/index.js';

const MiB = 1024 * 1024;
const alignMiB = (n: number) => Math.ceil(n / MiB) * MiB;
export const ESP_TYPE = 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B';

/** FAT32 needs at least 65525 clusters: below ~33 MiB mkfs.vfat falls back to FAT16, which is fine too. */
export function espSizeFor(contentBytes: number): number {
  return Math.max(64 * MiB, alignMiB(contentBytes * 1.1 + 8 * MiB));
}

/** The partition table; `uuid` gives the disk and partition GUIDs (random when absent). */
export function espSfdiskScript(espBytes: number, uuid?: (label: string) => string): string {
  const partUuid = uuid ? `, uuid=${uuid('partition-1-esp').toUpperCase()}` : '';
  return [
    'label: gpt',
    ...(uuid ? [`label-id: ${uuid('disk').toUpperCase()}`] : []),
    `start=2048, size=${espBytes / 512}, type=${ESP_TYPE}, name="esp"${partUuid}`,
    '',
  ].join('\n');
}

export async function assembleEsp(r: UkiRequest): Promise<UkiResult & { espBytes: number }> {
  const opts = { output: 'esp', ...(r.signal ? { signal: r.signal } : {}) };
  const uki = join(r.workDir, 'uki.efi');
  const made = await assembleUki({ ...r, output: uki, outputName: 'esp' });
  const espBytes = espSizeFor((await stat(uki)).size);
  const fat = join(r.workDir, 'esp.fat');
  const uuid = r.reproducible ? uuidSource(r.reproducible.seed) : undefined;
  const fatOpts = { ...opts, env: fatTimeEnv(r.reproducible?.epoch) };
  const serial = uuid ? ['--invariant', '-i', uuid('filesystem-1-esp').slice(0, 8)] : [];
  await runTool('mkfs.vfat', [...serial, '-n', 'ESP', '-C', fat, String(espBytes / 1024)], fatOpts);
  await runTool('mmd', ['-i', fat, '::/EFI', '::/EFI/BOOT'], fatOpts);
  await runTool('mcopy', ['-i', fat, uki, '::/EFI/BOOT/BOOTX64.EFI'], fatOpts);
  await writeFile(r.output, '', { flag: 'wx' });
  try {
    await truncate(r.output, MiB + espBytes + MiB);
    await runTool('sfdisk', ['-q', '--no-reread', '--no-tell-kernel', '--wipe', 'never', r.output], {
      ...opts,
      input: espSfdiskScript(espBytes, uuid),
    });
    await pipeline(createReadStream(fat), createWriteStream(r.output, { flags: 'r+', start: MiB }));
  } catch (e) {
    await unlink(r.output).catch(() => {});
    throw e;
  }
  return { ...made, espBytes };
}
