/** What the live-build writer expresses, as IR pointer patterns (see FormatWriter.capabilities). */
import { rowsUnder } from '../../shared/capabilities.js';

export const liveBuildApproximations = [
  '/repositories/*/id',
  '/repositories/*/type',
  '/scripts/*/phase',
  '/scripts/*/chroot',
  '/scripts/*/name',
  '/scripts/*/source',
  '/files/*/source',
  '/outputs/*/type',
];

export const liveBuildCapabilities = [
  ...liveBuildApproximations,
  '/distribution/id',
  '/distribution/release',
  '/distribution/architecture',
  '/repositories/*/urls/*',
  '/repositories/*/suites/*',
  '/repositories/*/components/*',
  '/packages/install/*/name',
  '/packages/installWeakDeps',
  '/system/kernel/cmdline/*',
  ...rowsUnder('/files/*', ['path', 'content', 'mode']),
  '/scripts/*/body',
  '/outputs/*/name',
  '/extensions/live-build/**',
];
