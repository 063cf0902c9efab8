/**
 * How the IR's outputs beyond directory, tar and disk become plan steps: cpio, uki, esp, iso,
 * pxe, oci, sysext, confext and portable, plus the two tree steps they may need (the live
 * boot stack for iso/pxe, and regenerating the image's initrd). Outputs that cannot be built
 * get a coded error here; nothing falls back silently to another output.
 */

import type { Backend, ResolvedDistribution } from '../backends/contract.js';
import { initrdCodes } from '../diagnostics/codes/initrd.js';
import { ostreeCodes } from '../diagnostics/codes/ostree.js';
import { outputCodes } from '../diagnostics/codes/outputs.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';
import type { FormatOptions } from '../formats/contract.js';
import type { ImageIR, Output } from '../ir/schema.js';
import { lookupTable } from '../lib/lookup-table.js';
import { VM_PROFILE_DRIVERS } from '../outputs/initrd/vm-profile.js';
import type { StepDraft, StepOptions } from './steps.js';

export const DISK_FORMATS = ['raw', 'qcow2', 'vmdk', 'vhdx', 'vhd'];
export const PXE_URL_PLACEHOLDER = 'http://pxe.invalid/imgc';

/** Why an output cannot be built, or undefined when it can. */
export function notBuildableDetail(o: Output): string | undefined {
  switch (o.type) {
    case 'installer':
      return 'installer media (KIWI installiso, an installer tree) are not built yet';
    case 'wsl':
      return 'WSL root file system archives are not built yet';
    case 'disk':
      if (o.format && !DISK_FORMATS.includes(o.format.toLowerCase()))
        return `disk format "${o.format}" is not one of ${DISK_FORMATS.join(', ')}`;
      return undefined;
    default:
      return undefined;
  }
}

type Compression = 'none' | 'gzip' | 'zstd' | 'xz';

/** mkosi CompressOutput= spellings and KIWI-ish format suffixes; `fallback` when nothing is said. */
export function compressionOf(value: string | undefined, fallback: Compression): Compression {
  if (value === undefined || value === '') return fallback;
  const v = value.toLowerCase();
  if (v.includes('zst')) return 'zstd';
  if (v.includes('xz') || v === 'lzma') return 'xz';
  if (v.includes('gz') || v.includes('gzip')) return 'gzip';
  if (['yes', 'true', '1'].includes(v)) return fallback === 'none' ? 'zstd' : fallback;
  return 'none';
}

const EXT: Record<Compression, string> = { none: '', gzip: '.gz', zstd: '.zst', xz: '.xz' };

/** systemd's ARCHITECTURE= names for the Debian architectures. */
const SYSTEMD_ARCH: Record<string, string> = lookupTable({
  amd64: 'x86-64',
  arm64: 'arm64',
  i386: 'x86',
  armhf: 'arm',
  ppc64el: 'ppc64-le',
  riscv64: 'riscv64',
  s390x: 's390x',
});
/** OCI architecture names (Go's GOARCH) for the Debian ones. */
const OCI_ARCH: Record<string, string> = lookupTable({
  amd64: 'amd64',
  arm64: 'arm64',
  i386: '386',
  armhf: 'arm',
  ppc64el: 'ppc64le',
  riscv64: 'riscv64',
  s390x: 's390x',
});

/** A UKI's command line: the definition's, with root=LABEL=root (the label imgc's disk output gives /) and rw unless set. */
export function ukiCmdline(args: string[]): string[] {
  const out = [...args];
  if (!out.some((a) => a.startsWith('root='))) out.unshift('root=LABEL=root');
  if (!out.some((a) => a === 'rw' || a === 'ro')) out.splice(1, 0, 'rw');
  return out;
}

export interface OutputStepInput {
  output: Output;
  origin: string[];
  stem: string;
  ir: ImageIR;
  distribution: ResolvedDistribution;
  options: FormatOptions;
  sourceDateEpoch?: number;
  /** every output gets the epoch, not only the archives (cpio, OCI) */
  reproducible?: boolean;
  diagnostics: Diagnostic[];
}

