/**
 * bootc Containerfiles (format id `containerfile`).
 *
 * Reads: a Containerfile/Dockerfile (or a folder holding one) and the bootc-image-builder
 * `config.toml`/`config.json` beside it; also a bib config or a bootc `kargs.d/*.toml` alone.
 * The bootc subset is understood — FROM (distribution from known base images), RUN with
 * dnf/yum/rpm-ostree/apt/zypper/pacman install and remove, `systemctl enable|disable|mask`,
 * `firewall-offline-cmd`, `ln -s`, `mkdir`/`install -d`, `echo … > file`, `cat > file <<EOF`,
 * COPY (files, trees, `.repo`/`.sources` files, kargs.d), ARG/ENV/LABEL. Any other RUN
 * stays a build script (IMGC9005); other instructions are kept verbatim for this writer.
 * Writes: `Containerfile` + `config.toml` (+ `repos/`, copied sources), see docs/formats/containerfile.md.
 */
import { readdirSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { containerfileCodes } from '../../diagnostics/codes/containerfile.js';
import { coreCodes } from '../../diagnostics/codes/core.js';
import { diag } from '../../diagnostics/define.js';
import type { Diagnostic } from '../../diagnostics/types.js';
import { raiseContainerfile } from '../../emitters/containerfile/raise.js';
import { InputRejected, readInputText, readInputTextSync } from '../../input/bounded.js';
import { emptyIr } from '../../ir/empty.js';
import type { PositionTable } from '../../ir/positions.js';
import type { ImageIR } from '../../ir/schema.js';
import { lowerBibConfig, parseKargs } from '../../parsers/containerfile/bib-config.js';
import { type ContainerfileExtension, lowerContainerfile } from '../../parsers/containerfile/lower.js';
import { parseContainerfile } from '../../parsers/containerfile/parse.js';
import type { DetectCandidate, FormatModule, ReadOptions, ReadResult } from '../contract.js';

const MAIN_NAMES = /^(Containerfile|Dockerfile)$/;
const MAIN_LIKE = /^(Containerfile|Dockerfile)(\..+)?$|\.(containerfile|dockerfile)$/i;
const CONFIG_NAMES = ['config.toml', 'config.json'];

function isKargsFile(path: string): boolean {
  return /(^|\/)kargs\.d\/[^/]+\.toml$/.test(path);
}

function detect(c: DetectCandidate): number {
  if (c.isDirectory) return c.entries?.some((e) => MAIN_NAMES.test(e)) ? 0.8 : 0;
  if (MAIN_LIKE.test(c.name)) return 0.9;
  if (isKargsFile(c.path) || (c.name.endsWith('.toml') && /^\s*kargs\s*=/m.test(c.head ?? ''))) return 0.9;
  if (
    /\.(toml|json)$/.test(c.name) &&
    /customizations/.test(c.head ?? '') &&
    !/^\s*(name|\s*"name")\s*[=:]/m.test(c.head ?? '')
  )
    return 0.3;
  if (/^\s*FROM\s+\S/im.test(c.head ?? '') && /^\s*(RUN|COPY)\s/im.test(c.head ?? '')) return 0.5;
  return 0;
}

async function read(path: string, options: ReadOptions): Promise<ReadResult> {
  const diagnostics: Diagnostic[] = [];
  try {
    for (const name of options.profiles ?? [])
      diagnostics.push(diag(coreCodes.unknownProfile, { name, known: '' }, { file: path }));
    let main = path;
    if ((await stat(path)).isDirectory()) {
      const found = readdirSync(path).filter((e) => MAIN_NAMES.test(e));
      if (found.length > 1) {
        diagnostics.push(
          diag(coreCodes.directoryHoldsSeveral, { path, candidates: found.join(', ') }, { file: path }),
        );
        return { positions: {}, diagnostics, files: [] };
      }
      if (!found.length) {
        diagnostics.push(
          diag(
            containerfileCodes.unreadable,
            { path, reason: 'no Containerfile or Dockerfile in this folder' },
            { file: path },
          ),
        );
        return { positions: {}, diagnostics, files: [] };
      }
      main = join(path, found[0]!);
    }
    const text = await readInputText(main);
    if (isKargsFile(main) || (main.endsWith('.toml') && /^\s*kargs\s*=/m.test(text)))
      return readKargsOnly(text, main, diagnostics);
    if (/\.(toml|json)$/.test(main)) return readConfigOnly(text, main, diagnostics);
    return readContainerfile(text, main, diagnostics);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    if (e instanceof InputRejected) diagnostics.push(e.diagnostic({ file: path }));
    else diagnostics.push(diag(containerfileCodes.unreadable, { path, reason }, { file: path }));
    return { positions: {}, diagnostics, files: [] };
  }
}

function readContainerfile(text: string, file: string, diagnostics: Diagnostic[]): ReadResult {
  const parsed = parseContainerfile(text, file);
  diagnostics.push(...parsed.diagnostics);
  const dir = dirname(resolve(file));
  const inContext = (rel: string) => {
    const full = resolve(dir, rel);
    return full === dir || full.startsWith(`${dir}/`) ? full : undefined;
  };
  const lowered = lowerContainerfile(parsed.ast, file, {
    readText(rel) {
      const full = inContext(rel);
      try {
        return full && statSync(full).isFile() ? readInputTextSync(full) : undefined;
      } catch (e) {
        if (e instanceof InputRejected) throw e;
        return undefined;
      }
    },
    isDirectory(rel) {
      const full = inContext(rel);
      try {
        return Boolean(full && statSync(full).isDirectory());
      } catch {
        return false;
      }
    },
  });
  diagnostics.push(...lowered.diagnostics);
  const files = [file, ...lowered.read.map((r) => join(dirname(file), r))];
  const ext: ContainerfileExtension = lowered.ext;
  for (const name of CONFIG_NAMES) {
    const configPath = join(dirname(file), name);
    let configText: string;
    try {
      configText = readInputTextSync(configPath);
    } catch (e) {
      if (e instanceof InputRejected) diagnostics.push(e.diagnostic({ file: configPath }));
      continue;
    }
    if (!/customizations/.test(configText)) continue;
    const result = lowerBibConfig(configText, configPath, lowered.ir, lowered.positions);
    diagnostics.push(...result.diagnostics);
    if (result.kept) ext.config = result.kept;
    files.push(configPath);
    break;
  }
  if (Object.keys(ext).length) lowered.ir.extensions.containerfile = ext;
  return finish(lowered.ir, lowered.positions, diagnostics, files);
}

function readConfigOnly(text: string, file: string, diagnostics: Diagnostic[]): ReadResult {
  const ir = emptyIr();
  const positions: PositionTable = {};
  const result = lowerBibConfig(text, file, ir, positions);
  diagnostics.push(...result.diagnostics);
  if (result.kept) ir.extensions.containerfile = { config: result.kept } satisfies ContainerfileExtension;
  return finish(ir, positions, diagnostics, [file]);
}

function readKargsOnly(text: string, file: string, diagnostics: Diagnostic[]): ReadResult {
  const ir = emptyIr();
  const positions: PositionTable = {};
  const parsed = parseKargs(text, file);
  diagnostics.push(...parsed.diagnostics);
  if (parsed.arches)
    diagnostics.push(
      diag(
        containerfileCodes.multiArchKargs,
        { arches: parsed.arches.join(', ') },
        { file, line: 1, column: 1 },
      ),
    );
  const line = text.split(/\r?\n/).findIndex((l) => /^\s*kargs\s*=/.test(l)) + 1 || 1;
  parsed.kargs.forEach((k, i) => {
    positions[`/system/kernel/cmdline/${i}`] = { file, line, column: 1 };
    ir.system.kernel.cmdline.push(k);
  });
  return finish(ir, positions, diagnostics, [file]);
}

function finish(
  ir: ImageIR,
  positions: PositionTable,
  diagnostics: Diagnostic[],
  files: string[],
): ReadResult {
  const failed = diagnostics.some((d) => d.severity === 'error');
  return failed ? { positions, diagnostics, files } : { ir, positions, diagnostics, files };
}

/** JSON Pointer patterns of what the containerfile writer expresses (see docs/translate.md). */
export const containerfileCapabilities = [
  '/irVersion',
  '/distribution/id',
  '/distribution/release',
  '/distribution/architecture',
  '/distribution/variant',
  '/metadata/name',
  '/metadata/description',
  '/metadata/version',
  '/metadata/author',
  '/metadata/license',
  '/repositories/*/id',
  '/repositories/*/name',
  '/repositories/*/type',
  '/repositories/*/urls/*',
  '/repositories/*/mirrorlist',
  '/repositories/*/metalink',
  '/repositories/*/suites/*',
  '/repositories/*/components/*',
  '/repositories/*/enabled',
  '/repositories/*/gpgCheck',
  '/repositories/*/repoGpgCheck',
  '/repositories/*/gpgKeys/*',
  '/repositories/*/sslVerify',
  '/repositories/*/priority',
  '/repositories/*/cost',
  '/repositories/*/moduleHotfixes',
  '/repositories/*/includePackages/*',
  '/repositories/*/excludePackages/*',
  '/repositories/*/proxy',
  '/repositories/*/username',
  '/repositories/*/password',
  '/repositories/*/fileName',
  '/packages/install/*/name',
  '/packages/exclude/*/name',
  '/packages/remove/*/name',
  '/packages/groups/*/name',
  '/packages/groups/*/kind',
  '/packages/modules/*/name',
  '/packages/modules/*/stream',
  '/packages/modules/*/state',
  '/packages/installDocs',
  '/packages/installWeakDeps',
  '/system/hostname',
  '/system/locale',
  '/system/keymap',
  '/system/timezone',
  '/system/fips',
  '/system/services/enable/*',
  '/system/services/disable/*',
  '/system/services/mask/*',
  '/system/kernel/cmdline/*',
  '/system/firewall/enabled',
  '/system/firewall/ports/*',
  '/system/firewall/services/enable/*',
  '/system/firewall/services/disable/*',
  '/system/firewall/zones/*/name',
  '/system/firewall/zones/*/sources/*',
  '/system/firewall/trust/*',
  '/accounts/root/password/hash',
  '/accounts/root/password/plain',
  '/accounts/root/sshKeys/*',
  '/accounts/root/shell',
  '/accounts/users/*/name',
  '/accounts/users/*/uid',
  '/accounts/users/*/gid',
  '/accounts/users/*/groups/*',
  '/accounts/users/*/description',
  '/accounts/users/*/home',
  '/accounts/users/*/shell',
  '/accounts/users/*/password/hash',
  '/accounts/users/*/password/plain',
  '/accounts/users/*/password/forceChange',
  '/accounts/users/*/sshKeys/*',
  '/accounts/users/*/expireDate',
  '/accounts/groups/*/name',
  '/accounts/groups/*/gid',
  '/files/*/path',
  '/files/*/content',
  '/files/*/source',
  '/files/*/mode',
  '/files/*/user',
  '/files/*/group',
  '/directories/*/path',
  '/directories/*/mode',
  '/directories/*/user',
  '/directories/*/group',
  '/directories/*/ensureParents',
  '/symlinks/*/path',
  '/symlinks/*/target',
  '/overlays/*/source',
  '/overlays/*/destination',
  '/scripts/*/phase',
  '/scripts/*/chroot',
  '/scripts/*/body',
  '/storage/mode',
  '/storage/partitionTable',
  '/storage/size/min',
  '/storage/sectorSize',
  '/storage/startOffset',
  '/storage/mountpoints/*/mountpoint',
  '/storage/mountpoints/*/size/min',
  '/storage/partitions/*/role',
  '/storage/partitions/*/mountpoint',
  '/storage/partitions/*/filesystem',
  '/storage/partitions/*/fsLabel',
  '/storage/partitions/*/size/min',
  '/storage/partitions/*/typeUuid',
  '/storage/partitions/*/name',
  '/storage/partitions/*/uuid',
  '/storage/partitions/*/volumeGroup',
  '/storage/partitions/*/subvolumes/*/name',
  '/storage/partitions/*/subvolumes/*/mountpoint',
  '/storage/volumeGroups/*/name',
  '/storage/volumeGroups/*/logicalVolumes/*/name',
  '/storage/volumeGroups/*/logicalVolumes/*/mountpoint',
  '/storage/volumeGroups/*/logicalVolumes/*/filesystem',
  '/storage/volumeGroups/*/logicalVolumes/*/fsLabel',
  '/storage/volumeGroups/*/logicalVolumes/*/size/min',
  '/extensions/containerfile/**',
] as const;

export const containerfileFormat: FormatModule = {
  id: 'containerfile',
  name: 'bootc Containerfile',
  detection:
    'a file named Containerfile/Dockerfile (or *.containerfile), a folder holding one, a bootc kargs.d/*.toml, or a bootc-image-builder config.toml',
  patterns: [
    'Containerfile',
    'Dockerfile',
    '*.containerfile',
    '*.dockerfile',
    'Containerfile.*',
    'config.toml',
    'kargs.d/*.toml',
  ],
  reader: { detect, read },
  writer: {
    capabilities: containerfileCapabilities,
    profiles: false,
    write: (ir, options) =>
      raiseContainerfile(ir, { sourceDir: options.sourceDir, options: options.options }),
  },
};
