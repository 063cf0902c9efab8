/** One racer for the lock test: takes the lock, proves it is alone inside, lets go. */
import { open, rm } from 'node:fs/promises';
import { acquireLock } from '../../src/exec/lock.js';

const [lockPath, insidePath] = process.argv.slice(2) as [string, string];
const lock = await acquireLock(lockPath, { timeoutMs: 60_000 });
try {
  // O_EXCL fails if another racer is inside at the same time.
  const marker = await open(insidePath, 'wx');
  await marker.close();
  await new Promise((r) => setTimeout(r, 20));
  await rm(insidePath);
  process.stdout.write('owner\n');
} catch {
  process.stdout.write('overlap\n');
  process.exitCode = 3;
} finally {
  await lock.release();
}
