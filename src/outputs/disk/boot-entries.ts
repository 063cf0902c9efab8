/** systemd-boot configuration: loader.conf and Boot Loader Specification type #1 entries. */
import type { Boot } from '../../ir/schema.js';
import type { KernelImage } from './kernels.js';

export interface EntryFile {
  /** path on the ESP, '/'-separated, without a leading slash */
  path: string;
  /** host file to copy, or text to write */
  from?: string;
  text?: string;
}

/** The entry token: a folder name on the ESP that groups this OS's kernels. */
export function entryToken(osId: string): string {
  return osId.toLowerCase().replace(/[^a-z0-9._-]/g, '-') || 'linux';
}

/** The kernel command line: the caller's arguments plus root= and rw unless the caller set them. */
export function kernelCmdline(args: string[], rootPartUuid: string): string {
  const out = [...args];
  if (!out.some((a) => a.startsWith('root='))) out.unshift(`root=PARTUUID=${rootPartUuid}`);
  if (!out.some((a) => a === 'rw' || a === 'ro')) out.splice(1, 0, 'rw');
  return out.join(' ');
}

export interface EntryInput {
  os: { id: string; versionId?: string; prettyName?: string };
  boot?: Boot;
  kernels: KernelImage[];
  cmdline: string;
}

export function bootEntries(input: EntryInput): EntryFile[] {
  const token = entryToken(input.os.id);
  const title = input.boot?.menuEntry ?? input.os.prettyName ?? input.os.id;
  const files: EntryFile[] = [];
  for (const k of input.kernels) {
    const dir = `${token}/${k.version}`;
    files.push({ path: `${dir}/linux`, from: k.kernel }, { path: `${dir}/initrd`, from: k.initrd });
    const entry = [
      `title ${title}`,
      `version ${k.version}`,
      `sort-key ${token}`,
      `linux /${dir}/linux`,
      `initrd /${dir}/initrd`,
      `options ${input.cmdline}`,
    ];
    files.push({ path: `loader/entries/${token}-${k.version}.conf`, text: `${entry.join('\n')}\n` });
  }
  const loader = [
    `timeout ${input.boot?.timeout ?? 0}`,
    `default ${token}-${input.kernels[0]!.version}.conf`,
  ];
  files.push({ path: 'loader/loader.conf', text: `${loader.join('\n')}\n` });
  return files;
}
