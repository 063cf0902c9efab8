/**
 * Capability rows several writers share, so a field the IR adds to users, files or repositories
 * is added once for every writer that carries the whole group. Formats import these; each still
 * lists the rows only it expresses beside them.
 */

/** The pointers `prefix/field` for each field, e.g. the fields of every user. */
export function rowsUnder(prefix: string, fields: readonly string[]): string[] {
  return fields.map((f) => `${prefix}/${f}`);
}

/** The machine's name and its language, keyboard and clock settings. */
export const SYSTEM_ROWS = rowsUnder('/system', ['hostname', 'locale', 'keymap', 'timezone']);

/** A user account as every writer that creates users expresses it. */
export const USER_ROWS = rowsUnder('/accounts/users/*', [
  'name',
  'uid',
  'groups/*',
  'description',
  'home',
  'shell',
]);

export const GROUP_ROWS = rowsUnder('/accounts/groups/*', ['name', 'gid']);

/** A file placed from a source on the build host, with its ownership and mode. */
export const FILE_ROWS = rowsUnder('/files/*', ['path', 'source', 'mode', 'user', 'group']);

export const DIRECTORY_ROWS = rowsUnder('/directories/*', ['path', 'mode', 'user', 'group', 'ensureParents']);

/** A script named and kept as a file of its own, with the phase it runs in and where. */
export const SCRIPT_ROWS = rowsUnder('/scripts/*', ['name', 'phase', 'chroot', 'body', 'source']);

/** LVM volume groups and their logical volumes. */
export const VOLUME_GROUP_ROWS = [
  '/storage/volumeGroups/*/name',
  ...rowsUnder('/storage/volumeGroups/*/logicalVolumes/*', [
    'name',
    'mountpoint',
    'filesystem',
    'fsLabel',
    'size/min',
  ]),
];

/** Where a repository's packages come from: its name, type and every kind of address. */
export const REPOSITORY_SOURCE_ROWS = rowsUnder('/repositories/*', [
  'id',
  'name',
  'type',
  'urls/*',
  'mirrorlist',
  'metalink',
]);

/** A repository written as a whole dnf/yum .repo (or mkosi's equivalent) section. */
export const REPO_FILE_ROWS = [
  ...REPOSITORY_SOURCE_ROWS,
  ...rowsUnder('/repositories/*', [
    'suites/*',
    'components/*',
    'enabled',
    'gpgCheck',
    'repoGpgCheck',
    'gpgKeys/*',
    'sslVerify',
    'priority',
    'cost',
    'moduleHotfixes',
    'includePackages/*',
    'excludePackages/*',
    'fileName',
  ]),
];
