import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProcessRunner } from '../../../src/exec/runner.js';
import { writeDirectoryOutput } from '../../../src/outputs/directory/index.js';

const runner = new ProcessRunner({ signal: new AbortController().signal });

describe('directory output', () => {
  it('moves the tree when allowed and copies it otherwise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imgc-dir-'));
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
});
