/**
 * withInitrdDeferred on a real dpkg admin folder: the "chroot" runs the host's dpkg-divert
 * with --root on the test tree, so the diversion, the renames and their undoing are dpkg's own.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { StepContext } from '../../../src/backends/contract.js';
import { withInitrdDeferred } from '../../../src/backends/debian/initramfs.js';

const REAL = "#!/bin/sh\n# the package's update-initramfs\n";
const hasDpkgDivert = spawnSync('dpkg-divert', ['--version']).status === 0;
if (!hasDpkgDivert) console.warn('SKIPPED: no dpkg-divert on this host');

function debianTree() {
  const tree = mkdtempSync(join(tmpdir(), 'imgc-initramfs-'));
  onTestFinished(() => rmSync(tree, { recursive: true, force: true }));
  mkdirSync(join(tree, 'var/lib/dpkg'), { recursive: true });
  mkdirSync(join(tree, 'usr/sbin'), { recursive: true });
  writeFileSync(join(tree, 'usr/sbin/update-initramfs'), REAL, { mode: 0o755 });
  const chrooted: string[][] = [];
  const context = {
    tree,
    progress: { log: () => {}, note: () => {}, packages: () => {} },
    runner: {
      run: async () => ({ stdout: '' }),
      chroot: async (root: string, command: readonly string[]) => {
        chrooted.push([...command]);
        if (command[0] !== 'dpkg-divert') throw new Error(`unexpected ${command.join(' ')}`);
        const r = spawnSync('dpkg-divert', [`--root=${root}`, ...command.slice(1)], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`dpkg-divert: ${r.stderr}`);
        return { stdout: r.stdout };
      },
    },
  } as unknown as StepContext;
  const diversions = () =>
    spawnSync('dpkg-divert', [`--root=${tree}`, '--list'], { encoding: 'utf8' }).stdout.trim();
  const script = () => readFileSync(join(tree, 'usr/sbin/update-initramfs'), 'utf8');
  return { tree, context, chrooted, diversions, script };
}

describe.runIf(hasDpkgDivert)('update-initramfs deferred during a package install', () => {
  it('is a no-op while the body runs, with the real one diverted, and is restored after', async () => {
    const t = debianTree();
    let during = '';
    await withInitrdDeferred(t.context, async () => {
      during = t.script();
      expect(t.diversions()).toMatch(/update-initramfs to \/usr\/sbin\/update-initramfs\.imgc-deferred/);
      expect(readFileSync(join(t.tree, 'usr/sbin/update-initramfs.imgc-deferred'), 'utf8')).toBe(REAL);
      const noOp = spawnSync('sh', [join(t.tree, 'usr/sbin/update-initramfs'), '-u'], { encoding: 'utf8' });
      expect(noOp.status).toBe(0);
    });
    expect(during).toMatch(/^#!\/bin\/sh\n# imgc: deferred[^\n]*\nexit 0\n$/);
    expect(t.script()).toBe(REAL);
    expect(existsSync(join(t.tree, 'usr/sbin/update-initramfs.imgc-deferred'))).toBe(false);
    expect(t.diversions()).toBe('');
    expect(t.chrooted.map((c) => c.at(-2))).toEqual(['--add', '--remove']);
  });

  it('undoes the diversion when the install fails, and passes the failure on', async () => {
    const t = debianTree();
    await expect(
      withInitrdDeferred(t.context, async () => {
        throw new Error('apt-get failed');
      }),
    ).rejects.toThrow('apt-get failed');
    expect(t.script()).toBe(REAL);
    expect(t.diversions()).toBe('');
  });
});