const str = (options: FormatOptions, key: string) => {
  const v = options[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

/** ISO 9660 volume ids: at most 32 characters of A-Z, 0-9 and _. */
export function volumeIdOf(name: string): string {
  return (
    name
      .toUpperCase()
      .replace(/[^A-Z0-9_]/g, '_')
      .slice(0, 32) || 'IMGC_LIVE'
  );
}

export function outputStepDrafts(input: OutputStepInput): StepDraft[] {
  const { output: o, origin, stem, ir, distribution: dist, options, diagnostics } = input;
  const epoch = input.sourceDateEpoch !== undefined ? { sourceDateEpoch: input.sourceDateEpoch } : {};
  const reproducible = input.reproducible ? epoch : {};
  const os = { id: dist.id, ...(dist.versionId ? { versionId: dist.versionId } : {}) };
  const at = origin[0] !== undefined ? { pointer: origin[0] } : {};
  const signCommand = str(options, 'sign-command');
  const cmdline = ir.system.kernel.cmdline;
  switch (o.type) {
    case 'cpio': {
      const compression = compressionOf(o.compression ?? o.format, 'zstd');
      const opts: StepOptions<'output-cpio'> = {
        name: `${stem}.cpio${EXT[compression]}`,
        compression,
        ...epoch,
      };
      return [{ type: 'output-cpio', title: `cpio ${opts.name}`, options: opts, origin }];
    }
    case 'uki':
    case 'esp': {
      if (ir.boot?.secureBoot?.enabled && !signCommand)
        diagnostics.push(diag(outputCodes.unsigned, { output: o.type }, {}, at));
      const fields = {
        cmdline: ukiCmdline(cmdline),
        os,
        ...(signCommand ? { signCommand } : {}),
        ...reproducible,
      };
      if (o.type === 'uki') {
        const opts: StepOptions<'assemble-uki'> = { name: `${stem}.efi`, ...fields };
        return [{ type: 'assemble-uki', title: `UKI ${opts.name}`, options: opts, origin }];
      }
      const opts: StepOptions<'assemble-esp'> = { name: `${stem}-esp.raw`, ...fields };
      return [{ type: 'assemble-esp', title: `ESP image ${opts.name}`, options: opts, origin }];
    }
    case 'iso': {
      const filesystem = liveFilesystem(o, diagnostics, at);
      const opts: StepOptions<'assemble-iso'> = {
        name: `${stem}.iso`,
        cmdline,
        volumeId: o.volumeId ?? volumeIdOf(stem),
        filesystem,
        bios: ir.boot?.firmware !== 'uefi',
        os,
        ...reproducible,
      };
      if (o.publisher) opts.publisher = o.publisher;
      if (o.application) opts.application = o.application;
      return [{ type: 'assemble-iso', title: `live ISO ${opts.name}`, options: opts, origin }];
    }
    case 'pxe': {
      const filesystem = liveFilesystem(o, diagnostics, at);
      const baseUrl = str(options, 'pxe-url');
      if (!baseUrl)
        diagnostics.push(diag(outputCodes.pxeUrlMissing, { placeholder: PXE_URL_PLACEHOLDER }, {}, at));
      const opts: StepOptions<'assemble-pxe'> = {
        name: `${stem}-pxe`,
        cmdline,
        baseUrl: baseUrl ?? PXE_URL_PLACEHOLDER,
        filesystem,
        ...reproducible,
      };
      return [{ type: 'assemble-pxe', title: `PXE bundle ${opts.name}`, options: opts, origin }];
    }
    case 'oci': {
      const c = o.container ?? {};
      if (o.format && o.format !== 'oci' && o.format !== 'oci-archive')
        diagnostics.push(diag(outputCodes.containerFormat, { format: o.format }, {}, at));
      const config: StepOptions<'output-oci'>['config'] = {
        env: Object.entries(c.env ?? {}).map(([k, v]) => `${k}=${v}`),
        labels: { ...(c.labels ?? {}) },
        exposedPorts: c.exposedPorts ?? [],
        volumes: c.volumes ?? [],
      };
      if (c.maintainer && !config.labels['org.opencontainers.image.authors'])
        config.labels['org.opencontainers.image.authors'] = c.maintainer;
      if (c.user) config.user = c.user;
      if (c.workingDir) config.workingDir = c.workingDir;
      if (c.entrypoint) config.entrypoint = c.entrypoint;
      if (c.cmd) config.cmd = c.cmd;
      if (c.stopSignal) config.stopSignal = c.stopSignal;
      const opts: StepOptions<'output-oci'> = {
        name: `${stem}.oci`,
        architecture: OCI_ARCH[dist.architecture] ?? dist.architecture,
        tag: c.tag ?? 'latest',
        config,
        ...epoch,
      };
      return [{ type: 'output-oci', title: `OCI image ${opts.name}`, options: opts, origin }];
    }
    case 'sysext':
    case 'confext':
    case 'portable': {
      const fs = (o.filesystem ?? 'squashfs').toLowerCase();
      if (fs !== 'squashfs' && fs !== 'erofs') {
        diagnostics.push(diag(outputCodes.extensionFilesystem, { output: o.type, filesystem: fs }, {}, at));
        return [];
      }
      // systemd wants the file named after its extension-release.<name>; one folder may hold all three kinds
      const extensionName = o.name ?? `${stem}-${o.type}`;
      const opts: StepOptions<'output-extension'> = {
        name: `${extensionName}.raw`,
        kind: o.type,
        filesystem: fs,
        extensionName,
        os,
        architecture: SYSTEMD_ARCH[dist.architecture] ?? dist.architecture,
        ...reproducible,
      };
      return [{ type: 'output-extension', title: `${o.type} ${opts.name}`, options: opts, origin }];
    }
    case 'ostree-commit':
    case 'ostree-disk':
      return ostreeDrafts(input, at);
    case 'bootc-oci': {
      diagnostics.push(diag(ostreeCodes.notBootc, undefined, {}, at));
      const drafts = outputStepDrafts({ ...input, output: { ...o, type: 'oci' } });
      return drafts.map((d) =>
        d.type === 'output-oci'
          ? {
              ...d,
              type: 'output-bootc-oci' as const,
              title: `bootc OCI image ${stem}.bootc.oci`,
              options: { ...d.options, name: `${stem}.bootc.oci` },
            }
          : d,
      );
    }
    default:
      return [];
  }
}

/** OSTree's ref syntax for a default made of the distribution: debian/bookworm/amd64. */
export function defaultOstreeRef(dist: ResolvedDistribution): string {
  return [dist.id, dist.release, dist.architecture].map((p) => p.replace(/[^A-Za-z0-9._-]/g, '_')).join('/');
}

/** The root= and rw the ostree-disk's root partition needs, then the definition's arguments. */
export function ostreeKargs(cmdline: string[]): string[] {
  const out = [...cmdline];
  if (!out.some((a) => a.startsWith('root='))) out.unshift('root=LABEL=root');
  if (!out.some((a) => a === 'rw' || a === 'ro')) out.splice(1, 0, 'rw');
  return out;
}

function ostreeDrafts(input: OutputStepInput, at: { pointer?: string }): StepDraft[] {
  const { output: o, origin, stem, ir, distribution: dist, options, diagnostics } = input;
  const settings = o.ostree ?? {};
  let ref = str(options, 'ostree-ref') ?? settings.ref;
  if (!ref) {
    ref = defaultOstreeRef(dist);
    diagnostics.push(diag(ostreeCodes.refInferred, { ref }, {}, at));
  }
  let timestamp = input.sourceDateEpoch;
  if (timestamp === undefined) {
    timestamp = Math.floor(Date.now() / 1000);
    diagnostics.push(diag(ostreeCodes.timestampNow, undefined, {}, at));
  }
  const parent = str(options, 'ostree-parent') ?? settings.parent;
  const url = str(options, 'ostree-url') ?? settings.url;
  const fields = {
    ref,
    subject: `${ir.metadata?.name ?? stem} (imgc)`,
    timestamp,
    ...(parent ? { parent } : {}),
    metadata: { 'imgc.distribution': `${dist.id}/${dist.release}/${dist.architecture}` },
  };
  if (url) diagnostics.push(diag(ostreeCodes.urlNotPulled, { url }, {}, at));
  if (o.type === 'ostree-commit') {
    const repo = str(options, 'ostree-repo');
    const opts: StepOptions<'output-ostree'> = {
      name: repo ? `${stem}.ostree-commit` : `${stem}.ostree`,
      ...(repo ? { repo } : {}),
      ...fields,
    };
    return [{ type: 'output-ostree', title: `OSTree commit ${ref}`, options: opts, origin }];
  }
  const osName = settings.osName ?? dist.id;
  const upgradeFrom = str(options, 'ostree-upgrade-disk');
  const opts: StepOptions<'assemble-ostree-disk'> = {
    name: `${stem}.ostree.raw`,
    osName,
    kargs: ostreeKargs(ir.system.kernel.cmdline),
    timeout: ir.boot?.timeout ?? 0,
    ...(url ? { remote: { name: settings.remote ?? osName, url } } : {}),
    ...(upgradeFrom ? { upgradeFrom } : {}),
    ...fields,
  };
  const title = upgradeFrom ? `OSTree upgrade of ${upgradeFrom}` : `OSTree disk ${opts.name}`;
  return [{ type: 'assemble-ostree-disk', title, options: opts, origin }];
}

function liveFilesystem(o: Output, diagnostics: Diagnostic[], at: { pointer?: string }): 'squashfs' {
  const fs = (o.filesystem ?? 'squashfs').toLowerCase();
  if (fs !== 'squashfs')
    diagnostics.push(diag(outputCodes.liveFilesystem, { output: o.type, filesystem: fs }, {}, at));
  return 'squashfs';
}

/** The live boot stack (Debian: live-boot) installed late, for iso and pxe outputs. */
export async function livePackageDraft(
  outputs: Output[],
  backend: Backend,
  ir: ImageIR,
  diagnostics: Diagnostic[],
): Promise<StepDraft<'install-packages'> | undefined> {
  const live = outputs.find((o) => o.type === 'iso' || o.type === 'pxe');
  if (!live) return undefined;
  const index = ir.outputs.indexOf(live);
  const origin = index >= 0 ? [`/outputs/${index}`] : [];
  const packages = backend.livePackages ? await backend.livePackages(ir) : undefined;
  if (!packages) {
    diagnostics.push(
      diag(
        outputCodes.noLiveStack,
        { output: live.type, backend: backend.id },
        {},
        origin[0] ? { pointer: origin[0] } : {},
      ),
    );
    return undefined;
  }
  return {
    type: 'install-packages',
    title: `live boot stack: ${packages.join(', ')}`,
    options: { packages, exclude: [], installRecommends: false },
    origin,
    // every live build of this definition starts from the tree with the stack in it (decision 0144)
    cache: true,
  };
}

/**
 * gzip is the compressor every image has (Essential in Debian, in Fedora's core): an initrd
 * compression the definition does not ask for must not depend on a tool the image may lack.
 */
const UNASKED_INITRD_COMPRESSION = 'gzip';

/** Regenerating the image's initrd, when the IR says how (compression, modules, drivers). */
export function makeInitrdDraft(
  ir: ImageIR,
  sourceDateEpoch: number | undefined,
  diagnostics: Diagnostic[],
): StepDraft<'make-initrd'> | undefined {
  const i = ir.system.initrd;
  if (!i || i.generator === 'none') return undefined;
  const asked =
    i.compression !== undefined ||
    i.modules?.length ||
    i.omitModules?.length ||
    i.drivers?.length ||
    i.profile !== undefined;
  if (!asked) return undefined;
  const generator = i.generator ?? 'initramfs-tools';
  if (generator !== 'initramfs-tools' && generator !== 'dracut') {
    diagnostics.push(
      diag(outputCodes.initrdGenerator, { generator }, {}, { pointer: '/system/initrd/generator' }),
    );
    return undefined;
  }
  const c = compressionOf(i.compression, UNASKED_INITRD_COMPRESSION);
  const options: StepOptions<'make-initrd'> = {
    generator,
    compression: c === 'none' ? UNASKED_INITRD_COMPRESSION : c,
    modules: i.modules ?? [],
    omitModules: i.omitModules ?? [],
    drivers: i.drivers ?? [],
    ...(i.profile === 'vm' ? { profile: 'vm' as const, vmDrivers: VM_PROFILE_DRIVERS } : {}),
    ...(sourceDateEpoch !== undefined ? { sourceDateEpoch } : {}),
  };
  if (i.profile === 'vm')
    diagnostics.push(
      diag(
        initrdCodes.vmProfile,
        { generator, drivers: VM_PROFILE_DRIVERS.join(' ') },
        {},
        { pointer: '/system/initrd/profile' },
      ),
    );
  const profile = i.profile === 'vm' ? `, profile vm: ${VM_PROFILE_DRIVERS.length} guest drivers only` : '';
  return {
    type: 'make-initrd',
    title: `initrd (${generator}, ${options.compression}${profile})`,
    options,
    origin: ['/system/initrd'],
  };
}

const OSTREE_OUTPUTS = new Set(['ostree-commit', 'ostree-disk', 'bootc-oci']);

/** initramfs-tools files that put ostree-prepare-root into the initrd and run it once / is mounted. */
export const OSTREE_INITRAMFS_HOOK = `#!/bin/sh
# written by imgc: ostree-prepare-root in the initrd
case "$1" in prereqs) exit 0 ;; esac
. /usr/share/initramfs-tools/hook-functions
# no target: copy_exec would make /usr/lib/ostree the program's own name
copy_exec /usr/lib/ostree/ostree-prepare-root
`;
export const OSTREE_INITRAMFS_SCRIPT = `#!/bin/sh
# written by imgc: moves the OSTree deployment named by ostree= into place of the root
case "$1" in prereqs) exit 0 ;; esac
# no grep in a klibc initrd: the shell reads the command line itself
read -r cmdline < /proc/cmdline
case " $cmdline " in *" ostree="*) ;; *) exit 0 ;; esac
exec /usr/lib/ostree/ostree-prepare-root "\${rootmnt:-/root}"
`;

/**
 * The OSTree boot stack, after the cache point: the backend's packages (Debian: ostree and
 * ostree-boot, which has ostree-prepare-root), the initramfs-tools hook that puts it into the
 * initrd, and a new initrd.
 */
export async function ostreeStackDrafts(
  outputs: Output[],
  backend: Backend,
  ir: ImageIR,
  sourceDateEpoch: number | undefined,
  diagnostics: Diagnostic[],
): Promise<StepDraft[]> {
  const wanted = outputs.find((o) => OSTREE_OUTPUTS.has(o.type));
  if (!wanted) return [];
  const index = ir.outputs.indexOf(wanted);
  const origin = index >= 0 ? [`/outputs/${index}`] : [];
  const at = origin[0] ? { pointer: origin[0] } : {};
  const packages = backend.ostreePackages ? await backend.ostreePackages(ir) : undefined;
  if (!packages) {
    diagnostics.push(diag(ostreeCodes.noOstreeStack, { output: wanted.type, backend: backend.id }, {}, at));
    return [];
  }
  const generator = ir.system.initrd?.generator ?? 'initramfs-tools';
  if (generator !== 'initramfs-tools' && generator !== 'dracut') {
    diagnostics.push(
      diag(ostreeCodes.initrdGenerator, { generator }, {}, { pointer: '/system/initrd/generator' }),
    );
    return [];
  }
  const b64 = (t: string) => Buffer.from(t, 'utf8').toString('base64');
  const asked = makeInitrdDraft(ir, sourceDateEpoch, diagnostics);
  const c = compressionOf(ir.system.initrd?.compression, UNASKED_INITRD_COMPRESSION);
  const initrd: StepDraft<'make-initrd'> = asked ?? {
    type: 'make-initrd',
    title: `initrd (${generator}, ${c === 'none' ? UNASKED_INITRD_COMPRESSION : c})`,
    options: {
      generator,
      compression: c === 'none' ? UNASKED_INITRD_COMPRESSION : c,
      modules: [],
      omitModules: [],
      drivers: [],
      ...(sourceDateEpoch !== undefined ? { sourceDateEpoch } : {}),
    },
    origin,
  };
  // every OSTree build of this definition starts from the tree with the stack in it
  initrd.cache = true;
  if (generator === 'dracut' && !initrd.options.modules.includes('ostree'))
    initrd.options = { ...initrd.options, modules: [...initrd.options.modules, 'ostree'] };
  return [
    {
      type: 'install-packages',
      title: `OSTree boot stack: ${packages.join(', ')}`,
      // the initrd step below makes the initrd once, with the hook in it
      options: { packages, exclude: [], installRecommends: false, deferInitrd: true },
      origin,
    },
    {
      type: 'write-files',
      title: 'initramfs-tools hook for ostree-prepare-root',
      options: {
        entries: [
          {
            kind: 'file',
            path: '/etc/initramfs-tools/hooks/imgc-ostree',
            content: b64(OSTREE_INITRAMFS_HOOK),
            mode: '0755',
          },
          {
            kind: 'file',
            path: '/etc/initramfs-tools/scripts/local-bottom/imgc-ostree',
            content: b64(OSTREE_INITRAMFS_SCRIPT),
            mode: '0755',
          },
        ],
      },
      origin,
    },
    initrd,
  ];
}
