import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { FormatRegistry } from '../../src/formats/registry.js';
import { makeDirectories, writeOutputFiles } from '../../src/formats/write-files.js';
import { repoRoot } from '../helpers/shared.js';
import { scratchDir, scratchFile } from '../input/scratch.js';

describe('output folders (issue 14)', () => {
  it('a folder under /proc fails at once (Node recursive mkdir spun for 10+ minutes)', async () => {
    const started = Date.now();
    await expect(makeDirectories('/proc/nope/deeper')).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(writeOutputFiles('/proc/nope', [{ path: 'a/b.txt', content: 'x' }])).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a path through a file fails with ENOTDIR', async () => {
    const file = scratchFile('plain', 'x');
    await expect(makeDirectories(join(file, 'sub'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  it('makes every missing level, and accepts existing ones', async () => {
    const dir = join(scratchDir(), 'a/b/c');
    await makeDirectories(dir);
    await makeDirectories(dir);
    expect(existsSync(dir)).toBe(true);
  });

  it('imgc translate -o /proc/nope exits 1 with IMGC1010', async () => {
    let stderr = '';
    const io = {
      stdout: () => {},
      stderr: (t: string) => {
        stderr += t;
      },
      isTTY: false,
    };
    const argv = [
      'node',
      'imgc',
      'translate',
      join(repoRoot, 'samples/mkosi'),
      '--to',
      'kiwi',
      '-o',
      '/proc/nope',
    ];
    const started = Date.now();
    expect(await main(argv, io, new FormatRegistry())).toBe(1);
    expect(stderr).toContain('IMGC1010');
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
