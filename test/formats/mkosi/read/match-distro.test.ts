import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchedDistribution } from '../../../../src/formats/mkosi/read/match-distro.js';

function tree(conf: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'imgc-match-'));
  writeFileSync(join(dir, 'mkosi.conf'), conf);
  return dir;
}

describe('the distribution a main configuration matches', () => {
  it('is the one [Match] names, with its release and position', () => {
    const dir = tree('[Content]\nPackages=vim\n\n[Match]\nRelease=41\nDistribution=fedora\n');
    expect(matchedDistribution(dir)).toEqual({
      distribution: 'fedora',
      release: '41',
      file: join(dir, 'mkosi.conf'),
      line: 6,
      column: 1,
    });
  });

  it('is none when Distribution= is set, or [Match] names no single one', () => {
    expect(
      matchedDistribution(tree('[Match]\nDistribution=fedora\n[Distribution]\nDistribution=debian\n')),
    ).toBe(undefined);
    for (const value of ['!fedora', 'fedora debian', 'fedora,debian', 'fed*', ''])
      expect(matchedDistribution(tree(`[Match]\nDistribution=${value}\n`)), value).toBe(undefined);
  });
});
