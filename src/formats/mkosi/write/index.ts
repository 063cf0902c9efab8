/** The mkosi writer: capability table and write(). */

import { diag } from '../../../diagnostics/define.js';
import type { ImageIR } from '../../../ir/schema.js';
import type { FormatWriter, WriteOptions, WriteResult } from '../../contract.js';
import {
  GROUP_ROWS,
  REPO_FILE_ROWS,
  SCRIPT_ROWS,
  SYSTEM_ROWS,
  USER_ROWS,
} from '../../shared/capabilities.js';
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
  ...SYSTEM_ROWS,
  '/system/rootShell',
  '/system/kernel/cmdline/*',
  '/accounts/root/password/hash',
  '/accounts/root/password/plain',
  '/accounts/root/password/empty',
  ...USER_ROWS,
  '/accounts/users/*/gid',
  '/accounts/users/*/primaryGroup',
  ...GROUP_ROWS,
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
  ...SCRIPT_ROWS,
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
  ...REPO_FILE_ROWS,
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
