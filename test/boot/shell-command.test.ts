/**
 * `imgc shell`: runs a command inside the sample's directory output (same IR and tree cache as
 * the boot tests), with /proc mounted, and returns the command's exit status; refuses a folder
 * that is no image tree.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { buildSample, imgc, type SampleBuild } from './sample-build.js';

const BUILD_BOUND_MS = 1_200_000;
const empty = mkdtempSync(join(tmpdir(), 'imgc-shell-'));
let build: SampleBuild | undefined;

afterAll(() => {
  rmSync(empty, { recursive: true, force: true });
  if (build) rmSync(build.scratch, { recursive: true, force: true });
});

describe('imgc shell', () => {
  it('refuses a folder that is no image tree, and a tool it does not know', async () => {
    const r = await runCli(['shell', empty, '--', 'true']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/IMGC9054 cannot open a shell in .*: it has no \/bin\/sh/);
    expect((await runCli(['shell', empty, '--tool', 'docker'])).code).toBe(2);
  });

  it.skipIf(process.getuid?.() !== 0)(
    'runs a command in the built directory tree with /proc mounted and returns its exit status',
    async () => {
      build = await buildSample(['directory'], [], BUILD_BOUND_MS);
      expect(build.code, build.log.slice(-3000)).toBe(0);
      const tree = readdirSync(build.out)
        .map((f) => join(build!.out, f))
        .find((p) => existsSync(join(p, 'etc/hostname')));
      expect(tree).toBeDefined();
      const r = await imgc(
        [
          'shell',
          tree!,
          '--',
          '/bin/sh',
          '-c',
          'cat /etc/hostname; test -r /proc/self/status && echo proc-ok; exit 7',
        ],
        120_000,
      );
      expect(r.stderr).toMatch(/imgc shell: (chroot|nspawn) into .* \(/);
      expect(r.stdout).toBe('imgc-sample\nproc-ok\n');
      expect(r.code).toBe(7);
    },
    BUILD_BOUND_MS + 180_000,
  );
});
