import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  copyIntoTree,
  emptyFileInTree,
  mkdirInTree,
  removeInTree,
  resolveInTree,
  symlinkInTree,
  TreePathError,
  writeFileInTree,
} from '../../src/exec/tree-path.js';

/** A tree whose symlinks point at `outside`, a host folder that must stay as it is. */
function hostileTree() {
  const base = mkdtempSync(join(tmpdir(), 'imgc-tree-path-'));
  const tree = join(base, 'tree');
  const outside = join(base, 'outside');
  mkdirSync(join(tree, 'var'), { recursive: true });
  mkdirSync(join(tree, 'etc'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'keep'), 'host\n');
  symlinkSync(outside, join(tree, 'var/run'));
  symlinkSync(outside, join(tree, 'etc/esc'));
  symlinkSync('../../../../../../..', join(tree, 'up'));
  symlinkSync(join(outside, 'keep'), join(tree, 'etc/host-file'));
  return { base, tree, outside };
}

const untouched = (outside: string) => expect(readdirSync(outside)).toEqual(['keep']);

describe('paths resolved inside the tree', () => {
  it('follows an absolute symlink from the tree root, not the host root', async () => {
    const { tree, outside } = hostileTree();
    expect(await resolveInTree(tree, '/var/run/x')).toBe(join(tree, outside, 'x'));
    await writeFileInTree(tree, '/var/run/x', 'in the image\n');
    expect(readFileSync(join(tree, outside, 'x'), 'utf8')).toBe('in the image\n');
    untouched(outside);
  });

  it('stops .. at the tree root, in the path and in symlink targets', async () => {
    const { tree, outside } = hostileTree();
    expect(await resolveInTree(tree, '/../../../../var/tmp/x/.ssh')).toBe(join(tree, 'var/tmp/x/.ssh'));
    expect(await resolveInTree(tree, '/up/etc/passwd')).toBe(join(tree, 'etc/passwd'));
    await mkdirInTree(tree, '/up/../../srv/data');
    // a missing folder and .. back out of it still leave /var/run resolved in the tree
    expect(await resolveInTree(tree, '/missing/../var/run/x')).toBe(join(tree, outside, 'x'));
    expect(statSync(join(tree, 'srv/data')).isDirectory()).toBe(true);
    untouched(outside);
  });

  it('replaces a symlink at the written path instead of writing through it', async () => {
    const { tree, outside } = hostileTree();
    await writeFileInTree(tree, '/etc/host-file', 'mine\n');
    expect(lstatSync(join(tree, 'etc/host-file')).isFile()).toBe(true);
    expect(readFileSync(join(outside, 'keep'), 'utf8')).toBe('host\n');
    await symlinkInTree(tree, '/var/run/link', '/etc/passwd');
    expect(readlinkSync(join(tree, outside, 'link'))).toBe('/etc/passwd');
    untouched(outside);
  });

  it('copies an overlay through a symlinked folder of the tree into the tree', async () => {
    const { base, tree, outside } = hostileTree();
    const overlay = join(base, 'overlay');
    mkdirSync(join(overlay, 'etc/esc/deeper'), { recursive: true });
    writeFileSync(join(overlay, 'etc/esc/file'), 'overlay\n');
    writeFileSync(join(overlay, 'etc/esc/deeper/more'), 'more\n');
    symlinkSync('file', join(overlay, 'etc/esc/alias'));
    execFileSync('ln', [join(overlay, 'etc/esc/file'), join(overlay, 'etc/esc/hard')]);
    await copyIntoTree(tree, overlay, '/', {
      copySpecial: async () => {
        throw new Error('no special files here');
      },
    });
    const landed = join(tree, outside);
    expect(readFileSync(join(landed, 'file'), 'utf8')).toBe('overlay\n');
    expect(readFileSync(join(landed, 'deeper/more'), 'utf8')).toBe('more\n');
    expect(readlinkSync(join(landed, 'alias'))).toBe('file');
    expect(statSync(join(landed, 'hard')).ino).toBe(statSync(join(landed, 'file')).ino);
    untouched(outside);
  });

  it('removes and empties through symlinked folders inside the tree only', async () => {
    const { tree, outside } = hostileTree();
    await removeInTree(tree, '/var/run/keep');
    await emptyFileInTree(tree, '/etc/esc/keep');
    await removeInTree(tree, '/etc/host-file');
    expect(existsSync(join(tree, 'etc/host-file'))).toBe(false);
    expect(readFileSync(join(outside, 'keep'), 'utf8')).toBe('host\n');
  });

  it('refuses a symlink loop', async () => {
    const { tree } = hostileTree();
    symlinkSync('/loop-b', join(tree, 'loop-a'));
    symlinkSync('/loop-a', join(tree, 'loop-b'));
    await expect(writeFileInTree(tree, '/loop-a/x', '')).rejects.toBeInstanceOf(TreePathError);
  });

  it('does not replace a directory of the tree with a file of an overlay, as cp would not', async () => {
    const { base, tree } = hostileTree();
    mkdirSync(join(tree, 'etc/keep.d'));
    writeFileSync(join(tree, 'etc/keep.d/inside'), 'kept\n');
    const overlay = join(base, 'overlay');
    mkdirSync(join(overlay, 'etc'), { recursive: true });
    writeFileSync(join(overlay, 'etc/keep.d'), 'a file\n');
    const copy = copyIntoTree(tree, overlay, '/', { copySpecial: async () => {} });
    await expect(copy).rejects.toBeInstanceOf(TreePathError);
    expect(readFileSync(join(tree, 'etc/keep.d/inside'), 'utf8')).toBe('kept\n');
  });
});
