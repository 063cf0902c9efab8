/**
 * The `ostree-commit` output: the image tree, converted to the OSTree layout (convert.ts), as a
 * bootable commit in an archive repository (a new one, or the one given with --ostree-repo).
 * The commit's timestamp is SOURCE_DATE_EPOCH, so two builds of the same tree give the same
 * checksum. See docs/ostree.md.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { badRef } from './checks.js';
import { commitTree, copyTree, ensureRepo, type OstreeRun } from './commit.js';
import { convertToOstreeLayout } from './convert.js';

export interface OstreeCommitRequest extends OstreeRun {
  tree: string;
  workDir: string;
  ref: string;
  subject: string;
  timestamp: number;
  /** commit into this existing repository; else into `newRepo` */
  repo?: string;
  newRepo?: string;
  /** the mode of newRepo */
  newRepoMode?: 'archive' | 'bare';
  parent?: string;
  metadata?: Record<string, string>;
  keepEtc?: boolean;
  onProgress?: (m: string) => void;
}

export interface OstreeCommitResult {
  repo: string;
  ref: string;
  checksum: string;
  kernelVersion: string;
  /** the converted tree, still in the work dir */
  tree: string;
}

/** Copies, converts and commits the tree; returns where the commit is. */
export async function buildOstreeCommit(r: OstreeCommitRequest): Promise<OstreeCommitResult> {
  badRef(r.ref, r.output);
  const repo = r.repo ?? r.newRepo;
  if (!repo) throw new Error('buildOstreeCommit: neither repo nor newRepo');
  await ensureRepo(repo, r.repo === undefined, r, r.newRepoMode);
  const tree = join(r.workDir, 'ostree-tree');
  r.onProgress?.('copying the tree');
  await copyTree(r.tree, tree, r);
  r.onProgress?.('converting to the OSTree layout');
  const converted = await convertToOstreeLayout(tree, {
    output: r.output,
    ...(r.keepEtc ? { keepEtc: true } : {}),
  });
  r.onProgress?.(`kernel ${converted.kernelVersion}, ${converted.varEntries} tmpfiles.d lines for /var`);
  const checksum = await commitTree({
    repo,
    ref: r.ref,
    tree,
    subject: r.subject,
    timestamp: r.timestamp,
    output: r.output,
    ...(r.parent ? { parent: r.parent } : {}),
    ...(r.metadata ? { metadata: r.metadata } : {}),
    ...(r.signal ? { signal: r.signal } : {}),
  });
  r.onProgress?.(`commit ${checksum} on ${r.ref}`);
  return { repo, ref: r.ref, checksum, kernelVersion: converted.kernelVersion, tree };
}

/** The output's record of an external-repository commit: `ref checksum`, one line. */
export async function writeCommitRecord(path: string, result: OstreeCommitResult): Promise<void> {
  await writeFile(path, `${result.ref} ${result.checksum} ${result.repo}\n`);
}
