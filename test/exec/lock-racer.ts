/** One racer for the lock test: takes the lock, proves it is alone inside, lets go. Prints "owner" (or "overlap"), and "waited" when another racer held the lock first. */
import { open, rm } from 'node:fs/promises';
import { acquireLock } from '../../src/exec/lock.js';

const [lockPath, insidePath] = process.argv.slice(2) as [string, string];
let waited = false;
const lock = await acquireLock(lockPath, {
  timeoutMs: 60_000,
  onWait: () => {
    waited = true;
  },
});
try {
  // O_EXCL fails if another racer is inside at the same time.
  const marker = await open(insidePath, 'wx');
  await marker.close();
  // long enough that racers started within a tsx start-up of each other meet at the lock
  await new Promise((r) => setTimeout(r, 300));
  await rm(insidePath);
  process.stdout.write(waited ? 'owner waited\n' : 'owner\n');
} catch {
  process.stdout.write('overlap\n');
  process.exitCode = 3;
} finally {
  await lock.release();
}
