/**
 * update-initramfs as a no-op while apt installs packages whose scripts would make the initrd
 * (a kernel's postinst, initramfs-tools' trigger), when a later make-initrd step makes it once
 * with everything in place. The bootstrap does the same with mmdebstrap hooks (bootstrap.ts).
 */

import { removeInTree, writeFileInTree } from '../../exec/tree-path.js';
import type { StepContext } from '../contract.js';

const UPDATE_INITRAMFS = '/usr/sbin/update-initramfs';
const DIVERTED_TO = '/usr/sbin/update-initramfs.imgc-deferred';
const NO_OP = '#!/bin/sh\n# imgc: deferred to the initrd step of the build\nexit 0\n';

export async function withInitrdDeferred(context: StepContext, body: () => Promise<void>): Promise<void> {
  const divert = (action: string[]) =>
    context.runner.chroot(
      context.tree,
      ['dpkg-divert', '--quiet', '--local', '--rename', ...action, UPDATE_INITRAMFS],
      { onLine: (l) => context.progress.log(l) },
    );
  await divert(['--divert', DIVERTED_TO, '--add']);
  await writeFileInTree(context.tree, UPDATE_INITRAMFS, NO_OP, 0o755);
  context.progress.log('update-initramfs deferred to the initrd step');
  try {
    await body();
  } finally {
    await removeInTree(context.tree, UPDATE_INITRAMFS);
    await divert(['--remove']);
  }
}
