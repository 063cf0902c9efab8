/**
 * The `uki` output: a unified kernel image made without ukify. systemd-stub (from the image,
 * else the host) gets .osrel, .cmdline, .uname, .initrd and .linux sections with objcopy, at
 * virtual addresses computed from the stub's own section table (see pe.ts). An optional
 * signing command then gets the UKI's path as $1 and signs it in place (e.g. sbsign).
 */
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { outputCodes } from '../../diagnostics/codes/outputs.js';
import { OutputError, outputError } from '../shared/errors.js';
import { newestKernel, osReleaseFile } from '../shared/kernel.js';
import { runTool } from '../shared/run.js';
import { PeFormatError, placeSections, readPe, stampPe } from './pe.js';

export { alignUp, placeSections, readPe } from './pe.js';

export interface UkiRequest {
  tree: string;
  output: string;
  workDir: string;
  cmdline: string[];
  signCommand?: string;
  signal?: AbortSignal;
  /** name used in messages: uki or esp */
  outputName?: string;
  /** reproducible build: the PE timestamp (and the ESP's times) are `epoch`, its ids derive from `seed` */
  reproducible?: { epoch: number; seed: string };
}

export interface UkiResult {
  kernelVersion: string;
  sections: { name: string; vma: number; size: number }[];
  signed: boolean;
}

const STUB_DIRS = ['usr/lib/systemd/boot/efi', 'lib/systemd/boot/efi'];

export function findStub(tree: string): string {
  const looked: string[] = [];
  for (const root of [tree, '/']) {
    for (const dir of STUB_DIRS) {
      const path = join(root, dir, 'linuxx64.efi.stub');
      if (existsSync(path)) return path;
      looked.push(join(root, dir));
    }
  }
  throw outputError(outputCodes.stubMissing, { looked: looked.join(', ') }, 'uki');
}

export async function assembleUki(r: UkiRequest): Promise<UkiResult> {
  const name = r.outputName ?? 'uki';
  const opts = { output: name, ...(r.signal ? { signal: r.signal } : {}) };
  const stub = findStub(r.tree);
  let info: ReturnType<typeof readPe>;
  try {
    info = readPe(await readFile(stub));
  } catch (e) {
    if (e instanceof PeFormatError)
      throw outputError(outputCodes.badStub, { path: stub, detail: e.message }, name);
    throw e;
  }
  const kernel = newestKernel(r.tree, name);
  const osrel = osReleaseFile(r.tree);
  const cmdlineFile = join(r.workDir, 'cmdline');
  const unameFile = join(r.workDir, 'uname');
  await writeFile(cmdlineFile, r.cmdline.join(' '));
  await writeFile(unameFile, kernel.version);
  const files: { name: string; path: string }[] = [];
  if (osrel) files.push({ name: '.osrel', path: osrel });
  files.push({ name: '.cmdline', path: cmdlineFile });
  files.push({ name: '.uname', path: unameFile });
  files.push({ name: '.initrd', path: kernel.initrd });
  files.push({ name: '.linux', path: kernel.kernel });
  const sized = await Promise.all(files.map(async (f) => ({ ...f, size: (await stat(f.path)).size })));
  const placed = placeSections(info, sized);
  const args: string[] = [];
  for (const [i, f] of sized.entries()) {
    args.push('--add-section', `${f.name}=${f.path}`);
    args.push('--change-section-vma', `${f.name}=0x${placed[i]!.vma.toString(16)}`);
  }
  args.push(stub, r.output);
  await runTool('objcopy', args, opts);
  if (r.reproducible) await writeFile(r.output, stampPe(await readFile(r.output), r.reproducible.epoch));
  let signed = false;
  if (r.signCommand) {
    await sign(r.signCommand, r.output, opts);
    signed = true;
  }
  return {
    kernelVersion: kernel.version,
    sections: sized.map((f, i) => ({ name: f.name, vma: placed[i]!.vma, size: f.size })),
    signed,
  };
}

/** Runs the signing hook: `command` in sh with the UKI path as $1 (appended when the command does not use it). */
export async function sign(
  command: string,
  path: string,
  opts: { output: string; signal?: AbortSignal },
): Promise<void> {
  const script = /\$1|\$\{1\}|\$@/.test(command) ? command : `${command} "$1"`;
  try {
    await runTool('sh', ['-c', script, 'imgc-sign', path], opts);
  } catch (e) {
    if (e instanceof OutputError && e.diagnostic.code === outputCodes.toolFailed.code) {
      const m = /\(exit ([^)]*)\)(?:: ([\s\S]*))?$/.exec(e.diagnostic.message);
      throw outputError(
        outputCodes.signFailed,
        { command, exitCode: m?.[1] ?? '?', stderr: m?.[2] ?? '' },
        opts.output,
      );
    }
    throw e;
  }
}
