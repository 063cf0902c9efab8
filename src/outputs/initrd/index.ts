import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { StepContext } from '../../backends/contract.js';
import { outputCodes } from '../../diagnostics/codes/outputs.js';
import { existingInTree, writeFileInTree } from '../../exec/tree-path.js';
import type { PlanStep, StepOptions } from '../../plan/steps.js';
import { outputError } from '../shared/errors.js';
import { installedKernels, withInitrdCache } from './cache.js';

type Options = StepOptions<'make-initrd'>;

function withSetting(text: string, name: string, value: string): string {
  const line = `${name}=${value}`;
  const pattern = new RegExp(`^${name}=.*$`, 'm');
  if (pattern.test(text)) return text.replace(pattern, line);
  return `${text.replace(/\n?$/, '\n')}${line}\n`;
}

/** initramfs.conf with COMPRESS= set, and MODULES=list for the vm profile (replaced where they stand, else appended). */
export function initramfsConf(
  text: string,
  compression: Options['compression'],
  profile?: Options['profile'],
): string {
  const compressed = withSetting(text, 'COMPRESS', compression);
  return profile === 'vm' ? withSetting(compressed, 'MODULES', 'list') : compressed;
}

/** The kernel modules the step adds: the profile's, then the definition's. */
export function driversOf(o: Options): string[] {
  return [...new Set([...(o.profile === 'vm' ? (o.vmDrivers ?? []) : []), ...o.drivers])];
}

export function dracutConf(o: Options): string {
  const list = (xs: string[]) => ` ${xs.join(' ')} `;
  const lines = ['# written by imgc', `compress="${o.compression}"`, 'reproducible="yes"', 'hostonly="no"'];
  if (o.modules.length) lines.push(`add_dracutmodules+="${list(o.modules)}"`);
  if (o.omitModules.length) lines.push(`omit_dracutmodules+="${list(o.omitModules)}"`);
  // dracut's drivers= is the exclusive list, as MODULES=list is for initramfs-tools
  if (o.profile === 'vm') lines.push(`drivers+="${list(driversOf(o))}"`);
  else if (o.drivers.length) lines.push(`add_drivers+="${list(o.drivers)}"`);
  return `${lines.join('\n')}\n`;
}

const COMPRESSOR: Record<Options['compression'], string> = { zstd: 'zstd', xz: 'xz', gzip: 'gzip' };

/** mkinitramfs and dracut fall back to gzip, with a warning only, when the compressor is missing. */
export async function requireCompressor(tree: string, compression: Options['compression']): Promise<void> {
  const tool = COMPRESSOR[compression];
  for (const dir of ['usr/bin', 'bin', 'usr/sbin', 'sbin']) {
    const path = await existingInTree(tree, `${dir}/${tool}`).catch(() => undefined);
    if (path && existsSync(path)) return;
  }
  throw outputError(outputCodes.initrdCompressorMissing, { compression, tool }, 'initrd');
}

export async function makeInitrd(step: PlanStep<'make-initrd'>, context: StepContext): Promise<void> {
  const o = step.options;
  const { tree } = context;
  await requireCompressor(tree, o.compression);
  const env: Record<string, string> = { LC_ALL: 'C.UTF-8', PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };
  if (o.sourceDateEpoch !== undefined) env.SOURCE_DATE_EPOCH = String(o.sourceDateEpoch);
  const run = (cmd: string[]) =>
    context.runner.chroot(tree, cmd, { env, onLine: (l) => context.progress.log(l) });
  if (o.generator === 'initramfs-tools') {
    const conf = 'etc/initramfs-tools/initramfs.conf';
    const text = await readFile(await existingInTree(tree, conf), 'utf8').catch(() => '');
    await writeFileInTree(tree, conf, initramfsConf(text, o.compression, o.profile));
    const drivers = driversOf(o);
    if (drivers.length) {
      const modules = 'etc/initramfs-tools/modules';
      const old = await readFile(await existingInTree(tree, modules), 'utf8').catch(() => '');
      const have = new Set(old.split('\n').map((l) => l.trim()));
      const add = drivers.filter((d) => !have.has(d));
      if (add.length) await writeFileInTree(tree, modules, `${old.replace(/\n?$/, '\n')}${add.join('\n')}\n`);
    }
    // the files just written are hashed into the cache key, with the rest of the configuration
    await withInitrdCache(context, {
      generator: 'initramfs-tools',
      settings: { step: 'make-initrd' },
      ...(o.sourceDateEpoch !== undefined ? { sourceDateEpoch: o.sourceDateEpoch } : {}),
      generate: async () => {
        context.progress.note('update-initramfs');
        for (const kernel of await installedKernels(tree)) {
          const made = await existingInTree(tree, `boot/initrd.img-${kernel}`).then(existsSync, () => false);
          await run(['update-initramfs', made ? '-u' : '-c', '-k', kernel]);
        }
      },
    });
  } else {
    await writeFileInTree(tree, 'etc/dracut.conf.d/50-imgc.conf', dracutConf(o));
    context.progress.note('dracut');
    await run(['dracut', '--force', '--regenerate-all']);
  }
}
