/** osbuild blueprint writer (TOML or JSON). */
import { stringify } from 'smol-toml';
import { translateCodes } from '../../../diagnostics/codes/translate.js';
import { diag } from '../../../diagnostics/define.js';
import { positionOf } from '../../../ir/positions.js';
import type { FormatWriter } from '../../contract.js';
import {
  DIRECTORY_ROWS,
  FILE_ROWS,
  GROUP_ROWS,
  REPOSITORY_SOURCE_ROWS,
  rowsUnder,
  SYSTEM_ROWS,
  USER_ROWS,
  VOLUME_GROUP_ROWS,
} from '../../shared/capabilities.js';
import { withoutNulls } from '../../shared/toml-values.js';
import { raiseBlueprint } from './raise.js';

const USER = ['password/hash', 'password/plain', 'password/forceChange', 'sshKeys/*', 'gid', 'expireDate'];
const PARTITION = [
  'mountpoint',
  'filesystem',
  'fsLabel',
  'size/min',
  'typeUuid',
  'name',
  'uuid',
  'role',
  'volumeGroup',
  'subvolumes/*/name',
  'subvolumes/*/mountpoint',
];
const REPOSITORY = [
  'gpgKeys/*',
  'gpgCheck',
  'repoGpgCheck',
  'sslVerify',
  'priority',
  'enabled',
  'moduleHotfixes',
  'fileName',
  'usage',
];

/** The IR fields a blueprint can hold (see docs/formats/blueprint.md). */
export const blueprintCapabilities: readonly string[] = [
  '/irVersion',
  '/metadata/name',
  '/metadata/version',
  '/metadata/description',
  '/distribution/id',
  '/distribution/release',
  '/distribution/architecture',
  '/packages/install/*/name',
  '/packages/install/*/version',
  '/packages/install/*/arch',
  '/packages/groups/*/name',
  '/packages/groups/*/kind',
  '/packages/groups/*/exclude',
  '/packages/modules/*/name',
  '/packages/modules/*/stream',
  '/packages/modules/*/state',
  '/packages/modules/*/profile',
  '/containers/**',
  ...SYSTEM_ROWS,
  '/system/kernel/package',
  '/system/kernel/cmdline/*',
  '/system/ntpServers/*',
  '/system/extraLocales/*',
  '/system/firewall/ports/*',
  '/system/firewall/services/enable/*',
  '/system/firewall/services/disable/*',
  '/system/firewall/zones/*/name',
  '/system/firewall/zones/*/sources/*',
  '/system/services/enable/*',
  '/system/services/disable/*',
  '/system/services/mask/*',
  '/system/fips',
  '/system/caCertificates/*',
  '/accounts/root/password/hash',
  '/accounts/root/password/plain',
  '/accounts/root/password/locked',
  '/accounts/root/password/empty',
  '/accounts/root/sshKeys/*',
  '/accounts/root/shell',
  ...USER_ROWS,
  ...rowsUnder('/accounts/users/*', USER),
  '/accounts/users/*/password/locked',
  '/accounts/users/*/password/empty',
  ...GROUP_ROWS,
  '/storage/mountpoints/*/mountpoint',
  '/storage/mountpoints/*/size/min',
  '/storage/mode',
  '/storage/installationDevice',
  '/storage/partitionTable',
  '/storage/size/min',
  '/storage/startOffset',
  '/storage/sectorSize',
  ...rowsUnder('/storage/partitions/*', PARTITION),
  ...VOLUME_GROUP_ROWS,
  ...DIRECTORY_ROWS,
  ...FILE_ROWS,
  '/files/*/content',
  '/files/*/contentBase64',
  ...REPOSITORY_SOURCE_ROWS,
  ...rowsUnder('/repositories/*', REPOSITORY),
  '/scripts/**',
  '/extensions/blueprint/**',
];

/**
 * Patterns above that the writer accepts only for some values and reports itself
 * (IMGC6002) otherwise; round-trip checks skip them.
 */
export const blueprintApproximations: readonly string[] = [
  '/distribution/release',
  '/packages/install/*/arch',
  '/packages/groups/*/kind',
  '/packages/groups/*/exclude',
  '/packages/modules/*/state',
  '/packages/modules/*/profile',
  '/accounts/root/password/locked',
  '/accounts/root/password/empty',
  '/accounts/users/*/password/locked',
  '/accounts/users/*/password/empty',
  '/storage/partitions/*/role',
  '/storage/partitions/*/subvolumes/*/mountpoint',
  '/storage/partitions/*/filesystem',
  '/storage/partitions/*/mountpoint',
  '/storage/partitions/*/fsLabel',
  '/storage/volumeGroups/*/logicalVolumes/*/filesystem',
  '/storage/partitions/*/size/min',
  '/files/*/contentBase64',
  '/files/*/source',
  '/files/*/mode',
  '/files/*/path',
  '/directories/*/mode',
  '/directories/*/path',
  '/repositories/*/type',
  '/repositories/*/usage',
  '/repositories/*/gpgCheck',
  '/scripts/**',
];

const EXT = '/extensions/blueprint';

export function blueprintWriter(syntax: 'toml' | 'json'): FormatWriter {
  const target = syntax === 'toml' ? 'blueprint' : 'blueprint-json';
  return {
    capabilities: blueprintCapabilities,
    approximations: blueprintApproximations,
    profiles: false,
    write(ir, options) {
      const { document, diagnostics } = raiseBlueprint(ir, target, options.positions);
      const nullAt = (path: string) =>
        diagnostics.push(
          diag(translateCodes.nullNotWritable, { target, path }, positionOf(options.positions ?? {}, EXT), {
            pointer: EXT,
            source: 'translate',
          }),
        );
      const content =
        syntax === 'toml'
          ? `# osbuild blueprint written by imgc\n\n${stringify(withoutNulls(document, nullAt) as Record<string, unknown>)}`
          : `${JSON.stringify(document, null, 2)}\n`;
      return { files: [{ path: `blueprint.${syntax}`, content }], diagnostics };
    },
  };
}
