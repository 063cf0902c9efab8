/** What the Packer writer expresses, as IR pointer patterns. */
export const packerApproximations = [
  '/distribution/id',
  '/distribution/release',
  '/packages/install/*/name',
  '/scripts/*/phase',
  '/scripts/*/chroot',
  '/outputs/*/type',
];

export const packerCapabilities = [
  ...packerApproximations,
  '/files/*/path',
  '/files/*/source',
  '/scripts/*/body',
  '/scripts/*/source',
  '/storage/size/min',
  '/outputs/*/format',
  '/outputs/*/name',
  '/extensions/packer/**',
];
