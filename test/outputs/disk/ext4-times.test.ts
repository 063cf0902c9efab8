import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settleExt4Times, timeScript, usedInodes } from '../../../src/outputs/disk/ext4-times.js';
import { ensureHostTools } from '../../helpers/host-tools.js';

describe('usedInodes', () => {
  it("reads each group's used inodes from dumpe2fs's free lists", () => {
    const dump = [
      'Inode count:              24',
      'Free inodes:              15',
      'Inodes per group:         8',
      'Group 0: (Blocks 0-32767)',
      '  Free inodes: ',
      'Group 1: (Blocks 32768-65535)',
      '  Free inodes: 9-10, 12, 14-16',
      'Group 2: (Blocks 65536-98303)',
      '  Free inodes: 17-24',
    ].join('\n');
    expect(usedInodes(dump)).toEqual([
      { first: 1, last: 8 },
      { first: 11, last: 11 },
      { first: 13, last: 13 },
    ]);
  });

  it('writes atime and ctime, seconds and nanoseconds, per inode', () => {
    expect(
      timeScript([{ first: 2, last: 2 }], 5)
        .trim()
        .split('\n'),
    ).toEqual(['sif <2> atime @5', 'sif <2> atime_extra 0', 'sif <2> ctime @5', 'sif <2> ctime_extra 0']);
  });
});

// the real tools: two copies of one folder made at different times give different ext4 bytes
// (atime, ctime) until the debugfs pass
describe('settleExt4Times with mkfs.ext4 and debugfs', () => {
  let dir: string;
  beforeAll(() => {
    ensureHostTools();
    dir = mkdtempSync(join(tmpdir(), 'imgc-ext4-times-'));
    mkdirSync(join(dir, 'src/etc'), { recursive: true });
    for (let i = 0; i < 50; i++) writeFileSync(join(dir, `src/etc/f${i}`), `file ${i}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const make = (name: string, source: string) => {
    const image = join(dir, name);
    writeFileSync(image, '');
    truncateSync(image, 64 << 20);
    execFileSync(
      'mkfs.ext4',
      [
        '-q',
        '-F',
        '-U',
        '3f1c52a8-0d4e-4c2b-9a55-1b9f0e0c6a11',
        '-E',
        'offset=1048576,hash_seed=3f1c52a8-0d4e-4c2b-9a55-1b9f0e0c6a11',
        '-d',
        source,
        image,
        '32M',
      ],
      {
        env: { ...process.env, E2FSPROGS_FAKE_TIME: '1700000000' },
      },
    );
    return image;
  };

  it('makes two filesystems of copies made apart identical', async () => {
    const a = make('a.img', join(dir, 'src'));
    await new Promise((r) => setTimeout(r, 1100));
    execFileSync('cp', ['-a', join(dir, 'src'), join(dir, 'copy')]);
    const b = make('b.img', join(dir, 'copy'));
    expect(readFileSync(a).equals(readFileSync(b))).toBe(false);
    const settled = await settleExt4Times(a, 1 << 20, 1_700_000_000);
    await settleExt4Times(b, 1 << 20, 1_700_000_000);
    expect(settled).toBeGreaterThan(50);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    execFileSync('e2fsck', ['-fn', `${a}?offset=1048576`], { stdio: 'pipe' });
  });
});
