/**
 * The `ostree` command as the OSTree outputs run it: a copy of the tree to convert, a
 * repository, a commit. Failures of the ostree tool itself are IMGC7629.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ostreeCodes } from '../../diagnostics/codes/ostree.js';
import { ProcessFailed, runProcess } from '../../exec/process.js';
import { outputError } from '../shared/errors.js';
import { runTool, toolError } from '../shared/run.js';

export interface OstreeRun {
  output: string;
  signal?: AbortSignal;
}

/** Runs ostree; a non-zero exit is IMGC7629 with ostree's own message. */
export async function ostree(args: string[], r: OstreeRun): Promise<string> {
  try {
    return await runProcess('ostree', args, {
      env: { ...process.env, LC_ALL: 'C' },
      ...(r.signal ? { signal: r.signal } : {}),
    });
  } catch (e) {
    if (e instanceof ProcessFailed && e.failure.kind === 'failed')
      throw outputError(
        ostreeCodes.ostreeFailed,
        {
          command: `ostree ${args.slice(0, 2).join(' ')}`,
          exitCode: String(e.failure.exitCode ?? e.failure.signal),
          stderr: e.failure.stderr.trim(),
        },
        r.output,
      );
    throw e instanceof ProcessFailed ? toolError(e.failure, r.output) : e;
  }
}

/** A copy of the tree to change: hard links where the work dir shares the tree's filesystem (conversion only renames and removes). */
export async function copyTree(tree: string, dest: string, r: OstreeRun): Promise<void> {
  await rm(dest, { recursive: true, force: true });
  try {
    await runTool('cp', ['-a', '--link', tree, dest], {
      output: r.output,
      ...(r.signal ? { signal: r.signal } : {}),
    });
  } catch {
    await rm(dest, { recursive: true, force: true });
    await runTool('cp', ['-a', '--reflink=auto', tree, dest], {
      output: r.output,
      ...(r.signal ? { signal: r.signal } : {}),
    });
  }
}

/** OSTree's ref syntax: components of [A-Za-z0-9._-] separated by '/' (an optional remote: prefix is not a local ref). */
export function isValidRef(ref: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/.test(ref);
}

/** `mode` of a new repository: archive for a repository to serve, bare for one to deploy from (no compression, hard links on pull-local). */
export async function ensureRepo(
  repo: string,
  create: boolean,
  r: OstreeRun,
  mode: 'archive' | 'bare' = 'archive',
): Promise<void> {
  if (existsSync(join(repo, 'config'))) return;
  if (!create) throw outputError(ostreeCodes.repoMissing, { path: repo }, r.output);
  await mkdir(repo, { recursive: true });
  await ostree(['init', `--repo=${repo}`, `--mode=${mode}`], r);
}

export async function refHead(repo: string, ref: string, r: OstreeRun): Promise<string | undefined> {
  const refs = (await ostree(['refs', `--repo=${repo}`], r)).split('\n').map((l) => l.trim());
  if (!refs.includes(ref)) return undefined;
  return (await ostree(['rev-parse', `--repo=${repo}`, ref], r)).trim();
}

export interface CommitRequest extends OstreeRun {
  repo: string;
  ref: string;
  tree: string;
  subject: string;
  /** seconds since the epoch; the commit's timestamp, so that its checksum depends on content only */
  timestamp: number;
  /** the commit that must be the ref's head (blueprint `parent`) */
  parent?: string;
  metadata?: Record<string, string>;
}

/** `ostree commit --bootable` onto the ref; the ref's head (if any) becomes the parent. Returns the checksum. */
export async function commitTree(c: CommitRequest): Promise<string> {
  const head = await refHead(c.repo, c.ref, c);
  if (c.parent !== undefined && c.parent !== head)
    throw outputError(
      ostreeCodes.parentMismatch,
      { parent: c.parent, ref: c.ref, head: head ?? 'the ref does not exist' },
      c.output,
    );
  const args = [
    'commit',
    `--repo=${c.repo}`,
    `--branch=${c.ref}`,
    `--tree=dir=${c.tree}`,
    '--bootable',
    `--timestamp=@${c.timestamp}`,
    `--subject=${c.subject}`,
    '--no-bindings',
    ...Object.entries(c.metadata ?? {})
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `--add-metadata-string=${k}=${v}`),
  ];
  if (head) args.push(`--parent=${head}`);
  return (await ostree(args, c)).trim();
}
