import { mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type StepContext, StepError } from '../../src/backends/contract.js';
import { writeFiles } from '../../src/exec/write-files.js';
import type { PlanStep } from '../../src/plan/steps.js';

function context(tree: string): StepContext {
  const fail = async () => {
    throw new Error('no commands in this test');
  };
  return {
    tree,
    workDir: join(tree, '..', 'work'),
    packageCache: join(tree, '..', 'cache'),
    signal: new AbortController().signal,
    runner: { run: fail, chroot: fail },
    progress: { log: () => {}, packages: () => {}, note: () => {} },
    report: () => {},
  };
}

const step = (entries: unknown[], origin: string[]) =>
  ({
    id: 'w',
    type: 'write-files',
    title: 'write',
    inputs: [],
    origin,
    options: { entries },
  }) as unknown as PlanStep<'write-files'>;

describe('write-files', () => {
  it('writes through the tree absolute symlinks into the tree', async () => {
    const tree = join(mkdtempSync(join(tmpdir(), 'imgc-write-files-')), 'tree');
    mkdirSync(join(tree, 'var'), { recursive: true });
    mkdirSync(join(tree, 'run'));
    symlinkSync('/run', join(tree, 'var/run'));
    const content = Buffer.from('inside\n').toString('base64');
    await writeFiles(step([{ kind: 'file', path: '/var/run/imgc-x', content }], ['/files/0']), context(tree));
    expect(readFileSync(join(tree, 'run/imgc-x'), 'utf8')).toBe('inside\n');
  });

  it('points a path it cannot write at the entry that asked for it (IMGC7040)', async () => {
    const tree = join(mkdtempSync(join(tmpdir(), 'imgc-write-files-')), 'tree');
    mkdirSync(join(tree, 'etc'), { recursive: true });
    symlinkSync('/etc/b', join(tree, 'etc/a'));
    symlinkSync('/etc/a', join(tree, 'etc/b'));
    const entries = [
      { kind: 'directory', path: '/srv' },
      { kind: 'file', path: '/etc/a/x', content: '' },
    ];
    const err = await writeFiles(step(entries, ['/directories/0', '/files/3']), context(tree)).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(StepError);
    expect(err.diagnostic).toMatchObject({ code: 'IMGC7040', pointer: '/files/3' });
    expect(err.diagnostic.message).toContain('too many levels of symbolic links');
  });
});
