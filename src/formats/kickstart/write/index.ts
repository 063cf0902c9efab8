/** Kickstart writer: one flattened kickstart for the version chosen with --ks-version. */

import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { distroOfRepositories } from '../../../ir/distro-defaults.js';
import type { ImageIR } from '../../../ir/schema.js';
import type { FormatWriter, WriteOptions, WriteResult } from '../../contract.js';
import { GROUP_ROWS, SYSTEM_ROWS, USER_ROWS } from '../../shared/capabilities.js';
import { distributionNotCarried } from '../../shared/distribution-carried.js';
import { kickstartCodes } from '../codes.js';
import { DEFAULT_KS_VERSION, KS_VERSIONS, resolveVersion } from '../versions.js';
import { KickstartRaiser } from './raise.js';

/** IR fields a kickstart can say; everything else is reported as a loss by `translate`. */
export const KICKSTART_CAPABILITIES: readonly string[] = [
  '/distribution/id',
  '/distribution/release',
  '/repositories/*/id',
  '/repositories/*/urls/0',
  '/repositories/*/mirrorlist',
  '/repositories/*/metalink',
  '/repositories/*/cost',
  '/repositories/*/includePackages/*',
  '/repositories/*/excludePackages/*',
  '/repositories/*/proxy',
  '/repositories/*/sslVerify',
  '/repositories/*/usage',
  '/packages/install/*/name',
  '/packages/exclude/*/name',
  '/packages/groups/*/name',
  '/packages/groups/*/kind',
  '/packages/groups/*/optional',
  '/packages/groups/*/nodefaults',
  '/packages/groups/*/exclude',
  '/packages/modules/*/name',
  '/packages/modules/*/stream',
  '/packages/modules/*/profile',
  '/packages/modules/*/state',
  '/packages/installDocs',
  '/packages/installWeakDeps',
  '/packages/languages/*',
  '/packages/core',
  '/packages/multilib',
  // ostreesetup and ostreecontainer; other outputs are reported by the raiser
  '/outputs/*/type',
  '/outputs/*/ostree/**',
  ...SYSTEM_ROWS,
  '/system/extraLocales/*',
  '/system/utc',
  '/system/ntpServers/*',
  '/system/selinux',
  '/system/firewall/enabled',
  '/system/firewall/ports/*',
  '/system/firewall/services/**',
  '/system/firewall/trust/*',
  '/system/services/enable/*',
  '/system/services/disable/*',
  '/system/kernel/cmdline/*',
  '/accounts/root/password/hash',
  '/accounts/root/password/plain',
  '/accounts/root/password/locked',
  '/accounts/root/sshKeys/*',
  ...USER_ROWS,
  '/accounts/users/*/gid',
  '/accounts/users/*/password/hash',
  '/accounts/users/*/password/plain',
  '/accounts/users/*/password/locked',
  '/accounts/users/*/sshKeys/*',
  ...GROUP_ROWS,
  '/scripts/*/phase',
  '/scripts/*/chroot',
  '/scripts/*/interpreter',
  '/scripts/*/body',
  '/scripts/*/source',
  '/scripts/*/onError',
  '/scripts/*/log',
  '/storage/partitionTable',
  '/storage/mode',
  '/storage/clear/**',
  '/storage/encryption/**',
  '/storage/partitions/*/role',
  '/storage/partitions/*/mountpoint',
  '/storage/partitions/*/filesystem',
  '/storage/partitions/*/fsLabel',
  '/storage/partitions/*/size/**',
  '/storage/partitions/*/grow',
  '/storage/partitions/*/fsOptions/*',
  '/storage/partitions/*/mountOptions/*',
  '/storage/partitions/*/format',
  '/storage/partitions/*/encryption/**',
  '/storage/partitions/*/volumeGroup',
  '/storage/partitions/*/raid',
  '/storage/partitions/*/onDisk',
  '/storage/partitions/*/subvolumes/*/name',
  '/storage/partitions/*/subvolumes/*/mountpoint',
  '/storage/partitions/*/subvolumes/*/options/*',
  '/storage/volumeGroups/*/name',
  '/storage/volumeGroups/*/physicalVolumes/*',
  '/storage/volumeGroups/*/extentSize',
  '/storage/volumeGroups/*/logicalVolumes/*/**',
  '/storage/raid/*/**',
  '/boot/timeout',
  '/boot/bootloader',
  '/extensions/kickstart/**',
];

export function writeKickstart(ir: ImageIR, options: WriteOptions): WriteResult {
  const requested = options.options?.ksVersion;
  const version =
    typeof requested === 'string' && requested !== '' ? resolveVersion(requested) : DEFAULT_KS_VERSION;
  if (!version) {
    return {
      files: [],
      diagnostics: [
        diag(kickstartCodes.unknownVersion, { name: String(requested), known: KS_VERSIONS.join(', ') }),
      ],
    };
  }
  const raiser = new KickstartRaiser(ir, {
    version,
    positions: options.positions,
    sourceDir: options.sourceDir,
  });
  const lines = raiser.raise();
  const name =
    typeof options.options?.name === 'string' ? options.options.name : (ir.metadata?.name ?? 'kickstart');
  const fileName = `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.ks`;
  return {
    files: [{ path: fileName, content: `${lines.join('\n')}\n` }],
    diagnostics: [...raiser.diagnostics, ...distributionCarried(ir)],
  };
}

/**
 * A kickstart has no distribution field: readers infer it from the first `url`/`repo` on a
 * distribution's own mirror (only the first URL of a repository is written).
 */
function distributionCarried(ir: ImageIR): Diagnostic[] {
  const written = ir.repositories.map((r) => ({ ...r, urls: r.urls.slice(0, 1) }));
  return distributionNotCarried(ir, 'kickstart', distroOfRepositories(written)?.guess, {
    unnamed: (id, readsAs) =>
      `a kickstart names no distribution and no url/repo line written is on a ${id} mirror${readsAs ? ` (it reads as ${readsAs})` : ''}; name it with --distro when reading it back`,
    noRelease: (release, id) => `no url/repo line written names release ${release} of ${id}`,
  });
}

export const kickstartWriter: FormatWriter = {
  capabilities: KICKSTART_CAPABILITIES,
  profiles: false,
  write: writeKickstart,
};
