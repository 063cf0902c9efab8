/**
 * An offline `ostree admin upgrade`: a new commit deployed into a copy of an existing
 * ostree-disk image. The ext4 root is mounted (the host kernel can) in a private mount
 * namespace; the new deployment becomes the default and the earlier one stays as the rollback
 * entry. The ESP, which this host cannot mount, gets the new entries and kernels with mtools.
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ostreeCodes } from '../../diagnostics/codes/ostree.js';
import { roleOfType } from '../disk/gpt-types.js';
import { outputError } from '../shared/errors.js';
import { runTool } from '../shared/run.js';
import { espBootFiles } from './deploy.js';
import { writeEspFiles } from './esp-files.js';
import { buildOstreeCommit, type OstreeCommitRequest } from './index.js';

export interface UpgradeRequest extends Omit<OstreeCommitRequest, 'repo' | 'newRepo' | 'keepEtc'> {
  /** the ostree-disk image to start from (left unchanged) */
  from: string;
  /** the upgraded raw image */
  image: string;
  osName: string;
  timeout?: number;
}

interface GptPartition {
  start: number;
  size: number;
  type: string;
}

export async function readGpt(image: string, output: string): Promise<GptPartition[]> {
  const fail = (detail: string) => outputError(ostreeCodes.upgradeDisk, { path: image, detail }, output);
  let json: string;
  try {
    json = await runTool('sfdisk', ['--json', image], { output });
  } catch {
    throw fail('sfdisk cannot read a partition table from it');
  }
  const table = (JSON.parse(json) as { partitiontable?: { label?: string; partitions?: GptPartition[] } })
    .partitiontable;
  if (table?.label !== 'gpt') throw fail('it has no GPT');
  return (table.partitions ?? []).map((p) => ({ start: p.start * 512, size: p.size * 512, type: p.type }));
}

/** The script run in a private mount namespace: mount the root, pull, deploy, stage /boot for the ESP. */
const DEPLOY_SCRIPT = `set -eu
mount -o loop,offset="$ROOT_OFFSET",sizelimit="$ROOT_SIZE" "$IMAGE" "$MNT"
trap 'umount "$MNT"' EXIT
refspec=$(sed -n 's/^refspec=//p' "$MNT"/ostree/deploy/"$OS"/deploy/*.origin | head -n 1)
case "$refspec" in
  *:*) ostree pull-local --disable-fsync --repo="$MNT/ostree/repo" --remote="\${refspec%%:*}" "$REPO" "$REF"
       refspec="\${refspec%%:*}:$REF" ;;
  *) ostree pull-local --disable-fsync --repo="$MNT/ostree/repo" "$REPO" "$REF"; refspec="$REF" ;;
esac
ostree admin deploy --sysroot="$MNT" --os="$OS" --retain "$refspec"
mkdir -p "$STAGE/boot/loader"
cp -rL "$MNT/boot/loader/entries" "$STAGE/boot/loader/entries"
cp -rL "$MNT/boot/ostree" "$STAGE/boot/ostree"
`;

export async function upgradeOstreeDisk(r: UpgradeRequest): Promise<{ checksum: string; entries: string[] }> {
  const run = { output: r.output, ...(r.signal ? { signal: r.signal } : {}) };
  const parts = await readGpt(r.from, r.output);
  const esp = parts.find((p) => roleOfType(p.type.toLowerCase()) === 'esp');
  const root = parts.find((p) => roleOfType(p.type.toLowerCase()) === 'root');
  if (!esp || !root)
    throw outputError(
      ostreeCodes.upgradeDisk,
      { path: r.from, detail: 'it has no ESP and root partition' },
      r.output,
    );
  const commit = await buildOstreeCommit({ ...r, newRepo: join(r.workDir, 'repo'), newRepoMode: 'bare' });
  r.onProgress?.('deploying into a copy of the disk');
  await runTool('cp', ['--sparse=always', r.from, r.image], run);
  const mnt = join(r.workDir, 'mnt');
  const stage = join(r.workDir, 'esp-stage');
  await mkdir(mnt, { recursive: true });
  await mkdir(stage, { recursive: true });
  await runTool('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', DEPLOY_SCRIPT], {
    ...run,
    env: {
      IMAGE: r.image,
      ROOT_OFFSET: String(root.start),
      ROOT_SIZE: String(root.size),
      MNT: mnt,
      OS: r.osName,
      REPO: commit.repo,
      REF: commit.ref,
      STAGE: stage,
    },
  });
  const at = `${r.image}@@${esp.start}`;
  await runTool('mdeltree', ['-i', at, '::/loader/entries', '::/ostree'], run);
  const files = espBootFiles(stage, r.timeout ?? 0);
  const copy = join(r.workDir, 'esp-copy');
  await mkdir(copy, { recursive: true });
  await writeEspFiles(at, copy, files, run);
  const entries = (await readdir(join(stage, 'boot/loader/entries'))).sort();
  return { checksum: commit.checksum, entries };
}
