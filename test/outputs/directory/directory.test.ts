import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ProcessRunner } from '../../../src/exec/runner.js';
import { writeDirectoryOutput } from '../../../src/outputs/directory/index.js';

const runner = new ProcessRunner({ signal: new AbortController().signal });

function scratch() {
  const dir = mkdtempSync(join(tmpdir(), 'imgc-dir-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('directory output', () => {
  it('moves the tree when allowed and copies it otherwise', async () => {
    const dir = scratch();
    const tree = join(dir, 'tree');
    mkdirSync(join(tree, 'etc'), { recursive: true });
    writeFileSync(join(tree, 'etc/hostname'), 'x\n');
    expect(await writeDirectoryOutput({ tree, dest: join(dir, 'copy'), mayMove: false, runner })).toBe(
      'copied',
    );
    expect(existsSync(tree)).toBe(true);
    expect(await writeDirectoryOutput({ tree, dest: join(dir, 'moved'), mayMove: true, runner })).toBe(
      'moved',
    );
    expect(existsSync(tree)).toBe(false);
    expect(readFileSync(join(dir, 'copy/etc/hostname'), 'utf8')).toBe('x\n');
    expect(readFileSync(join(dir, 'moved/etc/hostname'), 'utf8')).toBe('x\n');
  });

  it('hard-links only files whose content and attributes match the previous output', async () => {
    const dir = scratch();
    const tree = join(dir, 'tree');
    const previous = join(dir, 'previous');
    for (const root of [tree, previous]) mkdirSync(join(root, 'etc'), { recursive: true });
    const same = (root: string, name: string, content: string, mode = 0o644) => {
      writeFileSync(join(root, name), content);
      chmodSync(join(root, name), mode);
      utimesSync(join(root, name), 1_700_000_000, 1_700_000_000);
    };
    same(tree, 'etc/unchanged', 'same\n');
    same(previous, 'etc/unchanged', 'same\n');
    // same size and time, other content: a size-and-time check would wrongly link it
    same(tree, 'etc/edited', 'new!\n');
    same(previous, 'etc/edited', 'old!\n');
    same(tree, 'etc/chmodded', 'x\n', 0o600);
    same(previous, 'etc/chmodded', 'x\n', 0o644);
    same(tree, 'etc/added', 'a\n');
    same(previous, 'etc/removed', 'r\n');

    const dest = join(dir, 'dest');
    expect(await writeDirectoryOutput({ tree, dest, mayMove: false, previous, runner })).toBe(
      'linked-unchanged',
    );
    const ino = (root: string, name: string) => statSync(join(root, name)).ino;
    expect(ino(dest, 'etc/unchanged')).toBe(ino(previous, 'etc/unchanged'));
    expect(ino(dest, 'etc/edited')).not.toBe(ino(previous, 'etc/edited'));
    expect(readFileSync(join(dest, 'etc/edited'), 'utf8')).toBe('new!\n');
    expect(readFileSync(join(previous, 'etc/edited'), 'utf8')).toBe('old!\n');
    expect(ino(dest, 'etc/chmodded')).not.toBe(ino(previous, 'etc/chmodded'));
    expect(statSync(join(dest, 'etc/chmodded')).mode & 0o777).toBe(0o600);
    expect(statSync(join(previous, 'etc/chmodded')).mode & 0o777).toBe(0o644);
    expect(readFileSync(join(dest, 'etc/added'), 'utf8')).toBe('a\n');
    expect(existsSync(join(dest, 'etc/removed'))).toBe(false);
    expect(existsSync(join(previous, 'etc/removed'))).toBe(true);
  });
});
