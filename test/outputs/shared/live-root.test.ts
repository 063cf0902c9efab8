/**
 * The live squashfs iso and pxe share: made once per build through the executor's shared file,
 * the same bytes as each output making its own.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { liveRootImage, type SharedFile } from '../../../src/outputs/shared/live.js';

const hasTool = spawnSync('sh', ['-c', 'command -v mksquashfs']).status === 0;
if (!hasTool) console.warn('SKIPPED: live root image tests: mksquashfs is missing');

const dir = mkdtempSync(join(tmpdir(), 'imgc-live-root-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tree(): string {
  const t = join(dir, 'tree');
  mkdirSync(join(t, 'boot'), { recursive: true });
  mkdirSync(join(t, 'etc'), { recursive: true });
  writeFileSync(join(t, 'boot/vmlinuz'), 'kernel, left out of the live root');
  writeFileSync(join(t, 'etc/hostname'), 'live\n');
  return t;
}

/** What the executor does: the first caller's make runs, later callers get the same file. */
function memo(): { shared: SharedFile; made: string[] } {
  const files = new Map<string, Promise<string>>();
  const made: string[] = [];
  const shared: SharedFile = (key, make) => {
    let p = files.get(key);
    if (!p) {
      const path = join(dir, `shared-${files.size}`);
      made.push(key);
      p = make(path).then(() => path);
      files.set(key, p);
    }
    return p;
  };
  return { shared, made };
}

describe.runIf(hasTool)('liveRootImage', () => {
  it('makes the squashfs once for two live outputs, identical to one made for each alone', async () => {
    const source = tree();
    const request = (output: string, outputName: string) => ({
      source,
      output,
      epoch: 1_700_000_000,
      outputName,
    });
    const { shared, made } = memo();
    await Promise.all([
      liveRootImage(request(join(dir, 'iso.squashfs'), 'iso'), shared),
      liveRootImage(request(join(dir, 'pxe.squashfs'), 'pxe'), shared),
    ]);
    expect(made).toHaveLength(1);
    await liveRootImage(request(join(dir, 'alone.squashfs'), 'pxe'));
    const alone = readFileSync(join(dir, 'alone.squashfs'));
    expect(readFileSync(join(dir, 'iso.squashfs')).equals(alone)).toBe(true);
    expect(readFileSync(join(dir, 'pxe.squashfs')).equals(alone)).toBe(true);
    // same file system: hard links to the one image, not copies
    expect(statSync(join(dir, 'iso.squashfs')).nlink).toBeGreaterThan(1);
    const listing = spawnSync('unsquashfs', ['-l', join(dir, 'iso.squashfs')], { encoding: 'utf8' }).stdout;
    expect(listing).toContain('etc/hostname');
    expect(listing).not.toContain('vmlinuz');
  });

  it('makes another image for another tree or epoch', async () => {
    const source = tree();
    const { shared, made } = memo();
    await liveRootImage({ source, output: join(dir, 'a.squashfs'), epoch: 1, outputName: 'iso' }, shared);
    await liveRootImage({ source, output: join(dir, 'b.squashfs'), epoch: 2, outputName: 'pxe' }, shared);
    expect(made).toHaveLength(2);
  });
});
