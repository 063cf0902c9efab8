import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCpioOutput } from '../../../src/outputs/cpio/index.js';
import { collectEntries, header } from '../../../src/outputs/cpio/newc.js';

let dir: string;
let tree: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'imgc-cpio-'));
  tree = join(dir, 'tree');
  mkdirSync(join(tree, 'usr/bin'), { recursive: true });
  mkdirSync(join(tree, 'etc'), { recursive: true });
  writeFileSync(join(tree, 'etc/hostname'), 'cpio-test\n');
  writeFileSync(join(tree, 'usr/bin/tool'), Buffer.alloc(3 * 1024 * 1024 + 5, 7));
  chmodSync(join(tree, 'usr/bin/tool'), 0o755);
  linkSync(join(tree, 'usr/bin/tool'), join(tree, 'usr/bin/tool-alias'));
  symlinkSync('usr/bin', join(tree, 'bin'));
  writeFileSync(join(tree, 'B-upper'), 'sorted before lower case\n');
  utimesSync(join(tree, 'etc/hostname'), 1_000_000, 1_000_000);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('newc cpio writer', () => {
  it('writes the 110-byte newc header with the name NUL-terminated and padded to 4 bytes', () => {
    const h = header(
      { name: 'ab', mode: 0o100644, ino: 1, nlink: 1, size: 5, rdevMajor: 0, rdevMinor: 0 },
      7,
    );
    expect(h.toString('latin1', 0, 6)).toBe('070701');
    expect(h.length % 4).toBe(0);
    expect(h.toString('latin1', 110, 113)).toBe('ab\0');
    expect(Number.parseInt(h.toString('latin1', 6 + 5 * 8, 6 + 6 * 8), 16)).toBe(7); // mtime
    expect(Number.parseInt(h.toString('latin1', 6 + 11 * 8, 6 + 12 * 8), 16)).toBe(3); // namesize
  });

  it('lists entries in byte order with the root first and hard links sharing an inode', async () => {
    const entries = await collectEntries(tree);
    const names = entries.map((e) => e.name);
    expect(names[0]).toBe('.');
    expect(names.slice(1)).toEqual(
      [...names.slice(1)].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
    );
    expect(names.indexOf('B-upper')).toBeLessThan(names.indexOf('bin'));
    const tool = entries.find((e) => e.name === 'usr/bin/tool')!;
    const alias = entries.find((e) => e.name === 'usr/bin/tool-alias')!;
    expect(tool.ino).toBe(alias.ino);
    expect(tool.nlink).toBe(2);
    expect([tool.hasData, alias.hasData]).toEqual([false, true]);
  });

  it('is byte-identical when written twice, and GNU cpio reads back the same content', async () => {
    for (const [i, compression] of (['none', 'gzip', 'zstd', 'xz'] as const).entries()) {
      const a = join(dir, `a${i}.cpio`);
      const b = join(dir, `b${i}.cpio`);
      await writeCpioOutput({ tree, dest: a, compression, epoch: 1_700_000_000 });
      utimesSync(join(tree, 'usr/bin/tool'), new Date(), new Date()); // mtimes in the tree must not matter
      await writeCpioOutput({ tree, dest: b, compression, epoch: 1_700_000_000 });
      expect(sha(a), compression).toBe(sha(b));
    }
    const out = join(dir, 'unpacked');
    mkdirSync(out);
    execFileSync('sh', ['-c', `cpio -id --quiet < ${join(dir, 'a0.cpio')}`], { cwd: out });
    expect(readFileSync(join(out, 'etc/hostname'), 'utf8')).toBe('cpio-test\n');
    expect(sha(join(out, 'usr/bin/tool'))).toBe(sha(join(tree, 'usr/bin/tool')));
    expect(sha(join(out, 'usr/bin/tool-alias'))).toBe(sha(join(tree, 'usr/bin/tool')));
    const listing = execFileSync('sh', ['-c', `cpio -tv --quiet < ${join(dir, 'a0.cpio')}`]).toString();
    expect(listing).toMatch(/lrwxrwxrwx .* root +root .* bin -> usr\/bin/);
    expect(listing).not.toMatch(/TRAILER/);
    const decompressed = execFileSync('zstd', ['-dc', join(dir, 'a2.cpio')], { maxBuffer: 64 << 20 });
    expect(createHash('sha256').update(decompressed).digest('hex')).toBe(sha(join(dir, 'a0.cpio')));
  });

  it('reports a missing compressor as a coded error', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(
        writeCpioOutput({ tree, dest: join(dir, 'missing.cpio.zst'), compression: 'zstd' }),
      ).rejects.toMatchObject({
        diagnostic: { code: 'IMGC7601' },
      });
    } finally {
      process.env.PATH = path;
    }
  });
});
