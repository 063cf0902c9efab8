import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
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
import { describe, expect, it } from 'vitest';
import { ProcessRunner } from '../../../src/exec/runner.js';
import { writeTarOutput } from '../../../src/outputs/tar/index.js';

const runner = new ProcessRunner({ signal: new AbortController().signal });
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

/** The same tree content, created in a different order at a different time. */
function makeTree(root: string, order: 'forward' | 'backward') {
  const names = ['b', 'a', 'c/d', 'c/e'];
  mkdirSync(join(root, 'c'), { recursive: true });
  for (const n of order === 'forward' ? names : [...names].reverse())
    writeFileSync(join(root, n), `content of ${n}\n`);
  symlinkSync('a', join(root, 'link'));
  utimesSync(join(root, 'a'), 1_000_000_000, 1_000_000_000); // older than the epoch: kept
}

describe('tar output', () => {
  it('is byte-identical for the same content, sorted, with mtimes clamped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imgc-tar-'));
    const epoch = 1_600_000_000;
    const outs: string[] = [];
    for (const [i, order] of (['forward', 'backward'] as const).entries()) {
      const tree = join(dir, `tree${i}`);
      makeTree(tree, order);
      const dest = join(dir, `out${i}.tar`);
      await writeTarOutput({ tree, dest, compression: 'none', sourceDateEpoch: epoch, runner });
      outs.push(dest);
      await new Promise((r) => setTimeout(r, 1100)); // a later second for the next tree's mtimes
    }
    expect(sha(outs[0]!)).toBe(sha(outs[1]!));
    const listing = execFileSync('tar', ['-tvf', outs[0]!, '--full-time', '--numeric-owner'], {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC' },
    });
    const names = listing
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/).slice(5).join(' '));
    expect(names).toEqual(['./', './a', './b', './c/', './c/d', './c/e', './link -> a']);
    const times = listing
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/).slice(3, 5).join(' '));
    expect(times[1]).toBe('2001-09-09 01:46:40');
    expect(times.filter((_, i) => i !== 1).every((t) => t === '2020-09-13 12:26:40')).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });

  it('compresses deterministically', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imgc-tar-'));
    makeTree(join(dir, 'tree'), 'forward');
    for (const compression of ['gzip', 'zstd'] as const) {
      const a = join(dir, `a.${compression}`);
      const b = join(dir, `b.${compression}`);
      await writeTarOutput({ tree: join(dir, 'tree'), dest: a, compression, sourceDateEpoch: 1, runner });
      await new Promise((r) => setTimeout(r, 1100));
      await writeTarOutput({ tree: join(dir, 'tree'), dest: b, compression, sourceDateEpoch: 1, runner });
      expect(sha(a), compression).toBe(sha(b));
      expect(execFileSync('tar', ['-tf', a], { encoding: 'utf8' })).toContain('./c/e');
    }
    rmSync(dir, { recursive: true, force: true });
  });
});
