/**
 * A build's progress output with a fake slow step, for the pty test: the events a Debian
 * bootstrap sends (128/128 packages, then update-initramfs's line) and then nothing for
 * IMGC_SLOW_MS, as while mkinitramfs runs. Renders with the CLI's own renderer and TTY check.
 */
import { progressRenderer } from '../../src/cli/build.js';
import { processIo } from '../../src/cli/output.js';
import { type BuildEventInput, stamp } from '../../src/exec/progress.js';

const render = progressRenderer(processIo, processIo.isTTY ? 'tty' : 'plain');
const send = (e: BuildEventInput) => render(stamp(e));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const title = 'bootstrap debian bookworm (minbase, 8 packages) into the image tree of imgc-sample';

send({
  event: 'build-start',
  backend: 'debian',
  steps: 2,
  outputs: ['directory'],
  cacheDir: '/c',
  workDir: '/w',
});
send({ event: 'step-start', id: 'b', type: 'bootstrap', title, index: 1, total: 2 });
for (let done = 32; done <= 128; done += 32) {
  send({ event: 'step-progress', id: 'b', packages: { done, total: 128 } });
  await sleep(50);
}
send({ event: 'log', id: 'b', line: 'update-initramfs: Generating /boot/initrd.img-6.1.0-28-amd64' });
await sleep(Number(process.env.IMGC_SLOW_MS ?? 3500));
send({ event: 'step-end', id: 'b', type: 'bootstrap', title, elapsedMs: 3800 });
send({ event: 'build-end', ok: true, elapsedMs: 3900 });
