import {
  chmodSync,
  lutimesSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  compareFiles,
  compareOutputs,
  compareTrees,
  differingRanges,
} from '../../src/exec/compare-outputs.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'imgc-compare-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function tree(name: string): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'etc'), { recursive: true });
  writeFileSync(join(root, 'etc/os-release'), 'ID=debian\n');
  symlinkSync('../usr/lib/os-release', join(root, 'etc/link'));
  lutimesSync(join(root, 'etc/link'), 1_700_000_000, 1_700_000_000);
  for (const p of ['etc/os-release', 'etc', '.']) utimesSync(join(root, p), 1_700_000_000, 1_700_000_000);
  return root;
}

describe('differingRanges', () => {
  it('finds each run of differing bytes, offset from the chunk', () => {
    const a = Buffer.from('abcdefgh');
    const b = Buffer.from('aXcdYZgh');
    expect(differingRanges(a, b, 100)).toEqual([
      { start: 101, end: 102 },
      { start: 104, end: 106 },
    ]);
  });
});

describe('compareFiles', () => {
  it('reports a changed byte at its offset, a range across the chunk border as one', async () => {
    const size = (1 << 20) + 4096;
    const a = Buffer.alloc(size, 7);
    const b = Buffer.from(a);
    b[0x1234] = 8;
    for (let i = (1 << 20) - 2; i < (1 << 20) + 2; i++) b[i] = 9;
    writeFileSync(join(dir, 'a'), a);
    writeFileSync(join(dir, 'b'), b);
    const r = await compareFiles(join(dir, 'a'), join(dir, 'b'));
    expect(r.total).toBe(2);
    expect(r.differences).toEqual([
      '5 bytes differ in 2 ranges',
      'bytes 0x1234–0x1234 (1 byte)',
      'bytes 0xffffe–0x100001 (4 bytes)',
    ]);
  });

  it('reports a size difference', async () => {
    writeFileSync(join(dir, 'a'), 'same');
    writeFileSync(join(dir, 'b'), 'same+');
    const r = await compareFiles(join(dir, 'a'), join(dir, 'b'));
    expect(r.differences).toEqual(['size 4 bytes against 5']);
  });

  it('finds nothing in equal files', async () => {
    writeFileSync(join(dir, 'a'), 'same');
    writeFileSync(join(dir, 'b'), 'same');
    expect(await compareFiles(join(dir, 'a'), join(dir, 'b'))).toEqual({ differences: [], total: 0 });
  });
});

describe('compareTrees', () => {
  it('finds two equal trees identical', async () => {
    const r = await compareTrees(tree('a'), tree('b'));
    expect(r.total).toBe(0);
  });

  it('names the entry and what differs: content, mode, mtime, link target, presence', async () => {
    const a = tree('a');
    const b = tree('b');
    writeFileSync(join(b, 'etc/os-release'), 'ID=fedora\n');
    utimesSync(join(b, 'etc/os-release'), 1_700_000_000, 1_700_000_000);
    chmodSync(join(b, 'etc'), 0o700);
    utimesSync(join(b, '.'), 1_700_000_001, 1_700_000_001);
    rmSync(join(b, 'etc/link'));
    symlinkSync('/elsewhere', join(b, 'etc/link'));
    writeFileSync(join(b, 'etc/build-time'), String(Date.now()));
    utimesSync(join(b, 'etc'), 1_700_000_000, 1_700_000_000);
    const r = await compareTrees(a, b);
    expect(r.differences.filter((d) => !d.startsWith('extended attributes'))).toEqual([
      'etc/build-time: only in the second build',
      'etc: mode 0755 against 0700',
      expect.stringMatching(/^etc\/link: mtime \d+ against \d+$/),
      'etc/link: target ../usr/lib/os-release against /elsewhere',
      'etc/os-release: content differs',
    ]);
    expect(r.total).toBe(5);
  });
});

describe('compareOutputs', () => {
  it('compares each output by name and says which exist in one build only', async () => {
    mkdirSync(join(dir, '1'));
    mkdirSync(join(dir, '2'));
    writeFileSync(join(dir, '1/image.raw'), 'x');
    writeFileSync(join(dir, '2/image.raw'), 'x');
    writeFileSync(join(dir, '1/image.tar'), 'x');
    const r = await compareOutputs(join(dir, '1'), join(dir, '2'));
    expect(r.map((c) => [c.name, c.identical, c.differences])).toEqual([
      ['image.raw', true, []],
      ['image.tar', false, ['only in the first build']],
    ]);
  });
});
