/**
 * Explains why two OSTree commits differ, for the reproducibility check of the OSTree test:
 * the entries only one listing has (`ostree ls -R -C`: type, mode, owner, size, checksums),
 * both commits' metadata (`ostree show`), and `ostree diff` of the two, imported into one
 * scratch repository.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CommitSide {
  repo: string;
  checksum: string;
  /** `ostree ls -R -C` of the commit */
  listing: string;
}

const SHOWN = 30;

function ostreeText(args: string[]): string {
  const r = spawnSync('ostree', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return r.status === 0 ? r.stdout : `ostree ${args.join(' ')} failed: ${r.stderr}`;
}

/**
 * `ostree ls -R -C` without the folders' dirtree checksums: those only sum up what is below
 * them, so a changed file would list every folder above it too.
 */
export function listCommit(repo: string, ref: string): string {
  return ostreeText(['ls', `--repo=${repo}`, '-R', '-C', ref])
    .split('\n')
    .map((l) => (l.startsWith('d') ? l.replace(/ [0-9a-f]{64}(?= [0-9a-f]{64} )/, '') : l))
    .join('\n');
}

function onlyIn(a: string, b: string): string[] {
  const other = new Set(b.split('\n'));
  return a.split('\n').filter((l) => l && !other.has(l));
}

function shown(lines: string[]): string {
  const more = lines.length > SHOWN ? `\n    ... ${lines.length - SHOWN} more` : '';
  return `${lines.slice(0, SHOWN).join('\n    ')}${more}`;
}

/** '' when both commits and listings are the same; else what differs, for the test's message. */
export function describeCommitDifference(one: CommitSide, two: CommitSide): string {
  if (one.checksum === two.checksum && one.listing === two.listing) return '';
  const parts = [
    `commits ${one.checksum} (${one.repo}) and ${two.checksum} (${two.repo})`,
    `  only in the first listing (${onlyIn(one.listing, two.listing).length}):\n    ${shown(onlyIn(one.listing, two.listing))}`,
    `  only in the second listing (${onlyIn(two.listing, one.listing).length}):\n    ${shown(onlyIn(two.listing, one.listing))}`,
    `  first commit:\n${ostreeText(['show', `--repo=${one.repo}`, one.checksum])}`,
    `  second commit:\n${ostreeText(['show', `--repo=${two.repo}`, two.checksum])}`,
  ];
  // pull-local between archive repositories on one file system hard-links the objects
  const scratch = mkdtempSync(join(tmpdir(), 'imgc-ostree-diff-'));
  try {
    const repo = join(scratch, 'repo');
    ostreeText(['init', '--mode=archive', `--repo=${repo}`]);
    for (const side of [one, two]) ostreeText(['pull-local', `--repo=${repo}`, side.repo, side.checksum]);
    const diff = ostreeText(['diff', `--repo=${repo}`, one.checksum, two.checksum]).split('\n');
    parts.push(`  ostree diff (${diff.filter(Boolean).length} entries):\n    ${shown(diff.filter(Boolean))}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return parts.join('\n');
}
