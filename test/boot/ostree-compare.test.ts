/** The difference report of the OSTree reproducibility check, on two tiny commits that differ in one file. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeCommitDifference, listCommit } from './ostree-compare.js';

const hasOstree = spawnSync('ostree', ['--version']).status === 0;
if (!hasOstree) console.warn('SKIPPED: no ostree on this host');
const scratch = mkdtempSync(join(tmpdir(), 'imgc-ostree-compare-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function commit(name: string, motd: string) {
  const repo = join(scratch, `${name}.repo`);
  const tree = join(scratch, name);
  mkdirSync(join(tree, 'usr/etc'), { recursive: true });
  writeFileSync(join(tree, 'usr/etc/hostname'), 'same\n');
  writeFileSync(join(tree, 'usr/etc/motd'), motd);
  const ostree = (args: string[]) => {
    const r = spawnSync('ostree', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout.trim();
  };
  ostree(['init', '--mode=archive', `--repo=${repo}`]);
  ostree(['commit', `--repo=${repo}`, '--branch=t', '--timestamp=@1700000000', '--no-bindings', tree]);
  return { repo, checksum: ostree(['rev-parse', `--repo=${repo}`, 't']), listing: listCommit(repo, 't') };
}

describe.runIf(hasOstree)('describeCommitDifference', () => {
  it('is empty for two commits of the same tree', () => {
    expect(describeCommitDifference(commit('a', 'hi\n'), commit('b', 'hi\n'))).toBe('');
  });

  it('names the changed file in the listings and in ostree diff', () => {
    const report = describeCommitDifference(commit('c', 'hi\n'), commit('d', 'changed\n'));
    expect(report).toMatch(/only in the first listing \(1\):\n.*\/usr\/etc\/motd/);
    expect(report).toMatch(/only in the second listing \(1\):\n.*\/usr\/etc\/motd/);
    expect(report).toMatch(/ostree diff \(1 entries\):\n\s+M\s+\/usr\/etc\/motd/);
    expect(report).not.toMatch(/failed:/);
  });
});
