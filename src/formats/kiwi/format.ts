/**
 * KIWI image descriptions (kiwi-ng), format id `kiwi`.
 *
 * Reads: config.xml / *.kiwi in XML (schema 5.x–8.5, older ones upgraded to 8.5 as KIWI's
 * XSL chain does) or KIWI's YAML/JSON markup; top-level includes (one level, symlinks
 * followed); profiles with import= and <requires>; arch= filters; build-type selection
 * (--type, primary, first); the description folder's hook scripts and root/ overlay.
 * Writes: config.xml at schema 8.5 (or 7.5 with --kiwi-schema 7.5), hook scripts and the
 * root/ overlay. Everything without an IR field travels in `extensions.kiwi`; see
 * docs/formats/kiwi.md for the mapping and the known gaps.
 */

import type { DetectCandidate, FormatModule } from '../contract.js';
import { kiwiCodes } from './codes.js';
import { readKiwi } from './read/read.js';
import { writeKiwi } from './write/write.js';

const BODY = [
  '/metadata/name',
  '/metadata/version',
  '/metadata/description',
  '/metadata/author',
  '/metadata/contact',
  '/metadata/license',
  '/distribution/id',
  '/distribution/release',
  '/repositories/*/id',
  '/repositories/*/name',
  '/repositories/*/type',
  '/repositories/*/urls/0',
  '/repositories/*/mirrorlist',
  '/repositories/*/metalink',
  '/repositories/*/suites/0',
  '/repositories/*/components/*',
  '/repositories/*/gpgCheck',
  '/repositories/*/repoGpgCheck',
  '/repositories/*/gpgKeys/*',
  '/repositories/*/priority',
  '/repositories/*/usage',
  '/repositories/*/username',
  '/repositories/*/password',
  '/packages/install/*/name',
  '/packages/exclude/*/name',
  '/packages/groups/*/name',
  '/packages/groups/*/kind',
  '/packages/modules/*/name',
  '/packages/modules/*/stream',
  '/packages/modules/*/state',
  '/packages/remove/*/name',
  '/packages/bootstrap/*/name',
  '/packages/installDocs',
  '/system/locale',
  '/system/extraLocales/*',
  '/system/keymap',
  '/system/timezone',
  '/accounts/root/password/hash',
  '/accounts/root/password/plain',
  '/accounts/root/shell',
  '/accounts/users/*/name',
  '/accounts/users/*/uid',
  '/accounts/users/*/primaryGroup',
  '/accounts/users/*/groups/*',
  '/accounts/users/*/description',
  '/accounts/users/*/home',
  '/accounts/users/*/shell',
  '/accounts/users/*/password/hash',
  '/accounts/users/*/password/plain',
  '/files/*/path',
  '/files/*/source',
  '/files/*/mode',
  '/files/*/user',
  '/files/*/group',
  '/overlays/*/source',
  '/overlays/*/destination',
  '/overlays/*/kind',
  '/containers/*/source',
  '/extensions/kiwi/**',
];

/** Fields that come from the selected build type; the reader puts them on the image only. */
const IMAGE_ONLY = [
  '/irVersion',
  '/system/kernel/cmdline/*',
  '/system/hostname',
  '/scripts/*/name',
  '/scripts/*/phase',
  '/scripts/*/chroot',
  '/scripts/*/body',
  '/scripts/*/source',
  '/scripts/*/interpreter',
  '/storage/partitionTable',
  '/storage/size/min',
  '/storage/encryption/passphrase',
  '/storage/encryption/keyFile',
  '/storage/encryption/type',
  '/storage/partitions/*/role',
  '/storage/partitions/*/name',
  '/storage/partitions/*/mountpoint',
  '/storage/partitions/*/filesystem',
  '/storage/partitions/*/fsLabel',
  '/storage/partitions/*/size/min',
  '/storage/partitions/*/fsOptions/*',
  '/storage/partitions/*/mountOptions/*',
  '/storage/partitions/*/subvolumes/*/name',
  '/storage/partitions/*/subvolumes/*/mountpoint',
  '/storage/volumeGroups/0/name',
  '/storage/volumeGroups/0/logicalVolumes/*/name',
  '/storage/volumeGroups/0/logicalVolumes/*/mountpoint',
  '/storage/volumeGroups/0/logicalVolumes/*/size/min',
  '/storage/volumeGroups/0/logicalVolumes/*/grow',
  '/boot/firmware',
  '/boot/bootloader',
  '/boot/timeout',
  '/boot/secureBoot/enabled',
  '/outputs/0/type',
  '/outputs/0/format',
  '/outputs/0/filesystem',
  '/outputs/0/volumeId',
  '/outputs/0/publisher',
  '/outputs/0/application',
  '/outputs/0/container/**',
  '/outputs/1/type',
  '/profiles/*/name',
  '/profiles/*/description',
  '/profiles/*/default',
  '/profiles/*/requires/*',
  '/activeProfiles/*',
];

export const kiwiCapabilities: readonly string[] = [
  ...BODY,
  ...IMAGE_ONLY,
  ...BODY.map((p) => `/profiles/*/overlay${p}`),
];

function detect(c: DetectCandidate): number {
  if (c.isDirectory) {
    const entries = c.entries ?? [];
    if (entries.includes('config.xml') || entries.some((e) => e.endsWith('.kiwi'))) return 0.8;
    return 0;
  }
  const head = c.head ?? '';
  const xmlImage = /<image[\s>][^>]*schemaversion=/.test(head);
  if (c.name.endsWith('.kiwi')) return 1;
  if (xmlImage) return 0.95;
  if (/^\s*image\s*:/m.test(head) && /['"]?@schemaversion['"]?\s*:/.test(head)) return 0.9;
  if (/"image"\s*:\s*\{/.test(head) && /"@schemaversion"/.test(head)) return 0.9;
  if (c.name === 'config.xml' && /<image[\s>]/.test(head)) return 0.9;
  return 0;
}

export const kiwiFormat: FormatModule = {
  id: 'kiwi',
  name: 'KIWI image description',
  detection:
    'a folder with config.xml or *.kiwi; an XML file whose root is <image schemaversion=...>; KIWI YAML/JSON',
  patterns: ['config.xml', '*.kiwi', '*.kiwi.yaml', '*.kiwi.json'],
  reader: { detect, read: readKiwi },
  writer: { capabilities: kiwiCapabilities, profiles: true, write: writeKiwi },
  codes: kiwiCodes,
};
