/**
 * The `bootc-oci` output: the tree in the OSTree layout (kernel under /usr/lib/modules, /var as
 * tmpfiles.d, /ostree → sysroot/ostree; /etc stays /etc, as in bootc base images) as an OCI
 * image with the labels bootc and rpm-ostree look for, written by the `oci` output's writer.
 */

import { join } from 'node:path';
import { lookupTable } from '../../lib/lookup-table.js';
import { type OciRequest, writeOciOutput } from '../oci/index.js';
import { copyTree } from './commit.js';
import { convertToOstreeLayout } from './convert.js';

export const BOOTC_LABELS: Readonly<Record<string, string>> = lookupTable({
  'containers.bootc': '1',
  'ostree.bootable': '1',
});

export async function writeBootcOci(
  r: OciRequest,
): Promise<{ manifestDigest: string; kernelVersion: string }> {
  const tree = join(r.workDir, 'bootc-tree');
  r.onProgress?.('copying the tree');
  const run = { output: 'bootc-oci', ...(r.signal ? { signal: r.signal } : {}) };
  await copyTree(r.tree, tree, run);
  const converted = await convertToOstreeLayout(tree, { output: run.output, keepEtc: true });
  r.onProgress?.(`OSTree layout, kernel ${converted.kernelVersion}`);
  const labels = { ...r.config.labels, ...BOOTC_LABELS, 'ostree.linux': converted.kernelVersion };
  const written = await writeOciOutput({ ...r, tree, config: { ...r.config, labels } });
  return { manifestDigest: written.manifestDigest, kernelVersion: converted.kernelVersion };
}
