/** The lock file without a resolver: reading with positions, comparing, the --update report, version order. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compareVersions,
  compareWithLock,
  type LockFile,
  lockChanges,
  lockFileText,
  readLockFile,
  renderChanges,
} from '../../src/exec/package-lock.js';

const pkg = (name: string, version: string, sha = 'a') => ({
  name,
  version,
  architecture: 'amd64',
  repository: 'bookworm',
  url: `http://deb.example/${name}_${version}_amd64.deb`,
  sha256: sha.repeat(64),
  size: 100,
});

const lock = (packages: ReturnType<typeof pkg>[]): LockFile => ({
  lockVersion: 1,
  distribution: 'debian',
  release: 'bookworm',
  architecture: 'amd64',
  backend: 'debian',
  tool: 'apt-get',
  repositories: [
    {
      url: 'deb.debian.org/debian/dists/bookworm',
      kind: 'release-date',
      timestamp: '2026-07-11T10:16:37.000Z',
    },
  ],
  packages,
});

function written(l: LockFile): string {
  const file = join(mkdtempSync(join(tmpdir(), 'imgc-lock-test-')), 'image.lock');
  writeFileSync(file, lockFileText(l));
  return file;
}

describe('lock file', () => {
  it('orders versions as dpkg does (epoch, tilde, numeric runs)', () => {
    expect(compareVersions('1.10', '1.9')).toBeGreaterThan(0);
    expect(compareVersions('1.0~rc1', '1.0')).toBeLessThan(0);
    expect(compareVersions('1:0.1', '9.9')).toBeGreaterThan(0);
    expect(compareVersions('2.36-9+deb12u14', '2.36-9+deb12u4')).toBeGreaterThan(0);
    expect(compareVersions('1.0-1', '1.0-1')).toBe(0);
  });

  it('names every package that no longer matches, at its own line and column in the lock file', async () => {
    const file = written(lock([pkg('a', '1.0'), pkg('b', '2.0'), pkg('c', '3.0'), pkg('d', '4.0')]));
    const { read } = await readLockFile(file);
    const fresh = lock([pkg('a', '1.0'), pkg('b', '2.1'), pkg('c', '3.0', 'b'), pkg('e', '5.0')]);
    const found = compareWithLock(read!, fresh);
    expect(found.map((d) => [d.code, d.message, d.line, d.column])).toEqual([
      ['IMGC7730', 'locked package b no longer matches: locked 2.0, the repositories now give 2.1', 26, 5],
      [
        'IMGC7730',
        expect.stringMatching(/^locked package c no longer matches: 3.0 now has sha256 b{64}, locked a{64}$/),
        35,
        5,
      ],
      [
        'IMGC7730',
        'locked package d no longer matches: 4.0 is gone: the repositories no longer give d',
        44,
        5,
      ],
      [
        'IMGC7730',
        'locked package e no longer matches: not in the lock file, the resolver now adds 5.0',
        16,
        3,
      ],
    ]);
    expect(found.every((d) => d.file === file)).toBe(true);
  });

  it('matches nothing when the resolution is the lock', async () => {
    const l = lock([pkg('a', '1.0'), pkg('b', '2.0')]);
    const { read } = await readLockFile(written(l));
    expect(compareWithLock(read!, l)).toEqual([]);
  });

  it('refuses a lock file that is not JSON or not this schema, with a position', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imgc-lock-test-'));
    writeFileSync(join(dir, 'broken.lock'), '{\n  "lockVersion": 1,\n  oops\n}\n');
    const broken = await readLockFile(join(dir, 'broken.lock'));
    expect(broken.diagnostics[0]).toMatchObject({ code: 'IMGC7731', line: 3 });
    const bad = lock([pkg('a', '1.0')]);
    (bad.packages[0] as { sha256: string }).sha256 = 'not-hex';
    const invalid = await readLockFile(written(bad));
    expect(invalid.diagnostics[0]).toMatchObject({ code: 'IMGC7731', line: 23 });
    expect(invalid.diagnostics[0]!.message).toContain('/packages/0/sha256');
  });

  it('reports added, removed, upgraded, downgraded and rebuilt packages for --update', () => {
    const before = lock([pkg('a', '1.0'), pkg('b', '2.0'), pkg('c', '3.0'), pkg('d', '1:1.0')]);
    const after = lock([pkg('a', '1.0', 'c'), pkg('b', '2.0~1'), pkg('c', '3.1'), pkg('e', '1')]);
    const changes = lockChanges(before, after);
    expect(changes).toEqual([
      { name: 'a', change: 'rebuilt', from: '1.0', to: '1.0' },
      { name: 'b', change: 'downgraded', from: '2.0', to: '2.0~1' },
      { name: 'c', change: 'upgraded', from: '3.0', to: '3.1' },
      { name: 'd', change: 'removed', from: '1:1.0' },
      { name: 'e', change: 'added', to: '1' },
    ]);
    expect(renderChanges(changes)).toContain('upgraded   c  3.0 → 3.1');
  });

  it('writes the same bytes for the same lock, whatever order its parts came in', () => {
    const a = lock([pkg('a', '1.0'), pkg('b', '2.0')]);
    const shuffled = JSON.parse(JSON.stringify(a)) as LockFile;
    expect(lockFileText(shuffled)).toBe(lockFileText(a));
    expect(lockFileText(a)).toMatch(
      /^\{\n {2}"\$schema": "https:\/\/imgc.dev\/schemas\/lock.json",\n {2}"lockVersion": 1,/,
    );
  });
});
