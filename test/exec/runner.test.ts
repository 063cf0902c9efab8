import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processAlive } from '../../src/exec/lock.js';
import { AbortedError, CommandError, ProcessRunner } from '../../src/exec/runner.js';

describe('ProcessRunner', () => {
  it('returns stdout and streams lines', async () => {
    const lines: string[] = [];
    const runner = new ProcessRunner({ signal: new AbortController().signal });
    const { stdout } = await runner.run('sh', ['-c', 'echo one; echo two >&2; printf three'], {
      onLine: (l) => lines.push(l),
    });
    expect(stdout).toBe('one\nthree');
    expect(lines.sort()).toEqual(['one', 'two']);
  });

  it('reports a failing command with its exit status and last lines', async () => {
    const runner = new ProcessRunner({ signal: new AbortController().signal });
    const err = await runner.run('sh', ['-c', 'echo broken >&2; exit 3']).catch((e) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect(err.exitCode).toBe(3);
    expect(err.message).toContain('broken');
  });

  it('stops the whole process group when aborted', async () => {
    const controller = new AbortController();
    const runner = new ProcessRunner({ signal: controller.signal });
    const pids: number[] = [];
    const running = runner.run('sh', ['-c', 'sleep 60 & echo $!; sleep 60'], {
      onLine: (l) => pids.push(Number(l)),
    });
    while (pids.length === 0) await new Promise((r) => setTimeout(r, 20));
    controller.abort('SIGINT');
    await expect(running).rejects.toBeInstanceOf(AbortedError);
    await new Promise((r) => setTimeout(r, 200));
    expect(processAlive(pids[0]!)).toBe(false);
    expect(runner.running).toBe(0);
  });

  it('refuses to mount the API filesystems on a symlink in the tree (it would be followed on the host)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'imgc-chroot-link-'));
    const outside = mkdtempSync(join(tmpdir(), 'imgc-chroot-outside-'));
    mkdirSync(join(root, 'sys'));
    mkdirSync(join(root, 'dev'));
    symlinkSync(outside, join(root, 'proc'));
    const runner = new ProcessRunner({ signal: new AbortController().signal });
    const err = await runner.chroot(root, ['/bin/true']).catch((e) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect(err.message).toContain('/proc in the image is a symbolic link');
  });
});
