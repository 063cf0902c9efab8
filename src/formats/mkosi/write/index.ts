/** The mkosi writer: capability table and write(). */

import { diag } from '../../../diagnostics/define.js';
import type { ImageIR } from '../../../ir/schema.js';
import type { FormatWriter, WriteOptions, WriteResult } from '../../contract.js';
import { mkosiCodes } from '../codes.js';
import { raiseMkosi } from './raise.js';
import { MKOSI14_CAPABILITIES, raiseMkosi14 } from './v14.js';

/** IR fields an mkosi tree expresses (see docs/formats/mkosi.md for the mapping). */
export const MKOSI_CAPABILITIES = [
  '/distribution/id',
  '/distribution/release',
  '/distribution/architecture',
  '/distribution/variant',
  '/packages/install/*/name',
  '/packages/build/*/name',
  '/packages/remove/*/name',
  '/packages/installDocs',
  '/packages/installWeakDeps',
  '/system/hostname',
  '/system/locale',
  '/system/keymap',
  '/system/timezone',
  '/system/rootShell',
  '/system/kernel/cmdline/*',
  '/accounts/root/password/hash',
  '/accounts/root/password/plain',
  '/accounts/root/password/empty',
  '/accounts/users/*/name',
  '/accounts/users/*/uid',
  '/accounts/users/*/gid',
  '/accounts/users/*/primaryGroup',
  '/accounts/users/*/groups/*',
  '/accounts/users/*/description',
  '/accounts/users/*/home',
  '/accounts/users/*/shell',
  '/accounts/groups/*/name',
  '/accounts/groups/*/gid',
  '/metadata/name',
  '/metadata/version',
  '/outputs/0/type',
  '/outputs/0/name',
  '/outputs/0/compression',
  '/boot/secureBoot/enabled',
  '/boot/bootloader',
  '/boot/firmware',
  '/overlays/*/source',
  '/overlays/*/destination',
  '/overlays/*/kind',
  '/scripts/*/name',
  '/scripts/*/phase',
  '/scripts/*/chroot',
  '/scripts/*/body',
  '/scripts/*/source',
  '/storage/partitions/*/role',
  '/storage/partitions/*/name',
  '/storage/partitions/*/filesystem',
  '/storage/partitions/*/size/min',
  '/storage/partitions/*/size/max',
  '/storage/partitions/*/typeUuid',
  '/storage/partitions/*/uuid',
  '/storage/partitions/*/copyFiles/*',
  '/storage/partitions/*/minimize',
  '/storage/partitions/*/readOnly',
  '/storage/partitions/*/mountpoint',
  '/repositories/*/id',
  '/repositories/*/name',
  '/repositories/*/type',
  '/repositories/*/repoGpgCheck',
  '/repositories/*/urls/*',
  '/repositories/*/mirrorlist',
  '/repositories/*/metalink',
  '/repositories/*/suites/*',
  '/repositories/*/components/*',
  '/repositories/*/enabled',
  '/repositories/*/gpgCheck',
  '/repositories/*/gpgKeys/*',
  '/repositories/*/sslVerify',
  '/repositories/*/priority',
  '/repositories/*/cost',
  '/repositories/*/moduleHotfixes',
  '/repositories/*/includePackages/*',
  '/repositories/*/excludePackages/*',
  '/repositories/*/fileName',
  '/extensions/mkosi/**',
] as const;

export const mkosiWriter: FormatWriter = {
  capabilities: MKOSI_CAPABILITIES,
  profiles: false,
  profilesNote:
    'imgc writes one mkosi configuration without mkosi.profiles/ (those need mkosi v22 or later, and Debian 12 and Ubuntu 22.04 ship older ones)',
  capabilitiesFor: (options) =>
    String(options?.['mkosi-version']) === '14' ? MKOSI14_CAPABILITIES : undefined,
  write(ir: ImageIR, options: WriteOptions): WriteResult {
    const version = options.options?.['mkosi-version'];
    if (version === undefined || version === 'current')
      return raiseMkosi({ ir, sourceDir: options.sourceDir });
    if (String(version) !== '14')
      return { files: [], diagnostics: [diag(mkosiCodes.writerVersion, { version: String(version) })] };
    return raiseMkosi14(ir, options.sourceDir);
  },
};
