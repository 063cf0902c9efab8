/**
 * What the live-build reader and writer agree on: the lb config options imgc maps, the names
 * live-build 20230502 saves them under in config/{common,bootstrap,chroot,binary}, and the
 * image types.
 */
import { lookupTable } from '../../lib/lookup-table.js';

/** Options the IR holds, by their long name, and the saved variables that carry each (newest first). */
export const MAPPED_OPTIONS: Readonly<Record<string, readonly string[]>> = lookupTable({
  mode: ['LB_MODE'],
  distribution: ['LB_DISTRIBUTION'],
  architectures: ['LB_ARCHITECTURE', 'LB_ARCHITECTURES'],
  'archive-areas': ['LB_ARCHIVE_AREAS'],
  'parent-mirror-bootstrap': ['LB_PARENT_MIRROR_BOOTSTRAP'],
  'mirror-bootstrap': ['LB_MIRROR_BOOTSTRAP'],
  'binary-images': ['LB_IMAGE_TYPE', 'LB_BINARY_IMAGES'],
  'apt-recommends': ['LB_APT_RECOMMENDS'],
  'bootappend-live': ['LB_BOOTAPPEND_LIVE'],
  'image-name': ['LB_IMAGE_NAME'],
  hostname: ['LB_HOSTNAME'],
});

/** Old and short spellings lb config still takes → the long name above. */
export const OPTION_ALIASES: Readonly<Record<string, string>> = lookupTable({
  '-a': 'architectures',
  architecture: 'architectures',
  '-b': 'binary-images',
  'binary-image': 'binary-images',
  '-d': 'distribution',
  '-m': 'parent-mirror-bootstrap',
  'linux-flavour': 'linux-flavours',
  '-k': 'linux-flavours',
});

/** Options that are switches in some live-build versions (no value follows). */
export const SWITCHES = new Set([
  'noauto',
  'clean',
  'debug',
  'force',
  'quiet',
  'verbose',
  'color',
  'no-color',
  'help',
  'usage',
  'version',
]);

/** --binary-images → IR output type. */
export const IMAGE_TYPES: Readonly<Record<string, 'iso' | 'disk' | 'pxe' | 'tar'>> = lookupTable({
  iso: 'iso',
  'iso-hybrid': 'iso',
  hdd: 'disk',
  netboot: 'pxe',
  tar: 'tar',
});

/** IR output type → the image type the writer chooses. */
export const WRITTEN_IMAGE_TYPE: Readonly<Record<string, string>> = lookupTable({
  iso: 'iso-hybrid',
  disk: 'hdd',
  pxe: 'netboot',
  tar: 'tar',
});

/** live-build modes → distribution ids. */
export const MODES: Readonly<Record<string, string>> = lookupTable({ debian: 'debian', ubuntu: 'ubuntu' });

/** Package list files whose packages go into the image (live-build's *.list.chroot family). */
export const CHROOT_LIST = /\.list(\.chroot(_install|_live)?)?$/;

/** Folders of a config tree that shape the medium, not the installed system: noted, not read. */
export const KEPT_PARTS = [
  'bootloaders',
  'includes.binary',
  'includes.installer',
  'includes.source',
  'includes.bootstrap',
  'debian-installer',
  'preseed',
  'packages.chroot',
  'packages.binary',
  'packages',
  'rootfs',
  'apt',
];
