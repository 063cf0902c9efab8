import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, LockTimeoutError, processAlive } from '../../src/exec/lock.js';

function deadPid(): number {
  const r = spawnSync('sh', ['-c', 'echo $$']);
  return Number(r.stdout.toString().trim());
}

function lockDir(): string {
  return mkdtempSync(join(tmpdir(), 'imgc-lock-'));
}

function race(lockPath: string, insidePath: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'lock-racer.ts'), lockPath, insidePath],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out: out.trim() }));
  });
}

describe('cache lock', () => {
  it('is exclusive while held and free after release', async () => {
    const path = join(lockDir(), 'lock');
    const lock = await acquireLock(path);
    expect(readFileSync(path, 'utf8').trim()).toBe(String(process.pid));
    let waitedFor = 0;
    await expect(
      acquireLock(path, { timeoutMs: 300, onWait: (h) => (waitedFor = h) }),
    ).rejects.toBeInstanceOf(LockTimeoutError);
    expect(waitedFor).toBe(process.pid);
    await lock.release();
    const again = await acquireLock(path, { timeoutMs: 300 });
    await again.release();
  });

  it('is free when the file names a dead owner or is empty: no PID is trusted', async () => {
    const dir = lockDir();
    for (const content of [`${deadPid()}\n`, '', `${process.pid}\n`]) {
      const path = join(dir, 'lock');
      writeFileSync(path, content);
      const lock = await acquireLock(path, { timeoutMs: 1000 });
      expect(readFileSync(path, 'utf8').trim()).toBe(String(process.pid));
      await lock.release();
    }
    expect(processAlive(deadPid())).toBe(false);
  });

  it('is freed by the kernel when the owner is killed', async () => {
    const path = join(lockDir(), 'lock');
    const holder = spawn('flock', ['--exclusive', '--close', path, 'sleep', '30'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 300));
    await expect(acquireLock(path, { timeoutMs: 200 })).rejects.toBeInstanceOf(LockTimeoutError);
    holder.kill('SIGKILL');
    const lock = await acquireLock(path, { timeoutMs: 5000 });
    await lock.release();
  });

  it('lets exactly one of several concurrent takers in at a time', async () => {
    const path = join(lockDir(), 'lock');
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

  async function raceRounds(rounds: number, stale: (round: number) => string | undefined) {
    const overlaps: string[] = [];
    let waits = 0;
    for (let round = 0; round < rounds; round++) {
      const dir = lockDir();
      const lockPath = join(dir, 'lock');
      const content = stale(round);
      if (content !== undefined) writeFileSync(lockPath, content);
      const results = await Promise.all(Array.from({ length: 3 }, () => race(lockPath, join(dir, 'inside'))));
      for (const r of results) {
        if (r.code !== 0 || !r.out.startsWith('owner')) overlaps.push(`round ${round}: ${r.code} ${r.out}`);
        if (r.out === 'owner waited') waits++;
      }
    }
    // the racers did meet at the lock: without waiting there would be nothing to prove
    expect(waits).toBeGreaterThanOrEqual(rounds);
    console.log(
      `${rounds} rounds of 3 racers: ${waits} waited for another owner, ${overlaps.length} overlaps`,
    );
    return overlaps;
  }

  it('has one owner at a time in 20 racing rounds of separate processes with a stale lock present', async () => {
    // the stale file names a dead PID in even rounds and is empty (a half-written lock) in odd ones
    expect(await raceRounds(20, (round) => (round % 2 === 0 ? `${deadPid()}\n` : ''))).toEqual([]);
  }, 300_000);

  it('has one owner at a time in 10 racing rounds of separate processes without a lock file', async () => {
    expect(await raceRounds(10, () => undefined)).toEqual([]);
  }, 200_000);
});
