import { REPO_FILE_ROWS } from '../../shared/capabilities.js';

/** What a treefile (with the .repo file written beside it) carries of the IR. */
export const treefileCapabilities: readonly string[] = [
  '/distribution/id',
  '/distribution/release',
  ...REPO_FILE_ROWS.filter((r) => !/\/(suites|components|type|moduleHotfixes)/.test(r)),
  '/packages/install/*/name',
  '/packages/exclude/*/name',
  '/packages/installWeakDeps',
  '/packages/installDocs',
  '/packages/languages/*',
  '/system/services/enable/*',
  '/scripts/*/phase',
  '/scripts/*/chroot',
  '/scripts/*/network',
  '/scripts/*/body',
  '/scripts/*/source',
  '/files/*/path',
  '/files/*/source',
  '/outputs/*/type',
  '/outputs/*/name',
  '/extensions/treefile/keys/**',
  '/extensions/treefile/variables/**',
  '/extensions/treefile/otherArch/**',
  '/extensions/treefile/unresolvedRepos/*',
];

/**
 * Rows carried only in some cases, reported by the writer otherwise: scripts only after
 * packages in the image root without network, one script file, outputs only ostree commits,
 * .repo file names and key URLs.
 */
export const treefileApproximations: readonly string[] = [
  '/distribution/id',
  '/scripts/*/phase',
  '/scripts/*/chroot',
  '/scripts/*/network',
  '/scripts/*/source',
  '/files/*/source',
  '/outputs/*/type',
  '/outputs/*/name',
  '/repositories/*/fileName',
  '/repositories/*/gpgKeys/*',
];
