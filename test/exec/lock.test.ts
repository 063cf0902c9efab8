import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, LockTimeoutError, processAlive } from '../../src/exec/lock.js';

function deadPid(): number {
  const r = spawnSync('sh', ['-c', 'echo $$']);
  return Number(r.stdout.toString().trim());
}

describe('cache lock', () => {
  it('is exclusive while held and free after release', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'imgc-lock-')), 'lock');
    const lock = await acquireLock(path);
    expect(readFileSync(path, 'utf8').trim()).toBe(String(process.pid));
    let waitedFor = 0;
    await expect(
      acquireLock(path, { timeoutMs: 300, onWait: (h) => (waitedFor = h) }),
    ).rejects.toBeInstanceOf(LockTimeoutError);
    expect(waitedFor).toBe(process.pid);
    await lock.release();
    expect(existsSync(path)).toBe(false);
    const again = await acquireLock(path, { timeoutMs: 300 });
    await again.release();
  });

  it('takes over a lock whose owner died', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'imgc-lock-')), 'lock');
    const pid = deadPid();
    expect(processAlive(pid)).toBe(false);
    writeFileSync(path, `${pid}\n`);
    const lock = await acquireLock(path, { timeoutMs: 1000 });
    expect(readFileSync(path, 'utf8').trim()).toBe(String(process.pid));
    await lock.release();
  });

  it('lets exactly one of several concurrent takers in at a time', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'imgc-lock-')), 'lock');
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        const lock = await acquireLock(path, { timeoutMs: 10_000 });
        inside++;
        maxInside = Math.max(maxInside, inside);
        await new Promise((r) => setTimeout(r, 50));
        inside--;
        await lock.release();
      }),
    );
    expect(maxInside).toBe(1);
  });
});
